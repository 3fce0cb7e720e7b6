"""The commune's form, outside the Wagtail admin: list, fill, save drafts, attach evidence, submit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from criteria_pages.forms import field_key
from submissions import access, errors
from submissions.entry import selectors, services
from submissions.entry.forms import SubmissionForm, attach_results
from submissions.models import ReturnedItem
from submissions.review import flow as review


@login_required
def submission_list(request):
    """A commune officer's forms; anyone else (a reviewer, an appraiser, the office) is sent to their own work."""
    if not access.is_commune_officer(request.user):
        return redirect("my_work")
    submissions = access.submissions_of_commune_officer(request.user)
    return render(request, "submissions/submission_list.html", {"submissions": submissions})


def _form_sections(submission):
    form_page = submission.round.form_page
    return list(form_page.sections) if form_page else []


def _initial(submission) -> dict:
    initial = {"lock_version": submission.lock_version}
    for row in submission.values.all():
        initial[f"v_{field_key(row.code)}"] = row.raw
        initial[f"n_{field_key(row.code)}"] = row.note
    initial.update(submission.answers)
    return initial


@login_required
def submission_form(request, pk: int):
    """GET shows the form (read-only once submitted); POST saves a draft, attaches files, or submits."""
    submission = get_object_or_404(
        access.submissions_of_commune_officer(request.user).select_related(
            "round__criteria_version", "round__form_page", "unit"
        ),
        pk=pk,
    )
    sections = _form_sections(submission)
    status, missing = 200, []
    if request.method == "POST" and submission.is_editable:
        form = SubmissionForm(request.POST, request.FILES, submission=submission, sections=sections)
        form.is_valid()  # field errors are shown; the draft is saved anyway, invalid values included
        status, missing = _handle_post(request, submission, form)
        if status == 302:
            return redirect("submissions:form", pk=submission.pk)
        form.data = form.data.copy()
        form.data["lock_version"] = str(submission.lock_version)
    else:
        if request.method == "POST":
            messages.error(request, _("Hồ sơ này không sửa được (đã nộp hoặc đợt đã đóng)."))
            status = 409
        form = SubmissionForm(initial=_initial(submission), submission=submission, sections=sections)
    context = _context(submission, form, missing)
    return render(request, "submissions/submission_form.html", context, status=status)


def _handle_post(request, submission, form) -> tuple[int, list[str]]:
    if form.refused_fields:
        messages.error(request, _("Chưa lưu: có ô chứa ký tự không hợp lệ (đánh dấu bên dưới); hãy sửa rồi lưu lại."))
        return 400, []
    try:
        expected = int(request.POST.get("lock_version", ""))
    except ValueError:
        expected = -1
    try:
        services.submission_save(
            submission=submission,
            raws=form.raw_values(),
            notes=form.raw_notes(),
            answers=form.raw_answers(),
            user=request.user,
            expected_version=expected,
        )
    except errors.ConflictError as error:
        messages.error(request, error.message)
        return 409, []
    except errors.SubmissionError as error:
        messages.error(request, error.message)
        return 409, []
    _handle_evidence(request, submission, form)
    submission.refresh_from_db()
    if "submit" in request.POST:
        try:
            review.submission_submit(
                submission=submission, user=request.user, required_questions=form.required_questions
            )
        except errors.SubmissionError as error:
            messages.error(request, _("Chưa nộp: bản nháp đã được lưu; còn thiếu các mục dưới đây."))
            return 400, error.details
        messages.success(request, _("Đã nộp hồ sơ. Hồ sơ chỉ xem được cho đến khi được trả lại để sửa."))
        return 302, []
    if form.errors:
        messages.warning(
            request,
            _("Đã lưu nháp, kể cả các giá trị chưa hợp lệ (%(count)s) được đánh dấu bên dưới.")
            % {"count": len(form.errors)},
        )
        return 200, []
    messages.success(request, _("Đã lưu nháp."))
    return 302, []


def _handle_evidence(request, submission, form) -> None:
    for code, files in form.evidence_uploads().items():
        for upload in files:
            try:
                services.evidence_add(submission=submission, indicator_code=code, upload=upload, user=request.user)
            except errors.SubmissionError as error:
                field_name = (
                    "q_" + code.removeprefix(services.QUESTION_PREFIX)
                    if code.startswith(services.QUESTION_PREFIX)
                    else f"e_{field_key(code)}"
                )
                form.add_error(field_name, error.message)
    current = {evidence.pk: evidence for evidence in selectors.current_evidence(submission)}
    for raw_id in request.POST.getlist("delete_evidence"):
        evidence = current.get(int(raw_id)) if raw_id.isdigit() else None
        if evidence is None:
            continue
        try:
            services.evidence_delete(evidence=evidence, user=request.user)
        except errors.SubmissionError as error:
            messages.error(request, error.message)
    for name, upload in request.FILES.items():
        if not name.startswith("replace_"):
            continue
        evidence = current.get(int(name.removeprefix("replace_"))) if name.removeprefix("replace_").isdigit() else None
        if evidence is None:
            continue
        try:
            services.evidence_add(
                submission=submission,
                indicator_code=evidence.indicator_code,
                upload=upload,
                user=request.user,
                replaces=evidence,
            )
        except errors.SubmissionError as error:
            form.add_error(f"e_{field_key(evidence.indicator_code)}", error.message)


def _context(submission, form, missing) -> dict:
    verdicts = {row.code: row for row in submission.values.all()}
    criterion_results = {row.number: row for row in submission.criterion_results.all()}
    evidence: dict[str, list] = {}
    for item in selectors.current_evidence(submission):
        evidence.setdefault(item.indicator_code, []).append(item)
    returned = list(ReturnedItem.objects.filter(submission=submission, resolved_at__isnull=True))
    sections = attach_results(form, verdicts=verdicts, criterion_results=criterion_results, evidence=evidence)
    for section in sections:
        section.returned = [item for item in returned if item.criterion_number == section.criterion.number]
    return {
        "submission": submission,
        "form": form,
        "returned": returned,
        "sections": sections,
        "editable": submission.is_editable,
        "missing": missing,
        "form_page": submission.round.form_page,
    }


@login_required
def evidence_download(request, pk: int):
    """Evidence is private: served only to people whose scope covers its submission (404 otherwise)."""
    evidence = get_object_or_404(access.evidence_visible_to(request.user), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name)
    response["Content-Type"] = evidence.content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = get_object_or_404(
        access.evidence_deletable_by(request.user),
        pk=pk,
    )
    try:
        services.evidence_delete(evidence=evidence, user=request.user)
        messages.success(request, _("Đã xoá tệp minh chứng."))
    except errors.SubmissionError as error:
        messages.error(request, error.message)
    return redirect("submissions:form", pk=evidence.submission_id)
