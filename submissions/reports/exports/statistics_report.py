"""Export (4), the statistics of a round: the key figures, then one table per sheet."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from cms.directory.models import Unit
from cms.xlsx import write_cell, write_table
from criteria_pages.spec import SetSpec
from submissions.models import Basis, Round
from submissions.reports import statistics

from .common import (
    DECIMAL_FORMAT,
    Output,
    new_book,
    percent_of,
    print_setup,
    report_progress,
    scope_text,
    statistics_sentence,
    unit_word,
    vi_number,
    with_number,
)


def _key_figures(stats: statistics.RoundStatistics, spec: SetSpec) -> list[tuple[str, int | Decimal, str]]:
    summary = stats.summary
    word = unit_word(spec)
    total = summary.criteria_count

    def share(part: int) -> str:
        value = percent_of(part, summary.units_counted)
        if value is None:
            return ""
        return _("%(part)s/%(whole)s %(unit)s (%(percent)s%%)") % {
            "part": vi_number(part),
            "whole": vi_number(summary.units_counted),
            "unit": word,
            "percent": vi_number(value, 2),
        }

    figures = [
        (_("Số %(unit)s trong phạm vi") % {"unit": word}, summary.units_in_scope, ""),
        (_("Số %(unit)s được tính (theo loại số liệu)") % {"unit": word}, summary.units_counted, ""),
        (_("Đã nộp hồ sơ"), summary.units_submitted, share(summary.units_submitted)),
        (_("Đã được công nhận"), summary.units_recognised, share(summary.units_recognised)),
        (
            _("Đạt %(total)s/%(total)s tiêu chí") % {"total": total},
            summary.units_meeting_all,
            share(summary.units_meeting_all),
        ),
        (_("Đạt chuẩn"), summary.units_reaching_standard, share(summary.units_reaching_standard)),
        (_("Tổng số tiêu chí đạt"), summary.criteria_met_total, vi_number(summary.criteria_met_total)),
        (
            _("Bình quân số tiêu chí đạt/%(unit)s") % {"unit": word},
            summary.average_criteria_met,
            vi_number(summary.average_criteria_met, 2),
        ),
    ]
    changes = stats.changes
    if changes is not None and changes.previous is not None:
        figures += [
            (
                _("So với đợt “%(round)s”: số %(unit)s có tiêu chí tăng thêm")
                % {"round": changes.previous.name, "unit": word},
                changes.units_improved,
                "",
            ),
            (_("So với đợt trước: số %(unit)s có tiêu chí giảm") % {"unit": word}, changes.units_declined, ""),
            (_("So với đợt trước: số tiêu chí tăng thêm"), changes.criteria_gained, ""),
            (_("So với đợt trước: số tiêu chí giảm"), changes.criteria_lost, ""),
        ]
    return figures


def export_statistics(
    round_: Round,
    output: Output = None,
    *,
    parent: Unit | None = None,
    group: str = "",
    basis: str = Basis.ALL,
    now: datetime.datetime | None = None,
) -> bytes | None:
    """The statistics of :func:`submissions.reports.statistics.round_statistics`, one table per sheet."""
    spec = round_.spec
    stats = statistics.round_statistics(round_, parent=parent, group=group, basis=basis, now=now)
    report_progress(50)  # the figures are read; writing them is quick
    summary = stats.summary
    book = new_book(output)
    decimals = with_number(book, DECIMAL_FORMAT)
    decimal = decimals.number
    title = _("Thống kê – %(round)s") % {"round": round_.name}

    sheet = book.add_sheet(_("Thống kê"))
    write_cell(sheet, 0, 0, title, book.formats.title)
    write_cell(sheet, 1, 0, scope_text(round_, parent, group, basis))
    write_cell(sheet, 2, 0, statistics_sentence(summary, spec), book.formats.bold)
    row = 4
    for col, header in enumerate([_("Chỉ số"), _("Giá trị"), _("Diễn giải")]):
        write_cell(sheet, row, col, header, book.formats.header)
    for label, value, text in _key_figures(stats, spec):
        row += 1
        write_cell(sheet, row, 0, label, book.formats.wrap)
        write_cell(sheet, row, 1, value, decimal if isinstance(value, Decimal) else None)
        write_cell(sheet, row, 2, text, book.formats.text)
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 30)
    print_setup(sheet, title)

    def table(name: str, headers: list[str], rows: Iterable, widths: list[int], formats: list[str | None]) -> None:
        sheet = book.add_sheet(name)
        write_table(sheet, headers, rows, widths=widths, column_formats=formats, formats=decimals)
        print_setup(sheet, f"{title} – {name}", header_rows=(0, 0))

    counted = summary.units_counted
    departments = {item.code: item.name for item in stats.departments}
    table(
        _("Theo tiêu chí"),
        [
            _("Tiêu chí"),
            _("Tên tiêu chí"),
            _("Sở, ngành"),
            _("Số đơn vị đạt"),
            _("Tỷ lệ đạt (%)"),
            _("Số đơn vị chưa đạt"),
        ],
        [
            [
                stat.number,
                stat.name,
                departments.get(stat.department, stat.department),
                stat.units_meeting,
                percent_of(stat.units_meeting, counted),
                counted - stat.units_meeting,
            ]
            for stat in summary.criteria
        ],
        [8, 40, 30, 12, 12, 12],
        [None, "wrap", "wrap", None, "number", None],
    )
    table(
        _("Phân bố"),
        [_("Số tiêu chí đạt"), _("Số đơn vị"), _("Tỷ lệ (%)")],
        [[item.criteria_met, item.units, percent_of(item.units, counted)] for item in stats.distribution],
        [14, 12, 12],
        [None, None, "number"],
    )
    table(
        _("Theo bước"),
        [_("Bước xét duyệt"), _("Số hồ sơ")],
        [[item.label, item.units] for item in stats.stages],
        [36, 12],
        ["text", None],
    )
    met_by_number = {stat.number: stat.units_meeting for stat in summary.criteria}
    table(
        _("Theo sở, ngành"),
        [
            _("Sở, ngành"),
            _("Tiêu chí phụ trách"),
            _("Chờ thẩm định"),
            _("Đã thẩm định"),
            _("Trả lại"),
            _("Quá hạn"),
            _("Số lượt đơn vị đạt các tiêu chí phụ trách"),
        ],
        [
            [
                item.name,
                ", ".join(map(str, item.criteria)),
                item.pending,
                item.approved,
                item.returned,
                item.overdue,
                sum(met_by_number.get(number, 0) for number in item.criteria),
            ]
            for item in stats.departments
        ],
        [40, 18, 12, 12, 10, 10, 16],
        ["wrap", "text", None, None, None, None, None],
    )
    table(
        _("Theo nhóm"),
        [_("Mã nhóm"), _("Nhóm"), _("Số đơn vị"), _("Đạt đủ tiêu chí"), _("Đạt chuẩn"), _("Bình quân tiêu chí đạt")],
        [
            [
                item.code,
                item.name,
                item.units,
                item.units_meeting_all,
                item.units_reaching_standard,
                item.average_criteria_met,
            ]
            for item in stats.groups
        ],
        [10, 30, 12, 12, 12, 14],
        ["text", "text", None, None, None, "number"],
    )
    changes = stats.changes
    if changes is not None and changes.previous is not None:
        table(
            _("So với đợt trước"),
            [
                _("Mã đơn vị"),
                _("Đơn vị"),
                _("Số tiêu chí tăng"),
                _("Tiêu chí tăng"),
                _("Số tiêu chí giảm"),
                _("Tiêu chí giảm"),
            ],
            (
                [
                    item.unit_code,
                    item.unit_name,
                    len(item.gained),
                    ", ".join(map(str, item.gained)),
                    len(item.lost),
                    ", ".join(map(str, item.lost)),
                ]
                for item in changes.units
            ),
            [10, 30, 12, 20, 12, 20],
            ["text", "text", None, "text", None, "text"],
        )
    return book.close()
