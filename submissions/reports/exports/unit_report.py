"""Export (2), one unit's detailed report: facts, criteria, indicators and the reviewers' comments."""

from django.db.models import Count
from django.utils.translation import gettext as _

from cms.directory.models import Department, Unit
from cms.xlsx import write_table
from criteria_pages.evaluation import InvalidValue, coerce_value
from criteria_pages.wording import target_words, verdict_words
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

from .common import ExportError, Output, local_time, new_book, print_setup, write_title


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

    book = new_book(output)
    title = _("Báo cáo chi tiết: %(unit)s – %(round)s") % {"unit": unit.name, "round": round_.name}

    sheet = book.add_sheet(_("Tổng hợp"))
    start = write_title(book, sheet, title)
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
        (_("Ngày nộp lần đầu"), local_time(submission.first_submitted_at)),
        (_("Ngày nộp"), local_time(submission.submitted_at)),
        (_("Ngày công nhận"), local_time(submission.recognised_at)),
        (_("Số quyết định công nhận"), submission.decision_number),
        (_("Ngày quyết định"), submission.decision_date),
        (_("Công khai"), _("Có") if submission.published else _("Không")),
    ]
    write_table(
        sheet, [_("Thông tin"), _("Giá trị")], facts, widths=[26, 60], start_row=start, freeze=False, autofilter=False
    )
    print_setup(sheet, title)

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
                local_time(appraisal.appraised_at) if appraisal else None,
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
    print_setup(sheet, title, header_rows=(0, 0))

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
                target_words(indicator, submission.group or None, target=value.target if value else None),
                verdict_words(value.status if value else "", entered=bool(raw.strip())),
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
    print_setup(sheet, title, header_rows=(0, 0))

    sheet = book.add_sheet(_("Ý kiến"))
    stage_labels = dict(SubmissionStatus.choices)
    write_table(
        sheet,
        [_("Ngày"), _("Bước"), _("Tiêu chí"), _("Chỉ tiêu"), _("Ý kiến"), _("Người ghi"), _("Đã xử lý ngày")],
        [
            [
                local_time(item.created_at),
                str(stage_labels.get(item.stage, item.stage)),
                item.criterion_number,
                item.indicator_code,
                item.comment,
                _names([item.created_by]),
                local_time(item.resolved_at),
            ]
            for item in returned
        ],
        widths=[12, 24, 8, 10, 60, 20, 14],
        column_formats=[None, "text", None, "text", "wrap", "text", None],
    )
    print_setup(sheet, title, header_rows=(0, 0))
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
