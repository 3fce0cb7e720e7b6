"""The audit trail: who did what, in which role, when, with before/after and a comment."""

from cms.directory.models import Membership, Role
from submissions.models import AuditEntry, Round


def _role_of(user) -> str:
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True)) if user else set()
    for role in (Role.COMMUNE_OFFICER, Role.DISTRICT_REVIEWER, Role.DEPARTMENT_APPRAISER, Role.OFFICE_EDITOR):
        if role in roles:
            return role
    return "superuser" if user is not None and user.is_superuser else ""


def audit(*, round_: Round, action: str, user=None, submission=None, comment="", before=None, after=None):
    return AuditEntry.objects.create(
        round=round_,
        submission=submission,
        actor=user,
        role=_role_of(user),
        action=action,
        comment=comment,
        before=before or {},
        after=after or {},
    )
