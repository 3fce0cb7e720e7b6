"""The commune's form step by step: one criterion per screen, the office's questions as their own step, a contents
screen with each step's state, and the check-your-answers page, the only screen that submits.

Works without JavaScript: every move is a POST that saves the draft (values, notes, files) before going on.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.errors import INCOMPLETE
from criteria_pages.evaluation import CriterionStatus, IndicatorStatus
from submissions import errors
from submissions.entry import services
from submissions.entry.forms import SubmissionForm
from submissions.entry.views import (
    FROM_CHECK,
    editable,
    error_links,
    form_context,
    form_sections,
    initial_of,
    missing_links,
    officer_submission,
    returned_links,
    save_draft,
)
from submissions.models import ReturnedItem
from submissions.review import flow as review

#: The buttons of a step (``name="go"``).
GO_PREVIOUS, GO_STAY, GO_NEXT, GO_CHECK = "prev", "stay", "next", "check"

#: A step's completeness on the contents screen.
COMPLETE = gettext_lazy("Đã đủ")
STILL_MISSING = gettext_lazy("Còn thiếu")
HAS_ERRORS = gettext_lazy("Có lỗi")


@dataclass
class Step:
    number: int
    title: str
    url: str
    state: str = ""
    state_class: str = ""
    verdict: str = ""
    verdict_class: str = ""


def _url(submission, number: int) -> str:
    return reverse("submissions:step", args=[submission.pk, number])


def _step_count(submission, form) -> int:
    return len(submission.round.spec.criteria) + (1 if form.question_sections else 0)


def _unbound(submission, sections) -> SubmissionForm:
    return SubmissionForm(initial=initial_of(submission), submission=submission, sections=sections)


@login_required
def submission_step(request, pk: int, number: int):
    """One criterion (or, after the last, the office's questions). POST saves, then goes where the button says:
    the previous or next step, the same step, or the check page; with field errors it stays, listing them."""
    submission = officer_submission(request, pk)
    sections = form_sections(submission)
    spec = submission.round.spec
    if not 1 <= number <= len(spec.criteria) + 1:
        raise Http404
    criterion = spec.criteria[number - 1] if number <= len(spec.criteria) else None
    codes = [indicator.code for indicator in criterion.indicators] if criterion else []
    from_check = request.GET.get("tu") == FROM_CHECK
    status = 200
    if request.method == "POST" and editable(submission):
        form = SubmissionForm(request.POST, request.FILES, submission=submission, sections=sections, codes=codes)
        if criterion is None and not form.question_sections:
            raise Http404
        form.is_valid()  # the draft keeps invalid values; they are listed in the error summary
        status = save_draft(request, submission, form)
        if status is None and not form.errors:
            messages.success(request, _("Đã lưu nháp."))
            return redirect(_destination(request, submission, number, _step_count(submission, form), from_check))
        if status is None:
            status = 200
            messages.warning(
                request,
                _("Đã lưu nháp, kể cả các giá trị chưa hợp lệ (%(count)s): sửa theo danh sách dưới đây.")
                % {"count": len(form.errors)},
            )
        form.data = form.data.copy()
        form.data["lock_version"] = str(submission.lock_version)
    else:
        if request.method == "POST":
            messages.error(request, _("Hồ sơ này không sửa được (đã nộp hoặc đợt đã đóng)."))
            status = 409
        form = _unbound(submission, sections)
        if criterion is None and not form.question_sections:
            raise Http404
    count = _step_count(submission, form)
    marked = []
    if from_check:
        marked = [
            item
            for item in services.missing_items(submission, required_questions=form.required_questions)
            if (item.code in codes if criterion else item.kind == "question")
        ]
    context = form_context(submission, form, [], marked=marked)
    step_returned = [
        item for item in context["returned"] if (item.criterion_number == criterion.number if criterion else False)
    ]
    context.update(
        step=number,
        step_count=count,
        criteria_count=len(spec.criteria),
        criterion=criterion,
        sections=[section for section in context["sections"] if criterion and section.criterion is criterion],
        returned=step_returned,
        error_links=error_links(form),
        missing_links=missing_links(submission, marked),
        returned_links=returned_links(submission, step_returned),
        from_check=from_check,
        previous_url=_url(submission, number - 1) if number > 1 else reverse("submissions:contents", args=[pk]),
        next_url=_url(submission, number + 1) if number < count else reverse("submissions:check", args=[pk]),
    )
    return render(request, "submissions/entry/step.html", context, status=status)


def _destination(request, submission, number: int, count: int, from_check: bool) -> str:
    go = request.POST.get("go", GO_STAY)
    check = reverse("submissions:check", args=[submission.pk])
    if go == GO_CHECK or (go == GO_NEXT and (from_check or number >= count)):
        return check
    if go == GO_PREVIOUS:
        return _url(submission, number - 1) if number > 1 else reverse("submissions:contents", args=[submission.pk])
    if go == GO_NEXT:
        return _url(submission, number + 1)
    return _url(submission, number) + (f"?tu={FROM_CHECK}" if from_check else "")


@login_required
def submission_contents(request, pk: int):
    """Every step with its state (đã đủ / còn thiếu / có lỗi) and its criterion's verdict, each a link."""
    submission = officer_submission(request, pk)
    form = _unbound(submission, form_sections(submission))
    missing = services.missing_items(submission, required_questions=form.required_questions)
    missing_codes = {item.code for item in missing}
    invalid = {row.code for row in submission.values.all() if row.raw.strip() and row.status == IndicatorStatus.MISSING}
    results = {row.number: row for row in submission.criterion_results.all()}
    steps = []
    for number, criterion in enumerate(submission.round.spec.criteria, start=1):
        codes = {indicator.code for indicator in criterion.indicators}
        step = Step(number, _("Tiêu chí %(n)s. %(name)s") % {"n": criterion.number, "name": criterion.name}, "")
        step.url = _url(submission, number)
        if codes & invalid:
            step.state, step.state_class = HAS_ERRORS, "errors"
        elif codes & missing_codes:
            step.state, step.state_class = STILL_MISSING, "missing"
        else:
            step.state, step.state_class = COMPLETE, "complete"
        result = results.get(criterion.number)
        if result is not None:
            step.verdict_class = result.status
            if result.met:
                step.verdict = _("Đạt")
            elif result.status == CriterionStatus.NOT_APPLICABLE:
                step.verdict = _("Không áp dụng")
            else:
                step.verdict = _("Chưa đạt")
        steps.append(step)
    if form.question_sections:
        asked = any(item.kind == "question" for item in missing)
        steps.append(
            Step(
                len(steps) + 1,
                _("Câu hỏi của văn phòng điều phối"),
                _url(submission, len(steps) + 1),
                STILL_MISSING if asked else COMPLETE,
                "missing" if asked else "complete",
            )
        )
    first_open = next((step for step in steps if step.state_class != "complete"), None)
    returned = list(ReturnedItem.objects.filter(submission=submission, resolved_at__isnull=True))
    context = {
        "submission": submission,
        "steps": steps,
        "first_open": first_open,
        "returned_links": returned_links(submission, returned, steps=True),
        "editable": editable(submission),
        "form_page": submission.round.form_page,
    }
    return render(request, "submissions/entry/contents.html", context)


@login_required
def submission_check(request, pk: int):
    """Check your answers: each criterion's verdict, the values in words, the files, what is still missing (each a
    link to its step); then "Nộp hồ sơ" (a POST, under the lock version the page was shown with)."""
    submission = officer_submission(request, pk)
    sections = form_sections(submission)
    form = _unbound(submission, sections)
    status = 200
    if request.method == "POST":
        status = _submit(request, submission, form)
        if status == 302:
            return redirect("submissions:check", pk=submission.pk)
        submission.refresh_from_db()
        form = _unbound(submission, sections)
    missing = services.missing_items(submission, required_questions=form.required_questions)
    context = form_context(submission, form, missing)
    for number, section in enumerate(context["sections"], start=1):
        section.step_url = _url(submission, number)
    context.update(
        missing_links=missing_links(submission, missing, steps=True),
        returned_links=returned_links(submission, context["returned"], steps=True),
        questions_url=_url(submission, len(context["sections"]) + 1),
        attempted=status == 400,
    )
    return render(request, "submissions/entry/check.html", context, status=status)


def _submit(request, submission, form) -> int:
    if not editable(submission):
        messages.error(request, _("Hồ sơ này không sửa được (đã nộp hoặc đợt đã đóng)."))
        return 409
    try:
        expected = int(request.POST.get("lock_version", ""))
    except ValueError:
        expected = -1
    if expected != submission.lock_version:
        messages.error(
            request,
            _("Hồ sơ vừa được lưu ở nơi khác sau khi bạn mở trang này. Hãy xem lại các giá trị dưới đây rồi nộp."),
        )
        return 409
    try:
        review.submission_submit(
            submission=submission,
            user=request.user,
            expected_version=expected,
            required_questions=form.required_questions,
        )
    except errors.ConflictError as error:
        messages.error(request, error.message)
        return 409
    except errors.SubmissionError as error:
        if error.code == INCOMPLETE:
            messages.error(request, _("Chưa nộp: còn thiếu các mục dưới đây. Chạm vào từng mục để bổ sung."))
            return 400
        messages.error(request, error.message)
        return 409
    messages.success(request, _("Đã nộp hồ sơ. Hồ sơ chỉ xem được cho đến khi được trả lại để sửa."))
    return 302
