"""A title's audit entries in words (granted, corrected, revoked, imported, recorded after a merger), registered
for the history views after the submissions app's own describer, which covers every other action."""

from django.utils.translation import gettext_lazy as _

from cms.audit.models import AuditEntry
from cms.audit.wording import change_words, register_describer
from criteria_pages.spec import TitleKind
from submissions import audit as _submissions_audit  # noqa: F401  (its describer first: ours override it)
from submissions.models import AuditAction

#: The audit's keys of a title, in words.
FIELD_LABELS = {
    "unit": _("đơn vị"),
    "kind": _("danh hiệu"),
    "source": _("nguồn"),
    "decision_number": _("số quyết định công nhận"),
    "decision_date": _("ngày quyết định công nhận"),
    "carried_from": _("kế thừa từ"),
    "revoked_on": _("ngày thu hồi"),
    "revocation_number": _("số quyết định thu hồi"),
    "revocation_reason": _("lý do thu hồi"),
    "row": _("dòng trong tệp"),
}
TITLE_ACTIONS = (
    AuditAction.TITLE_GRANTED,
    AuditAction.TITLE_CORRECTED,
    AuditAction.TITLE_REVOKED,
    AuditAction.TITLES_IMPORTED,
)


def kind_words(kind: str) -> str:
    return str(TitleKind(kind).label) if kind in TitleKind.values else kind


def describe(entry: AuditEntry, _subject) -> list[str]:
    before, after = entry.before or {}, entry.after or {}
    phrases = []
    for key in list(before) + [key for key in after if key not in before]:
        old, new = before.get(key), after.get(key)
        if key == "kind":
            old, new = kind_words(old or ""), kind_words(new or "")
        label = str(FIELD_LABELS.get(key, key))
        if text := change_words(label, old, new):
            phrases.append(text)
    return phrases


register_describer(TITLE_ACTIONS, describe)
