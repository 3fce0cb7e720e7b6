"""Web pages of the public consultation, outside the Wagtail admin (under ``/lay-y-kien/``):

- ``<id>/gop-y/`` (POST, anyone, no account): a resident's comment from the commune's public page. The public page is
  cached whole, so the form carries no CSRF token: the view is ``csrf_exempt`` (an anonymous form with no session to
  abuse) and defended by a honeypot field, length limits and rate limits (:mod:`submissions.consultation.services`).
  It redirects back to the page with ``?da-gui=1`` (a parameter the page cache does not key: the thanks are rendered
  fresh), or shows the form again, with what was typed and the messages;
- ``""`` and ``<id>/`` (commune officers, phone-friendly): the consultations of their commune, every comment, and the
  buttons to publish, keep off and answer;
- ``y-kien/<id>/duyet/`` and ``y-kien/<id>/tra-loi/`` (POST): moderating (the office's admin page posts here too) and
  answering; who may is :mod:`submissions.access`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cms.security.client_ip import client_ip
from submissions import access
from submissions.consultation import selectors, services
from submissions.consultation.forms import HONEYPOT_FIELD, AnswerForm, CommentForm
from submissions.consultation.models import ConsultationStatus
from submissions.errors import SubmissionError

#: The query parameter the commune page reads to thank the resident (never part of a cached page's key).
SENT_PARAMETER = "da-gui"
#: The anchor of the consultation's section on the commune page.
SECTION_ANCHOR = "lay-y-kien"
COMMENT_FORM_TEMPLATE = "submissions/consultation/comment_form.html"


def _safe_next(request, value: str) -> str | None:
    """A path on this site to go back to (the commune page the form was on), or None."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return None
    return value.split("?", 1)[0].split("#", 1)[0]


@csrf_exempt
@require_POST
def comment_post(request, pk: int):
    consultation = get_object_or_404(access.consultations_public(timezone.localdate()), pk=pk)
    form = CommentForm(request.POST)
    back = _safe_next(request, request.POST.get("next", ""))
    status = 400
    if form.is_valid():
        try:
            services.comment_submit(
                consultation=consultation,
                body=form.cleaned_data["body"],
                author_name=form.cleaned_data["author_name"],
                contact=form.cleaned_data["contact"],
                address=client_ip(request),
                honeypot=form.cleaned_data[HONEYPOT_FIELD],
            )
        except SubmissionError as error:
            form.add_domain_error(error)
            status = 429 if error.code == services.RATE_LIMITED else 400
        else:
            if back:
                return HttpResponseRedirect(f"{back}?{SENT_PARAMETER}=1#{SECTION_ANCHOR}")
            return render(request, COMMENT_FORM_TEMPLATE, {"consultation": consultation, "sent": True})
    return render(
        request,
        COMMENT_FORM_TEMPLATE,
        {"consultation": consultation, "form": form, "back": back, "max_length": services.comment_max_length()},
        status=status,
    )


# --- the commune officer's pages ------------------------------------------------------------------------------


@login_required
def officer_list(request):
    """The consultations of the officer's communes; anyone else goes to their own work (the office: the admin)."""
    if not access.is_commune_officer(request.user):
        if access.may_manage_consultations(request.user):
            return redirect("consultation_admin:index")
        return redirect("my_work")
    consultations = selectors.with_comment_counts(access.consultations_of_commune_officer(request.user)).order_by(
        "-opens_on", "-pk"
    )
    today = timezone.localdate()
    rows = [(consultation, selectors.state_of(consultation, today)) for consultation in consultations]
    return render(request, "submissions/consultation/officer_list.html", {"rows": rows})


@login_required
def officer_detail(request, pk: int):
    consultation = get_object_or_404(access.consultations_of_commune_officer(request.user), pk=pk)
    return render(
        request,
        "submissions/consultation/officer_detail.html",
        {
            "consultation": consultation,
            "state": selectors.state_of(consultation),
            "comments": list(selectors.comments_for_moderation(consultation)),
            "may_change": consultation.status == ConsultationStatus.OPEN,
            "next": request.path,
        },
    )


# --- moderating and answering (the commune's pages and the office's admin page post here) -------------------------


def _back(request, comment) -> str:
    back = _safe_next(request, request.POST.get("next", ""))
    return back or reverse("consultation:detail", args=[comment.consultation_id])


@login_required
@require_POST
def comment_moderate(request, pk: int):
    comment = get_object_or_404(access.comments_moderated_by(request.user), pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Chọn công khai hoặc không công khai ý kiến."))
        return redirect(_back(request, comment))
    try:
        services.comment_moderate(comment=comment, user=request.user, approved=decision == "approve")
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Đã công khai ý kiến.") if decision == "approve" else _("Đã để ý kiến ở chế độ không công khai."),
        )
    return redirect(_back(request, comment))


@login_required
@require_POST
def comment_answer(request, pk: int):
    comment = get_object_or_404(access.comments_answered_by(request.user), pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect(_back(request, comment))
    try:
        services.comment_answer(comment=comment, user=request.user, answer=form.cleaned_data["answer"])
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã lưu câu trả lời của xã."))
    return redirect(_back(request, comment))
