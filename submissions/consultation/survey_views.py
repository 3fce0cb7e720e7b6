"""Web views of the satisfaction survey: residents answering online (no account), and the commune officer entering
the tally of paper surveys with the scanned forms (phone-friendly pages under /lay-y-kien/phieu-giay/).

The public form sits on the commune's cached page, so it carries no CSRF token: :func:`survey_answer` is
``csrf_exempt`` (an anonymous POST with no session to abuse) and is defended by a honeypot field, the choices
being checked against the questions, and a limit per address (a keyed hash of it, counted in the database). It
redirects back to the page with ``?da-khao-sat=1``, a parameter the page cache does not key, so the thanks is
rendered fresh.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cms.security.client_ip import client_ip
from cms.storage import private_file_response
from submissions import access
from submissions.errors import SubmissionError
from submissions.models import SubmissionStatus

from . import services, survey
from .models import Consultation, PaperTally
from .rates import satisfaction_rate
from .survey_forms import PaperTallyForm, SurveyAnswerForm

#: The query parameter of the page a resident comes back to after answering (not keyed by the page cache).
THANKS_PARAMETER = "da-khao-sat"
#: The anchor of the survey on the commune's page.
SURVEY_ANCHOR = "khao-sat"
#: HTTP statuses of a refused answer, by the service's error code.
REFUSAL_STATUS = {"throttled": 429, "locked": 409, "wrong_state": 409}


def address_hash(request) -> str:
    """The keyed hash of the sender's address that comments keep too (:func:`services.address_hash`): enough to
    count answers per address, never the address itself ("" when the address is unknown: nothing to count)."""
    address = client_ip(request)
    return services.address_hash(address) if address else ""


def _next_path(request) -> str:
    """The page the form was posted from: a path on this site, without its query ("" for anything else)."""
    wanted = request.POST.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted.split("?", 1)[0].split("#", 1)[0]
    return ""


def _back_url(request, consultation: Consultation) -> str:
    """The page the form was posted from, else the survey's own page."""
    return _next_path(request) or reverse("consultation:survey-answer", args=[consultation.pk])


def _public_consultation(pk: int) -> Consultation:
    return get_object_or_404(Consultation.objects.select_related("submission__round", "submission__unit"), pk=pk)


def _public(consultation: Consultation) -> bool:
    """Whether the public may read ``consultation`` at all (its period has begun, its submission was appraised)."""
    return access.consultations_public(timezone.localdate()).filter(pk=consultation.pk).exists()


@csrf_exempt
@require_http_methods(["GET", "POST"])
def survey_answer(request, pk: int):
    """GET: the survey on a page of its own (a link to share); POST: store one resident's answers and go back to the
    commune's page; with a required question left blank, the form again with what was chosen and a message."""
    consultation = _public_consultation(pk)
    open_now = access.consultation_takes_answers(consultation)
    if request.method == "GET" and not (open_now or (request.GET.get(THANKS_PARAMETER) and _public(consultation))):
        raise Http404(_("Không có phiếu khảo sát đang mở ở địa chỉ này."))
    found = survey.survey_of_round(consultation.submission.round)
    questions = survey.survey_questions(found) if found is not None else []
    if request.method == "GET":
        form = SurveyAnswerForm(questions=questions)
        return _render(request, consultation, found, form, thanks=bool(request.GET.get(THANKS_PARAMETER)))
    form = SurveyAnswerForm(request.POST, questions=questions)
    if form.is_robot:
        return redirect(f"{_back_url(request, consultation)}?{THANKS_PARAMETER}=1#{SURVEY_ANCHOR}")
    if not open_now or found is None:
        return _render(
            request, consultation, found, None, status=409, error=_("Đợt lấy ý kiến đã kết thúc: không nhận phiếu.")
        )
    if not form.is_valid():
        error = _("Phiếu chưa gửi được: hãy trả lời các câu hỏi bắt buộc được đánh dấu bên dưới.")
        return _render(request, consultation, found, form, status=400, error=error)
    try:
        survey.response_record(consultation=consultation, answers=form.answers(), address_hash=address_hash(request))
    except SubmissionError as refusal:
        for key, message in (refusal.fields or {}).items():
            name = f"cau_{key}"
            if name in form.fields:
                form.add_error(name, message)
        return _render(
            request, consultation, found, form, status=REFUSAL_STATUS.get(refusal.code, 400), error=refusal.message
        )
    return redirect(f"{_back_url(request, consultation)}?{THANKS_PARAMETER}=1#{SURVEY_ANCHOR}")


def _render(request, consultation, found, form, *, status=200, error="", thanks=False):
    context = {
        "consultation": consultation,
        "unit": consultation.submission.unit,
        "survey": found,
        "form": form,
        "error": error,
        "thanks": thanks,
        "action_url": reverse("consultation:survey-answer", args=[consultation.pk]),
        "next_url": _next_path(request) if request.method == "POST" else "",
    }
    return render(request, "submissions/consultation/survey_answer.html", context, status=status)


# --- paper surveys: the commune officer -------------------------------------------------------------------------


@login_required
def paper_tally_list(request):
    """The officer's submissions, each with its paper tally (if entered) and a link to enter it."""
    submissions = access.paper_tallies_enterable_by(request.user).select_related("paper_tally", "round", "unit")
    return render(request, "submissions/consultation/survey_paper_list.html", {"submissions": submissions})


@login_required
@require_http_methods(["GET", "POST"])
def paper_tally_edit(request, pk: int):
    """Enter or correct the tally of one submission's paper surveys, with the scanned forms (404 for another
    commune's submission)."""
    submission = get_object_or_404(access.paper_tallies_enterable_by(request.user).select_related("unit"), pk=pk)
    tally = PaperTally.objects.filter(submission=submission).first()
    editable = submission.status != SubmissionStatus.RECOGNISED
    status = 200
    if request.method == "POST":
        form = PaperTallyForm(request.POST, request.FILES)
        if form.is_valid() and not form.refused_fields:
            try:
                survey.paper_tally_save(
                    submission=submission,
                    respondents=form.cleaned_data["respondents"],
                    satisfied=form.cleaned_data["satisfied"],
                    note=form.cleaned_data["note"],
                    uploads=form.cleaned_data["files"],
                    user=request.user,
                )
            except SubmissionError as refusal:
                messages.error(request, refusal.message)
                status = 409 if refusal.code == "locked" else 400
            else:
                messages.success(request, _("Đã lưu tổng hợp phiếu khảo sát giấy."))
                return redirect("consultation:paper-tally", pk=submission.pk)
        else:
            messages.error(request, _("Chưa lưu: hãy sửa các lỗi được đánh dấu bên dưới."))
            status = 400
    else:
        initial = (
            {}
            if tally is None
            else {"respondents": tally.respondents, "satisfied": tally.satisfied, "note": tally.note}
        )
        form = PaperTallyForm(initial=initial)
    context = {
        "submission": submission,
        "tally": tally,
        "files": list(tally.files.all()) if tally is not None else [],
        "form": form,
        "editable": editable,
        "rate": satisfaction_rate(submission),
    }
    return render(request, "submissions/consultation/survey_paper_edit.html", context, status=status)


@login_required
def paper_file_download(request, pk: int):
    """A scanned paper survey, private like evidence: served only to people whose scope covers its submission."""
    item = get_object_or_404(access.paper_tally_files_visible_to(request.user), pk=pk)
    return private_file_response(item.file, filename=item.original_name, content_type=item.content_type)


@login_required
@require_POST
def paper_file_delete(request, pk: int):
    item = get_object_or_404(
        access.paper_tally_files_visible_to(request.user).filter(
            tally__submission__in=access.paper_tallies_enterable_by(request.user).values("pk")
        ),
        pk=pk,
    )
    submission_id = item.tally.submission_id
    try:
        survey.paper_tally_file_delete(item=item, user=request.user)
    except SubmissionError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Đã xoá tệp phiếu giấy đã quét."))
    return redirect("consultation:paper-tally", pk=submission_id)
