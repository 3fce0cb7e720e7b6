"""XLSX exports of a round: the summary matrix, one unit's detailed report, the departments' appraisal
lists and the statistics. The admin view, the ``export_round`` command and any later API call these.

Every file is written through :mod:`cms.xlsx` (the project's only xlsxwriter module) in constant-memory
mode: rows go out top to bottom as they are read from a database cursor, so a national export of
10,047 units needs no more memory than a provincial one. Numbers are real numeric cells (with a
number format where one helps); sentences meant for reading use the Vietnamese decimal comma
("bình quân 15,93 tiêu chí/xã"). Every number comes from :mod:`submissions.statistics`.
"""

import dataclasses
import datetime
import itertools
import os
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import IO

from django.db import models
from django.db.models import Case, Count, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.directory.models import Department, Unit
from cms.xlsx import Book, Formats, Worksheet, write_cell, write_table
from criteria_pages.evaluation import IndicatorStatus, InvalidValue, coerce_value
from criteria_pages.spec import SetLevel, SetSpec
from submissions.models import (
    AppraisalStatus,
    CriterionAppraisal,
    CriterionResult,
    Evidence,
    IndicatorValue,
    ReturnedItem,
    Round,
    Submission,
    SubmissionStatus,
)
from submissions.reports import statistics
from submissions.reports.statistics import Basis

Output = str | os.PathLike | IO[bytes] | None

#: Excel number formats. 1/0 verdict cells stay numbers (they add up) but read "Đạt" / "—".
MET_FORMAT = '"Đạt";"";"—"'
DECIMAL_FORMAT = "0.00"
#: Cells of the summary matrix per criterion column (in characters).
CRITERION_WIDTH = 7


class ExportKind(models.TextChoices):
    SUMMARY = "summary", gettext_lazy("Bảng tổng hợp kết quả các đơn vị")
    UNIT = "unit", gettext_lazy("Báo cáo chi tiết của một đơn vị")
    DEPARTMENTS = "departments", gettext_lazy("Danh sách thẩm định theo sở, ngành")
    STATISTICS = "statistics", gettext_lazy("Thống kê của đợt")


class ExportError(Exception):
    """The export cannot be made as asked (e.g. the unit has no submission in the round)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- text for reading ---------------------------------------------------------------------------------


def vi_number(value: int | Decimal | float, places: int = 0) -> str:
    """A number as Vietnamese text: thousands with a dot, decimals with a comma (10.047; 15,93)."""
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def unit_word(spec: SetSpec) -> str:
    """What the set evaluates, as a lower-case noun: "xã", "huyện", "thôn", "sản phẩm"."""
    try:
        return str(SetLevel(spec.level).label).lower()
    except ValueError:
        return _("đơn vị")


def statistics_sentence(summary: statistics.RoundSummary, spec: SetSpec) -> str:
    """ "79 xã đạt 19/19 tiêu chí; bình quân 15,93 tiêu chí/xã" from the numbers of ``summary``."""
    return _("%(count)s %(unit)s đạt %(total)s/%(total)s tiêu chí; bình quân %(average)s tiêu chí/%(unit)s") % {
        "count": vi_number(summary.units_meeting_all),
        "unit": unit_word(spec),
        "total": summary.criteria_count,
        "average": vi_number(summary.average_criteria_met, 2),
    }


def _percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, two decimals (a number cell), None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(statistics.TWO_PLACES, rounding=ROUND_HALF_UP)


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _scope_text(round_: Round, parent: Unit | None, group: str, basis: str) -> str:
    parts = [
        _("Phạm vi: %(scope)s") % {"scope": parent.name if parent else _("toàn bộ đợt")},
        _("Số liệu: %(basis)s") % {"basis": Basis(basis).label},
        _("Bộ tiêu chí: %(set)s") % {"set": round_.spec.name},
        _("Xuất ngày %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")},
    ]
    if group:
        parts.insert(1, _("Nhóm: %(group)s") % {"group": group})
    return "; ".join(parts)


# --- workbook plumbing --------------------------------------------------------------------------------


def _book(output: Output) -> Book:
    return Book(output, constant_memory=True)


def _with_number(book: Book, num_format: str) -> Formats:
    """The book's formats with ``number`` (the "number" column format of write_table) set to ``num_format``."""
    return dataclasses.replace(
        book.formats, number=book.workbook.add_format({"num_format": num_format, "valign": "top"})
    )


def _print_setup(sheet: Worksheet, title: str, *, header_rows: tuple[int, int] | None = None) -> None:
    """A4 landscape, fitted to the page width, header rows repeated, page numbers in the footer."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if header_rows is not None:
        sheet.repeat_rows(*header_rows)
    sheet.set_header("&L" + title.replace("&", "&&")[:200])
    sheet.set_footer("&C" + _("Trang &P/&N"))


def _title(book: Book, sheet: Worksheet, title: str, *lines: str) -> int:
    """Title and explanation lines at the top of a sheet; returns the next free row (after a blank)."""
    write_cell(sheet, 0, 0, title, book.formats.title)
    for row, line in enumerate(lines, start=1):
        write_cell(sheet, row, 0, line)
    return len(lines) + 2


# --- (1) the summary matrix: units x criteria ---------------------------------------------------------


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
    book = _book(output)
    sheet = book.add_sheet(_("Tổng hợp"))
    title = _("Kết quả đánh giá tiêu chí – %(round)s") % {"round": round_.name}
    start = _title(book, sheet, title, _scope_text(round_, parent, group, basis))
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
            round_, statistics.round_results(round_, parent=parent, group=group, basis=basis)
        )
    )
    end = write_table(
        sheet,
        codes,
        rows,
        widths=[10, 28, 22, 18, *([CRITERION_WIDTH] * n), 10, 10],
        labels=labels,
        column_formats=["text", "text", "text", "text", *(["number"] * n), None, "number"],
        start_row=start,
        formats=_with_number(book, MET_FORMAT),
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
    _print_setup(sheet, title, header_rows=(start, start + 1))
    return book.close()


# --- (2) one unit's detailed report -------------------------------------------------------------------

INDICATOR_STATUS_LABELS = dict(IndicatorStatus.choices)


def _typed(indicator, raw: str):
    """The value as a typed cell: numbers as numbers, dates as dates, yes/no in words, else the text."""
    try:
        value = coerce_value(indicator, raw)
    except InvalidValue:
        return raw
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if value is None:
        return ""
    return value


def _names(users) -> str:
    return ", ".join(sorted({(u.get_full_name() or u.get_username()) for u in users if u is not None}))


def export_unit(submission: Submission, output: Output = None) -> bytes | None:
    """Every indicator of one unit: value, target, verdict, evidence count, reviewers' comments."""
    round_ = submission.round
    spec = round_.spec
    unit = submission.unit
    values = {row.code: row for row in IndicatorValue.objects.filter(submission=submission)}
    results = {row.number: row for row in CriterionResult.objects.filter(submission=submission)}
    appraisals = {
        row.number: row
        for row in CriterionAppraisal.objects.filter(submission=submission).select_related("department", "appraised_by")
    }
    evidence = dict(
        Evidence.objects.filter(submission=submission, replaced_by__isnull=True)
        .order_by()
        .values_list("indicator_code")
        .annotate(n=Count("pk"))
        .values_list("indicator_code", "n")
    )
    returned = list(ReturnedItem.objects.filter(submission=submission).select_related("created_by"))
    departments = dict(
        Department.objects.filter(code__in={c.department for c in spec.criteria}).values_list("code", "name")
    )
    by_indicator: dict[str, list[str]] = {}
    by_criterion: dict[int, list[str]] = {}
    for item in returned:
        if item.indicator_code:
            by_indicator.setdefault(item.indicator_code, []).append(item.comment)
        elif item.criterion_number:
            by_criterion.setdefault(item.criterion_number, []).append(item.comment)

    book = _book(output)
    title = _("Báo cáo chi tiết: %(unit)s – %(round)s") % {"unit": unit.name, "round": round_.name}

    sheet = book.add_sheet(_("Tổng hợp"))
    start = _title(book, sheet, title)
    standard = submission.effective_standard
    facts = [
        (_("Đơn vị"), unit.name),
        (_("Mã đơn vị"), unit.code),
        (_("Trực thuộc"), unit.parent.name if unit.parent_id else ""),
        (_("Đợt đánh giá"), round_.name),
        (_("Bộ tiêu chí"), spec.name),
        (_("Nhóm / vùng"), submission.group),
        (_("Trạng thái hồ sơ"), submission.get_status_display()),
        (_("Số tiêu chí đạt"), submission.criteria_met),
        (_("Số tiêu chí của bộ"), len(spec.criteria)),
        (_("Đạt chuẩn"), _("Đạt") if standard else _("Chưa đạt")),
        (_("Ngày nộp lần đầu"), _local(submission.first_submitted_at)),
        (_("Ngày nộp"), _local(submission.submitted_at)),
        (_("Ngày công nhận"), _local(submission.recognised_at)),
        (_("Số quyết định công nhận"), submission.decision_number),
        (_("Ngày quyết định"), submission.decision_date),
        (_("Công khai"), _("Có") if submission.published else _("Không")),
    ]
    write_table(
        sheet, [_("Thông tin"), _("Giá trị")], facts, widths=[26, 60], start_row=start, freeze=False, autofilter=False
    )
    _print_setup(sheet, title)

    sheet = book.add_sheet(_("Tiêu chí"))
    appraisal_labels = dict(AppraisalStatus.choices)
    criteria_rows = []
    for criterion in spec.criteria:
        result = results.get(criterion.number)
        appraisal = appraisals.get(criterion.number)
        criteria_rows.append(
            [
                criterion.number,
                criterion.name,
                departments.get(criterion.department, criterion.department),
                (_("Đạt") if result.met else _("Chưa đạt")) if result else _("Chưa có số liệu"),
                result.met_count if result else None,
                result.applicable_count if result else None,
                result.override_reason if result and result.override_met is not None else "",
                str(appraisal_labels.get(appraisal.status, appraisal.status)) if appraisal else "",
                _local(appraisal.appraised_at) if appraisal else None,
                _names([appraisal.appraised_by]) if appraisal else "",
                appraisal.comment if appraisal else "",
                "\n".join(by_criterion.get(criterion.number, [])),
            ]
        )
    write_table(
        sheet,
        [
            _("Tiêu chí"),
            _("Tên tiêu chí"),
            _("Sở, ngành thẩm định"),
            _("Kết quả"),
            _("Số chỉ tiêu đạt"),
            _("Số chỉ tiêu áp dụng"),
            _("Lý do điều chỉnh kết quả"),
            _("Thẩm định"),
            _("Ngày thẩm định"),
            _("Người thẩm định"),
            _("Ý kiến thẩm định"),
            _("Ý kiến trả lại"),
        ],
        criteria_rows,
        widths=[8, 36, 28, 12, 10, 10, 30, 16, 14, 20, 40, 40],
        column_formats=[None, "wrap", "wrap", "text", None, None, "wrap", "text", None, "text", "wrap", "wrap"],
    )
    _print_setup(sheet, title, header_rows=(0, 0))

    sheet = book.add_sheet(_("Chỉ tiêu"))
    indicator_rows = []
    for criterion, indicator in spec.indicators():
        value = values.get(indicator.code)
        raw = value.raw if value else ""
        indicator_rows.append(
            [
                criterion.number,
                indicator.code,
                indicator.name,
                indicator.unit,
                _typed(indicator, raw) if raw else "",
                value.note if value else "",
                value.target if value else indicator.target_for(submission.group or None),
                str(INDICATOR_STATUS_LABELS.get(value.status, value.status)) if value else _("Chưa có số liệu"),
                evidence.get(indicator.code, 0),
                "\n".join(by_indicator.get(indicator.code, [])),
            ]
        )
    write_table(
        sheet,
        [
            _("Tiêu chí"),
            _("Mã chỉ tiêu"),
            _("Chỉ tiêu"),
            _("Đơn vị tính"),
            _("Giá trị"),
            _("Ghi chú"),
            _("Mức cần đạt"),
            _("Kết quả"),
            _("Số minh chứng"),
            _("Ý kiến của người xét duyệt"),
        ],
        indicator_rows,
        widths=[8, 10, 50, 14, 14, 30, 16, 16, 10, 40],
        column_formats=[None, "text", "wrap", "text", None, "wrap", "text", "text", None, "wrap"],
    )
    _print_setup(sheet, title, header_rows=(0, 0))

    sheet = book.add_sheet(_("Ý kiến"))
    stage_labels = dict(SubmissionStatus.choices)
    write_table(
        sheet,
        [_("Ngày"), _("Bước"), _("Tiêu chí"), _("Chỉ tiêu"), _("Ý kiến"), _("Người ghi"), _("Đã xử lý ngày")],
        [
            [
                _local(item.created_at),
                str(stage_labels.get(item.stage, item.stage)),
                item.criterion_number,
                item.indicator_code,
                item.comment,
                _names([item.created_by]),
                _local(item.resolved_at),
            ]
            for item in returned
        ],
        widths=[12, 24, 8, 10, 60, 20, 14],
        column_formats=[None, "text", None, "text", "wrap", "text", None],
    )
    _print_setup(sheet, title, header_rows=(0, 0))
    return book.close()


def unit_submission(round_: Round, unit: Unit) -> Submission:
    """The submission :func:`export_unit` reports on, with what it reads."""
    submission = (
        Submission.objects.select_related("round__criteria_version", "unit__parent")
        .filter(round=round_, unit=unit)
        .first()
    )
    if submission is None:
        raise ExportError(_("Đơn vị %(unit)s không có hồ sơ trong đợt này.") % {"unit": unit.code})
    return submission


# --- (3) the departments' appraisal lists -------------------------------------------------------------


def _appraisal_rows(round_: Round, filters: statistics.Filters):
    latest_return = Subquery(
        ReturnedItem.objects.filter(
            submission_id=OuterRef("submission_id"),
            criterion_number=OuterRef("number"),
            stage=SubmissionStatus.APPRAISAL,
        )
        .order_by("-created_at")
        .values("comment")[:1]
    )
    return (
        CriterionAppraisal.objects.filter(filters.counted_where("submission__"))
        .annotate(
            returned_comment=Case(
                When(status=AppraisalStatus.RETURNED, then=latest_return),
                default=Value(""),
                output_field=models.TextField(),
            ),
            appraiser=Coalesce(
                NullIf(Concat("appraised_by__first_name", Value(" "), "appraised_by__last_name"), Value(" ")),
                "appraised_by__username",
            ),
        )
        .order_by("department__name", "department_id", "submission__unit__path", "number")
        .values_list(
            "department_id",
            "submission__unit__code",
            "submission__unit__name",
            "submission__unit__parent__name",
            "number",
            "status",
            "appraised_at",
            "appraiser",
            "comment",
            "returned_comment",
            "submission__status",
            "submission__stage_entered_at",
        )
    )


def export_departments(
    round_: Round,
    output: Output = None,
    *,
    parent: Unit | None = None,
    group: str = "",
    basis: str = Basis.ALL,
    now: datetime.datetime | None = None,
) -> bytes | None:
    """An overview sheet (progress of each department) and one sheet per department listing every
    appraisal: unit, criterion, status, date, appraiser, comment, and whether it is overdue."""
    spec = round_.spec
    names = {criterion.number: criterion.name for criterion in spec.criteria}
    now = now or timezone.now()
    progress = statistics.appraisal_progress(round_, parent=parent, group=group, basis=basis, now=now)
    cutoff = now - datetime.timedelta(days=statistics.stage_days())
    book = _book(output)
    title = _("Thẩm định theo sở, ngành – %(round)s") % {"round": round_.name}
    sheet = book.add_sheet(_("Tổng hợp"))
    start = _title(
        book,
        sheet,
        title,
        _scope_text(round_, parent, group, basis),
        _("Quá hạn: chờ thẩm định quá %(days)s ngày kể từ khi hồ sơ chuyển sở, ngành.")
        % {"days": statistics.stage_days()},
    )
    write_table(
        sheet,
        [
            _("Sở, ngành"),
            _("Tiêu chí phụ trách"),
            _("Chờ thẩm định"),
            _("Đã thẩm định"),
            _("Trả lại"),
            _("Quá hạn"),
            _("Tổng"),
        ],
        [
            [
                item.name,
                ", ".join(map(str, item.criteria)),
                item.pending,
                item.approved,
                item.returned,
                item.overdue,
                item.total,
            ]
            for item in progress
        ],
        widths=[40, 20, 12, 12, 10, 10, 10],
        column_formats=["wrap", "text", None, None, None, None, None],
        start_row=start,
    )
    _print_setup(sheet, title, header_rows=(start, start))

    department_names = {item.department_id: item.name for item in progress}
    status_labels = dict(AppraisalStatus.choices)
    headers = [
        _("Mã đơn vị"),
        _("Đơn vị"),
        _("Trực thuộc"),
        _("Tiêu chí"),
        _("Tên tiêu chí"),
        _("Trạng thái"),
        _("Ngày thẩm định"),
        _("Người thẩm định"),
        _("Ý kiến"),
        _("Quá hạn"),
    ]
    rows = _appraisal_rows(round_, statistics.Filters(round_, parent, None, group, basis)).iterator(chunk_size=2000)
    for department_id, items in itertools.groupby(rows, key=lambda row: row[0]):
        name = department_names.get(department_id) or _("(chưa giao sở, ngành)")
        sheet = book.add_sheet(name)
        sheet_title = f"{name} – {round_.name}"
        start = _title(book, sheet, sheet_title)
        write_table(
            sheet,
            headers,
            (
                [
                    code,
                    unit_name,
                    parent_name or "",
                    number,
                    names.get(number, ""),
                    str(status_labels.get(status, status)),
                    _local(appraised_at),
                    (appraiser or "").strip(),
                    "\n".join(text for text in (comment, returned_comment) if text),
                    _("Quá hạn")
                    if status == AppraisalStatus.PENDING
                    and submission_status == SubmissionStatus.APPRAISAL
                    and entered is not None
                    and entered < cutoff
                    else "",
                ]
                for (
                    _department,
                    code,
                    unit_name,
                    parent_name,
                    number,
                    status,
                    appraised_at,
                    appraiser,
                    comment,
                    returned_comment,
                    submission_status,
                    entered,
                ) in items
            ),
            widths=[10, 28, 22, 8, 30, 16, 14, 20, 40, 10],
            column_formats=["text", "text", "text", None, "wrap", "text", None, "text", "wrap", "text"],
            start_row=start,
        )
        _print_setup(sheet, sheet_title, header_rows=(start, start))
    return book.close()


# --- (4) the statistics -------------------------------------------------------------------------------


def _key_figures(stats: statistics.RoundStatistics, spec: SetSpec) -> list[tuple[str, int | Decimal, str]]:
    summary = stats.summary
    word = unit_word(spec)
    total = summary.criteria_count

    def share(part: int) -> str:
        percent = _percent(part, summary.units_counted)
        if percent is None:
            return ""
        return _("%(part)s/%(whole)s %(unit)s (%(percent)s%%)") % {
            "part": vi_number(part),
            "whole": vi_number(summary.units_counted),
            "unit": word,
            "percent": vi_number(percent, 2),
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
    """The statistics of :func:`submissions.statistics.round_statistics`, one table per sheet."""
    spec = round_.spec
    stats = statistics.round_statistics(round_, parent=parent, group=group, basis=basis, now=now)
    summary = stats.summary
    book = _book(output)
    decimals = _with_number(book, DECIMAL_FORMAT)
    decimal = decimals.number
    title = _("Thống kê – %(round)s") % {"round": round_.name}

    sheet = book.add_sheet(_("Thống kê"))
    write_cell(sheet, 0, 0, title, book.formats.title)
    write_cell(sheet, 1, 0, _scope_text(round_, parent, group, basis))
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
    _print_setup(sheet, title)

    def table(name: str, headers: list[str], rows: Iterable, widths: list[int], formats: list[str | None]) -> None:
        sheet = book.add_sheet(name)
        write_table(sheet, headers, rows, widths=widths, column_formats=formats, formats=decimals)
        _print_setup(sheet, f"{title} – {name}", header_rows=(0, 0))

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
                _percent(stat.units_meeting, counted),
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
        [[item.criteria_met, item.units, _percent(item.units, counted)] for item in stats.distribution],
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


# --- one entry point ----------------------------------------------------------------------------------


def export_round(
    round_: Round,
    kind: str,
    output: Output = None,
    *,
    parent: Unit | None = None,
    unit: Unit | None = None,
    group: str = "",
    basis: str = Basis.ALL,
) -> bytes | None:
    """Write the export ``kind`` (:class:`ExportKind`) of ``round_``; ``unit`` is required for "unit"."""
    if kind == ExportKind.UNIT:
        if unit is None:
            raise ExportError(_("Chọn đơn vị để xuất báo cáo chi tiết."))
        return export_unit(unit_submission(round_, unit), output)
    writers = {
        ExportKind.SUMMARY: export_summary,
        ExportKind.DEPARTMENTS: export_departments,
        ExportKind.STATISTICS: export_statistics,
    }
    if kind not in writers:
        raise ExportError(_("Không có loại báo cáo “%(kind)s”.") % {"kind": kind})
    return writers[kind](round_, output, parent=parent, group=group, basis=basis)


def export_filename(round_: Round, kind: str, *, unit: Unit | None = None, parent: Unit | None = None) -> str:
    """An ASCII file name: ``tong-hop-dot-12-66.xlsx``, ``bao-cao-dot-12-24181.xlsx``, …"""
    stems = {
        ExportKind.SUMMARY: "tong-hop",
        ExportKind.UNIT: "bao-cao",
        ExportKind.DEPARTMENTS: "tham-dinh",
        ExportKind.STATISTICS: "thong-ke",
    }
    place = unit or parent
    suffix = f"-{place.code}" if place is not None else ""
    return f"{stems.get(kind, 'xuat')}-dot-{round_.pk}{suffix}.xlsx"
