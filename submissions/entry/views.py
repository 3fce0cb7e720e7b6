"""The commune's form, outside the Wagtail admin: list, fill, save drafts, attach evidence, submit.

Two ways through the same form: the one-page view here, and step by step (one criterion per screen, a contents
screen, a check-your-answers page that submits) in :mod:`submissions.entry.steps`. Both save through
:func:`save_draft` and link errors and missing items with :func:`error_links` and :func:`missing_links`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.storage import private_file_response
from criteria_pages.forms import field_key
from submissions import access, errors
from submissions.entry import selectors, services
from submissions.entry.forms import SubmissionForm, attach_results
from submissions.models import ReturnedItem
from submissions.review import flow as review

#: The query flag of a step reached from the check page's "còn thiếu" list: the step marks what is missing there
#: and its main button goes back to the check page.
FROM_CHECK = "kiem-tra"


@login_required
def submission_list(request):
    """The forms the user fills (a commune officer's; a district reviewer's for their district as a subject);
    anyone else (a reviewer, an appraiser, the office) is sent to their own work."""
    if not access.fills_forms(request.user):
        return redirect("my_work")
    submissions = access.submissions_filled_by(request.user)
    commune_officer = access.is_commune_officer(request.user)
    context = {
        "submissions": submissions,
        "commune_officer": commune_officer,
        "producer": access.is_producer(request.user) and not commune_officer,
    }
    return render(request, "submissions/submission_list.html", context)


#: What every page of the form reads with the submission.
FORM_RELATED = ("round__criteria_version", "round__form_page", "unit", "product__producer")


def officer_submission(request, pk: int):
    """The submission the user fills (404 for anyone else: another commune, a reviewer, the office).

    An OCOP product's dossier is filled by its producer only; whoever else may read it (the commune's officer, the
    office of its province, the members of its council) sees the same pages read-only, and any change they post is
    refused (403)."""
    submission = access.submissions_filled_by(request.user).select_related(*FORM_RELATED).filter(pk=pk).first()
    if submission is not None:
        submission.filled_by_caller = True
        return submission
    submission = get_object_or_404(
        access.submissions_visible_to(request.user).of_products().select_related(*FORM_RELATED), pk=pk
    )
    if request.method == "POST":
        raise PermissionDenied(_("Chỉ chủ thể OCOP mới được sửa hồ sơ sản phẩm của mình."))
    submission.filled_by_caller = False
    return submission


def editable(submission) -> bool:
    """Whether the caller may change ``submission`` now: they fill it, and it is a draft or returned."""
    return submission.is_editable and getattr(submission, "filled_by_caller", True)


def form_sections(submission):
    form_page = submission.round.form_page
    return list(form_page.sections) if form_page else []


def initial_of(submission) -> dict:
    initial = {"lock_version": submission.lock_version}
    for row in submission.values.all():
        initial[f"v_{field_key(row.code)}"] = row.raw
        initial[f"n_{field_key(row.code)}"] = row.note
    initial.update(submission.answers)
    return initial


@login_required
def submission_form(request, pk: int):
    """GET shows the whole form on one page (read-only once submitted); POST saves a draft and its files, then
    comes back to the criterion whose button was pressed, or goes on to the check page (which submits)."""
    submission = officer_submission(request, pk)
    sections = form_sections(submission)
    status, missing = 200, []
    if request.method == "POST" and editable(submission):
        form = SubmissionForm(request.POST, request.FILES, submission=submission, sections=sections)
        form.is_valid()  # field errors are shown; the draft is saved anyway, invalid values included
        status = save_draft(request, submission, form)
        if status is None:
            status, missing = _after_save(request, submission, form)
            if status == 302:
                return redirect(_where_next(request, submission))
        form.data = form.data.copy()
        form.data["lock_version"] = str(submission.lock_version)
    else:
        if request.method == "POST":
            messages.error(request, _("Hồ sơ này không sửa được (đã nộp hoặc đợt đã đóng)."))
            status = 409
        form = SubmissionForm(initial=initial_of(submission), submission=submission, sections=sections)
    context = form_context(submission, form, missing)
    context.update(
        error_links=error_links(form),
        missing_links=missing_links(submission, missing),
        returned_links=returned_links(submission, context["returned"]),
    )
    return render(request, "submissions/submission_form.html", context, status=status)


def _where_next(request, submission) -> str:
    if "check" in request.POST:
        return reverse("submissions:check", args=[submission.pk])
    url = reverse("submissions:form", args=[submission.pk])
    where = request.POST.get("save", "")
    return f"{url}#{where}" if where.startswith("tieu-chi-") and where[9:].isdigit() else url


def _after_save(request, submission, form) -> tuple[int, list[str]]:
    if "submit" in request.POST:
        # The screens submit from the check page; a client posting "submit" here (as before) is still served.
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


def save_draft(request, submission, form) -> int | None:
    """Save what was posted (values, notes, answers, files) under the optimistic lock; ``None`` when saved, else
    the status of the refusal (its message is queued)."""
    if form.refused_fields:
        messages.error(request, _("Chưa lưu: có ô chứa ký tự không hợp lệ (đánh dấu bên dưới); hãy sửa rồi lưu lại."))
        return 400
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
    except errors.SubmissionError as error:  # a conflict (saved elsewhere meanwhile) or a locked submission
        messages.error(request, error.message)
        return 409
    _handle_evidence(request, submission, form)
    submission.refresh_from_db()
    return None


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


def form_context(submission, form, missing, *, marked=()) -> dict:
    """What every page of the form shows: sections with verdicts, evidence, uploads, returned items; ``marked``:
    the missing items to mark beside their fields."""
    verdicts = {row.code: row for row in submission.values.all()}
    criterion_results = {row.number: row for row in submission.criterion_results.all()}
    evidence: dict[str, list] = {}
    for item in selectors.current_evidence(submission):
        evidence.setdefault(item.indicator_code, []).append(item)
    returned = list(ReturnedItem.objects.filter(submission=submission, resolved_at__isnull=True))
    sections = attach_results(
        form,
        verdicts=verdicts,
        criterion_results=criterion_results,
        evidence=evidence,
        returned=returned,
        missing=list(marked) or missing,
    )
    return {
        "submission": submission,
        "form": form,
        "returned": returned,
        "sections": sections,
        "editable": editable(submission),
        "missing": missing,
        "missing_questions": [
            item.code for item in (list(marked) or missing) if getattr(item, "kind", "") == "question"
        ],
        "form_page": submission.round.form_page,
    }


def step_number(spec, code: str) -> int:
    """The step (1-based) of the criterion holding indicator ``code``; the questions' step after the criteria."""
    for number, criterion in enumerate(spec.criteria, start=1):
        if any(indicator.code == code for indicator in criterion.indicators):
            return number
    return len(spec.criteria) + 1


def anchor_of(item) -> str:
    """The id a "còn thiếu" item links to: the indicator's value, its evidence, or the question."""
    if item.kind == "question":
        return f"cau-hoi-{item.code}"
    prefix = "minh-chung" if item.kind == "evidence" else "chi-tieu"
    return f"{prefix}-v_{field_key(item.code)}"


def missing_links(submission, missing, *, steps: bool = False) -> list[tuple[str, str]]:
    """(href, text) of each missing item: a fragment of this page, or (``steps``) its step's URL and fragment."""
    links = []
    for item in missing:
        if not hasattr(item, "kind"):
            links.append(("", str(item)))
            continue
        base = ""
        if steps:
            number = step_number(submission.round.spec, item.code) if item.kind != "question" else None
            number = number or len(submission.round.spec.criteria) + 1
            base = reverse("submissions:step", args=[submission.pk, number]) + f"?tu={FROM_CHECK}"
        links.append((f"{base}#{anchor_of(item)}", str(item)))
    return links


def returned_links(submission, returned, *, steps: bool = False) -> list[tuple[str, str]]:
    """(href, text) of each returned item: its indicator (or criterion) on this page, or on its step."""
    spec, links = submission.round.spec, []
    for item in returned:
        if item.indicator_code:
            what = _("Chỉ tiêu %(code)s") % {"code": item.indicator_code}
            fragment, number = f"chi-tieu-v_{field_key(item.indicator_code)}", step_number(spec, item.indicator_code)
        elif item.criterion_number:
            what = _("Tiêu chí %(n)s") % {"n": item.criterion_number}
            fragment = f"tieu-chi-{item.criterion_number}"
            number = next(
                (n for n, c in enumerate(spec.criteria, start=1) if c.number == item.criterion_number),
                len(spec.criteria) + 1,
            )
        else:
            links.append(("#returned", item.comment))
            continue
        base = reverse("submissions:step", args=[submission.pk, number]) if steps else ""
        links.append((f"{base}#{fragment}", f"{what}: {item.comment}"))
    return links


def error_links(form) -> list[tuple[str, str]]:
    """(href, text) of each field with an error, for the error summary: the link focuses the field itself."""
    links = []
    for name, field_errors in form.errors.items():
        if name not in form.fields:
            continue
        bound = form[name]
        indicator = form.indicators.get(f"v_{name[2:]}") if name[:2] in ("v_", "n_", "e_") else None
        what = _("Chỉ tiêu %(code)s") % {"code": indicator.code} if indicator else bound.label
        if name.startswith("n_"):
            what = _("Ghi chú chỉ tiêu %(code)s") % {"code": indicator.code}
        target = bound.id_for_label or f"{bound.auto_id}_0"
        links.append((f"#{target}", f"{what}: {' '.join(str(error) for error in field_errors)}"))
    return links


@login_required
def evidence_download(request, pk: int):
    """Evidence is private: served only to people whose scope covers its submission (404 otherwise).

    After the check the file is streamed from the private storage (disk or bucket), never redirected to a
    presigned URL: no link that works without the check can be forwarded or logged, the bucket needs no public
    address, and the original Vietnamese name and the no-store headers stay ours."""
    evidence = get_object_or_404(access.evidence_visible_to(request.user), pk=pk)
    return private_file_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


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
