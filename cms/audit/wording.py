"""An audit entry as a sentence: who, in which role, did what, from what to what, with what comment.

Entries store their ``before``/``after`` as data (codes, numbers, ISO dates) so that they stay exact; this
module turns them into words for every page and export a person reads. An app whose data needs its own
vocabulary (a submission's status, a criterion number) registers a *describer* for its actions
(:func:`register_describer`): a function of the entry and the history's subject that returns the changes
as phrases. Other entries are described field by field, with values in words (Có/Không, dd/mm/yyyy, lists
joined), never as a Python dictionary.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEntry

#: action code -> describer(entry, subject) -> phrases.
Describer = Callable[[AuditEntry, object], list[str]]
_DESCRIBERS: dict[str, Describer] = {}


def register_describer(actions: Iterable[str], describe: Describer) -> None:
    """Describe the changes of entries with these actions with ``describe`` (an app's own vocabulary)."""
    for action in actions:
        _DESCRIBERS[str(action)] = describe


def _date_text(text: str) -> str | None:
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text).strftime("%d/%m/%Y")
        if len(text) > 10 and text[10] == "T":
            moment = datetime.datetime.fromisoformat(text)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return None
    return None


def value_words(value) -> str:
    """A stored value as words: Có/Không, dates dd/mm/yyyy, lists and mappings joined; "—" for nothing."""
    if value is None or value in ("", [], {}):
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else f"{value:%d/%m/%Y}"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list | tuple):
        return "; ".join(value_words(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {value_words(item)}" for key, item in value.items())
    text = str(value)
    return _date_text(text) or text


def change_words(label: str, before, after) -> str:
    """ "trạng thái: từ “A” thành “B”", or "label: “B”" when there was nothing before."""
    if before in (None, "") and after in (None, ""):
        return ""
    if before in (None, ""):
        return _("%(label)s: “%(after)s”") % {"label": label, "after": value_words(after)}
    if after in (None, ""):
        return _("%(label)s: bỏ “%(before)s”") % {"label": label, "before": value_words(before)}
    if before == after:
        return _("%(label)s: “%(after)s”") % {"label": label, "after": value_words(after)}
    return _("%(label)s: từ “%(before)s” thành “%(after)s”") % {
        "label": label,
        "before": value_words(before),
        "after": value_words(after),
    }


def _fields(entry: AuditEntry, _subject) -> list[str]:
    """Field by field, for entries whose keys are already words (people, directory, tokens)."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(before) + [key for key in after if key not in before]
    return [text for key in keys if (text := change_words(str(key), before.get(key), after.get(key)))]


def changes(entry: AuditEntry, subject=None) -> list[str]:
    """The entry's changes as phrases, by its app's describer if it registered one."""
    return _DESCRIBERS.get(entry.action, _fields)(entry, subject)


@dataclass(frozen=True)
class EntryWords:
    """One history row in words, for templates and exports."""

    at: datetime.datetime
    who: str
    role: str
    action: str
    changes: tuple[str, ...]
    comment: str

    @property
    def when(self) -> str:
        return timezone.localtime(self.at).strftime("%d/%m/%Y %H:%M") if self.at else ""

    @property
    def sentence(self) -> str:
        """ "Nguyễn Văn A (Cán bộ huyện): Trả lại để sửa — trạng thái: từ “…” thành “…”. Ý kiến: “…”." """
        text = f"{self.who} ({self.role})" if self.role else self.who
        text = f"{text}: {self.action}"
        if self.changes:
            text += " — " + "; ".join(self.changes)
        text += "."
        if self.comment:
            text += " " + _("Ý kiến: “%(comment)s”.") % {"comment": self.comment}
        return text


def person_name(user) -> str:
    if user is None:
        return _("Hệ thống")
    return user.get_full_name() or user.get_username()


def entry_words(entry: AuditEntry, subject=None) -> EntryWords:
    return EntryWords(
        at=entry.at,
        who=person_name(entry.actor),
        role=entry.get_role_display() if entry.role else "",
        action=entry.get_action_display(),
        changes=tuple(changes(entry, subject)),
        comment=entry.comment.strip(),
    )


def history_words(entries: Iterable[AuditEntry], subject=None) -> list[EntryWords]:
    """Entries (with ``actor`` selected) as words, in their order."""
    return [entry_words(entry, subject) for entry in entries]
