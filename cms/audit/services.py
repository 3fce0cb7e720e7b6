"""Writing the audit trail (one function every app calls)."""

from collections.abc import Iterable

from django.db import models

from .models import AuditEntry

BATCH_SIZE = 500


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


def audit_records(*, entries: Iterable[dict]) -> list[AuditEntry]:
    """Record many entries at once (a bulk import: one insert per batch). Each dict takes the keywords of
    :func:`audit_record`."""
    return AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                subject=entry["subject"],
                actor=entry.get("user"),
                role=entry.get("role", ""),
                action=entry["action"],
                comment=entry.get("comment", ""),
                before=entry.get("before") or {},
                after=entry.get("after") or {},
            )
            for entry in entries
        ],
        batch_size=BATCH_SIZE,
    )
