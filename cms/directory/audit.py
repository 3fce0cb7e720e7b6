"""The directory's entries in the one audit trail: who was given, changed or lost which role and scope."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.audit.models import register_actions, register_roles
from cms.audit.services import audit_record, audit_records

from .access import SUPERUSER_ROLE, scopes_of
from .models import Membership, Role


class DirectoryAction(models.TextChoices):
    MEMBERSHIP_GRANTED = "membership_granted", _("Cấp quyền")
    MEMBERSHIP_CHANGED = "membership_changed", _("Sửa quyền")
    MEMBERSHIP_REVOKED = "membership_revoked", _("Thu hồi quyền")


register_actions(DirectoryAction)


class DirectoryDataAction(models.TextChoices):
    """Changes to the directory's data: official lists corrected, units classified in bulk."""

    UNIT_CODE_CORRECTED = "unit_code_corrected", _("Đính chính mã đơn vị")
    UNIT_CODE_CORRECTION_RECORDED = "unit_code_correction_recorded", _("Ghi nhận đính chính mã đơn vị")
    CLASSIFICATION_IMPORTED = "classification_imported", _("Nhập phân loại đơn vị hàng loạt")


register_actions(DirectoryDataAction)
register_roles({**dict(Role.choices), SUPERUSER_ROLE: _("Quản trị hệ thống")})


def membership_words(membership: Membership) -> dict[str, str]:
    """A membership as a person reads it: the role's name and its scope."""
    return {str(_("vai trò")): str(membership.get_role_display()), str(_("phạm vi")): str(membership.scope or "—")}


def record_membership(*, membership: Membership, action: str, actor=None, before: dict | None = None) -> None:
    """Record a change of ``membership`` in the history of the person who holds it."""
    after = {} if action == DirectoryAction.MEMBERSHIP_REVOKED else membership_words(membership)
    audit_record(
        subject=membership.user,
        action=action,
        user=actor,
        role=scopes_of(actor).audit_role() if actor is not None else "",
        before=before,
        after=after,
    )


def record_memberships_granted(*, memberships: list[Membership], actor=None) -> None:
    """Record many grants at once, each in the history of the person who holds it (a bulk import)."""
    role = scopes_of(actor).audit_role() if actor is not None else ""
    audit_records(
        entries=[
            {
                "subject": membership.user,
                "action": DirectoryAction.MEMBERSHIP_GRANTED,
                "user": actor,
                "role": role,
                "after": membership_words(membership),
            }
            for membership in memberships
        ]
    )
