"""Targets checked where they are typed: one reading of an indicator's targets, for every way a set is written.

A target (the common one, or one per value of the set's classification) must read as the evaluation will read it
(:func:`criteria_pages.evaluation.parse_target`) for the indicator's value type and comparison: a number; a
percentage from 0 to 100; a whole count; Có/Không (:mod:`criteria_pages.vocabulary`); one of the indicator's
levels; a date dd/mm/yyyy (files may also hold the ISO ``yyyy-mm-dd`` the JSON format writes); several of these
separated by ";" for "là một trong". "n/a" (:data:`~criteria_pages.spec.NOT_APPLICABLE`) is always allowed. A
per-group target may only name a value of the set's classification.

:func:`indicator_target_problems` serves the page editor (:class:`criteria_pages.forms.CriterionPageForm`), the
XLSX and JSON imports (:func:`criteria_pages.transfer.validate_spec`) and the check before a set is published;
each reports the problems where its user typed the target.

Date targets are kept in two spellings: the one people type and read (``31/12/2025``, in the page editor) and
the one the frozen spec, the evaluation and the JSON format hold (``2025-12-31``):
:func:`canonical_target` and :func:`typed_target` turn one into the other.
"""

import datetime
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .evaluation import OPTION_SEPARATOR, InvalidValue, coerce_value, is_not_applicable
from .spec import Comparison, IndicatorSpec, ValueType

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PERCENT_SIGN = "%"


@dataclass(frozen=True)
class TargetProblem:
    """What is wrong with one target of an indicator: ``group`` is "" for the common target."""

    group: str
    message: str


def _read_date(text: str) -> datetime.date | None:
    text = text.strip()
    try:
        if match := _DMY.match(text):
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        if match := _ISO.match(text):
            year, month, day = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        return None
    return None


def _options(indicator: IndicatorSpec, text: str) -> list[str]:
    """The values a target names: each ";"-separated option for "là một trong", otherwise the whole text."""
    if indicator.comparison == Comparison.IN:
        return [part.strip() for part in text.split(OPTION_SEPARATOR) if part.strip()]
    return [text.strip()]


def _is_number(text: str) -> bool:
    try:
        coerce_value(IndicatorSpec(code="", name="", value_type=ValueType.NUMBER), text)
    except InvalidValue:
        return False
    return True


def _option_problem(indicator: IndicatorSpec, option: str) -> str | None:
    """Why one value of a target cannot be read for ``indicator`` (None if it can), naming the value typed."""
    value_type = indicator.value_type
    if value_type == ValueType.DATE:
        if _read_date(option) is None:
            return _("“%(value)s” không phải là một ngày theo dạng dd/mm/yyyy (ví dụ 31/12/2025).") % {"value": option}
        return None
    if value_type == ValueType.CHOICE and not indicator.choices:
        return None  # reported once, on the missing levels
    try:
        coerce_value(indicator, option)
    except InvalidValue:
        pass
    else:
        return None
    if value_type == ValueType.NUMBER:
        return _("“%(value)s” không phải là một số (ví dụ 15,5).") % {"value": option}
    if value_type == ValueType.PERCENTAGE:
        if _is_number(option.removesuffix(_PERCENT_SIGN).strip()):
            return _("Tỷ lệ “%(value)s” nằm ngoài khoảng từ 0 đến 100.") % {"value": option}
        return _("“%(value)s” không phải là một số (tỷ lệ từ 0 đến 100, ví dụ 80).") % {"value": option}
    if value_type == ValueType.INTEGER:
        return _("“%(value)s” không phải là một số nguyên không âm (ví dụ 120).") % {"value": option}
    if value_type == ValueType.BOOLEAN:
        return _("“%(value)s” không phải là Có hoặc Không.") % {"value": option}
    if value_type == ValueType.CHOICE:
        return _("“%(value)s” không phải là một trong các mức: %(choices)s.") % {
            "value": option,
            "choices": "; ".join(indicator.choices),
        }
    return None


def target_problem(indicator: IndicatorSpec, text: str | None) -> str | None:
    """Why ``text`` cannot be a target of ``indicator`` (None if it can, or if it is empty or "n/a")."""
    if not text or not text.strip() or is_not_applicable(text):
        return None
    if indicator.value_type == ValueType.SCORE:
        return None  # a scored item has no target: any valid score counts, for the points given
    if indicator.value_type not in ValueType.values or indicator.comparison not in Comparison.values:
        return None  # reported on the value type or the comparison
    for option in _options(indicator, text):
        if message := _option_problem(indicator, option):
            return message
    return None


def group_problem(
    group: str, *, classification: str, groups: Collection[str] | None, labels: Mapping[str, str] | None = None
) -> str | None:
    """Why a per-group target for ``group`` has no place in a set classified by ``classification`` (None if it has).

    ``groups`` are the value codes of that classification (None: not known, not checked); ``labels`` the
    names people read for the codes (the classification's own name under ``""``).
    """
    labels = labels or {}
    if not classification:
        return _(
            "Bộ tiêu chí chưa chọn phân loại (“chỉ tiêu phân theo”) nên không đặt được mức riêng cho “%(group)s”."
        ) % {"group": labels.get(group, group)}
    if groups is not None and group not in groups:
        return _("“%(group)s” không thuộc phân loại “%(classification)s” của bộ tiêu chí (chỉ dùng: %(known)s).") % {
            "group": labels.get(group, group),
            "classification": labels.get("", classification),
            "known": ", ".join(labels.get(code, code) for code in sorted(groups)) or "—",
        }
    return None


def indicator_target_problems(
    indicator: IndicatorSpec,
    *,
    classification: str,
    groups: Collection[str] | None,
    labels: Mapping[str, str] | None = None,
) -> list[TargetProblem]:
    """Every problem of the common and per-group targets of ``indicator`` in a set classified by ``classification``.

    The one check of targets: the page editor, the XLSX and JSON imports and the publication of a set call it.
    """
    problems = []
    if message := target_problem(indicator, indicator.target):
        problems.append(TargetProblem("", message))
    for group, text in indicator.targets.items():
        message = group_problem(group, classification=classification, groups=groups, labels=labels)
        message = message or target_problem(indicator, text)
        if message:
            problems.append(TargetProblem(group, message))
    return problems


def _each_date(indicator: IndicatorSpec, text: str, spell) -> str:
    if indicator.value_type != ValueType.DATE or not text or is_not_applicable(text):
        return text
    options = _options(indicator, text)
    dates = [_read_date(option) for option in options]
    if not options or None in dates:
        return text  # not a valid target: left as typed for the validation to report
    return f"{OPTION_SEPARATOR} ".join(spell(date) for date in dates)


def canonical_target(indicator: IndicatorSpec, text: str) -> str:
    """The target as a frozen spec holds it: dates ``yyyy-mm-dd``; any other target unchanged."""
    return _each_date(indicator, text, datetime.date.isoformat)


def typed_target(indicator: IndicatorSpec, text: str) -> str:
    """The target as people type and read it: dates ``dd/mm/yyyy``; any other target unchanged."""
    return _each_date(indicator, text, lambda date: date.strftime("%d/%m/%Y"))
