"""A whole set read from an XLSX workbook laid out as :mod:`.xlsx_write` writes it (with openpyxl).

The reader finds each sheet's row of column codes, so columns may be reordered and the label row
deleted; every problem names the sheet, the Excel row and the column code.
"""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

import openpyxl

from cms.directory.text import fold, nfc

from ..spec import (
    FORMAT,
    Comparison,
    CriterionRule,
    CriterionSpec,
    EvidenceSpec,
    FigureSource,
    IndicatorSpec,
    PreconditionKind,
    PreconditionSpec,
    ScoreBand,
    SetLevel,
    SetSpec,
    StandardRule,
    TitleKind,
    ValueType,
)
from .cells import Collector, to_bool, to_choices, to_code, to_date, to_decimal, to_enum, to_int, to_target, to_text
from .layout import (
    BAND_COLUMNS,
    CRITERION_COLUMNS,
    GROUP_HEADER,
    GROUP_PREFIX,
    INDICATOR_COLUMNS,
    KEY_VALUE_COLUMNS,
    PRECONDITION_COLUMNS,
    SET_KEYS,
    SHEET_BANDS,
    SHEET_CRITERIA,
    SHEET_INDICATORS,
    SHEET_PRECONDITIONS,
    SHEET_SET,
    Column,
)
from .scoring_io import SCORING_KEYS, read_scoring
from .validation import Problem, Where, merge, validate_spec

#: ``ScoringRule`` attribute -> its key in the set sheet.
SCORING_ATTRIBUTES = {attribute: key for key, attribute in SCORING_KEYS.items()}


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


class _XlsxLocator:
    """Problems of a workbook: the sheet, the Excel row of the record and the column's code."""

    def __init__(self) -> None:
        self.set_rows: dict[str, int] = {}
        self.criterion_rows: list[int | None] = []
        self.indicator_rows: dict[tuple[int, int], int] = {}
        self.band_rows: list[int] = []
        self.precondition_rows: list[int] = []

    def set(self, field: str) -> Where:
        return (SHEET_SET, self.set_rows.get(field), field)

    def criteria(self) -> Where:
        return (SHEET_CRITERIA, None, "")

    def criterion(self, ci: int, field: str) -> Where:
        row = self.criterion_rows[ci] if ci < len(self.criterion_rows) else None
        return (SHEET_CRITERIA, row, field)

    def indicator(self, ci: int, ii: int, field: str) -> Where:
        if field.startswith("targets."):
            field = GROUP_PREFIX + field.removeprefix("targets.")
        return (SHEET_INDICATORS, self.indicator_rows.get((ci, ii)), field)

    def scoring(self, attribute: str) -> Where:
        key = SCORING_ATTRIBUTES[attribute]
        return (SHEET_SET, self.set_rows.get(key), key)

    def band(self, bi: int, field: str) -> Where:
        return (SHEET_BANDS, self.band_rows[bi] if bi < len(self.band_rows) else None, field)

    def precondition(self, pi: int, field: str) -> Where:
        return (SHEET_PRECONDITIONS, self.precondition_rows[pi] if pi < len(self.precondition_rows) else None, field)


class _XlsxReader:
    def __init__(self, workbook, known_departments: set[str], known_groups: dict[str, set[str]]):
        self.sheets = {fold(worksheet.title): worksheet for worksheet in workbook.worksheets}
        self.known_departments = known_departments
        self.known_groups = known_groups
        self.got = Collector()
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
            if groups and GROUP_HEADER.match(fold(header)):
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
                key = to_text(set_sheet.get(values, "key")).lower()
                if not key:
                    continue
                if key not in SET_KEYS:
                    got.add((SHEET_SET, row, "key"), _("Mã trường “%(key)s” không xác định.") % {"key": key})
                elif key in where.set_rows:
                    got.add((SHEET_SET, row, key), _("Trường “%(key)s” xuất hiện hai lần.") % {"key": key})
                else:
                    where.set_rows[key] = row
                    fields[key] = set_sheet.get(values, "value")

        def field(name: str, convert: Callable[..., Any], *args: Any, default: Any = None) -> Any:
            return got.read(where.set(name), convert, fields.get(name), *args, default=default)

        found_format = field("format", to_text, default="")
        if found_format and found_format != FORMAT:
            got.add(
                where.set("format"),
                _("Định dạng “%(found)s” không được hỗ trợ (cần “%(format)s”).")
                % {"found": found_format, "format": FORMAT},
            )
        classification = field("classification", to_code, default="")

        # criteria
        criteria: list[dict] = []
        by_number: dict[int, int] = {}
        criteria_sheet = self.table(SHEET_CRITERIA, CRITERION_COLUMNS)
        for row, values in criteria_sheet.rows if criteria_sheet else ():

            def cat(code: str, row: int = row) -> Where:
                return (SHEET_CRITERIA, row, code)

            number = got.read(cat("number"), to_int, criteria_sheet.get(values, "number"))
            if number is None and "number" in criteria_sheet.columns and criteria_sheet.get(values, "number") is None:
                got.add(cat("number"), _("Thiếu số thứ tự tiêu chí."))
            if number is not None:
                by_number.setdefault(number, len(criteria))
            where.criterion_rows.append(row)
            criteria.append(
                {
                    "number": number if number is not None else 0,
                    "name": got.read(cat("name"), to_text, criteria_sheet.get(values, "name"), default=""),
                    "group": got.read(cat("group"), to_text, criteria_sheet.get(values, "group"), default=""),
                    "department": got.read(
                        cat("department"), to_code, criteria_sheet.get(values, "department"), default=""
                    ),
                    "rule": got.read(
                        cat("rule"), to_enum, criteria_sheet.get(values, "rule"), CriterionRule, CriterionRule.ALL
                    ),
                    "rule_min": got.read(cat("rule_min"), to_decimal, criteria_sheet.get(values, "rule_min")),
                    "description": got.read(
                        cat("description"), to_text, criteria_sheet.get(values, "description"), default=""
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

            number = got.read(at("criterion"), to_int, cell("criterion"))
            value_type = got.read(
                at("value_type"), to_enum, cell("value_type"), ValueType, ValueType.BOOLEAN, default=""
            )
            targets = {}
            for group, index in group_columns:
                value = values[index] if index < len(values) else None
                target = got.read(at(GROUP_PREFIX + group), to_target, value, default="")
                if target:
                    targets[group] = target
            indicator = IndicatorSpec(
                code=got.read(at("code"), to_code, cell("code"), default=""),
                name=got.read(at("name"), to_text, cell("name"), default=""),
                value_type=value_type,
                comparison=got.read(at("comparison"), to_enum, cell("comparison"), Comparison, Comparison.EQ),
                target=got.read(at("target"), to_target, cell("target"), default=""),
                targets=targets,
                choices=got.read(at("choices"), to_choices, cell("choices"), default=()),
                unit=got.read(at("unit"), to_text, cell("unit"), default=""),
                guidance=got.read(at("guidance"), to_text, cell("guidance"), default=""),
                assessed=got.read(at("assessed"), to_bool, cell("assessed"), True, default=True),
                evidence=EvidenceSpec(
                    description=got.read(at("evidence_description"), to_text, cell("evidence_description"), default=""),
                    required=got.read(
                        at("evidence_required"), to_bool, cell("evidence_required"), False, default=False
                    ),
                    min_files=got.read(at("evidence_min_files"), to_int, cell("evidence_min_files"), default=0) or 0,
                ),
                department=got.read(at("department"), to_code, cell("department"), default=""),
                points=got.read(at("points"), to_decimal, cell("points")),
                source_text=got.read(at("source_text"), to_text, cell("source_text"), default=""),
                verified=got.read(at("verified"), to_bool, cell("verified"), False, default=False),
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
                    label=got.read((SHEET_BANDS, row, "label"), to_text, band_sheet.get(values, "label"), default=""),
                    min_points=got.read(
                        (SHEET_BANDS, row, "min_points"), to_decimal, band_sheet.get(values, "min_points")
                    ),
                    stars=got.read((SHEET_BANDS, row, "stars"), to_int, band_sheet.get(values, "stars")),
                )
            )

        # recognition preconditions
        preconditions = []
        precondition_sheet = self.table(SHEET_PRECONDITIONS, PRECONDITION_COLUMNS, optional=True)
        for row, values in precondition_sheet.rows if precondition_sheet else ():

            def on(code: str, convert: Callable[..., Any], *args: Any, row: int = row, values=values, **kw) -> Any:
                return got.read(
                    (SHEET_PRECONDITIONS, row, code), convert, precondition_sheet.get(values, code), *args, **kw
                )

            where.precondition_rows.append(row)
            preconditions.append(
                PreconditionSpec(
                    code=on("code", to_code, default=""),
                    name=on("name", to_text, default=""),
                    kind=on("kind", to_enum, PreconditionKind, PreconditionKind.CONFIRMATION, default=""),
                    department=on("department", to_code, default=""),
                    evidence=on("evidence", to_text, default=""),
                    source=on("source", to_enum, FigureSource, FigureSource.ENTERED, default=""),
                    comparison=on("comparison", to_enum, Comparison, Comparison.GTE, default=""),
                    threshold=on("threshold", to_decimal),
                    unit=on("unit", to_text, default=""),
                    required_title=on("required_title", to_enum, TitleKind, "", default=""),
                    legal_basis=on("legal_basis", to_text, default=""),
                    verified=on("verified", to_bool, False, default=False),
                )
            )

        def scoring_field(attribute: str, convert: Callable[..., Any], *args: Any, default: Any = None) -> Any:
            return got.read(
                where.scoring(attribute), convert, fields.get(SCORING_ATTRIBUTES[attribute]), *args, default=default
            )

        spec = SetSpec(
            code=field("code", to_code, default=""),
            name=field("name", to_text, default=""),
            criteria=tuple(CriterionSpec(**{**c, "indicators": tuple(c["indicators"])}) for c in criteria),
            legal_basis=field("legal_basis", to_text, default=""),
            decision_number=field("decision_number", to_text, default=""),
            decision_date=field("decision_date", to_date),
            valid_from=field("valid_from", to_date),
            valid_to=field("valid_to", to_date),
            level=field("level", to_enum, SetLevel, SetLevel.COMMUNE, default=""),
            classification=classification,
            standard_rule=field("standard_rule", to_enum, StandardRule, StandardRule.ALL, default=""),
            standard_min=field("standard_min", to_decimal),
            bands=tuple(bands),
            is_illustrative=field("is_illustrative", to_bool, False, default=False),
            grants_title=field("grants_title", to_enum, TitleKind, "", default=""),
            preconditions=tuple(preconditions),
            scoring=read_scoring(scoring_field, lambda attribute: SCORING_ATTRIBUTES[attribute] in fields),
        )
        problems = validate_spec(
            spec, known_departments=self.known_departments, known_groups=self.known_groups, locator=where
        )
        got.problems = merge(got.problems, problems, skip_sheets=self.missing)
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
