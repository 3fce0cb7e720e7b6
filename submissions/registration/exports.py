"""The plan's xlsx: registered vs reached, by title and by district (by province in the two-tier world), from the
same :func:`submissions.registration.selectors.registration_plan` as the admin's dashboard."""

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.xlsx import Book, write_cell
from submissions.reports.exports import DECIMAL_FORMAT, vi_number
from submissions.reports.exports.common import Output, percent_of, print_setup, with_number

from .selectors import Plan, PlanRow

#: Columns per title: registered, reached, per cent.
COLUMNS_PER_KIND = 3


def plan_filename(plan: Plan) -> str:
    return f"ke-hoach-dang-ky-danh-hieu-{plan.province.code}-{plan.year}.xlsx"


def plan_sentence(plan: Plan) -> str:
    """ "Đã duyệt đăng ký 12 lượt; đã đạt 9 (75,00%)" over every title, decimal comma."""
    registered = sum(cell.registered for cell in plan.total.cells)
    reached = sum(cell.reached for cell in plan.total.cells)
    text = _("Đăng ký đã duyệt: %(registered)s lượt; đã đạt: %(reached)s") % {
        "registered": vi_number(registered),
        "reached": vi_number(reached),
    }
    if registered:
        text += f" ({vi_number(percent_of(reached, registered), 2)}%)"
    return text


def export_plan(plan: Plan, output: Output = None) -> bytes | None:
    """One sheet: a title, the scope line, then two header rows (the title, then registered / reached / %) and one
    row per district (or the province), the province's total last. Counts are numbers; the share is a number
    shown with two decimals (a decimal comma in a Vietnamese Excel)."""
    book = Book(output)  # one small sheet, written in memory (the header rows are merged after the fact)
    formats = with_number(book, DECIMAL_FORMAT)
    title = _("Kế hoạch đạt danh hiệu năm %(year)s – %(province)s") % {
        "year": plan.year,
        "province": plan.province.name,
    }
    sheet = book.add_sheet(_("Kế hoạch"))
    write_cell(sheet, 0, 0, title, book.formats.title)
    scope = _("Theo huyện") if plan.by_district else _("Toàn tỉnh")
    write_cell(
        sheet,
        1,
        0,
        _(
            "%(scope)s; số đơn vị đăng ký đã được duyệt cho năm %(year)s và số đã đạt (đang giữ danh hiệu, quyết định "
            "trong hoặc trước năm %(year)s); xuất ngày %(date)s"
        )
        % {"scope": scope, "year": plan.year, "date": timezone.localdate().strftime("%d/%m/%Y")},
    )
    write_cell(sheet, 2, 0, plan_sentence(plan), book.formats.bold)
    top, sub = 4, 5
    write_cell(sheet, top, 0, _("Huyện") if plan.by_district else _("Tỉnh"), book.formats.header)
    write_cell(sheet, sub, 0, "", book.formats.header)
    for index, (_code, label) in enumerate(plan.kinds):
        first = 1 + index * COLUMNS_PER_KIND
        sheet.merge_range(top, first, top, first + COLUMNS_PER_KIND - 1, label, book.formats.header)
        for offset, header in enumerate([_("Đăng ký"), _("Đã đạt"), _("Tỷ lệ (%)")]):
            write_cell(sheet, sub, first + offset, header, book.formats.header)

    def write_row(row_index: int, row: PlanRow, name: str, name_format=None) -> None:
        write_cell(sheet, row_index, 0, name, name_format or book.formats.text)
        for index, cell in enumerate(row.cells):
            first = 1 + index * COLUMNS_PER_KIND
            write_cell(sheet, row_index, first, cell.registered)
            write_cell(sheet, row_index, first + 1, cell.reached)
            write_cell(sheet, row_index, first + 2, cell.percent, formats.number)

    row_index = sub + 1
    for row in plan.rows:
        write_row(row_index, row, row.name)
        row_index += 1
    if plan.by_district:
        write_row(row_index, plan.total, _("Toàn tỉnh"), book.formats.bold)
    sheet.set_column(0, 0, 32)
    sheet.set_column(1, len(plan.kinds) * COLUMNS_PER_KIND, 11)
    sheet.freeze_panes(sub + 1, 1)
    print_setup(sheet, title, header_rows=(top, sub))
    return book.close()
