"""Export (1), the summary matrix: one row per unit, one column per criterion."""

from django.utils.translation import gettext as _

from cms.directory.models import Unit
from cms.xlsx import write_cell, write_table
from submissions.models import Basis, Round, SubmissionStatus
from submissions.reports import statistics

from .common import (
    CRITERION_WIDTH,
    MET_FORMAT,
    Output,
    new_book,
    print_setup,
    scope_text,
    statistics_sentence,
    tracked,
    with_number,
    write_title,
)


def export_summary(
    round_: Round,
    output: Output = None,
    *,
    parent: Unit | None = None,
    group: str = "",
    basis: str = Basis.ALL,
) -> bytes | None:
    """One row per unit, one column per criterion (1 = met, shown "Đạt"; 0 shown "—"), the number of
    criteria met and the standard; a totals row (units meeting each criterion) and the summary sentence."""
    spec = round_.spec
    summary = statistics.round_summary(round_, parent=parent, group=group, basis=basis)
    book = new_book(output)
    sheet = book.add_sheet(_("Tổng hợp"))
    title = _("Kết quả đánh giá tiêu chí – %(round)s") % {"round": round_.name}
    start = write_title(book, sheet, title, scope_text(round_, parent, group, basis))
    labels = [
        _("Mã đơn vị"),
        _("Đơn vị"),
        _("Trực thuộc"),
        _("Trạng thái hồ sơ"),
        *(f"{criterion.number}. {criterion.name}" for criterion in spec.criteria),
        _("Số tiêu chí đạt"),
        _("Đạt chuẩn"),
    ]
    codes = [
        "unit_code",
        "unit_name",
        "parent_name",
        "status",
        *(f"tc_{criterion.number}" for criterion in spec.criteria),
        "criteria_met",
        "standard_reached",
    ]
    n = len(spec.criteria)
    status_labels = dict(SubmissionStatus.choices)
    sheet.set_row(start, 75)
    rows = (
        [
            result.unit_code,
            result.unit_name,
            result.parent_name,
            str(status_labels.get(result.status, result.status)),
            *(int(met) for _number, met in result.criteria),
            result.criteria_met,
            int(result.standard_reached),
        ]
        for result in statistics.iter_results(
            round_,
            statistics.round_results(round_, parent=parent, group=group, basis=basis),
            # read here, at call time, so that a chunk size set on the statistics package applies
            chunk_size=statistics.RESULTS_CHUNK,
        )
    )
    end = write_table(
        sheet,
        codes,
        tracked(rows, summary.units_counted),
        widths=[10, 28, 22, 18, *([CRITERION_WIDTH] * n), 10, 10],
        labels=labels,
        column_formats=["text", "text", "text", "text", *(["number"] * n), None, "number"],
        start_row=start,
        formats=with_number(book, MET_FORMAT),
    )
    sheet.freeze_panes(start + 2, 2)
    bold = book.formats.bold
    write_cell(sheet, end, 0, _("Tổng"), bold)
    write_cell(sheet, end, 1, _("Số đơn vị đạt từng tiêu chí"), bold)
    for col, stat in enumerate(summary.criteria, start=4):
        write_cell(sheet, end, col, stat.units_meeting, bold)
    write_cell(sheet, end, 4 + n, summary.criteria_met_total, bold)
    write_cell(sheet, end, 5 + n, summary.units_reaching_standard, bold)
    write_cell(sheet, end + 1, 0, statistics_sentence(summary, spec), bold)
    print_setup(sheet, title, header_rows=(start, start + 1))
    return book.close()
