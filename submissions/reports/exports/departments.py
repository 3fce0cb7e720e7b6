"""Export (3), the departments' appraisal lists: an overview sheet and one sheet per department."""

import datetime
import itertools

from django.db import models
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.directory.models import Unit
from cms.xlsx import write_table
from submissions.models import AppraisalStatus, Basis, CriterionAppraisal, ReturnedItem, Round, SubmissionStatus
from submissions.reports import statistics

from .common import Output, local_time, new_book, print_setup, scope_text, tracked, write_title


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
    book = new_book(output)
    title = _("Thẩm định theo sở, ngành – %(round)s") % {"round": round_.name}
    sheet = book.add_sheet(_("Tổng hợp"))
    start = write_title(
        book,
        sheet,
        title,
        scope_text(round_, parent, group, basis),
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
    print_setup(sheet, title, header_rows=(start, start))

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
    total = sum(item.total for item in progress)
    for department_id, items in itertools.groupby(tracked(rows, total), key=lambda row: row[0]):
        name = department_names.get(department_id) or _("(chưa giao sở, ngành)")
        sheet = book.add_sheet(name)
        sheet_title = f"{name} – {round_.name}"
        start = write_title(book, sheet, sheet_title)
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
                    local_time(appraised_at),
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
        print_setup(sheet, sheet_title, header_rows=(start, start))
    return book.close()
