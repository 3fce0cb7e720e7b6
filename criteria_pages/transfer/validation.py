"""Validation of a whole set, shared by the JSON and XLSX readers, and the problems it reports.

:func:`validate_spec` checks enums, required names, duplicate criterion numbers and indicator
codes, unknown department codes, unknown classification and group codes, targets that do not fit
the value type (:func:`criteria_pages.targets.indicator_target_problems`, the check the page editor
uses too), a set without any criterion, and the field sizes the pages can store.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ..scoring_fields import product_set_problems
from ..spec import (
    Comparison,
    CriterionRule,
    FigureSource,
    PreconditionKind,
    ScoreAverage,
    ScoreRounding,
    SetLevel,
    SetSpec,
    StandardRule,
    TitleKind,
    ValueType,
)
from ..targets import indicator_target_problems
from .layout import JSON_SHEET

#: Field sizes of the pages (criteria_pages.models) a spec is written into.
MAX_LENGTH = {
    "set.code": 64,
    "set.name": 255,
    "set.legal_basis": 500,
    "set.decision_number": 100,
    "criterion.name": 255,
    "criterion.group": 255,
    "indicator.code": 20,
    "indicator.name": 500,
    "indicator.unit": 50,
    "indicator.evidence_description": 500,
    "band.label": 64,
    "precondition.code": 20,
    "precondition.name": 500,
    "precondition.evidence": 500,
    "precondition.unit": 20,
    "precondition.legal_basis": 500,
}
#: A precondition's threshold: DecimalField(max_digits=10, decimal_places=2).
MAX_THRESHOLD = Decimal(10) ** 8
#: The comparisons a precondition's figure may use (no "in": a figure is one number).
PRECONDITION_COMPARISONS = (Comparison.GTE, Comparison.LTE, Comparison.EQ)
MAX_DECIMAL = Decimal(10) ** 6  # DecimalField(max_digits=8, decimal_places=2)
SET_CODE = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an imported file. ``row`` is the Excel row number (None: the whole sheet)."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = [self.sheet] if self.sheet else []
        if self.row is not None:
            where.append(_("dòng %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("cột %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


Where = tuple[str, int | None, str]


class JsonLocator:
    """Problems of a JSON file: sheet "JSON", no row, the column is the path of the value."""

    EVIDENCE = {
        "evidence_description": "evidence.description",
        "evidence_required": "evidence.required",
        "evidence_min_files": "evidence.min_files",
    }

    @staticmethod
    def _path(prefix: str, field: str) -> Where:
        return (JSON_SHEET, None, f"{prefix}.{field}" if field else prefix)

    def set(self, field: str) -> Where:
        return (JSON_SHEET, None, field)

    def criteria(self) -> Where:
        return (JSON_SHEET, None, "criteria")

    def criterion(self, ci: int, field: str) -> Where:
        return self._path(f"criteria[{ci}]", field)

    def indicator(self, ci: int, ii: int, field: str) -> Where:
        return self._path(f"criteria[{ci}].indicators[{ii}]", self.EVIDENCE.get(field, field))

    def band(self, bi: int, field: str) -> Where:
        return self._path(f"bands[{bi}]", field)

    def precondition(self, pi: int, field: str) -> Where:
        return self._path(f"preconditions[{pi}]", field)


def _enum_problem(value: str, enum, what: str) -> str | None:
    if value in enum.values:
        return None
    return _("%(what)s “%(value)s” không hợp lệ; dùng một trong: %(values)s.") % {
        "what": what,
        "value": value,
        "values": ", ".join(enum.values),
    }


def _decimal_problem(value: Decimal | None) -> str | None:
    if value is None:
        return None
    if abs(value) >= MAX_DECIMAL:
        return _("Số %(value)s quá lớn (tối đa 999999,99).") % {"value": value}
    if value != value.quantize(Decimal("0.01")):
        return _("Số %(value)s có quá 2 chữ số thập phân.") % {"value": value}
    return None


def _length_problem(value: str, key: str) -> str | None:
    limit = MAX_LENGTH[key]
    if len(value) > limit:
        return _("Dài %(length)s ký tự, tối đa %(limit)s.") % {"length": len(value), "limit": limit}
    return None


def validate_spec(
    spec: SetSpec,
    *,
    known_departments: set[str] | None = None,
    known_groups: dict[str, set[str]] | None = None,
    locator: Any = None,
) -> list[Problem]:
    """Every problem of ``spec``, in file order. Shared by the JSON and XLSX readers.

    ``known_departments`` (department codes) and ``known_groups`` (classification code -> its value
    codes) are what exists in the directory; None skips those checks. ``locator`` turns a field of
    the spec into (sheet, row, column); the default names JSON paths.
    """
    where = locator or JsonLocator()
    problems: list[Problem] = []

    def report(place: Where, message: str | None) -> None:
        if message:
            problems.append(Problem(place[0], place[1], place[2], message))

    def department_problem(code: str) -> str | None:
        if code and known_departments is not None and code not in known_departments:
            return _("Không có sở, ngành mã “%(code)s” trong danh mục.") % {"code": code}
        return None

    # the set
    if not spec.code:
        report(where.set("code"), _("Thiếu mã bộ tiêu chí."))
    elif not SET_CODE.match(spec.code):
        report(where.set("code"), _("Mã bộ tiêu chí chỉ gồm chữ cái không dấu, chữ số, “_” và “-”."))
    else:
        report(where.set("code"), _length_problem(spec.code, "set.code"))
    report(where.set("name"), _("Thiếu tên bộ tiêu chí.") if not spec.name else _length_problem(spec.name, "set.name"))
    report(where.set("legal_basis"), _length_problem(spec.legal_basis, "set.legal_basis"))
    report(where.set("decision_number"), _length_problem(spec.decision_number, "set.decision_number"))
    if spec.valid_from and spec.valid_to and spec.valid_to < spec.valid_from:
        report(where.set("valid_to"), _("Ngày kết thúc áp dụng phải sau ngày bắt đầu."))
    report(where.set("level"), _enum_problem(spec.level, SetLevel, _("Cấp áp dụng")))
    report(where.set("standard_rule"), _enum_problem(spec.standard_rule, StandardRule, _("Điều kiện đạt chuẩn")))
    if spec.standard_rule in (StandardRule.AT_LEAST, StandardRule.SCORE) and spec.standard_min is None:
        report(where.set("standard_min"), _("Cần N tiêu chí hoặc ngưỡng điểm cho điều kiện đạt chuẩn này."))
    report(where.set("standard_min"), _decimal_problem(spec.standard_min))
    groups: set[str] | None = None
    if spec.classification and known_groups is not None:
        if spec.classification in known_groups:
            groups = set(known_groups[spec.classification])
        else:
            report(
                where.set("classification"),
                _("Không có phân loại mã “%(code)s” (có: %(known)s).")
                % {"code": spec.classification, "known": ", ".join(sorted(known_groups)) or "—"},
            )

    # criteria and indicators
    if not spec.criteria:
        report(where.criteria(), _("Bộ tiêu chí chưa có tiêu chí nào."))
    numbers: dict[int, int] = {}
    codes: dict[str, str] = {}
    for ci, criterion in enumerate(spec.criteria):
        if criterion.number < 1 or criterion.number > 32767:
            report(where.criterion(ci, "number"), _("Số thứ tự tiêu chí phải từ 1 đến 32767."))
        elif criterion.number in numbers:
            report(
                where.criterion(ci, "number"),
                _("Trùng số thứ tự tiêu chí %(number)s.") % {"number": criterion.number},
            )
        else:
            numbers[criterion.number] = ci
        if not criterion.name:
            report(where.criterion(ci, "name"), _("Thiếu tên tiêu chí."))
        report(where.criterion(ci, "name"), _length_problem(criterion.name, "criterion.name"))
        report(where.criterion(ci, "group"), _length_problem(criterion.group, "criterion.group"))
        report(where.criterion(ci, "department"), department_problem(criterion.department))
        report(where.criterion(ci, "rule"), _enum_problem(criterion.rule, CriterionRule, _("Điều kiện đạt")))
        if criterion.rule in (CriterionRule.AT_LEAST, CriterionRule.POINTS) and criterion.rule_min is None:
            report(where.criterion(ci, "rule_min"), _("Cần k chỉ tiêu hoặc điểm tối thiểu cho điều kiện đạt này."))
        report(where.criterion(ci, "rule_min"), _decimal_problem(criterion.rule_min))

        for ii, indicator in enumerate(criterion.indicators):

            def at(field: str, ci: int = ci, ii: int = ii) -> Where:
                return where.indicator(ci, ii, field)

            if not indicator.code:
                report(at("code"), _("Thiếu mã chỉ tiêu."))
            elif indicator.code in codes:
                report(
                    at("code"),
                    _("Trùng mã chỉ tiêu “%(code)s” (đã có ở tiêu chí %(other)s).")
                    % {"code": indicator.code, "other": codes[indicator.code]},
                )
            else:
                codes[indicator.code] = str(criterion.number)
                report(at("code"), _length_problem(indicator.code, "indicator.code"))
            if not indicator.name:
                report(at("name"), _("Thiếu tên chỉ tiêu."))
            report(at("name"), _length_problem(indicator.name, "indicator.name"))
            report(at("unit"), _length_problem(indicator.unit, "indicator.unit"))
            report(
                at("evidence_description"),
                _length_problem(indicator.evidence.description, "indicator.evidence_description"),
            )
            type_problem = _enum_problem(indicator.value_type, ValueType, _("Kiểu giá trị"))
            comparison_problem = _enum_problem(indicator.comparison, Comparison, _("Phép so sánh"))
            report(at("value_type"), type_problem)
            report(at("comparison"), comparison_problem)
            if indicator.value_type == ValueType.SCORE and (indicator.points is None or indicator.points <= 0):
                report(at("points"), _("Chỉ tiêu kiểu “Điểm chấm” cần điểm tối đa (lớn hơn 0) ở cột điểm."))
            if indicator.value_type == ValueType.CHOICE and not indicator.choices:
                report(at("choices"), _("Kiểu “Chọn một mức” cần ít nhất một mức lựa chọn."))
            if indicator.evidence.min_files < 0:
                report(at("evidence_min_files"), _("Số tệp minh chứng không được âm."))
            report(at("department"), department_problem(indicator.department))
            report(at("points"), _decimal_problem(indicator.points))
            for problem in indicator_target_problems(indicator, classification=spec.classification, groups=groups):
                report(at(f"targets.{problem.group}" if problem.group else "target"), problem.message)

    # bands
    labels: set[str] = set()
    previous: Decimal | None = None
    for bi, band in enumerate(spec.bands):
        if not band.label:
            report(where.band(bi, "label"), _("Thiếu tên hạng."))
        elif band.label in labels:
            report(where.band(bi, "label"), _("Trùng tên hạng “%(label)s”.") % {"label": band.label})
        else:
            labels.add(band.label)
            report(where.band(bi, "label"), _length_problem(band.label, "band.label"))
        if band.min_points is None:
            report(where.band(bi, "min_points"), _("Thiếu điểm tối thiểu của hạng."))
        else:
            report(where.band(bi, "min_points"), _decimal_problem(band.min_points))
            if previous is not None and band.min_points >= previous:
                report(where.band(bi, "min_points"), _("Các hạng phải xếp theo điểm từ cao xuống thấp."))
            previous = band.min_points

        if band.stars is not None and not 1 <= band.stars <= 5:
            report(where.band(bi, "stars"), _("Số sao của hạng phải từ 1 đến 5."))

    _validate_scoring(spec, where, report)

    # recognition
    if spec.grants_title:
        report(where.set("grants_title"), _enum_problem(spec.grants_title, TitleKind, _("Danh hiệu")))
    _validate_preconditions(spec, where, report, department_problem)
    return problems


def _validate_scoring(spec: SetSpec, where: Any, report: Callable) -> None:
    """The OCOP scoring rule's values, and what a product-level set needs to be scored by a council."""
    rule = spec.scoring
    if rule is not None:

        def at(attribute: str) -> Where:
            return where.scoring(attribute) if hasattr(where, "scoring") else where.set(f"scoring.{attribute}")

        report(at("average"), _enum_problem(rule.average, ScoreAverage, _("Cách tính điểm hội đồng")))
        report(at("rounding"), _enum_problem(rule.rounding, ScoreRounding, _("Cách làm tròn")))
        if not 0 <= rule.decimals <= 2:
            report(at("decimals"), _("Số chữ số thập phân của điểm hội đồng phải từ 0 đến 2."))
        if rule.gap is None or rule.gap < 0:
            report(at("gap"), _("Chênh lệch cần thảo luận không được âm."))
        else:
            report(at("gap"), _decimal_problem(rule.gap))
        for attribute in ("certificate_months", "reminder_days", "min_recognised_stars", "national_stars"):
            if getattr(rule, attribute) < 0 or getattr(rule, attribute) > 32767:
                report(at(attribute), _("Số %(value)s không hợp lệ.") % {"value": getattr(rule, attribute)})
        if len(rule.bands_source) > 500:
            report(at("bands_source"), _("Dài %(length)s ký tự, tối đa 500.") % {"length": len(rule.bands_source)})
    if spec.level == SetLevel.PRODUCT:  # what a council needs to score it (the set editor's publish check too)
        problems = {str(problem) for problem in product_set_problems(spec)}
        places = {
            str(_("Bộ cấp sản phẩm phải dùng điều kiện “Tổng điểm đạt ngưỡng”.")): where.set("standard_rule"),
            str(_("Khung xếp hạng cần ghi số sao của từng hạng.")): where.set("bands"),
        }
        for problem in sorted(problems):
            report(places.get(problem, where.criteria()), problem)


def _validate_preconditions(spec: SetSpec, where: Any, report: Callable, department_problem: Callable) -> None:
    """The recognition preconditions: codes present and unique, kinds, departments, thresholds, titles."""
    codes: set[str] = set()
    for pi, precondition in enumerate(spec.preconditions):

        def at(field: str, pi: int = pi) -> Where:
            return where.precondition(pi, field)

        if not precondition.code:
            report(at("code"), _("Thiếu mã điều kiện."))
        elif precondition.code in codes:
            report(at("code"), _("Trùng mã điều kiện “%(code)s”.") % {"code": precondition.code})
        else:
            codes.add(precondition.code)
            report(at("code"), _length_problem(precondition.code, "precondition.code"))
        if not precondition.name:
            report(at("name"), _("Thiếu tên điều kiện."))
        for name in ("name", "evidence", "unit", "legal_basis"):
            report(at(name), _length_problem(getattr(precondition, name), f"precondition.{name}"))
        kind_problem = _enum_problem(precondition.kind, PreconditionKind, _("Loại điều kiện"))
        report(at("kind"), kind_problem)
        report(at("department"), department_problem(precondition.department))
        if precondition.kind == PreconditionKind.FIGURE:
            report(at("source"), _enum_problem(precondition.source, FigureSource, _("Nguồn số liệu")))
            if precondition.comparison not in PRECONDITION_COMPARISONS:
                report(
                    at("comparison"),
                    _("Phép so sánh “%(value)s” không hợp lệ cho điều kiện số liệu; dùng một trong: %(values)s.")
                    % {"value": precondition.comparison, "values": ", ".join(PRECONDITION_COMPARISONS)},
                )
            if precondition.threshold is None:
                report(at("threshold"), _("Điều kiện số liệu cần có ngưỡng."))
            elif abs(
                precondition.threshold
            ) >= MAX_THRESHOLD or precondition.threshold != precondition.threshold.quantize(Decimal("0.01")):
                report(
                    at("threshold"),
                    _("Ngưỡng %(value)s không hợp lệ (tối đa 2 chữ số thập phân, dưới 100 triệu).")
                    % {"value": precondition.threshold},
                )
        if precondition.kind == PreconditionKind.TITLE:
            if not precondition.required_title:
                report(at("required_title"), _("Điều kiện danh hiệu cần ghi danh hiệu mà đơn vị phải đang giữ."))
            else:
                report(at("required_title"), _enum_problem(precondition.required_title, TitleKind, _("Danh hiệu")))


def merge(first: list[Problem], then: Iterable[Problem], *, skip_sheets: set[str] = frozenset()) -> list[Problem]:
    """``first`` plus the problems of ``then`` at a place ``first`` has not already reported."""
    seen = {(p.sheet, p.row, p.column) for p in first}
    merged = list(first)
    for problem in then:
        if problem.sheet in skip_sheets or (problem.sheet, problem.row, problem.column) in seen:
            continue
        seen.add((problem.sheet, problem.row, problem.column))
        merged.append(problem)
    return merged
