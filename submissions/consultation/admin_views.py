"""The office's admin pages of the public consultation (under ``/admin/submissions/consultation/``): the list of its
province's consultations, opening one from a submission waiting for recognition (the review page links here), one
consultation with its comments to moderate, closing it, and its summary. The admin menu's item
"Lấy ý kiến người dân" is :class:`ConsultationsMenuItem`. Who may is :mod:`submissions.access`; anything outside the
caller's province is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from submissions import access
from submissions.consultation import selectors, services
from submissions.consultation.forms import ConsultationOpenForm
from submissions.consultation.models import Consultation, ConsultationStatus
from submissions.errors import SubmissionError

MENU_NAME = "ntm-consultations"
#: The list's filter by state (``?trang-thai=open``).
STATE_PARAMETER = "trang-thai"
STATE_LABELS = {
    selectors.State.UPCOMING: gettext_lazy("Chưa đến ngày lấy ý kiến"),
    selectors.State.OPEN: gettext_lazy("Đang lấy ý kiến"),
    selectors.State.CLOSED: gettext_lazy("Đã kết thúc"),
}
#: The list shows at most this many consultations (a province opens a few dozen a year).
LIST_LIMIT = 500


class ConsultationsMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may_manage_consultations(request.user)


def index(request):
    today = timezone.localdate()
    queryset = selectors.with_comment_counts(access.consultations_managed_by(request.user))
    state = request.GET.get(STATE_PARAMETER, "")
    if state in STATE_LABELS:
        queryset = queryset.filter(selectors.state_q(state, today))
    consultations = list(queryset.order_by("-opens_on", "-pk")[:LIST_LIMIT])
    rows = [(consultation, STATE_LABELS[selectors.state_of(consultation, today)]) for consultation in consultations]
    return render(
        request,
        "submissions/consultation/admin_index.html",
        {"rows": rows, "states": STATE_LABELS.items(), "state": state, "state_parameter": STATE_PARAMETER},
    )


@require_http_methods(["GET", "POST"])
def open_(request, submission_pk: int):
    submission = get_object_or_404(
        access.submissions_visible_to(request.user).select_related("round", "unit"), pk=submission_pk
    )
    if not access.may_open_consultation(request.user, submission):
        raise PermissionDenied
    existing = Consultation.objects.filter(submission=submission).first()
    if existing is not None:
        messages.warning(request, _("Hồ sơ này đã được lấy ý kiến người dân."))
        return redirect("consultation_admin:detail", pk=existing.pk)
    if request.method == "POST":
        form = ConsultationOpenForm(request.POST)
        if form.is_valid():
            try:
                consultation = services.consultation_open(
                    submission=submission,
                    user=request.user,
                    opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"],
                    show_values=form.cleaned_data["show_values"],
                )
            except SubmissionError as error:
                for name, texts in error.field_errors().items():
                    for text in texts:
                        form.add_error(name if name in form.fields else None, text)
                if not error.field_errors():
                    form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Đã mở lấy ý kiến người dân về kết quả của %(unit)s từ %(start)s đến %(end)s.")
                    % {
                        "unit": submission.unit.name,
                        "start": consultation.opens_on.strftime("%d/%m/%Y"),
                        "end": consultation.closes_on.strftime("%d/%m/%Y"),
                    },
                )
                return redirect("consultation_admin:detail", pk=consultation.pk)
    else:
        form = ConsultationOpenForm(initial=ConsultationOpenForm.initial_for(timezone.localdate()))
    return render(request, "submissions/consultation/admin_open.html", {"submission": submission, "form": form})


def detail(request, pk: int):
    consultation = get_object_or_404(access.consultations_managed_by(request.user), pk=pk)
    state = selectors.state_of(consultation)
    return render(
        request,
        "submissions/consultation/admin_detail.html",
        {
            "consultation": consultation,
            "state": state,
            "state_label": STATE_LABELS[state],
            "comments": list(selectors.comments_for_moderation(consultation)),
            "summary": selectors.consultation_summary(consultation),
            "may_change": consultation.status == ConsultationStatus.OPEN,
            "next": request.path,
        },
    )


@require_POST
def close(request, pk: int):
    consultation = get_object_or_404(access.consultations_managed_by(request.user), pk=pk)
    try:
        services.consultation_close(consultation=consultation, user=request.user)
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã kết thúc lấy ý kiến; tổng hợp đã được chốt để đưa vào hồ sơ công nhận."))
    return redirect("consultation_admin:detail", pk=consultation.pk)
