"""Import and export of a whole criteria set (a :class:`~criteria_pages.spec.SetSpec`) as JSON or XLSX.

Nothing here touches pages or the database: callers pass the department codes and classification
values that exist (``known_departments``, ``known_groups``) and get back a spec or every problem.

JSON
----
``spec_to_json`` writes :meth:`SetSpec.to_dict` (format ``ntm-criteria-set/1``), UTF-8 text,
indented, Vietnamese letters kept as they are. ``spec_from_json`` reads it back.

XLSX layout
-----------
Written with :mod:`cms.xlsx` (xlsxwriter), read with openpyxl. Sheets, in this order:

``Hướng dẫn``
    Instructions for an office filling the file in Excel, and the list of every column. Ignored
    when reading.
``Bộ tiêu chí``
    One row per field of the set: columns ``key`` (machine field name), ``label`` (its meaning) and
    ``value``. Keys: format, code*, name*, legal_basis, decision_number, decision_date, valid_from,
    valid_to (dates dd/mm/yyyy or yyyy-mm-dd), level (commune/district/village/product),
    classification (e.g. region, commune_group), standard_rule (all/at_least/score), standard_min,
    is_illustrative (có/không).
``Tiêu chí``
    One row per criterion: number*, name*, group, department (department code), rule
    (all/at_least/points), rule_min, description.
``Chỉ tiêu``
    One row per indicator, in order within its criterion: criterion* (the criterion's number),
    code*, name*, guidance, value_type* (boolean/number/percentage/integer/choice/text/date), unit,
    comparison (gte/lte/eq/in), target (the common target), choices (one per line, or separated by
    ";"), assessed, evidence_description, evidence_required, evidence_min_files, department, points,
    source_text, verified; then one column per value of the set's classification, headed
    ``mức: <value code>`` (e.g. ``mức: TN``), holding that group's target ("n/a": not applicable).
``Xếp hạng``
    Score bands, highest first: label*, min_points*. Optional when reading.

Every table sheet has two header rows: row 1 the Vietnamese column names (for people), row 2 the
machine codes above (what the reader relies on: it looks for that row among the first rows, so
columns may be reordered and the label row may be deleted). Data starts on the next row. ``*``
marks required columns. Booleans accept có/không, x, TRUE/FALSE, 1/0 (empty = the default);
numbers accept Excel numbers or text with "." or "," as decimal mark; enum cells accept the machine
value or its Vietnamese label. Problems name the sheet, the Excel row number and the column code.

Validation (:func:`validate_spec`) is shared by both formats: enums, required names, duplicate
criterion numbers and indicator codes, unknown department codes, unknown classification and group
codes, targets that do not fit the value type, and the field sizes the pages can store.
"""

import datetime
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import openpyxl

from cms.directory.text import fold, nfc
from cms.xlsx import Book, add_list_validation, write_paragraph, write_table

from .evaluation import InvalidValue, parse_target
from .spec import (
    FORMAT,
    NOT_APPLICABLE,
    Comparison,
    CriterionRule,
    CriterionSpec,
    EvidenceSpec,
    IndicatorSpec,
    ScoreBand,
    SetLevel,
    SetSpec,
    StandardRule,
    ValueType,
)

__all__ = [
    "Problem",
    "spec_from_json",
    "spec_from_xlsx",
    "spec_to_json",
    "spec_to_xlsx",
    "validate_spec",
]

SHEET_GUIDE = "Hướng dẫn"
SHEET_SET = "Bộ tiêu chí"
SHEET_CRITERIA = "Tiêu chí"
SHEET_INDICATORS = "Chỉ tiêu"
SHEET_BANDS = "Xếp hạng"
JSON_SHEET = "JSON"
GROUP_PREFIX = "mức: "
_GROUP_HEADER = re.compile(r"^muc\s*:\s*(?P<code>.*)$")

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
}
MAX_DECIMAL = Decimal(10) ** 6  # DecimalField(max_digits=8, decimal_places=2)
_SET_CODE = re.compile(r"^[A-Za-z0-9_-]+$")

TRUE_WORDS = {"có", "co", "c", "x", "yes", "y", "true", "1", "đúng", "dung", "đ"}
FALSE_WORDS = {"không", "khong", "k", "no", "n", "false", "0", "sai", "-"}
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


# --------------------------------------------------------------------------------------------
# Columns


@dataclass(frozen=True)
class Column:
    code: str
    label: Any  # lazy Vietnamese label
    help: Any = ""
    required: bool = False
    kind: str = "text"  # text | long | code | int | decimal | bool | date | enum | choices | target
    width: int = 14

    @property
    def excel_format(self) -> str | None:
        return {
            "text": "text",
            "code": "text",
            "target": "text",
            "enum": "text",
            "bool": "text",
            "long": "wrap",
            "choices": "wrap",
            "int": "number",
            "decimal": "number",
            "date": "date",
        }[self.kind]

    @property
    def heading(self) -> str:
        return f"{self.label} *" if self.required else str(self.label)


def _enum_help(enum) -> str:
    return "; ".join(f"{value} = {label}" for value, label in enum.choices)


SET_FIELDS = (
    Column("format", gettext_lazy("Định dạng tệp"), format_lazy(gettext_lazy("Luôn là “{format}”."), format=FORMAT)),
    Column("code", gettext_lazy("Mã bộ tiêu chí"), gettext_lazy("Chữ không dấu, số, “_”, “-”."), True),
    Column("name", gettext_lazy("Tên bộ tiêu chí"), required=True),
    Column("legal_basis", gettext_lazy("Căn cứ pháp lý")),
    Column("decision_number", gettext_lazy("Số quyết định")),
    Column("decision_date", gettext_lazy("Ngày quyết định"), gettext_lazy("dd/mm/yyyy"), kind="date"),
    Column("valid_from", gettext_lazy("Áp dụng từ ngày"), gettext_lazy("dd/mm/yyyy"), kind="date"),
    Column("valid_to", gettext_lazy("Áp dụng đến ngày"), gettext_lazy("dd/mm/yyyy"), kind="date"),
    Column("level", gettext_lazy("Cấp áp dụng"), _enum_help(SetLevel), kind="enum"),
    Column(
        "classification",
        gettext_lazy("Mã phân loại mà mức chỉ tiêu phụ thuộc"),
        gettext_lazy("Ví dụ: region (7 vùng), commune_group (3 nhóm xã). Để trống nếu chỉ có mức chung."),
    ),
    Column("standard_rule", gettext_lazy("Điều kiện đạt chuẩn"), _enum_help(StandardRule), kind="enum"),
    Column(
        "standard_min",
        gettext_lazy("N tiêu chí / ngưỡng điểm"),
        gettext_lazy("Bắt buộc khi điều kiện là at_least hoặc score."),
        kind="decimal",
    ),
    Column("is_illustrative", gettext_lazy("Bộ minh họa"), gettext_lazy("có / không"), kind="bool"),
)
KEY_VALUE_COLUMNS = (
    Column("key", gettext_lazy("Mã trường"), required=True, width=18),
    Column("label", gettext_lazy("Ý nghĩa"), width=42, kind="long"),
    Column("value", gettext_lazy("Giá trị"), required=True, width=60),
)
CRITERION_COLUMNS = (
    Column("number", gettext_lazy("Số TT tiêu chí"), gettext_lazy("Số nguyên, không trùng."), True, "int", 10),
    Column("name", gettext_lazy("Tên tiêu chí"), required=True, kind="long", width=40),
    Column("group", gettext_lazy("Nhóm nội dung"), width=28),
    Column("department", gettext_lazy("Mã sở, ngành phụ trách"), gettext_lazy("Mã trong danh mục sở, ngành.")),
    Column("rule", gettext_lazy("Điều kiện đạt"), _enum_help(CriterionRule), kind="enum", width=12),
    Column(
        "rule_min",
        gettext_lazy("k chỉ tiêu / điểm tối thiểu"),
        gettext_lazy("Bắt buộc khi điều kiện là at_least hoặc points."),
        kind="decimal",
        width=12,
    ),
    Column("description", gettext_lazy("Mô tả"), kind="long", width=50),
)
INDICATOR_COLUMNS = (
    Column(
        "criterion",
        gettext_lazy("Số TT tiêu chí"),
        gettext_lazy("Số của tiêu chí trong trang “Tiêu chí”."),
        True,
        "int",
        10,
    ),
    Column("code", gettext_lazy("Mã chỉ tiêu"), gettext_lazy("Ví dụ 8.4; không trùng trong bộ."), True, "code", 10),
    Column("name", gettext_lazy("Tên chỉ tiêu"), required=True, kind="long", width=50),
    Column("guidance", gettext_lazy("Hướng dẫn"), kind="long", width=30),
    Column("value_type", gettext_lazy("Kiểu giá trị"), _enum_help(ValueType), True, "enum", 12),
    Column("unit", gettext_lazy("Đơn vị tính"), width=10),
    Column("comparison", gettext_lazy("So sánh"), _enum_help(Comparison), kind="enum", width=10),
    Column(
        "target",
        gettext_lazy("Mức chung"),
        gettext_lazy(
            "Có/Không: “có” hoặc “không”; số: 95; chọn một mức: tên mức; ngày: yyyy-mm-dd; “in”: cách nhau bởi “;”."
        ),
        kind="target",
        width=12,
    ),
    Column(
        "choices",
        gettext_lazy("Các mức lựa chọn"),
        gettext_lazy("Cho kiểu choice: mỗi dòng một mức (hoặc cách nhau bởi “;”), từ thấp đến cao."),
        kind="choices",
        width=24,
    ),
    Column(
        "assessed", gettext_lazy("Dùng để đánh giá"), gettext_lazy("có / không; để trống = có."), kind="bool", width=10
    ),
    Column("evidence_description", gettext_lazy("Minh chứng cần nộp"), kind="long", width=30),
    Column("evidence_required", gettext_lazy("Bắt buộc minh chứng"), gettext_lazy("có / không"), kind="bool", width=10),
    Column("evidence_min_files", gettext_lazy("Số tệp minh chứng tối thiểu"), kind="int", width=10),
    Column(
        "department",
        gettext_lazy("Mã sở, ngành (nếu khác tiêu chí)"),
        gettext_lazy("Để trống: sở, ngành của tiêu chí."),
    ),
    Column("points", gettext_lazy("Điểm"), kind="decimal", width=8),
    Column("source_text", gettext_lazy("Nguồn / trích dẫn"), kind="long", width=40),
    Column("verified", gettext_lazy("Đã đối chiếu với quyết định"), gettext_lazy("có / không"), kind="bool", width=10),
)
BAND_COLUMNS = (
    Column("label", gettext_lazy("Hạng"), gettext_lazy("Ví dụ: 5 sao"), True, width=20),
    Column("min_points", gettext_lazy("Điểm từ"), gettext_lazy("Xếp từ cao xuống thấp."), True, "decimal", 12),
)
_SET_KEYS = {column.code: column for column in SET_FIELDS}


# --------------------------------------------------------------------------------------------
# Value conversion, shared by the XLSX and JSON readers


class _Bad(ValueError):
    """A value that cannot be read; the message is shown to the user."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list | tuple):
        raise _Bad(_("Cần một đoạn văn bản."))
    return nfc(str(value))


def _code(value: Any) -> str:
    """An indicator or department code; a spreadsheet number 8.4 is the code "8.4", 1.0 is "1"."""
    return _text(value)


def _int(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Bad(_("“%(value)s” không phải là số nguyên.") % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if value == int(value):
            return int(value)
        raise _Bad(_("“%(value)s” không phải là số nguyên.") % {"value": value})
    number = _decimal(value)
    if number is None or number != number.to_integral_value():
        raise _Bad(_("“%(value)s” không phải là số nguyên.") % {"value": value})
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


def _decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Bad(_("“%(value)s” không phải là số.") % {"value": value})
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    number = _parse_decimal(str(value))
    if number is None:
        raise _Bad(_("“%(value)s” không phải là số.") % {"value": value})
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


def _date(value: Any) -> datetime.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    parsed = _parse_date(str(value)) if isinstance(value, str) else None
    if parsed is None:
        raise _Bad(_("“%(value)s” không phải là ngày (dd/mm/yyyy hoặc yyyy-mm-dd).") % {"value": value})
    return parsed


def _bool(value: Any, default: bool) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = str(value).strip().lower()
    if word in TRUE_WORDS or fold(word) in TRUE_WORDS:
        return True
    if word in FALSE_WORDS or fold(word) in FALSE_WORDS:
        return False
    raise _Bad(_("“%(value)s” không phải là có/không.") % {"value": value})


def _enum(value: Any, enum, default: str) -> str:
    """The machine value of ``value`` (a value or its label); an unknown text is kept for validation."""
    text = _text(value)
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


def _choices(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        parts = [_text(item) for item in value]
    else:
        text = _text(value)
        parts = text.split("\n") if "\n" in text else text.split(";")
    return tuple(part for part in (nfc(p) for p in parts) if part)


def _target(value: Any) -> str:
    """A target as text; spreadsheet numbers and dates become text, a boolean "có" / "không"."""
    if isinstance(value, bool):
        return "có" if value else "không"
    return _text(value)


# --------------------------------------------------------------------------------------------
# Validation


Where = tuple[str, int | None, str]


class _JsonLocator:
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

    def criterion(self, ci: int, field: str) -> Where:
        return self._path(f"criteria[{ci}]", field)

    def indicator(self, ci: int, ii: int, field: str) -> Where:
        return self._path(f"criteria[{ci}].indicators[{ii}]", self.EVIDENCE.get(field, field))

    def band(self, bi: int, field: str) -> Where:
        return self._path(f"bands[{bi}]", field)


class _XlsxLocator:
    """Problems of a workbook: the sheet, the Excel row of the record and the column's code."""

    def __init__(self) -> None:
        self.set_rows: dict[str, int] = {}
        self.criterion_rows: list[int | None] = []
        self.indicator_rows: dict[tuple[int, int], int] = {}
        self.band_rows: list[int] = []

    def set(self, field: str) -> Where:
        return (SHEET_SET, self.set_rows.get(field), field)

    def criterion(self, ci: int, field: str) -> Where:
        row = self.criterion_rows[ci] if ci < len(self.criterion_rows) else None
        return (SHEET_CRITERIA, row, field)

    def indicator(self, ci: int, ii: int, field: str) -> Where:
        if field.startswith("targets."):
            field = GROUP_PREFIX + field.removeprefix("targets.")
        return (SHEET_INDICATORS, self.indicator_rows.get((ci, ii)), field)

    def band(self, bi: int, field: str) -> Where:
        return (SHEET_BANDS, self.band_rows[bi] if bi < len(self.band_rows) else None, field)


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


def _target_problem(indicator: IndicatorSpec, target: str) -> str | None:
    """Why ``target`` cannot be read as a target of ``indicator`` (None if it can), as the evaluation reads it."""
    if indicator.value_type == ValueType.CHOICE and not indicator.choices:
        return None  # reported once, on the missing choices
    try:
        parse_target(indicator, target)
    except InvalidValue as exc:
        return _("Mức “%(target)s” không hợp lệ: %(reason)s") % {"target": target, "reason": exc.message}
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
    where = locator or _JsonLocator()
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
    elif not _SET_CODE.match(spec.code):
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
            if indicator.value_type == ValueType.CHOICE and not indicator.choices:
                report(at("choices"), _("Kiểu “Chọn một mức” cần ít nhất một mức lựa chọn."))
            if indicator.evidence.min_files < 0:
                report(at("evidence_min_files"), _("Số tệp minh chứng không được âm."))
            report(at("department"), department_problem(indicator.department))
            report(at("points"), _decimal_problem(indicator.points))
            if not (type_problem or comparison_problem):
                report(at("target"), _target_problem(indicator, indicator.target))
            for group, target in indicator.targets.items():
                field = f"targets.{group}"
                if not spec.classification:
                    report(
                        at(field),
                        _(
                            "Bộ tiêu chí chưa khai báo phân loại (classification) nên không có mức riêng "
                            "cho “%(group)s”."
                        )
                        % {"group": group},
                    )
                elif groups is not None and group not in groups:
                    report(
                        at(field),
                        _("“%(group)s” không phải là giá trị của phân loại “%(classification)s” (có: %(known)s).")
                        % {"group": group, "classification": spec.classification, "known": ", ".join(sorted(groups))},
                    )
                elif not (type_problem or comparison_problem):
                    report(at(field), _target_problem(indicator, target))

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
    return problems


def _merge(first: list[Problem], then: Iterable[Problem], *, skip_sheets: set[str] = frozenset()) -> list[Problem]:
    """``first`` plus the problems of ``then`` at a place ``first`` has not already reported."""
    seen = {(p.sheet, p.row, p.column) for p in first}
    merged = list(first)
    for problem in then:
        if problem.sheet in skip_sheets or (problem.sheet, problem.row, problem.column) in seen:
            continue
        seen.add((problem.sheet, problem.row, problem.column))
        merged.append(problem)
    return merged


# --------------------------------------------------------------------------------------------
# JSON


def spec_to_json(spec: SetSpec) -> str:
    """``spec`` as JSON text (format ``ntm-criteria-set/1``), Vietnamese letters unescaped."""
    return json.dumps(spec.to_dict(), ensure_ascii=False, indent=2)


class _Collector:
    """Reads values with a converter, recording a Problem (and using a default) when one is bad."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def read(self, place: Where, convert: Callable[..., Any], value: Any, *args: Any, default: Any = None) -> Any:
        try:
            return convert(value, *args)
        except _Bad as exc:
            self.problems.append(Problem(place[0], place[1], place[2], str(exc)))
            return default

    def add(self, place: Where, message: str) -> None:
        self.problems.append(Problem(place[0], place[1], place[2], message))


def spec_from_json(
    text: str | bytes,
    *,
    known_departments: set[str] | None = None,
    known_groups: dict[str, set[str]] | None = None,
) -> tuple[SetSpec | None, list[Problem]]:
    """Read a set written by :func:`spec_to_json`: the spec, or None and every problem found.

    Without ``known_departments`` / ``known_groups`` department and group codes are not checked.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [Problem(JSON_SHEET, None, "", _("Tệp không được mã hoá UTF-8."))]
    try:
        data = json.loads(text)
    except ValueError as exc:
        return None, [Problem(JSON_SHEET, None, "", _("Tệp JSON không hợp lệ: %(error)s") % {"error": exc})]
    if not isinstance(data, dict):
        return None, [Problem(JSON_SHEET, None, "", _("Tệp JSON phải là một đối tượng bộ tiêu chí."))]
    where = _JsonLocator()
    got = _Collector()
    if data.get("format", FORMAT) != FORMAT:
        got.add(
            where.set("format"),
            _("Định dạng “%(found)s” không được hỗ trợ (cần “%(format)s”).")
            % {"found": data.get("format"), "format": FORMAT},
        )

    def items(value: Any, place: Where) -> list:
        if value is None:
            return []
        if isinstance(value, list):
            return value
        got.add(place, _("Cần một danh sách."))
        return []

    def mapping(value: Any, place: Where) -> dict:
        if isinstance(value, dict):
            return value
        if value is not None:
            got.add(place, _("Cần một đối tượng."))
        return {}

    criteria = []
    for ci, raw in enumerate(items(data.get("criteria"), where.set("criteria"))):
        c = mapping(raw, where.criterion(ci, ""))

        def cat(field: str, ci: int = ci) -> Where:
            return where.criterion(ci, field)

        indicators = []
        for ii, raw_indicator in enumerate(items(c.get("indicators"), cat("indicators"))):
            i = mapping(raw_indicator, where.indicator(ci, ii, ""))

            def at(field: str, ci: int = ci, ii: int = ii) -> Where:
                return where.indicator(ci, ii, field)

            value_type = got.read(
                at("value_type"), _enum, i.get("value_type"), ValueType, ValueType.BOOLEAN, default=""
            )
            evidence = mapping(i.get("evidence"), at("evidence"))
            targets = {}
            for group, target in mapping(i.get("targets"), at("targets")).items():
                targets[nfc(str(group))] = got.read(at(f"targets.{group}"), _target, target, default="")
            indicators.append(
                IndicatorSpec(
                    code=got.read(at("code"), _code, i.get("code"), default=""),
                    name=got.read(at("name"), _text, i.get("name"), default=""),
                    value_type=value_type,
                    comparison=got.read(at("comparison"), _enum, i.get("comparison"), Comparison, Comparison.EQ),
                    target=got.read(at("target"), _target, i.get("target"), default=""),
                    targets=targets,
                    choices=got.read(at("choices"), _choices, i.get("choices"), default=()),
                    unit=got.read(at("unit"), _text, i.get("unit"), default=""),
                    guidance=got.read(at("guidance"), _text, i.get("guidance"), default=""),
                    assessed=got.read(at("assessed"), _bool, i.get("assessed"), True, default=True),
                    evidence=EvidenceSpec(
                        description=got.read(
                            at("evidence_description"), _text, evidence.get("description"), default=""
                        ),
                        required=got.read(
                            at("evidence_required"), _bool, evidence.get("required"), False, default=False
                        ),
                        min_files=got.read(at("evidence_min_files"), _int, evidence.get("min_files"), default=0) or 0,
                    ),
                    department=got.read(at("department"), _code, i.get("department"), default=""),
                    points=got.read(at("points"), _decimal, i.get("points")),
                    source_text=got.read(at("source_text"), _text, i.get("source_text"), default=""),
                    verified=got.read(at("verified"), _bool, i.get("verified"), False, default=False),
                )
            )
        number = got.read(cat("number"), _int, c.get("number"))
        if c.get("number") is None:
            got.add(cat("number"), _("Thiếu số thứ tự tiêu chí."))
        criteria.append(
            CriterionSpec(
                number=number if number is not None else 0,
                name=got.read(cat("name"), _text, c.get("name"), default=""),
                indicators=tuple(indicators),
                group=got.read(cat("group"), _text, c.get("group"), default=""),
                department=got.read(cat("department"), _code, c.get("department"), default=""),
                description=got.read(cat("description"), _text, c.get("description"), default=""),
                rule=got.read(cat("rule"), _enum, c.get("rule"), CriterionRule, CriterionRule.ALL),
                rule_min=got.read(cat("rule_min"), _decimal, c.get("rule_min")),
            )
        )
    bands = []
    for bi, raw in enumerate(items(data.get("bands"), where.set("bands"))):
        b = mapping(raw, where.band(bi, ""))
        bands.append(
            ScoreBand(
                label=got.read(where.band(bi, "label"), _text, b.get("label"), default=""),
                min_points=got.read(where.band(bi, "min_points"), _decimal, b.get("min_points")),
            )
        )

    def field(name: str, convert: Callable[..., Any], *args: Any, default: Any = None) -> Any:
        return got.read(where.set(name), convert, data.get(name), *args, default=default)

    spec = SetSpec(
        code=field("code", _code, default=""),
        name=field("name", _text, default=""),
        criteria=tuple(criteria),
        legal_basis=field("legal_basis", _text, default=""),
        decision_number=field("decision_number", _text, default=""),
        decision_date=field("decision_date", _date),
        valid_from=field("valid_from", _date),
        valid_to=field("valid_to", _date),
        level=field("level", _enum, SetLevel, SetLevel.COMMUNE, default=""),
        classification=field("classification", _code, default=""),
        standard_rule=field("standard_rule", _enum, StandardRule, StandardRule.ALL, default=""),
        standard_min=field("standard_min", _decimal),
        bands=tuple(bands),
        is_illustrative=field("is_illustrative", _bool, False, default=False),
    )
    problems = _merge(
        got.problems,
        validate_spec(spec, known_departments=known_departments, known_groups=known_groups, locator=where),
    )
    return (None, problems) if problems else (spec, [])


# --------------------------------------------------------------------------------------------
# XLSX writing


def _yes_no(value: bool) -> str:
    return "có" if value else "không"


def _group_columns(spec: SetSpec, group_codes: Sequence[str]) -> list[str]:
    extra = sorted({group for _c, indicator in spec.indicators() for group in indicator.targets} - set(group_codes))
    return list(dict.fromkeys([*group_codes, *extra]))


def spec_to_xlsx(spec: SetSpec, *, group_codes: Sequence[str]) -> bytes:
    """``spec`` as an XLSX workbook (layout in the module docstring).

    ``group_codes`` are the value codes of the set's classification, in display order: each gets a
    "mức: <code>" column, filled or not, so an office can enter per-group targets.
    """
    groups = _group_columns(spec, group_codes)
    book = Book()
    _write_guide(book, groups)
    _write_set_sheet(book, spec)
    _write_criteria_sheet(book, spec)
    _write_indicator_sheet(book, spec, groups)
    _write_bands_sheet(book, spec)
    return book.close() or b""


def _table(book: Book, name: str, columns: Sequence[Column], rows: list[list], extra: Sequence[Column] = ()):
    sheet = book.add_sheet(name)
    all_columns = [*columns, *extra]
    write_table(
        sheet,
        [column.code for column in all_columns],
        rows,
        [column.width for column in all_columns],
        labels=[column.heading for column in all_columns],
        column_formats=[column.excel_format for column in all_columns],
    )
    return sheet


def _validations(sheet, columns: Sequence[Column], rows: int) -> None:
    lists = {
        "value_type": ValueType.values,
        "comparison": Comparison.values,
        "rule": CriterionRule.values,
    }
    last = 2 + rows + 500
    for col, column in enumerate(columns):
        if column.kind == "bool":
            add_list_validation(sheet, 2, col, last, ["có", "không"])
        elif column.code in lists:
            add_list_validation(sheet, 2, col, last, lists[column.code])


def _write_guide(book: Book, groups: Sequence[str]) -> None:
    sheet = book.add_sheet(SHEET_GUIDE)
    fmt_columns = 4
    row = write_paragraph(
        sheet,
        0,
        _("Hướng dẫn điền tệp bộ tiêu chí (%(format)s)") % {"format": FORMAT},
        last_col=fmt_columns,
        style="title",
    )
    paragraphs = [
        _(
            "Tệp này mô tả trọn một bộ tiêu chí và có thể nhập lại vào hệ thống. Các trang tính: "
            "“%(set)s” (thông tin chung, mỗi dòng một trường: cột key là mã trường, cột value là giá trị); "
            "“%(criteria)s” (mỗi dòng một tiêu chí); “%(indicators)s” (mỗi dòng một chỉ tiêu, theo thứ tự trong "
            "tiêu chí); “%(bands)s” (khung xếp hạng theo điểm, từ cao xuống thấp; để trống nếu không dùng)."
        )
        % {"set": SHEET_SET, "criteria": SHEET_CRITERIA, "indicators": SHEET_INDICATORS, "bands": SHEET_BANDS},
        _(
            "Mỗi trang có hai dòng tiêu đề: dòng 1 là tên cột tiếng Việt để đọc, dòng 2 là mã cột mà hệ thống "
            "dựa vào để đọc tệp. Không sửa hay xóa dòng mã cột và không đổi tên trang tính; có thể đổi thứ tự "
            "cột. Cột có dấu * là bắt buộc. Dữ liệu bắt đầu từ dòng 3."
        ),
        _(
            "Có/Không: ghi “có” hoặc “không” (cũng nhận “x”, TRUE/FALSE, 1/0); để trống là giá trị mặc định. "
            "Ngày: dd/mm/yyyy hoặc yyyy-mm-dd. Số thập phân: dấu chấm hoặc dấu phẩy (95,5). Kiểu giá trị, phép so "
            "sánh và điều kiện đạt: ghi mã (ví dụ percentage, gte, all) hoặc tên tiếng Việt như trong bảng dưới."
        ),
        _(
            "Mã chỉ tiêu (ví dụ 8.4, 17.10) là văn bản: cột đã định dạng văn bản để Excel không đổi 17.10 "
            "thành 17.1. Mã chỉ tiêu không được trùng trong cả bộ; số thứ tự tiêu chí không được trùng."
        ),
        _(
            "Cột target là mức chung, áp dụng cho mọi đơn vị. Mỗi cột “%(prefix)s<mã>” là mức riêng cho một giá "
            "trị của phân loại của bộ (trường classification), ví dụ “%(prefix)sTN” cho vùng Tây Nguyên; để trống "
            "thì dùng mức chung; ghi “%(na)s” nếu chỉ tiêu không áp dụng cho nhóm đó. Có thể thêm cột cho giá trị "
            "khác của phân loại. Các cột trong tệp này: %(groups)s."
        )
        % {"prefix": GROUP_PREFIX, "na": NOT_APPLICABLE, "groups": ", ".join(groups) or "—"},
        _(
            "Cách ghi mức: Có/Không: “có” hoặc “không”; số, tỷ lệ (%%), số nguyên: một số (tỷ lệ ghi 95 nghĩa là "
            "95 %%, từ 0 đến 100); chọn một mức: đúng tên một mức trong cột choices (so sánh gte: đạt mức đó hoặc "
            "cao hơn); so sánh in: các giá trị cách nhau bởi “;”; ngày: yyyy-mm-dd hoặc dd/mm/yyyy. Chỉ tiêu dùng "
            "để đánh giá mà chưa có mức thì được coi là chưa áp dụng cho đến khi nhập mức chính thức."
        ),
        _(
            "Mã sở, ngành (department) phải trùng mã trong danh mục sở, ngành của hệ thống; ở chỉ tiêu, để trống "
            "nghĩa là dùng sở, ngành của tiêu chí. Cột verified chỉ ghi “có” sau khi đã đối chiếu với văn bản "
            "quyết định."
        ),
        _(
            "Khi nhập, hệ thống kiểm tra toàn bộ tệp và liệt kê mọi lỗi (trang tính, dòng, mã cột); tệp còn lỗi "
            "thì không được nhập."
        ),
    ]
    for text in paragraphs:
        row = write_paragraph(sheet, row, text, last_col=fmt_columns, chars_per_line=150)
    row += 1
    reference = []
    for sheet_name, columns in (
        (SHEET_SET, SET_FIELDS),
        (SHEET_CRITERIA, CRITERION_COLUMNS),
        (SHEET_INDICATORS, INDICATOR_COLUMNS),
        (SHEET_BANDS, BAND_COLUMNS),
    ):
        for column in columns:
            required = _("bắt buộc") if column.required else ""
            reference.append([sheet_name, column.code, str(column.label), required, str(column.help)])
        if sheet_name == SHEET_INDICATORS:
            reference.append(
                [sheet_name, GROUP_PREFIX + "<mã>", _("Mức riêng cho nhóm <mã>"), "", _("Để trống: dùng mức chung.")]
            )
    write_table(
        sheet,
        ["Trang tính", "Mã cột", "Tên cột", "Bắt buộc", "Ý nghĩa, giá trị hợp lệ"],
        reference,
        [16, 22, 34, 10, 90],
        column_formats=["text", "text", "wrap", "text", "wrap"],
        start_row=row,
        freeze=False,
        autofilter=False,
    )


def _write_set_sheet(book: Book, spec: SetSpec) -> None:
    values = {
        "format": FORMAT,
        "code": spec.code,
        "name": spec.name,
        "legal_basis": spec.legal_basis,
        "decision_number": spec.decision_number,
        "decision_date": spec.decision_date,
        "valid_from": spec.valid_from,
        "valid_to": spec.valid_to,
        "level": spec.level,
        "classification": spec.classification,
        "standard_rule": spec.standard_rule,
        "standard_min": spec.standard_min,
        "is_illustrative": _yes_no(spec.is_illustrative),
    }
    rows = [[column.code, column.heading, values[column.code]] for column in SET_FIELDS]
    sheet = _table(book, SHEET_SET, KEY_VALUE_COLUMNS, rows)
    lists = {"level": SetLevel.values, "standard_rule": StandardRule.values, "is_illustrative": ["có", "không"]}
    for index, column in enumerate(SET_FIELDS):
        if column.code in lists:
            add_list_validation(sheet, 2 + index, 2, 2 + index, lists[column.code])


def _write_criteria_sheet(book: Book, spec: SetSpec) -> None:
    rows = [[c.number, c.name, c.group, c.department, c.rule, c.rule_min, c.description] for c in spec.criteria]
    sheet = _table(book, SHEET_CRITERIA, CRITERION_COLUMNS, rows)
    _validations(sheet, CRITERION_COLUMNS, len(rows))


def _write_indicator_sheet(book: Book, spec: SetSpec, groups: Sequence[str]) -> None:
    group_columns = [
        Column(GROUP_PREFIX + group, _("Mức riêng: %(group)s") % {"group": group}, kind="target", width=10)
        for group in groups
    ]
    rows = []
    for criterion, i in spec.indicators():
        rows.append(
            [
                criterion.number,
                i.code,
                i.name,
                i.guidance,
                i.value_type,
                i.unit,
                i.comparison,
                i.target,
                "\n".join(i.choices),
                _yes_no(i.assessed),
                i.evidence.description,
                _yes_no(i.evidence.required),
                i.evidence.min_files,
                i.department,
                i.points,
                i.source_text,
                _yes_no(i.verified),
                *(i.targets.get(group, "") for group in groups),
            ]
        )
    sheet = _table(book, SHEET_INDICATORS, INDICATOR_COLUMNS, rows, group_columns)
    _validations(sheet, INDICATOR_COLUMNS, len(rows))


def _write_bands_sheet(book: Book, spec: SetSpec) -> None:
    _table(book, SHEET_BANDS, BAND_COLUMNS, [[band.label, band.min_points] for band in spec.bands])


# --------------------------------------------------------------------------------------------
# XLSX reading


@dataclass
class _Sheet:
    """A table read from a worksheet: header row number, column code -> index, data rows."""

    name: str
    header_row: int
    columns: dict[str, int]
    group_columns: list[tuple[str, int]]  # (the code after "mức:", index)
    rows: list[tuple[int, tuple]]

    def get(self, values: tuple, code: str) -> Any:
        index = self.columns.get(code)
        if index is None or index >= len(values):
            return None
        value = values[index]
        return None if isinstance(value, str) and not value.strip() else value


def _is_blank(values: Sequence) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


class _XlsxReader:
    def __init__(self, workbook, known_departments: set[str], known_groups: dict[str, set[str]]):
        self.sheets = {fold(worksheet.title): worksheet for worksheet in workbook.worksheets}
        self.known_departments = known_departments
        self.known_groups = known_groups
        self.got = _Collector()
        self.where = _XlsxLocator()
        self.missing: set[str] = set()

    def table(self, name: str, columns: Sequence[Column], *, optional: bool = False, groups: bool = False):
        worksheet = self.sheets.get(fold(name))
        if worksheet is None:
            if not optional:
                self.missing.add(name)
                self.got.add((name, None, ""), _("Thiếu trang tính “%(sheet)s”.") % {"sheet": name})
            return None
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()
        table = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
        known = {column.code for column in columns}
        header_index = None
        for index, values in enumerate(table[:10]):
            cells = {str(value).strip().lower() for value in values if value is not None}
            if len(cells & known) >= min(2, len(known)):
                header_index = index
                break
        if header_index is None:
            self.missing.add(name)
            self.got.add(
                (name, None, ""),
                _("Không tìm thấy dòng mã cột (%(codes)s) trong 10 dòng đầu của trang tính.")
                % {"codes": ", ".join(column.code for column in columns[:3])},
            )
            return None
        header_row = header_index + 1
        found: dict[str, int] = {}
        group_columns: list[tuple[str, int]] = []
        for index, value in enumerate(table[header_index]):
            if value is None or not str(value).strip():
                continue
            header = nfc(str(value))
            code = header.lower()
            if groups and _GROUP_HEADER.match(fold(header)):
                group_columns.append((header.split(":", 1)[1].strip(), index))
            elif code in known:
                if code in found:
                    self.got.add((name, header_row, code), _("Cột “%(code)s” xuất hiện hai lần.") % {"code": code})
                else:
                    found[code] = index
        for column in columns:
            if column.required and column.code not in found:
                self.got.add(
                    (name, header_row, column.code),
                    _("Thiếu cột bắt buộc “%(code)s” (%(label)s).") % {"code": column.code, "label": column.label},
                )
        rows = [
            (header_row + 1 + offset, values)
            for offset, values in enumerate(table[header_index + 1 :])
            if not _is_blank(values)
        ]
        return _Sheet(name, header_row, found, group_columns, rows)

    def read(self) -> SetSpec | None:
        got, where = self.got, self.where

        # the set
        fields: dict[str, Any] = {}
        set_sheet = self.table(SHEET_SET, KEY_VALUE_COLUMNS)
        if set_sheet is not None and {"key", "value"} <= set(set_sheet.columns):
            for row, values in set_sheet.rows:
                key = _text(set_sheet.get(values, "key")).lower()
                if not key:
                    continue
                if key not in _SET_KEYS:
                    got.add((SHEET_SET, row, "key"), _("Mã trường “%(key)s” không xác định.") % {"key": key})
                elif key in where.set_rows:
                    got.add((SHEET_SET, row, key), _("Trường “%(key)s” xuất hiện hai lần.") % {"key": key})
                else:
                    where.set_rows[key] = row
                    fields[key] = set_sheet.get(values, "value")

        def field(name: str, convert: Callable[..., Any], *args: Any, default: Any = None) -> Any:
            return got.read(where.set(name), convert, fields.get(name), *args, default=default)

        found_format = field("format", _text, default="")
        if found_format and found_format != FORMAT:
            got.add(
                where.set("format"),
                _("Định dạng “%(found)s” không được hỗ trợ (cần “%(format)s”).")
                % {"found": found_format, "format": FORMAT},
            )
        classification = field("classification", _code, default="")

        # criteria
        criteria: list[dict] = []
        by_number: dict[int, int] = {}
        criteria_sheet = self.table(SHEET_CRITERIA, CRITERION_COLUMNS)
        for row, values in criteria_sheet.rows if criteria_sheet else ():

            def cat(code: str, row: int = row) -> Where:
                return (SHEET_CRITERIA, row, code)

            number = got.read(cat("number"), _int, criteria_sheet.get(values, "number"))
            if number is None and "number" in criteria_sheet.columns and criteria_sheet.get(values, "number") is None:
                got.add(cat("number"), _("Thiếu số thứ tự tiêu chí."))
            if number is not None:
                by_number.setdefault(number, len(criteria))
            where.criterion_rows.append(row)
            criteria.append(
                {
                    "number": number if number is not None else 0,
                    "name": got.read(cat("name"), _text, criteria_sheet.get(values, "name"), default=""),
                    "group": got.read(cat("group"), _text, criteria_sheet.get(values, "group"), default=""),
                    "department": got.read(
                        cat("department"), _code, criteria_sheet.get(values, "department"), default=""
                    ),
                    "rule": got.read(
                        cat("rule"), _enum, criteria_sheet.get(values, "rule"), CriterionRule, CriterionRule.ALL
                    ),
                    "rule_min": got.read(cat("rule_min"), _decimal, criteria_sheet.get(values, "rule_min")),
                    "description": got.read(
                        cat("description"), _text, criteria_sheet.get(values, "description"), default=""
                    ),
                    "indicators": [],
                }
            )

        # indicators
        indicator_sheet = self.table(SHEET_INDICATORS, INDICATOR_COLUMNS, groups=True)
        group_columns = self._group_columns(indicator_sheet, classification) if indicator_sheet else []
        for row, values in indicator_sheet.rows if indicator_sheet else ():

            def at(code: str, row: int = row) -> Where:
                return (SHEET_INDICATORS, row, code)

            def cell(code: str, values: tuple = values) -> Any:
                return indicator_sheet.get(values, code)

            number = got.read(at("criterion"), _int, cell("criterion"))
            value_type = got.read(at("value_type"), _enum, cell("value_type"), ValueType, ValueType.BOOLEAN, default="")
            targets = {}
            for group, index in group_columns:
                value = values[index] if index < len(values) else None
                target = got.read(at(GROUP_PREFIX + group), _target, value, default="")
                if target:
                    targets[group] = target
            indicator = IndicatorSpec(
                code=got.read(at("code"), _code, cell("code"), default=""),
                name=got.read(at("name"), _text, cell("name"), default=""),
                value_type=value_type,
                comparison=got.read(at("comparison"), _enum, cell("comparison"), Comparison, Comparison.EQ),
                target=got.read(at("target"), _target, cell("target"), default=""),
                targets=targets,
                choices=got.read(at("choices"), _choices, cell("choices"), default=()),
                unit=got.read(at("unit"), _text, cell("unit"), default=""),
                guidance=got.read(at("guidance"), _text, cell("guidance"), default=""),
                assessed=got.read(at("assessed"), _bool, cell("assessed"), True, default=True),
                evidence=EvidenceSpec(
                    description=got.read(at("evidence_description"), _text, cell("evidence_description"), default=""),
                    required=got.read(at("evidence_required"), _bool, cell("evidence_required"), False, default=False),
                    min_files=got.read(at("evidence_min_files"), _int, cell("evidence_min_files"), default=0) or 0,
                ),
                department=got.read(at("department"), _code, cell("department"), default=""),
                points=got.read(at("points"), _decimal, cell("points")),
                source_text=got.read(at("source_text"), _text, cell("source_text"), default=""),
                verified=got.read(at("verified"), _bool, cell("verified"), False, default=False),
            )
            if number is None:
                if cell("criterion") is None and "criterion" in indicator_sheet.columns:
                    got.add(at("criterion"), _("Thiếu số thứ tự tiêu chí của chỉ tiêu."))
                continue
            if number not in by_number:
                if criteria_sheet is not None:
                    got.add(
                        at("criterion"),
                        _("Không có tiêu chí số %(number)s trong trang “%(sheet)s”.")
                        % {"number": number, "sheet": SHEET_CRITERIA},
                    )
                continue
            ci = by_number[number]
            where.indicator_rows[(ci, len(criteria[ci]["indicators"]))] = row
            criteria[ci]["indicators"].append(indicator)

        # bands
        bands = []
        band_sheet = self.table(SHEET_BANDS, BAND_COLUMNS, optional=True)
        for row, values in band_sheet.rows if band_sheet else ():
            where.band_rows.append(row)
            bands.append(
                ScoreBand(
                    label=got.read((SHEET_BANDS, row, "label"), _text, band_sheet.get(values, "label"), default=""),
                    min_points=got.read(
                        (SHEET_BANDS, row, "min_points"), _decimal, band_sheet.get(values, "min_points")
                    ),
                )
            )

        spec = SetSpec(
            code=field("code", _code, default=""),
            name=field("name", _text, default=""),
            criteria=tuple(CriterionSpec(**{**c, "indicators": tuple(c["indicators"])}) for c in criteria),
            legal_basis=field("legal_basis", _text, default=""),
            decision_number=field("decision_number", _text, default=""),
            decision_date=field("decision_date", _date),
            valid_from=field("valid_from", _date),
            valid_to=field("valid_to", _date),
            level=field("level", _enum, SetLevel, SetLevel.COMMUNE, default=""),
            classification=classification,
            standard_rule=field("standard_rule", _enum, StandardRule, StandardRule.ALL, default=""),
            standard_min=field("standard_min", _decimal),
            bands=tuple(bands),
            is_illustrative=field("is_illustrative", _bool, False, default=False),
        )
        problems = validate_spec(
            spec, known_departments=self.known_departments, known_groups=self.known_groups, locator=where
        )
        got.problems = _merge(got.problems, problems, skip_sheets=self.missing)
        return spec

    def _group_columns(self, sheet: _Sheet, classification: str) -> list[tuple[str, int]]:
        """The usable "mức: X" columns, X made the classification's own spelling; others reported."""
        allowed = self.known_groups.get(classification) if classification else None
        by_fold = {code.casefold(): code for code in allowed or ()}
        usable: list[tuple[str, int]] = []
        seen: set[str] = set()
        for raw, index in sheet.group_columns:
            header = GROUP_PREFIX + raw
            place = (sheet.name, sheet.header_row, header)
            if not raw:
                self.got.add(place, _("Cột mức riêng thiếu mã nhóm sau “mức:”."))
                continue
            if not classification:
                self.got.add(
                    place,
                    _("Bộ tiêu chí chưa khai báo phân loại (classification) nên không dùng được cột “%(header)s”.")
                    % {"header": header},
                )
                continue
            code = by_fold.get(raw.casefold(), raw) if allowed is not None else raw
            if allowed is not None and code not in allowed:
                self.got.add(
                    place,
                    _("“%(group)s” không phải là giá trị của phân loại “%(classification)s” (có: %(known)s).")
                    % {"group": raw, "classification": classification, "known": ", ".join(sorted(allowed))},
                )
                continue
            if code in seen:
                self.got.add(place, _("Cột “%(header)s” xuất hiện hai lần.") % {"header": header})
                continue
            seen.add(code)
            usable.append((code, index))
        return usable


def spec_from_xlsx(
    data: bytes, *, known_departments: set[str], known_groups: dict[str, set[str]]
) -> tuple[SetSpec | None, list[Problem]]:
    """Read a workbook laid out as :func:`spec_to_xlsx` writes it: the spec, or None and every problem.

    ``known_departments`` are the department codes of the directory; ``known_groups`` maps each
    classification code to its value codes.
    """
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not an xlsx workbook
        return None, [Problem("", None, "", _("Không đọc được tệp Excel (.xlsx): %(error)s") % {"error": exc})]
    try:
        reader = _XlsxReader(workbook, set(known_departments), {k: set(v) for k, v in known_groups.items()})
        spec = reader.read()
    finally:
        workbook.close()
    problems = reader.got.problems
    return (None, problems) if problems else (spec, [])


def spec_from_file(data: bytes, filename: str, *, departments, groups):
    """(spec, problems) from an uploaded .json or .xlsx file."""
    if filename.lower().endswith(".json"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [Problem("JSON", None, "", _("Tệp JSON phải được mã hoá UTF-8."))]
        return spec_from_json(text, known_departments=departments, known_groups=groups)
    return spec_from_xlsx(data, known_departments=departments, known_groups=groups)
