"""Words, not codes: how a value, a target and a verdict read to a person.

Every page, e-mail and export meant for reading asks these functions, so a yes/no answer reads
"Có"/"Không" (never the form's "yes"/"no"), a target carries its comparison and unit ("≥ 90 %",
"= Có", "≥ Mức độ 2", "≥ 01/01/2026"), a date reads dd/mm/yyyy and a verdict reads "Đạt",
"Chưa đạt", "Không áp dụng" or "Chưa nhập". Machines (the API, JSON files) keep the codes.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from .evaluation import OPTION_SEPARATOR, IndicatorStatus, InvalidValue, coerce_value, is_not_applicable
from .spec import Comparison, IndicatorSpec, ValueType

#: What a verdict reads when nothing was entered (an unreadable value keeps the status's own label).
NOT_ENTERED = "missing"


def yes_no_words(value: bool | None) -> str:
    """ "Có" / "Không" ("—" for no answer)."""
    if value is None:
        return "—"
    return _("Có") if value else _("Không")


def met_words(value: bool | None) -> str:
    """ "Đạt" / "Chưa đạt" ("—" for none)."""
    if value is None:
        return "—"
    return _("Đạt") if value else _("Chưa đạt")


def number_words(value: Decimal | int) -> str:
    """A number as Vietnamese text: thousands with a dot, decimals with a comma (1.500; 15,5)."""
    if isinstance(value, Decimal):
        value = value.normalize()
        places = max(0, -value.as_tuple().exponent) if value.is_finite() else 0
    else:
        places = 0
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def date_words(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _typed_words(indicator: IndicatorSpec, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no_words(value)
    if isinstance(value, datetime.date):
        return date_words(value)
    if isinstance(value, Decimal | int):
        return number_words(value)
    return str(value)


def _unit_suffix(indicator: IndicatorSpec) -> str:
    unit = indicator.unit or ("%" if indicator.value_type == ValueType.PERCENTAGE else "")
    return f" {unit}" if unit else ""


def value_words(indicator: IndicatorSpec, raw: str | None, *, with_unit: bool = True) -> str:
    """What a commune entered, as a person reads it: "Có", "85 %", "01/03/2026"; "" when nothing was entered.

    A value that cannot be read for the indicator's type is shown as typed (it is what the commune wrote).
    """
    if raw is None or not str(raw).strip():
        return ""
    try:
        value = coerce_value(indicator, raw)
    except InvalidValue:
        return str(raw).strip()
    if indicator.value_type == ValueType.SCORE:
        return points_words(value) if with_unit else number_words(value)
    text = _typed_words(indicator, value)
    if with_unit and indicator.value_type in (ValueType.NUMBER, ValueType.PERCENTAGE, ValueType.INTEGER):
        text += _unit_suffix(indicator)
    return text


def max_points_words(indicator: IndicatorSpec) -> str:
    """A scored item's maximum as people say it: "Tối đa 40 điểm" ("" without one)."""
    if indicator.points is None:
        return ""
    return _("Tối đa %(points)s điểm") % {"points": number_words(Decimal(indicator.points))}


def points_words(value: Decimal | int | None) -> str:
    """Points given: "32,5 điểm" ("" for none)."""
    if value is None:
        return ""
    return _("%(points)s điểm") % {"points": number_words(Decimal(value))}


def target_words(indicator: IndicatorSpec, group: str | None = None, *, target: str | None = None) -> str:
    """The target a unit of ``group`` must reach, as people say it: "≥ 90 %", "= Có", "≥ Mức độ 2",
    "≥ 01/01/2026", "Không áp dụng"; "" when there is none. ``target`` reads a stored target text instead.
    A scored item (OCOP) has no target: it reads its maximum, "Tối đa 40 điểm"."""
    text = indicator.target_for(group) if target is None else target
    if indicator.value_type == ValueType.SCORE and not is_not_applicable(text or ""):
        return max_points_words(indicator)
    if not text or not text.strip():
        return ""
    if is_not_applicable(text):
        return _("Không áp dụng")
    if indicator.comparison == Comparison.IN:
        options = [_option_words(indicator, part) for part in text.split(OPTION_SEPARATOR) if part.strip()]
        return _("là một trong: %(options)s") % {"options": "; ".join(options)}
    sign = Comparison(indicator.comparison).label if indicator.comparison in Comparison.values else ""
    if indicator.value_type in (ValueType.BOOLEAN, ValueType.TEXT):
        sign = "="  # no order: every comparison of a yes/no or a text is an equality
    words = _option_words(indicator, text)
    if indicator.value_type in (ValueType.NUMBER, ValueType.PERCENTAGE, ValueType.INTEGER):
        words += _unit_suffix(indicator)
    return f"{sign} {words}".strip()


def _option_words(indicator: IndicatorSpec, text: str) -> str:
    try:
        return _typed_words(indicator, coerce_value(indicator, text)) or text.strip()
    except InvalidValue:
        return text.strip()


def verdict_words(status: str | None, *, entered: bool = True) -> str:
    """An indicator's or a criterion's verdict: "Đạt", "Chưa đạt", "Không áp dụng"; "Chưa nhập" when no
    value was entered (``entered=False``) or there is no verdict yet."""
    if not status or (status == NOT_ENTERED and not entered):
        return _("Chưa nhập")
    if status in IndicatorStatus.values:
        return str(IndicatorStatus(status).label)
    return status
