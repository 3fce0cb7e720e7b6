"""Reviewers' pages: a queue of exactly their work, and one submission with its history and actions."""

import datetime
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.input import FORBIDDEN_MESSAGE, forbidden_fields
from cms.xlsx import Book, write_table
from criteria_pages.vocabulary import FORM_NO, FORM_YES
from submissions import access
from submissions.audit import history
from submissions.errors import SubmissionError
from submissions.models import AppraisalStatus, SubmissionStatus
from submissions.review import flow as review
from submissions.review import selectors as review_selectors


def _detail_or_404(request, pk: int):
    submission = get_object_or_404(
        access.reviewable_submissions(request.user).select_related(
            "round__criteria_version", "unit__parent", "unit__edition"
        ),
        pk=pk,
    )
    return submission


@login_required
def queue(request):
    filters = review_selectors.QueueFilters.from_query(request.GET)
    context = review_selectors.queue_for(request.user, filters)
    if context is None:
        raise Http404
    return render(request, "submissions/review/queue.html", {**context, "filters": filters})


@login_required
def detail(request, pk: int):
    submission = _detail_or_404(request, pk)
    context = review_selectors.detail_context(request.user, submission)
    return render(request, "submissions/review/detail.html", context)


def _version(request) -> int | None:
    try:
        return int(request.POST["lock_version"])
    except (KeyError, ValueError):
        return None


def _act(request, pk: int, action) -> object:
    submission = _detail_or_404(request, pk)
    if forbidden_fields(request.POST):  # nothing is stored that the database would refuse or a reader not see
        messages.error(request, FORBIDDEN_MESSAGE)
        return redirect("review:detail", pk=pk)
    try:
        message = action(submission)
    except SubmissionError as error:
        messages.error(request, error.message)
        if error.details and error.code == "incomplete":
            for detail in error.details:
                messages.error(request, detail)
        return redirect("review:detail", pk=pk)
    messages.success(request, message)
    return redirect("review:detail", pk=pk)


@login_required
@require_POST
def forward(request, pk: int):
    def action(submission):
        review.review_forward(
            submission=submission,
            user=request.user,
            comment=request.POST.get("comment", ""),
            expected_version=_version(request),
        )
        return _("Đã thẩm tra và chuyển sở, ngành thẩm định.")

    return _act(request, pk, action)


def _return_items(post) -> list[dict]:
    items = []
    for index, target in enumerate(post.getlist("item_target")):
        comments = post.getlist("item_comment")
        comment = comments[index] if index < len(comments) else ""
        if not target or not comment.strip():
            continue
        kind, _sep, value = target.partition(":")
        if kind == "c" and value.isdigit():
            items.append({"criterion_number": int(value), "comment": comment})
        elif kind == "i":
            items.append({"indicator_code": value, "comment": comment})
    return items


@login_required
@require_POST
def return_(request, pk: int):
    def action(submission):
        review.review_return(
            submission=submission,
            user=request.user,
            comment=request.POST.get("comment", ""),
            items=_return_items(request.POST),
            expected_version=_version(request),
        )
        return _("Đã trả lại hồ sơ cho xã kèm ý kiến.")

    return _act(request, pk, action)


@login_required
@require_POST
def appraise(request, pk: int):
    def action(submission):
        number = int(request.POST.get("number", "0") or 0)
        review.appraisal_decide(
            submission=submission,
            number=number,
            user=request.user,
            comment=request.POST.get("comment", ""),
            expected_version=_version(request),
        )
        return _("Đã thẩm định tiêu chí %(n)s.") % {"n": number}

    return _act(request, pk, action)


@login_required
@require_POST
def override(request, pk: int):
    def action(submission):
        target = request.POST.get("target", "")
        kind, _sep, value = target.partition(":")
        choice = request.POST.get("verdict", "")
        if kind == "c" and value.isdigit():
            met = {"met": True, "not_met": False}.get(choice)
            review.verdict_override(
                submission=submission,
                user=request.user,
                reason=request.POST.get("reason", ""),
                criterion_number=int(value),
                met=met,
            )
        elif kind == "i":
            review.verdict_override(
                submission=submission,
                user=request.user,
                reason=request.POST.get("reason", ""),
                indicator_code=value,
                status=choice if choice in ("met", "not_met", "not_applicable") else "",
            )
        else:
            raise SubmissionError(_("Chọn tiêu chí hoặc chỉ tiêu cần điều chỉnh."))
        return _("Đã điều chỉnh kết quả (có ghi lý do).")

    return _act(request, pk, action)


@login_required
@require_POST
def recognise(request, pk: int):
    def action(submission):
        try:
            decision_date = datetime.datetime.strptime(request.POST.get("decision_date", ""), "%d/%m/%Y").date()
        except ValueError:
            try:
                decision_date = datetime.date.fromisoformat(request.POST.get("decision_date", ""))
            except ValueError:
                decision_date = None
        standard = {FORM_YES: True, FORM_NO: False}.get(request.POST.get("standard_override", ""))
        review.recognise(
            submission=submission,
            user=request.user,
            decision_number=request.POST.get("decision_number", ""),
            decision_date=decision_date,
            document=request.FILES.get("decision_document"),
            standard_override=standard,
            reason=request.POST.get("reason", ""),
            expected_version=_version(request),
        )
        return _("Đã công nhận kết quả.")

    return _act(request, pk, action)


@login_required
@require_POST
def publish(request, pk: int):
    def action(submission):
        published = request.POST.get("published") == "1"
        review.publish(submissions=[submission], user=request.user, published=published)
        return _("Đã công khai kết quả.") if published else _("Đã thôi công khai kết quả.")

    return _act(request, pk, action)


@login_required
@require_POST
def appraise_many(request):
    """One criterion for many communes in one action (from the appraiser's queue)."""
    if forbidden_fields(request.POST):
        messages.error(request, FORBIDDEN_MESSAGE)
        return redirect("review:queue")
    try:
        number = int(request.POST.get("number", ""))
    except ValueError:
        messages.error(request, _("Chọn tiêu chí cần thẩm định."))
        return redirect("review:queue")
    ids = [int(value) for value in request.POST.getlist("submission") if value.isdigit()]
    submissions = (
        access.reviewable_submissions(request.user)
        .filter(
            pk__in=ids,
            status=SubmissionStatus.APPRAISAL,
            appraisals__number=number,
            appraisals__status=AppraisalStatus.PENDING,
        )
        .select_related("round__criteria_version", "unit")
    )
    done, problems = review.appraisal_decide_many(
        submissions=list(submissions.distinct()),
        number=number,
        user=request.user,
        comment=request.POST.get("comment", ""),
    )
    if done:
        messages.success(request, _("Đã thẩm định tiêu chí %(n)s cho %(count)s xã.") % {"n": number, "count": done})
    for problem in problems:
        messages.error(request, problem)
    if not done and not problems:
        messages.error(request, _("Không có hồ sơ nào được chọn."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("review:queue")
    return redirect(next_url)


@login_required
def history_export(request, pk: int):
    """The submission's full audit trail as an xlsx file."""
    submission = _detail_or_404(request, pk)
    book = Book()
    sheet = book.add_sheet(_("Lịch sử"))
    rows = [
        [
            timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M"),
            entry.actor.username if entry.actor else "",
            entry.role,
            entry.get_action_display(),
            entry.comment,
            json.dumps(entry.before, ensure_ascii=False) if entry.before else "",
            json.dumps(entry.after, ensure_ascii=False) if entry.after else "",
        ]
        for entry in history(submission).order_by("at", "pk")
    ]
    write_table(
        sheet,
        [_("Thời điểm"), _("Người"), _("Vai trò"), _("Thao tác"), _("Ý kiến"), _("Trước"), _("Sau")],
        rows,
        widths=[18, 16, 20, 28, 40, 40, 40],
    )
    response = HttpResponse(
        book.close(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="lich-su-ho-so-{submission.pk}.xlsx"'
    return response
