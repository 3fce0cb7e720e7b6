"""Reading a spreadsheet of titles held before the product existed (XLSX or CSV UTF-8) into checked rows, with every
problem reported (row, column, Vietnamese message); :func:`submissions.titles.services.titles_import` writes them
only when there is none.

One title per row. Columns (the header row names them, in Vietnamese or as codes, in any order):

- ``Mã đơn vị`` (``ma_don_vi``): the unit's official code;
- ``Danh hiệu`` (``danh_hieu``): the title, by its Vietnamese name ("Xã đạt chuẩn nông thôn mới") or its code
  (``xa_ntm``);
- ``Số quyết định`` (``so_quyet_dinh``) and ``Ngày quyết định`` (``ngay_quyet_dinh``, dd/mm/yyyy): the recognition
  decision;
- optional: ``Danh mục`` (``danh_muc``, dd/mm/yyyy): the date of the official unit list the code belongs to (the
  newest list by default; a title held before the 2025 reform belongs to the old commune, in the list of
  01/03/2025); ``Bộ tiêu chí`` (``bo_tieu_chi``); ``Ghi chú`` (``ghi_chu``).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.directory.importers import ImportFileError, Problem, cell_text, read_rows
from cms.directory.models import Edition, Unit, UnitLevel
from cms.directory.text import fold
from criteria_pages.spec import TitleKind
from submissions.titles.models import Title

#: A file of more rows is refused (a province has a few hundred communes; a few titles each).
MAX_ROWS = 5000
NUMBER_LENGTH = Title._meta.get_field("decision_number").max_length
UNIT, KIND, NUMBER, DATE, EDITION, SET_NAME, NOTE = (
    "unit",
    "kind",
    "decision_number",
    "decision_date",
    "edition",
    "set_name",
    "note",
)
#: Column -> its name in the report (the header of the template file).
COLUMN_NAMES = {
    UNIT: gettext_lazy("Mã đơn vị"),
    KIND: gettext_lazy("Danh hiệu"),
    NUMBER: gettext_lazy("Số quyết định"),
    DATE: gettext_lazy("Ngày quyết định"),
    EDITION: gettext_lazy("Danh mục"),
    SET_NAME: gettext_lazy("Bộ tiêu chí"),
    NOTE: gettext_lazy("Ghi chú"),
}
REQUIRED = (UNIT, KIND, NUMBER, DATE)
#: Headers accepted for each column, folded (lower case, no diacritics, words joined by "_").
ALIASES = {
    UNIT: ("ma_don_vi", "ma_dvhc", "ma_xa", "ma", "unit_code", "code"),
    KIND: ("danh_hieu", "title", "kind"),
    NUMBER: ("so_quyet_dinh", "so_qd", "decision_number"),
    DATE: ("ngay_quyet_dinh", "ngay_qd", "decision_date"),
    EDITION: ("danh_muc", "ngay_danh_muc", "edition"),
    SET_NAME: ("bo_tieu_chi", "set_name"),
    NOTE: ("ghi_chu", "note"),
}
_COLUMN_OF = {alias: column for column, aliases in ALIASES.items() for alias in aliases}
#: Official code widths, to restore the leading zeros a spreadsheet dropped from a code stored as a number.
_CODE_WIDTH = {UnitLevel.COMMUNE: 5, UnitLevel.DISTRICT: 3}
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")


@dataclass
class TitleRow:
    row: int
    unit: Unit
    kind: str
    decision_number: str
    decision_date: datetime.date
    set_name: str = ""
    note: str = ""


@dataclass
class TitleImportReport:
    rows: list[TitleRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    created: list[Title] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _folded(header: str) -> str:
    return "_".join(fold(str(header)).replace("_", " ").split())


def _kind_of(text: str) -> str:
    folded = fold(text)
    for value, label in TitleKind.choices:
        if folded in (value, value.replace("_", " "), fold(str(label))):
            return value
    return ""


def _date_of(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    return None


class _Reader:
    def __init__(self, report: TitleImportReport):
        self.report = report

    def problem(self, row: int | None, column: str, message: str) -> None:
        self.report.problems.append(Problem(row, str(COLUMN_NAMES.get(column, column)), message))


def _rows(data: bytes, filename: str, reader: _Reader) -> list[tuple[int, dict]]:
    try:
        table = read_rows(data, filename)
    except ImportFileError as exc:
        reader.problem(None, "", str(exc))
        return []
    if not table:
        reader.problem(None, "", _("Tệp trống."))
        return []
    header = {name: _COLUMN_OF.get(_folded(name)) for name in table[0]["__header__"] if name}
    present = set(header.values())
    for column in REQUIRED:
        if column not in present:
            reader.problem(1, column, _("Thiếu cột “%(column)s”.") % {"column": COLUMN_NAMES[column]})
    if reader.report.problems:
        return []
    rows = [
        (index, {header[name]: value for name, value in row.items() if header.get(name)})
        for index, row in enumerate(table[1:], start=2)
        if row
    ]
    if not rows:
        reader.problem(None, "", _("Tệp không có dòng danh hiệu nào."))
    elif len(rows) > MAX_ROWS:
        reader.problem(None, "", _("Tệp có quá nhiều dòng (tối đa %(count)s).") % {"count": MAX_ROWS})
        return []
    return rows


def titles_read(
    data: bytes, filename: str, *, units: QuerySet[Unit], level_of: Callable[[str], str]
) -> TitleImportReport:
    """Check every row of the file: the unit exists in its list and lies among ``units`` (those the importer
    manages), the title suits its level (``level_of``), the decision has a number and a past date, and the unit
    does not hold the title already (nor twice in the file). A fixed number of queries, whatever the rows."""
    report = TitleImportReport()
    reader = _Reader(report)
    rows = _rows(data, filename, reader)
    if not rows:
        return report
    editions = {edition.date: edition for edition in Edition.objects.all()}
    newest = max(editions) if editions else None
    today = timezone.localdate()
    parsed = []
    for index, row in rows:
        problems_before = len(report.problems)
        kind = _kind_of(cell_text(row, KIND))
        if not cell_text(row, KIND):
            reader.problem(index, KIND, _("Thiếu danh hiệu."))
        elif not kind:
            reader.problem(
                index,
                KIND,
                _("Không có danh hiệu “%(value)s”. Dùng một trong: %(names)s.")
                % {"value": cell_text(row, KIND), "names": "; ".join(str(label) for label in TitleKind.labels)},
            )
        code = cell_text(row, UNIT, width=_CODE_WIDTH[level_of(kind)] if kind else None)
        if not code:
            reader.problem(index, UNIT, _("Thiếu mã đơn vị."))
        number = cell_text(row, NUMBER)
        if not number:
            reader.problem(index, NUMBER, _("Thiếu số quyết định."))
        elif len(number) > NUMBER_LENGTH:
            reader.problem(index, NUMBER, _("Số quyết định dài quá %(count)s ký tự.") % {"count": NUMBER_LENGTH})
        decided = None
        if row.get(DATE) in (None, ""):
            reader.problem(index, DATE, _("Thiếu ngày quyết định."))
        elif (decided := _date_of(row[DATE])) is None:
            reader.problem(
                index, DATE, _("Ngày “%(value)s” không đúng dạng dd/mm/yyyy.") % {"value": cell_text(row, DATE)}
            )
        elif decided > today:
            reader.problem(index, DATE, _("Ngày quyết định %(date)s ở sau hôm nay.") % {"date": f"{decided:%d/%m/%Y}"})
        edition = editions.get(newest) if newest else None
        if row.get(EDITION) not in (None, ""):
            listed = _date_of(row[EDITION])
            edition = editions.get(listed) if listed else None
            if edition is None:
                reader.problem(
                    index, EDITION, _("Không có danh mục đơn vị ngày “%(value)s”.") % {"value": cell_text(row, EDITION)}
                )
        elif edition is None:
            reader.problem(index, EDITION, _("Chưa có danh mục đơn vị hành chính nào."))
        if len(report.problems) == problems_before:
            parsed.append((index, row, edition, code, kind, number, decided))
    _check_units(parsed, report, reader, units, level_of)
    return report


def _check_units(parsed, report: TitleImportReport, reader: _Reader, units: QuerySet[Unit], level_of) -> None:
    """The rows' units: found in their list, managed by the importer, of the title's level, not holding it yet."""
    if not parsed:
        return
    found = {
        (unit.edition_id, unit.code): unit
        for unit in Unit.objects.filter(
            edition_id__in={edition.pk for _i, _r, edition, *_rest in parsed},
            code__in={code for _i, _r, _e, code, *_rest in parsed},
        )
    }
    managed = set(units.filter(pk__in=[unit.pk for unit in found.values()]).values_list("pk", flat=True))
    held = set(
        Title.objects.current().filter(unit_id__in=[unit.pk for unit in found.values()]).values_list("unit_id", "kind")
    )
    seen: dict[tuple[int, str], int] = {}
    for index, row, edition, code, kind, number, decided in parsed:
        unit = found.get((edition.pk, code))
        if unit is None:
            reader.problem(
                index,
                UNIT,
                _("Không có đơn vị mã “%(code)s” trong danh mục ngày %(date)s.")
                % {"code": code, "date": f"{edition.date:%d/%m/%Y}"},
            )
            continue
        if unit.pk not in managed:
            reader.problem(index, UNIT, _("%(unit)s không thuộc tỉnh bạn quản lý.") % {"unit": unit.name})
            continue
        label = TitleKind(kind).label
        if unit.level != level_of(kind):
            reader.problem(
                index, KIND, _("Danh hiệu “%(kind)s” không dành cho %(unit)s.") % {"kind": label, "unit": unit.name}
            )
            continue
        if (unit.pk, kind) in held:
            reader.problem(
                index, KIND, _("%(unit)s đang giữ danh hiệu “%(kind)s”.") % {"unit": unit.name, "kind": label}
            )
            continue
        if (unit.pk, kind) in seen:
            reader.problem(
                index,
                KIND,
                _("%(unit)s có danh hiệu “%(kind)s” ở cả dòng %(first)s.")
                % {"unit": unit.name, "kind": label, "first": seen[(unit.pk, kind)]},
            )
            continue
        seen[(unit.pk, kind)] = index
        report.rows.append(
            TitleRow(
                row=index,
                unit=unit,
                kind=kind,
                decision_number=number,
                decision_date=decided,
                set_name=cell_text(row, SET_NAME)[:500],
                note=cell_text(row, NOTE),
            )
        )
