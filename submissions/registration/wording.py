"""A registration's audit entries in words (registered or resubmitted, approved, returned), registered for the
history views after the submissions app's own describer, which covers every other action."""

from django.utils.translation import gettext_lazy as _

from cms.audit.models import AuditEntry
from cms.audit.wording import change_words, register_describer
from criteria_pages.spec import TitleKind
from submissions import audit as _submissions_audit  # noqa: F401  (its describer first: ours override it)
from submissions.models import AuditAction

from .models import RegistrationStatus

#: The audit's keys of a registration, in words.
FIELD_LABELS = {
    "kind": _("danh hiệu"),
    "target_year": _("năm phấn đấu đạt"),
    "plan": _("kế hoạch tóm tắt"),
    "status": _("trạng thái"),
    "files": _("tệp kèm theo"),
}
REGISTRATION_ACTIONS = (
    AuditAction.REGISTRATION_SUBMITTED,
    AuditAction.REGISTRATION_APPROVED,
    AuditAction.REGISTRATION_RETURNED,
)
_WORDS = {
    "kind": lambda value: str(TitleKind(value).label) if value in TitleKind.values else value,
    "status": lambda value: str(RegistrationStatus(value).label) if value in RegistrationStatus.values else value,
    "files": lambda value: (
        "; ".join(
            [
                *(str(_("thêm “%s”")) % name for name in value.get("added", [])),
                *(str(_("bỏ “%s”")) % name for name in value.get("removed", [])),
            ]
        )
        if isinstance(value, dict)
        else value
    ),
}


def describe(entry: AuditEntry, _subject) -> list[str]:
    before, after = entry.before or {}, entry.after or {}
    phrases = []
    for key in list(before) + [key for key in after if key not in before]:
        old, new = before.get(key), after.get(key)
        if key in before and old == new:
            continue  # unchanged on an edit
        words = _WORDS.get(key)
        if words is not None:
            old, new = (words(value) if value not in (None, "") else value for value in (old, new))
        if text := change_words(str(FIELD_LABELS.get(key, key)), old, new):
            phrases.append(text)
    return phrases


register_describer(REGISTRATION_ACTIONS, describe)
