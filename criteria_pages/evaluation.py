"""The evaluation function: a unit's values against a criteria set, indicator by indicator.

Pure and fast: it reads only a :class:`~criteria_pages.spec.SetSpec` and a mapping of indicator
code -> value, never the database, and never raises for bad user input (a value that cannot be
read is recorded as "no data" with its error message). It runs on every save of a form.

Public API:

* :func:`coerce_value` turns form input ("15,93", "có", "01/03/2026") into a typed value, or
  raises :class:`InvalidValue` with a message a commune officer can act on;
* :func:`parse_target` reads a target text with the same rules (";"-separated for "là một trong");
* :func:`evaluate_indicator` and :func:`evaluate` give frozen verdicts.
"""

import datetime
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .spec import (
    NOT_APPLICABLE,
    Comparison,
    CriterionRule,
    CriterionSpec,
    IndicatorSpec,
    ScoreAverage,
    ScoreBand,
    ScoreRounding,
    ScoringRule,
    SetSpec,
    StandardRule,
    ValueType,
)
from .vocabulary import parse_yes_no

ZERO = Decimal(0)

#: Separator of the options of a "là một trong" (IN) target: "Loại A; Loại B".
OPTION_SEPARATOR = ";"

# Spaces people type (or paste) inside numbers: "1 234,5".
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# "15", "-2", "15,93", "15.93"; then with thousands groups: "1.234.567,5" and "1,234,567.5".
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_DOT_GROUPED = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_COMMA_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DIGITS = re.compile(r"\+?\d+")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


class InvalidValue(ValueError):
    """A value or target that cannot be read for its indicator; ``message`` says how to fix it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class IndicatorStatus(models.TextChoices):
    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Chưa đạt")
    NOT_APPLICABLE = "not_applicable", _("Không áp dụng")
    MISSING = "missing", _("Chưa có số liệu")


class CriterionStatus(models.TextChoices):
    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Chưa đạt")
    NOT_APPLICABLE = "not_applicable", _("Không áp dụng")


# --- Reading values -------------------------------------------------------------------------


def _text(raw) -> str:
    """Stripped text in NFC, so "có" typed with combining accents equals "có"."""
    return unicodedata.normalize("NFC", str(raw)).strip()


def _fold(text: str) -> str:
    """The form used for case-insensitive comparisons of Vietnamese text."""
    return _text(text).casefold()


def _is_empty(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _to_boolean(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    answer = parse_yes_no(raw)
    if answer is not None:
        return answer
    raise InvalidValue(_("Hãy chọn “Có” hoặc “Không”."))


def _parse_decimal_text(text: str) -> Decimal | None:
    """Read "15,93", "15.93", "1.234,5" or "1,234.5"; None when it is not a number."""
    text = _NUMBER_SPACES.sub("", text)
    if _PLAIN_NUMBER.fullmatch(text):
        return Decimal(text.replace(",", "."))
    if _DOT_GROUPED.fullmatch(text):
        return Decimal(text.replace(".", "").replace(",", "."))
    if _COMMA_GROUPED.fullmatch(text):
        return Decimal(text.replace(",", ""))
    return None


def _to_decimal(raw) -> Decimal:
    number = None
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        number = Decimal(str(raw))
    elif isinstance(raw, str):
        number = _parse_decimal_text(raw)
    if number is None or not number.is_finite():
        raise InvalidValue(_("Hãy nhập một số, ví dụ 15,5."))
    return number


def _to_percentage(raw) -> Decimal:
    if isinstance(raw, str):
        raw = raw.strip().removesuffix("%")
    number = _to_decimal(raw)
    if not ZERO <= number <= 100:
        raise InvalidValue(_("Tỷ lệ phải nằm trong khoảng từ 0 đến 100."))
    return number


def _to_integer(raw) -> int:
    if isinstance(raw, str):
        text = _NUMBER_SPACES.sub("", raw)
        if _DIGITS.fullmatch(text):
            return int(text)
        if text.startswith("-") and _DIGITS.fullmatch(text[1:]):
            raise InvalidValue(_("Số nguyên không được âm."))
        # "1.500" may mean 1,5 or 1500: a whole number is asked for without any separator.
        raise InvalidValue(_("Hãy nhập một số nguyên, không có phần thập phân, ví dụ 120."))
    number = _to_decimal(raw)
    if number != number.to_integral_value():
        raise InvalidValue(_("Hãy nhập một số nguyên, không có phần thập phân, ví dụ 120."))
    if number < 0:
        raise InvalidValue(_("Số nguyên không được âm."))
    return int(number)


def _to_choice(indicator: IndicatorSpec, raw) -> str:
    wanted = _fold(raw)
    for choice in indicator.choices:
        if _fold(choice) == wanted:
            return choice
    raise InvalidValue(_("Hãy chọn một trong các mức: %(choices)s.") % {"choices": "; ".join(indicator.choices)})


def _to_date(raw) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = _text(raw)
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise InvalidValue(_("Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 01/03/2026."))


def _to_score(indicator: IndicatorSpec, raw) -> Decimal:
    """Points a scorer awards: 0 up to the indicator's maximum (its ``points``)."""
    number = _to_decimal(raw)
    maximum = _points(indicator)
    if number < 0 or (indicator.points is not None and number > maximum):
        raise InvalidValue(
            _("Điểm phải từ 0 đến %(max)s.") % {"max": format(maximum.normalize(), "f").replace(".", ",")}
        )
    return number


_READERS = {
    ValueType.BOOLEAN: _to_boolean,
    ValueType.NUMBER: _to_decimal,
    ValueType.PERCENTAGE: _to_percentage,
    ValueType.INTEGER: _to_integer,
    ValueType.DATE: _to_date,
    ValueType.TEXT: _text,
}


def coerce_value(indicator: IndicatorSpec, raw):
    """The typed value of ``raw`` for ``indicator``, or None when nothing was entered.

    BOOLEAN -> bool, NUMBER and PERCENTAGE -> Decimal (decimal comma or dot; a percentage is
    0..100), INTEGER -> int >= 0, CHOICE -> one of ``indicator.choices``, TEXT -> stripped str,
    DATE -> date (``2026-03-01`` or ``01/03/2026``). Raises :class:`InvalidValue` otherwise.
    An unknown value type is read as text.
    """
    if _is_empty(raw):
        return None
    if indicator.value_type == ValueType.CHOICE:
        return _to_choice(indicator, raw)
    if indicator.value_type == ValueType.SCORE:
        return _to_score(indicator, raw)
    return _READERS.get(indicator.value_type, _text)(raw)


def is_not_applicable(target_text: str | None) -> bool:
    """Whether a target text is the "n/a" marker (any case, surrounding spaces ignored)."""
    return bool(target_text) and target_text.strip().lower() == NOT_APPLICABLE


def parse_target(indicator: IndicatorSpec, target_text: str | None):
    """The typed target of ``target_text`` for ``indicator``.

    Returns None for an empty target ("no target"), :data:`~criteria_pages.spec.NOT_APPLICABLE`
    for "n/a" (any case), a tuple of typed options for :attr:`Comparison.IN` (";"-separated,
    empty options skipped), otherwise one value read like :func:`coerce_value`.
    Raises :class:`InvalidValue` when the target (or one option) cannot be read.
    """
    if _is_empty(target_text):
        return None
    if is_not_applicable(target_text):
        return NOT_APPLICABLE
    if indicator.comparison == Comparison.IN:
        options = (coerce_value(indicator, part) for part in target_text.split(OPTION_SEPARATOR))
        return tuple(option for option in options if option is not None) or None
    return coerce_value(indicator, target_text)


# --- Comparing ------------------------------------------------------------------------------


def _within(indicator: IndicatorSpec, value, options: Iterable) -> bool:
    if indicator.value_type == ValueType.TEXT:
        return _fold(value) in {_fold(option) for option in options}
    return value in options


def _ordered(indicator: IndicatorSpec, value, target, comparison: str) -> bool:
    """GTE / LTE / EQ on values that have an order (choices by their position, lowest first)."""
    if indicator.value_type == ValueType.CHOICE:
        value, target = indicator.choices.index(value), indicator.choices.index(target)
    if comparison == Comparison.GTE:
        return value >= target
    if comparison == Comparison.LTE:
        return value <= target
    return value == target


def compare(indicator: IndicatorSpec, value, target) -> bool:
    """Whether a typed ``value`` reaches a parsed ``target`` under the indicator's comparison.

    Yes/no and text have no order: every comparison but IN is an equality for them (text ignores
    case and surrounding spaces). Choices are ordered by their position in ``indicator.choices``.
    """
    comparison = indicator.comparison
    if comparison == Comparison.IN:
        options = target if isinstance(target, tuple) else (target,)
        return _within(indicator, value, options)
    if indicator.value_type == ValueType.BOOLEAN:
        return value == target
    if indicator.value_type == ValueType.TEXT:
        return _fold(value) == _fold(target)
    return _ordered(indicator, value, target, comparison)


# --- Verdicts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorVerdict:
    """One indicator: its status, the target text that applied and the typed value (None if none)."""

    code: str
    status: str
    target: str
    value: object
    error: str = ""

    @property
    def met(self) -> bool:
        return self.status == IndicatorStatus.MET

    @property
    def applicable(self) -> bool:
        return self.status != IndicatorStatus.NOT_APPLICABLE


@dataclass(frozen=True)
class CriterionVerdict:
    """One criterion: its status, counts over its indicators and the points of the met ones."""

    number: int
    status: str
    met_count: int
    applicable_count: int
    points: Decimal
    complete: bool
    indicators: tuple[IndicatorVerdict, ...]

    @property
    def met(self) -> bool:
        return self.status == CriterionStatus.MET


@dataclass(frozen=True)
class EvaluationResult:
    """A whole set: every criterion's verdict, the totals, whether the standard is reached, the band."""

    criteria: tuple[CriterionVerdict, ...]
    criteria_met: int
    criteria_applicable: int
    points: Decimal
    standard_reached: bool
    band: str | None

    @property
    def complete(self) -> bool:
        """No applicable indicator is still without a (valid) value."""
        return all(criterion.complete for criterion in self.criteria)

    def indicator(self, code: str) -> IndicatorVerdict:
        """The verdict of indicator ``code``; KeyError if the set has no such indicator."""
        for criterion in self.criteria:
            for verdict in criterion.indicators:
                if verdict.code == code:
                    return verdict
        raise KeyError(code)

    def criterion(self, number: int) -> CriterionVerdict:
        """The verdict of criterion ``number``; KeyError if the set has no such criterion."""
        for verdict in self.criteria:
            if verdict.number == number:
                return verdict
        raise KeyError(number)


def _read(reader, *args):
    """(result, "") or (None, error message) — for evaluation, which never raises."""
    try:
        return reader(*args), ""
    except InvalidValue as error:
        return None, str(error.message)


def evaluate_indicator(indicator: IndicatorSpec, raw, group: str | None = None) -> IndicatorVerdict:
    """The verdict of one indicator for a unit of classification value ``group``.

    Not assessed, or a target that is "n/a" or empty for the group -> NOT_APPLICABLE; no value, a
    value that cannot be read, or a target that cannot be read -> MISSING (with the message);
    otherwise MET or NOT_MET.
    """
    target_text = indicator.target_for(group) or ""
    value, error = _read(coerce_value, indicator, raw)

    def verdict(status: str, message: str = "") -> IndicatorVerdict:
        return IndicatorVerdict(indicator.code, status, target_text, value, message)

    if indicator.value_type == ValueType.SCORE and indicator.assessed and not is_not_applicable(target_text):
        # A scored item has no target: any valid score counts, for the points it was given.
        if error:
            return verdict(IndicatorStatus.MISSING, error)
        return verdict(IndicatorStatus.MISSING if value is None else IndicatorStatus.MET)
    if not indicator.assessed or _is_empty(target_text) or is_not_applicable(target_text):
        return verdict(IndicatorStatus.NOT_APPLICABLE, error)
    if error:
        return verdict(IndicatorStatus.MISSING, error)
    target, target_error = _read(parse_target, indicator, target_text)
    if target_error:
        message = _("Mức cần đạt “%(target)s” không hợp lệ: %(error)s") % {"target": target_text, "error": target_error}
        return verdict(IndicatorStatus.MISSING, str(message))
    if value is None or target is None:
        return verdict(IndicatorStatus.MISSING)
    status = IndicatorStatus.MET if compare(indicator, value, target) else IndicatorStatus.NOT_MET
    return verdict(status)


def _points(indicator: IndicatorSpec) -> Decimal:
    return ZERO if indicator.points is None else Decimal(indicator.points)


def _earned(indicator: IndicatorSpec, verdict: IndicatorVerdict) -> Decimal:
    """The points an indicator brings: the score given (SCORE), or its fixed points when met."""
    if not verdict.met:
        return ZERO
    if indicator.value_type == ValueType.SCORE:
        return verdict.value
    return _points(indicator)


def criterion_status(criterion: CriterionSpec, met_count: int, applicable_count: int, points: Decimal) -> str:
    """A missing minimum (k or points) is read as "all applicable indicators met"."""
    if applicable_count == 0:
        return CriterionStatus.NOT_APPLICABLE
    if criterion.rule == CriterionRule.AT_LEAST and criterion.rule_min is not None:
        met = met_count >= criterion.rule_min
    elif criterion.rule == CriterionRule.POINTS and criterion.rule_min is not None:
        met = points >= criterion.rule_min
    else:
        met = met_count == applicable_count
    return CriterionStatus.MET if met else CriterionStatus.NOT_MET


def evaluate_criterion(
    criterion: CriterionSpec, values: Mapping[str, object], group: str | None = None
) -> CriterionVerdict:
    """The verdict of one criterion; NOT_APPLICABLE when none of its indicators applies."""
    verdicts = tuple(evaluate_indicator(ind, values.get(ind.code), group) for ind in criterion.indicators)
    met = [ind for ind, verdict in zip(criterion.indicators, verdicts, strict=True) if verdict.met]
    applicable_count = sum(1 for verdict in verdicts if verdict.applicable)
    points = sum((_earned(ind, verdict) for ind, verdict in zip(criterion.indicators, verdicts, strict=True)), ZERO)
    return CriterionVerdict(
        number=criterion.number,
        status=criterion_status(criterion, len(met), applicable_count, points),
        met_count=len(met),
        applicable_count=applicable_count,
        points=points,
        complete=all(verdict.status != IndicatorStatus.MISSING for verdict in verdicts),
        indicators=verdicts,
    )


def band_reached(bands: Iterable[ScoreBand], points: Decimal) -> ScoreBand | None:
    """The highest band whose minimum ``points`` reach (bands in any order), or None."""
    reached = [band for band in bands if band.min_points is not None and band.min_points <= points]
    return max(reached, key=lambda band: band.min_points) if reached else None


def band_for(bands: Iterable[ScoreBand], points: Decimal) -> str | None:
    """The label of the highest band whose minimum ``points`` reach, or None."""
    band = band_reached(bands, points)
    return band.label if band else None


# --- Council scores (OCOP) ------------------------------------------------------------------

_ROUNDINGS = {
    ScoreRounding.HALF_UP: ROUND_HALF_UP,
    ScoreRounding.HALF_EVEN: ROUND_HALF_EVEN,
    ScoreRounding.DOWN: ROUND_DOWN,
}


def round_score(value: Decimal, rule: ScoringRule) -> Decimal:
    """``value`` rounded to the rule's decimals by its rounding (default: half up, so 69,995 → 70,00)."""
    return Decimal(value).quantize(
        Decimal(1).scaleb(-rule.decimals), rounding=_ROUNDINGS.get(rule.rounding, ROUND_HALF_UP)
    )


def council_score(totals: Iterable[Decimal], rule: ScoringRule) -> Decimal | None:
    """The council's score from its members' exact totals, rounded once at the end; None without totals.
    A trimmed mean drops one highest and one lowest total when there are at least five."""
    values = sorted(Decimal(total) for total in totals)
    if not values:
        return None
    if rule.average == ScoreAverage.TRIMMED_MEAN and len(values) >= 5:
        values = values[1:-1]
    return round_score(sum(values, ZERO) / len(values), rule)


def score_spread(totals: Iterable[Decimal]) -> Decimal:
    """How far apart the members' totals are (highest − lowest); 0 for fewer than two."""
    values = [Decimal(total) for total in totals]
    return max(values) - min(values) if values else ZERO


def standard_reached(spec: SetSpec, criteria_met: int, criteria_applicable: int, points: Decimal) -> bool:
    """A missing minimum (N or score) is read as "all applicable criteria met"."""
    if spec.standard_rule == StandardRule.AT_LEAST and spec.standard_min is not None:
        return criteria_met >= spec.standard_min
    if spec.standard_rule == StandardRule.SCORE and spec.standard_min is not None:
        return points >= spec.standard_min
    return criteria_applicable > 0 and criteria_met == criteria_applicable


def evaluate(spec: SetSpec, values: Mapping[str, object], *, group: str | None = None) -> EvaluationResult:
    """Evaluate a unit's ``values`` (indicator code -> raw or typed value) against ``spec``.

    ``group`` is the unit's value code for the set's classification (e.g. its region), which
    selects per-group targets. Never raises for bad values: they become MISSING with a message.
    """
    criteria = tuple(evaluate_criterion(criterion, values, group) for criterion in spec.criteria)
    points = sum((criterion.points for criterion in criteria), ZERO)
    criteria_met = sum(1 for criterion in criteria if criterion.met)
    criteria_applicable = sum(1 for criterion in criteria if criterion.status != CriterionStatus.NOT_APPLICABLE)
    return EvaluationResult(
        criteria=criteria,
        criteria_met=criteria_met,
        criteria_applicable=criteria_applicable,
        points=points,
        standard_reached=standard_reached(spec, criteria_met, criteria_applicable, points),
        band=band_for(spec.bands, points),
    )
