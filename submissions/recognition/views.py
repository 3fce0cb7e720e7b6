"""The preconditions panel of a submission (``/xet-duyet/cong-nhan/ho-so/<id>/dieu-kien/``): where each
precondition of its set stands; the department named in one (or the office) confirms it or enters its figure with
evidence; the office waives one with a reason. Evidence is served only through the access check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.input import FORBIDDEN_MESSAGE, forbidden_fields
from cms.storage import private_file_response
from criteria_pages.spec import PreconditionKind
from submissions import access
from submissions.errors import SubmissionError
from submissions.models import Submission
from submissions.recognition import selectors, services
from submissions.recognition.forms import PreconditionConfirmForm, PreconditionWaiveForm


def _submission_or_404(request, pk: int) -> Submission:
    return get_object_or_404(
        access.precondition_submissions_visible_to(request.user).select_related(
            "round__criteria_version", "unit__parent", "unit__edition"
        ),
        pk=pk,
    )


@login_required
def awaiting(request):
    """The preconditions waiting for the caller's confirmation: their department's, or their province's."""
    rows = selectors.preconditions_awaiting(request.user)
    return render(request, "submissions/recognition/awaiting.html", {"rows": rows, "limit": selectors.AWAITING_MAX})


@login_required
def preconditions(request, pk: int):
    submission = _submission_or_404(request, pk)
    active = submission.status in selectors.ACTIVE_STAGES
    if active:
        services.preconditions_ensure(submission=submission)  # made at the first look, live ones brought up to date
    rows = selectors.preconditions_of(submission)
    may_waive = active and access.may_waive_precondition(request.user, submission)
    for row in rows:
        row.may_confirm = (
            active
            and row.confirmable
            and row.result is not None
            and access.may_confirm_precondition(request.user, row.result)
        )
        row.may_waive = may_waive
    return render(
        request,
        "submissions/recognition/preconditions.html",
        {
            "submission": submission,
            "rows": rows,
            "blocking": [row for row in rows if not row.cleared],
            "active": active,
            "waive_form": PreconditionWaiveForm() if may_waive else None,
            "reviewable": access.reviewable_submissions(request.user).filter(pk=pk).exists(),
        },
    )


def _act(request, pk: int, action):
    submission = _submission_or_404(request, pk)
    if forbidden_fields(request.POST):
        messages.error(request, FORBIDDEN_MESSAGE)
        return redirect("recognition:preconditions", pk=pk)
    try:
        message = action(submission)
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect("recognition:preconditions", pk=pk)


@login_required
@require_POST
def confirm(request, pk: int, code: str):
    def action(submission):
        spec = next((spec for spec in submission.round.spec.preconditions if spec.code == code), None)
        if spec is None:
            raise Http404
        form = PreconditionConfirmForm(request.POST, figure=spec.kind == PreconditionKind.FIGURE)
        if not form.is_valid():
            raise SubmissionError(" ".join(str(error) for errors in form.errors.values() for error in errors))
        services.precondition_confirm(
            submission=submission,
            code=code,
            user=request.user,
            files=request.FILES.getlist("files"),
            **form.service_arguments(),
        )
        return _("Đã ghi kết quả điều kiện %(code)s.") % {"code": code}

    return _act(request, pk, action)


@login_required
@require_POST
def waive(request, pk: int, code: str):
    def action(submission):
        form = PreconditionWaiveForm(request.POST)
        if not form.is_valid():
            raise SubmissionError(" ".join(str(error) for errors in form.errors.values() for error in errors))
        services.precondition_waive(
            submission=submission, code=code, user=request.user, reason=form.cleaned_data["reason"]
        )
        return _("Đã miễn điều kiện %(code)s (có ghi lý do).") % {"code": code}

    return _act(request, pk, action)


@login_required
def evidence_download(request, pk: int):
    """A precondition's evidence, private: only to those whose scope covers it (404 otherwise), streamed from the
    private storage with its original name, never cached."""
    evidence = get_object_or_404(access.precondition_evidence_visible_to(request.user), pk=pk)
    return private_file_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)
