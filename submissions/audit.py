"""The submissions app's entries in the one audit trail (:mod:`cms.audit`): rounds and submissions."""

from django.db.models import QuerySet

from cms.audit.models import AuditEntry
from cms.audit.services import audit_record
from cms.directory.access import scopes_of
from submissions.models import Round, Submission


def audit(
    *,
    round_: Round,
    action: str,
    user=None,
    submission: Submission | None = None,
    comment="",
    before=None,
    after=None,
) -> AuditEntry:
    """Record an action on ``submission`` (or on the round itself when there is none)."""
    return audit_record(
        subject=submission if submission is not None else round_,
        action=action,
        user=user,
        role=scopes_of(user).audit_role(),
        comment=comment,
        before=before,
        after=after,
    )


def history(subject: Round | Submission) -> QuerySet[AuditEntry]:
    """What was done to a round (open, close, reopen, archive) or a submission, newest first."""
    return AuditEntry.objects.about(subject).select_related("actor")
