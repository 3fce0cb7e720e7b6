"""Reading official unit lists (CSV or XLSX) into plain records, with every problem reported.

Three layouts are recognised by their header row:

* three-level (GSO list before 1 July 2025): ``province_code, province_name, province_type,
  district_code, district_name, district_type, commune_code, commune_name, commune_type, region``;
* two-level (from 1 July 2025): ``province_code, province_name, commune_code, commune_name,
  commune_type, region, merged_from``;
* generic (any level, e.g. villages): ``code, name, type, level, parent_code`` and optionally
  ``region`` and ``merged_from``.

Parsing never touches the database; :mod:`cms.directory.services` checks what needs it (parents
and predecessors already imported) and writes.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

import openpyxl

from .models import SuccessionKind, UnitLevel
from .text import nfc

THREE_LEVEL_COLUMNS = (
    "province_code",
    "province_name",
    "province_type",
    "district_code",
    "district_name",
    "district_type",
    "commune_code",
    "commune_name",
    "commune_type",
    "region",
)
TWO_LEVEL_COLUMNS = (
    "province_code",
    "province_name",
    "commune_code",
    "commune_name",
    "commune_type",
    "region",
    "merged_from",
)
GENERIC_COLUMNS = ("code", "name", "type", "level", "parent_code")
GENERIC_OPTIONAL = ("region", "merged_from")

#: Official code widths, used to restore leading zeros that a spreadsheet turned into numbers.
CODE_WIDTH = {UnitLevel.PROVINCE: 2, UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}


@dataclass(frozen=True)
class Problem:
    row: int | None  # 1-based, as a spreadsheet shows it (the header is row 1)
    column: str
    message: str

    def __str__(self):
        where = _("dòng %(row)s") % {"row": self.row} if self.row else _("tệp")
        return f"{where}, {self.column or '-'}: {self.message}"


@dataclass
class UnitRecord:
    code: str
    name: str
    unit_type: str
    level: str
    parent_code: str
    row: int
    region: str = ""
    merged_from: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ParsedFile:
    layout: str = ""
    records: list[UnitRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def tiers(self) -> int:
        return 2 if self.layout == "two_level" else 3


class ImportFileError(Exception):
    """Raised when a file cannot be read at all (wrong encoding, not a spreadsheet)."""


def read_rows(data: bytes, filename: str) -> list[dict[str, str]]:
    """Return the rows of a CSV (UTF-8) or XLSX file as dicts keyed by the header row."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "Tệp không được mã hoá UTF-8 (lỗi ở byte %(position)s). Hãy lưu lại tệp CSV với "
                "mã hoá UTF-8 để giữ nguyên dấu tiếng Việt."
            )
            % {"position": exc.start}
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    return _rows_from_table(list(reader))


def _read_xlsx(data: bytes) -> list[dict[str, str]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a non-xlsx file
        raise ImportFileError(
            _(
                "Không đọc được tệp Excel (.xlsx): tệp bị hỏng hoặc không phải tệp Excel. Hãy mở tệp bằng Excel, "
                "lưu lại dưới dạng “Sổ làm việc Excel (.xlsx)” hoặc CSV UTF-8 rồi tải lên lại."
            )
        ) from exc
    sheet = workbook.worksheets[0]
    table = [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return _rows_from_table(table)


def _rows_from_table(table: list[list]) -> list[dict]:
    if not table:
        return []
    header = [str(cell).strip().lower() for cell in table[0]]
    rows = []
    for values in table[1:]:
        if not any(str(v).strip() for v in values):
            rows.append({})  # keep row numbering; blank rows are skipped by the parser
            continue
        rows.append({name: values[i] if i < len(values) else "" for i, name in enumerate(header) if name})
    return [{"__header__": header}, *rows]


def _cell(row: dict, column: str, level: str | None = None) -> str:
    return cell_text(row, column, width=CODE_WIDTH.get(level))


def cell_text(row: dict, column: str, *, width: int | None = None) -> str:
    """A cell as text, NFC. A whole number (a code Excel stored as a number) is written back without ".0" and,
    with ``width``, with the leading zeros Excel dropped."""
    value = row.get(column, "")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and width:
        return str(value).zfill(width)
    return nfc(str(value))


def missing_columns(rows: list[dict], columns) -> list[str]:
    """The ``columns`` missing from the header of ``rows`` (as :func:`read_rows` returns them)."""
    header = rows[0]["__header__"] if rows else []
    return [column for column in columns if column not in header]


def parse(rows: list[dict]) -> ParsedFile:
    """Turn rows into unit records (parents before children) and collect every problem."""
    result = ParsedFile()
    if not rows:
        result.problems.append(Problem(None, "", _("Tệp trống.")))
        return result
    header = rows[0]["__header__"]
    data_rows = rows[1:]
    if "commune_code" in header and "district_code" in header:
        result.layout, expected = "three_level", THREE_LEVEL_COLUMNS
    elif "commune_code" in header:
        result.layout, expected = "two_level", TWO_LEVEL_COLUMNS
    else:
        result.layout, expected = "generic", GENERIC_COLUMNS
    missing = [column for column in expected if column not in header]
    for column in missing:
        result.problems.append(Problem(1, column, _("Thiếu cột bắt buộc “%(column)s”.") % {"column": column}))
    if missing:
        return result

    collector = _Collector(result)
    for index, row in enumerate(data_rows, start=2):
        if not row:
            continue
        if result.layout == "three_level":
            _parse_three_level(row, index, collector)
        elif result.layout == "two_level":
            _parse_two_level(row, index, collector)
        else:
            _parse_generic(row, index, collector)
    return result


class _Collector:
    """Deduplicates units repeated on many rows (a province on each of its communes' rows)."""

    def __init__(self, result: ParsedFile):
        self.result = result
        self.by_code: dict[str, UnitRecord] = {}

    def problem(self, row: int, column: str, message: str):
        self.result.problems.append(Problem(row, column, message))

    def add(self, record: UnitRecord, *, code_column: str, name_column: str, repeated_ok: bool) -> bool:
        ok = True
        if not record.code:
            self.problem(record.row, code_column, _("Mã đơn vị trống."))
            ok = False
        if not record.name:
            self.problem(record.row, name_column, _("Tên đơn vị trống."))
            ok = False
        if not ok:
            return False
        seen = self.by_code.get(record.code)
        if seen is None:
            self.by_code[record.code] = record
            self.result.records.append(record)
            return True
        if not repeated_ok or seen.level != record.level:
            self.problem(
                record.row,
                code_column,
                _("Mã %(code)s bị trùng (đã có ở dòng %(row)s).") % {"code": record.code, "row": seen.row},
            )
            return False
        if (seen.name, seen.parent_code) != (record.name, record.parent_code):
            self.problem(
                record.row,
                name_column,
                _("Mã %(code)s có thông tin khác với dòng %(row)s (“%(name)s”).")
                % {"code": record.code, "row": seen.row, "name": seen.name},
            )
            return False
        return True


def _parse_three_level(row: dict, index: int, collector: _Collector):
    province = UnitRecord(
        code=_cell(row, "province_code", UnitLevel.PROVINCE),
        name=_cell(row, "province_name"),
        unit_type=_cell(row, "province_type"),
        level=UnitLevel.PROVINCE,
        parent_code="",
        row=index,
        region=_cell(row, "region"),
    )
    if not collector.add(province, code_column="province_code", name_column="province_name", repeated_ok=True):
        return
    district = UnitRecord(
        code=_cell(row, "district_code", UnitLevel.DISTRICT),
        name=_cell(row, "district_name"),
        unit_type=_cell(row, "district_type"),
        level=UnitLevel.DISTRICT,
        parent_code=province.code,
        row=index,
        region=province.region,
    )
    if not collector.add(district, code_column="district_code", name_column="district_name", repeated_ok=True):
        return
    commune_code = _cell(row, "commune_code", UnitLevel.COMMUNE)
    commune_name = _cell(row, "commune_name")
    if not commune_code and not commune_name:
        return  # an island district without commune-level units
    commune = UnitRecord(
        code=commune_code,
        name=commune_name,
        unit_type=_cell(row, "commune_type"),
        level=UnitLevel.COMMUNE,
        parent_code=district.code,
        row=index,
        region=province.region,
    )
    collector.add(commune, code_column="commune_code", name_column="commune_name", repeated_ok=False)


def _province_type(name: str) -> str:
    return _("Thành phố Trung ương") if name.lower().startswith("thành phố") else _("Tỉnh")


def _parse_two_level(row: dict, index: int, collector: _Collector):
    province_name = _cell(row, "province_name")
    province = UnitRecord(
        code=_cell(row, "province_code", UnitLevel.PROVINCE),
        name=province_name,
        unit_type=_cell(row, "province_type") or _province_type(province_name),
        level=UnitLevel.PROVINCE,
        parent_code="",
        row=index,
    )
    if not collector.add(province, code_column="province_code", name_column="province_name", repeated_ok=True):
        return
    commune = UnitRecord(
        code=_cell(row, "commune_code", UnitLevel.COMMUNE),
        name=_cell(row, "commune_name"),
        unit_type=_cell(row, "commune_type"),
        level=UnitLevel.COMMUNE,
        parent_code=province.code,
        row=index,
        region=_cell(row, "region"),
        merged_from=_parse_merged_from(_cell(row, "merged_from"), index, collector),
    )
    collector.add(commune, code_column="commune_code", name_column="commune_name", repeated_ok=False)


def _parse_generic(row: dict, index: int, collector: _Collector):
    level = _cell(row, "level").lower()
    if level not in UnitLevel.values:
        collector.problem(
            index,
            "level",
            _("Cấp “%(level)s” không hợp lệ; dùng một trong: %(choices)s.")
            % {"level": level, "choices": ", ".join(UnitLevel.values)},
        )
        return
    record = UnitRecord(
        code=_cell(row, "code", level),
        name=_cell(row, "name"),
        unit_type=_cell(row, "type"),
        level=level,
        parent_code=_cell(row, "parent_code"),
        row=index,
        region=_cell(row, "region"),
        merged_from=_parse_merged_from(_cell(row, "merged_from"), index, collector),
    )
    if level != UnitLevel.PROVINCE and not record.parent_code:
        collector.problem(index, "parent_code", _("Thiếu mã đơn vị cấp trên."))
        return
    collector.add(record, code_column="code", name_column="name", repeated_ok=False)


def _parse_merged_from(text: str, index: int, collector: _Collector) -> list[tuple[str, str]]:
    links = []
    for item in filter(None, (part.strip() for part in text.split(";"))):
        code, _sep, kind = item.partition(":")
        kind = kind.strip() or SuccessionKind.FULL
        if kind not in SuccessionKind.values or not code.strip():
            collector.problem(
                index,
                "merged_from",
                _("“%(item)s” không đúng dạng MÃ:full hoặc MÃ:partial.") % {"item": item},
            )
            continue
        links.append((code.strip(), kind))
    return links
