"""Reviewers' pages: a queue of exactly their work, and one submission with its history and actions."""

import datetime
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cms.audit.wording import history_words
from cms.input import FORBIDDEN_MESSAGE, forbidden_fields
from cms.xlsx import Book, write_table
from criteria_pages.vocabulary import FORM_NO, FORM_YES
from submissions import access
from submissions.audit import history
from submissions.errors import SubmissionError
from submissions.models import SubmissionStatus
from submissions.recognition.selectors import preconditions_of
from submissions.review import bulk
from submissions.review import flow as review
from submissions.review import selectors as review_selectors


def _detail_or_404(request, pk: int):
    submission = get_object_or_404(
        access.reviewable_submissions(request.user).select_related(
            "round__criteria_version", "unit__parent", "unit__edition", "product__producer"
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
    bulk_action = bulk.action_for_queue(request.user, context["status"]) if context["mode"] == "submissions" else ""
    return render(
        request,
        "submissions/review/queue.html",
        {**context, "filters": filters, "bulk_action": bulk_action, "tick_all": request.GET.get("chon") == "tat-ca"},
    )


#: Empty item rows of the return form; "Thêm ý kiến" adds this many more (without JavaScript, by reloading).
RETURN_ROWS = 5
MAX_RETURN_ROWS = 200


def _return_rows(request) -> int:
    try:
        wanted = int(request.GET.get("y-kien", RETURN_ROWS))
    except ValueError:
        wanted = RETURN_ROWS
    return min(max(wanted, RETURN_ROWS), MAX_RETURN_ROWS)


@login_required
def detail(request, pk: int):
    submission = _detail_or_404(request, pk)
    context = review_selectors.detail_context(request.user, submission)
    rows = _return_rows(request)
    context.update(
        history_rows=history_words(context["history"], submission),
        return_rows=range(rows),
        more_return_rows=min(rows + RETURN_ROWS, MAX_RETURN_ROWS),
        preconditions=preconditions_of(submission),
    )
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


def _return_items(post) -> tuple[list[dict], list[str]]:
    """The item rows of the return form (any number, in pairs ``item_target`` / ``item_comment``) as the
    flow's items, and the comments typed without choosing an item (they join the overall comment)."""
    items, loose = [], []
    targets, comments = post.getlist("item_target"), post.getlist("item_comment")
    for index, comment in enumerate(comments):
        target = targets[index] if index < len(targets) else ""
        if not comment.strip():
            continue
        kind, _sep, value = target.partition(":")
        if kind == review_selectors.RETURN_CRITERION and value.isdigit():
            items.append({"criterion_number": int(value), "comment": comment})
        elif kind == review_selectors.RETURN_INDICATOR and value:
            items.append({"indicator_code": value, "comment": comment})
        else:
            loose.append(comment.strip())
    return items, loose


@login_required
@require_POST
def return_(request, pk: int):
    def action(submission):
        items, loose = _return_items(request.POST)
        comment = "\n".join(text for text in (request.POST.get("comment", "").strip(), *loose) if text)
        review.review_return(
            submission=submission,
            user=request.user,
            comment=comment,
            items=items,
            expected_version=_version(request),
        )
        count = len(items) + (1 if comment else 0)
        if submission.product_id:
            return _("Đã trả lại hồ sơ cho chủ thể kèm %(count)s ý kiến.") % {"count": count}
        return _("Đã trả lại hồ sơ cho xã kèm %(count)s ý kiến.") % {"count": count}

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


def _decision_date(value: str) -> datetime.date | None:
    """A decision date as typed: dd/mm/yyyy (or ISO); None when it cannot be read."""
    try:
        return datetime.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None


#: What the recognition form keeps when it is shown again after a refusal.
RECOGNISE_TYPED = ("decision_number", "decision_date", "standard_override", "reason")


def _confirm_one(request, submission, action: str):
    """The confirmation page of one submission's recognition or publishing, or back to the detail if refused."""
    published = action != bulk.BulkAction.PUBLISH or not submission.published
    outcome = bulk.preview(action, submissions=[submission], user=request.user, published=published)[0]
    if not outcome.done:
        messages.error(request, outcome.message)
        return redirect("review:detail", pk=submission.pk)
    return render(
        request,
        "submissions/review/confirm.html",
        {
            "action": action,
            "single": submission,
            "changes": [outcome],
            "refusals": [],
            "published": published,
            "typed": {name: request.GET.get(name, "") for name in RECOGNISE_TYPED},
            "preconditions": preconditions_of(submission) if action == bulk.BulkAction.RECOGNISE else [],
            "post_url": reverse(f"review:{action}", args=[submission.pk]),
            "back_url": reverse("review:detail", args=[submission.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recognise(request, pk: int):
    if request.method == "GET":
        return _confirm_one(request, _detail_or_404(request, pk), bulk.BulkAction.RECOGNISE)

    def action(submission):
        standard = {FORM_YES: True, FORM_NO: False}.get(request.POST.get("standard_override", ""))
        review.recognise(
            submission=submission,
            user=request.user,
            decision_number=request.POST.get("decision_number", ""),
            decision_date=_decision_date(request.POST.get("decision_date", "")),
            document=request.FILES.get("decision_document"),
            standard_override=standard,
            reason=request.POST.get("reason", ""),
            expected_version=_version(request),
        )
        return _("Đã công nhận kết quả.")

    response = _act(request, pk, action)
    submission = _detail_or_404(request, pk)
    if (
        submission.status == SubmissionStatus.RECOGNITION
        and bulk.preview(bulk.BulkAction.RECOGNISE, submissions=[submission], user=request.user)[0].done
    ):
        # Refused for what was typed: back to the confirmation page with it (the file must be chosen again).
        typed = {name: request.POST.get(name, "") for name in RECOGNISE_TYPED}
        return redirect(f"{reverse('review:recognise', args=[pk])}?{urlencode(typed)}")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk: int):
    if request.method == "GET":
        return _confirm_one(request, _detail_or_404(request, pk), bulk.BulkAction.PUBLISH)

    def action(submission):
        published = request.POST.get("published") == "1"
        review.publish(submissions=[submission], user=request.user, published=published)
        return _("Đã công khai kết quả.") if published else _("Đã thôi công khai kết quả.")

    return _act(request, pk, action)


#: The queue's "select every row" switch: never carried back after an action, so rows the reviewer unticked are
#: not ticked again under them (a second click would act on them unseen).
SELECT_ALL_PARAMETER = "chon"


def _queue_url(request) -> str:
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return reverse("review:queue")
    parts = urlsplit(next_url)
    query = [
        (key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != SELECT_ALL_PARAMETER
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _report(request, outcomes: list, done_message: str) -> None:
    """One success message for the items done, one error message per item refused."""
    done = sum(outcome.done for outcome in outcomes)
    if done:
        messages.success(request, done_message % {"count": done})
    for outcome in outcomes:
        if not outcome.done:
            messages.error(request, bulk.refused_line(outcome))
    if not outcomes:
        messages.error(request, _("Chưa chọn hồ sơ nào."))


def _ticked_rows(post) -> list[tuple[int, int]]:
    """The ticked rows of the appraiser's queue: ``row`` values "<submission>:<criterion>" (or, as before,
    ``submission`` ids with one ``number``)."""
    pairs = []
    for value in post.getlist("row"):
        submission, _sep, number = value.partition(":")
        if submission.isdigit() and number.isdigit():
            pairs.append((int(submission), int(number)))
    number = post.get("number", "")
    if number.isdigit():
        pairs += [(int(value), int(number)) for value in post.getlist("submission") if value.isdigit()]
    return list(dict.fromkeys(pairs))[: bulk.BULK_MAX]


@login_required
@require_POST
def appraise_many(request):
    """The ticked rows of the appraiser's queue, each appraised for its own criterion."""
    if forbidden_fields(request.POST):
        messages.error(request, FORBIDDEN_MESSAGE)
        return redirect("review:queue")
    pairs = _ticked_rows(request.POST)
    submissions, missing = bulk.submissions_chosen(request.user, [pk for pk, _number in pairs])
    by_pk = {submission.pk: submission for submission in submissions}
    outcomes = bulk.appraisals_decide(
        pairs=[(by_pk[pk], number) for pk, number in pairs if pk in by_pk],
        user=request.user,
        comment=request.POST.get("comment", ""),
    )
    _report(request, outcomes + missing, _("Đã thẩm định %(count)s tiêu chí đã chọn."))
    return redirect(_queue_url(request))


# --- forward, recognise and publish many: the ticked rows, a confirmation page, then the action ----------------


def _chosen_ids(post) -> list[int]:
    return list(dict.fromkeys(int(value) for value in post.getlist("submission") if value.isdigit()))[: bulk.BULK_MAX]


def _confirm_many(request, action: str, outcomes: list, *, status: int = 200, typed: dict | None = None):
    return render(
        request,
        "submissions/review/confirm.html",
        {
            "action": action,
            "changes": [outcome for outcome in outcomes if outcome.done],
            "refusals": [outcome for outcome in outcomes if not outcome.done],
            "published": True,
            "typed": typed or {},
            "post_url": reverse(f"review:{action}-many"),
            "back_url": _queue_url(request),
            "next": _queue_url(request),
        },
        status=status,
    )


def _many(request, action: str, act, done_message: str):
    """Without ``confirm``: the page that lists what will change. With it: act on the items confirmed (each
    with the ``lock_version`` shown) and go back to the queue with one message per item refused."""
    if not access.is_reviewer(request.user):
        raise Http404
    if forbidden_fields(request.POST):
        messages.error(request, FORBIDDEN_MESSAGE)
        return redirect("review:queue")
    ids = _chosen_ids(request.POST)
    if not ids:
        messages.error(request, _("Chưa chọn hồ sơ nào."))
        return redirect(_queue_url(request))
    submissions, missing = bulk.submissions_chosen(request.user, ids)
    typed = {name: request.POST.get(name, "") for name in ("comment", "decision_number", "decision_date")}
    if request.POST.get("confirm") != "1":
        outcomes = bulk.preview(action, submissions=submissions, user=request.user)
        return _confirm_many(request, action, bulk.in_order(ids, outcomes + missing), typed=typed)
    versions = {pk: int(value) for pk in ids if (value := request.POST.get(f"v_{pk}", "")).isdigit()}
    try:
        outcomes = act(submissions, versions)
    except SubmissionError as error:  # the decision itself is refused (no number or date): nothing changed
        messages.error(request, error.message)
        outcomes = bulk.preview(action, submissions=submissions, user=request.user)
        return _confirm_many(request, action, bulk.in_order(ids, outcomes + missing), typed=typed)
    _report(request, bulk.in_order(ids, outcomes + missing), done_message)
    return redirect(_queue_url(request))


@login_required
@require_POST
def forward_many(request):
    def act(submissions, versions):
        return bulk.submissions_forward(
            submissions=submissions,
            user=request.user,
            comment=request.POST.get("comment", ""),
            expected_versions=versions,
        )

    return _many(request, bulk.BulkAction.FORWARD, act, _("Đã chuyển %(count)s hồ sơ cho sở, ngành thẩm định."))


@login_required
@require_POST
def recognise_many(request):
    def act(submissions, versions):
        return bulk.submissions_recognise(
            submissions=submissions,
            user=request.user,
            decision_number=request.POST.get("decision_number", ""),
            decision_date=_decision_date(request.POST.get("decision_date", "")),
            document=request.FILES.get("decision_document"),
            expected_versions=versions,
        )

    return _many(request, bulk.BulkAction.RECOGNISE, act, _("Đã công nhận %(count)s hồ sơ theo một quyết định."))


@login_required
@require_POST
def publish_many(request):
    def act(submissions, versions):
        return bulk.submissions_publish(submissions=submissions, user=request.user, expected_versions=versions)

    return _many(request, bulk.BulkAction.PUBLISH, act, _("Đã công khai kết quả của %(count)s hồ sơ."))


@login_required
def history_export(request, pk: int):
    """The submission's full audit trail as an xlsx file."""
    submission = _detail_or_404(request, pk)
    book = Book()
    sheet = book.add_sheet(_("Lịch sử"))
    rows = [
        [row.when, row.who, row.role, row.action, row.comment, "\n".join(row.changes)]
        for row in history_words(history(submission).order_by("at", "pk"), submission)
    ]
    write_table(
        sheet,
        [_("Thời điểm"), _("Người"), _("Vai trò"), _("Thao tác"), _("Ý kiến"), _("Thay đổi")],
        rows,
        widths=[18, 24, 24, 28, 40, 60],
    )
    response = HttpResponse(
        book.close(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="lich-su-ho-so-{submission.pk}.xlsx"'
    return response
