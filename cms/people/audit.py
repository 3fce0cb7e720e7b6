"""The people app's entries in the one audit trail, recorded on the person."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.audit.models import register_actions
from cms.audit.services import audit_record
from cms.directory.access import scopes_of


class PeopleAction(models.TextChoices):
    ACCOUNT_CREATED = "account_created", _("Tạo tài khoản")
    ACCOUNT_CHANGED = "account_changed", _("Sửa thông tin tài khoản")
    INVITED = "account_invited", _("Gửi lời mời kích hoạt")
    ACTIVATED = "account_activated", _("Kích hoạt tài khoản")
    DEACTIVATED = "account_deactivated", _("Khóa tài khoản")
    REACTIVATED = "account_reactivated", _("Mở lại tài khoản")


register_actions(PeopleAction)


def record_person(*, person, action: str, actor=None, before: dict | None = None, after: dict | None = None) -> None:
    """Record ``action`` in the history of ``person`` (the actor's role as the directory names it)."""
    audit_record(
        subject=person,
        action=action,
        user=actor,
        role=scopes_of(actor).audit_role() if actor is not None else "",
        before=before,
        after=after,
    )
