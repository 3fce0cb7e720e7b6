"""The audit trail: who did what, in which role, when, with before/after and a comment."""

from cms.directory.access import scopes_of
from submissions.models import AuditEntry, Round


def audit(*, round_: Round, action: str, user=None, submission=None, comment="", before=None, after=None):
    return AuditEntry.objects.create(
        round=round_,
        submission=submission,
        actor=user,
        role=scopes_of(user).audit_role(),
        action=action,
        comment=comment,
        before=before or {},
        after=after or {},
    )
