"""Writing the audit trail (one function every app calls)."""

from django.db import models

from .models import AuditEntry


def audit_record(
    *,
    subject: models.Model,
    action: str,
    user=None,
    role: str = "",
    comment: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Record that ``user`` (acting as ``role``) did ``action`` to ``subject``."""
    return AuditEntry.objects.create(
        subject=subject,
        actor=user,
        role=role,
        action=action,
        comment=comment,
        before=before or {},
        after=after or {},
    )
