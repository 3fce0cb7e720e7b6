"""Cell values of an imported file (XLSX cell or JSON value) read as the spec's types.

Shared by the JSON and XLSX readers. Each ``to_*`` converter returns the typed value (None or the
default when the cell is empty) or raises :class:`BadValue` with a message for the user;
:class:`Collector` calls them and records a :class:`~.validation.Problem` per bad value.
"""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from cms.directory.text import fold, nfc

from ..spec import Comparison
from ..vocabulary import parse_yes_no, yes_no_text
from .validation import Problem, Where

COMPARISON_ALIASES = {
    ">=": Comparison.GTE,
    "=>": Comparison.GTE,
    "≥": Comparison.GTE,
    "<=": Comparison.LTE,
    "=<": Comparison.LTE,
    "≤": Comparison.LTE,
    "=": Comparison.EQ,
    "==": Comparison.EQ,
}


class BadValue(ValueError):
    """A value that cannot be read; the message is shown to the user."""


def to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no_text(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list | tuple):
        raise BadValue(_("Cần một đoạn văn bản."))
    return nfc(str(value))


def to_code(value: Any) -> str:
    """An indicator or department code; a spreadsheet number 8.4 is the code "8.4", 1.0 is "1"."""
    return to_text(value)


def to_int(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise BadValue(_("“%(value)s” không phải là số nguyên.") % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if value == int(value):
            return int(value)
        raise BadValue(_("“%(value)s” không phải là số nguyên.") % {"value": value})
    number = to_decimal(value)
    if number is None or number != number.to_integral_value():
        raise BadValue(_("“%(value)s” không phải là số nguyên.") % {"value": value})
    return int(number)


def _parse_decimal(text: str) -> Decimal | None:
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def to_decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise BadValue(_("“%(value)s” không phải là số.") % {"value": value})
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    number = _parse_decimal(str(value))
    if number is None:
        raise BadValue(_("“%(value)s” không phải là số.") % {"value": value})
    return number


_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _parse_date(text: str) -> datetime.date | None:
    text = text.strip()
    try:
        if match := _DATE_DMY.match(text):
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def to_date(value: Any) -> datetime.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    parsed = _parse_date(str(value)) if isinstance(value, str) else None
    if parsed is None:
        raise BadValue(_("“%(value)s” không phải là ngày (dd/mm/yyyy hoặc yyyy-mm-dd).") % {"value": value})
    return parsed


def to_bool(value: Any, default: bool) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    flag = parse_yes_no(str(value), in_file=True)
    if flag is not None:
        return flag
    raise BadValue(_("“%(value)s” không phải là có/không.") % {"value": value})


def to_enum(value: Any, enum, default: str) -> str:
    """The machine value of ``value`` (a value or its label); an unknown text is kept for validation."""
    text = to_text(value)
    if not text:
        return default
    if text in enum.values:
        return text
    folded = fold(text)
    for choice, label in enum.choices:
        if folded in (fold(choice), fold(str(label))):
            return choice
    if enum is Comparison and text in COMPARISON_ALIASES:
        return str(COMPARISON_ALIASES[text])
    return text


def to_choices(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        parts = [to_text(item) for item in value]
    else:
        text = to_text(value)
        parts = text.split("\n") if "\n" in text else text.split(";")
    return tuple(part for part in (nfc(p) for p in parts) if part)


def to_target(value: Any) -> str:
    """A target as text; spreadsheet numbers and dates become text, a boolean "có" / "không"."""
    if isinstance(value, bool):
        return yes_no_text(value)
    return to_text(value)


class Collector:
    """Reads values with a converter, recording a Problem (and using a default) when one is bad."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def read(self, place: Where, convert: Callable[..., Any], value: Any, *args: Any, default: Any = None) -> Any:
        try:
            return convert(value, *args)
        except BadValue as exc:
            self.problems.append(Problem(place[0], place[1], place[2], str(exc)))
            return default

    def add(self, place: Where, message: str) -> None:
        self.problems.append(Problem(place[0], place[1], place[2], message))
