"""The office's admin pages of a round's satisfaction survey (under /admin/submissions/consultation/survey/): create
it (with the starter question), edit its introduction, combining rule and questions without code, and read every
commune's results (online part, paper part, rate). Reached from the round's page."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wagtail.admin import messages

from submissions import access
from submissions.errors import SubmissionError
from submissions.models import Round

from . import survey
from .rates import satisfaction_rates
from .survey_forms import QuestionFormSet, SurveySettingsForm, question_inputs

#: URL names (namespace of submissions/consultation/admin_urls.py).
EDIT_URL_NAME = "consultation_admin:survey-edit"
RESULTS_URL_NAME = "consultation_admin:survey-results"
RESULTS_PER_PAGE = 100
#: The round's page in the admin (wagtail-modeladmin's inspect view).
ROUND_INSPECT_URL_NAME = "submissions_round_modeladmin_inspect"


def _round(request, round_pk: int) -> Round:
    """A round of the office's province (404 for any other, and for people who do not configure rounds)."""
    return get_object_or_404(access.survey_rounds_configurable_by(request.user), pk=round_pk)


@require_http_methods(["GET", "POST"])
def survey_edit(request, round_pk: int):
    """GET: the survey's settings and questions (or, when there is none yet, the offer to create it); POST "create":
    create it with the starter question; POST: save the edits."""
    round_ = _round(request, round_pk)
    found = survey.survey_of_round(round_)
    if found is None:
        if request.method == "POST" and "create" in request.POST:
            survey.survey_create(round_=round_, user=request.user)
            messages.success(request, _("Đã tạo phiếu khảo sát với câu hỏi mẫu: hãy xem lại và sửa nếu cần."))
            return redirect(EDIT_URL_NAME, round_pk=round_.pk)
        return render(request, "submissions/consultation/survey_edit.html", {"round": round_, "survey": None})
    status = 200
    if request.method == "POST":
        form = SurveySettingsForm(request.POST, instance=found)
        formset = QuestionFormSet(request.POST, instance=found, prefix="cau-hoi")
        if form.is_valid() and formset.is_valid() and not form.refused_fields:
            try:
                survey.survey_update(
                    survey=found,
                    intro=form.cleaned_data["intro"],
                    combine_rule=form.cleaned_data["combine_rule"],
                    questions=question_inputs(formset),
                    user=request.user,
                )
            except SubmissionError as refusal:
                messages.error(request, refusal.message)
                status = 400
            else:
                messages.success(request, _("Đã lưu phiếu khảo sát sự hài lòng."))
                return redirect(EDIT_URL_NAME, round_pk=round_.pk)
        else:
            messages.error(request, _("Chưa lưu: hãy sửa các lỗi được đánh dấu bên dưới."))
            status = 400
    else:
        form = SurveySettingsForm(instance=found)
        formset = QuestionFormSet(instance=found, prefix="cau-hoi")
    context = {"round": round_, "survey": found, "form": form, "formset": formset}
    return render(request, "submissions/consultation/survey_edit.html", context, status=status)


def survey_results_view(request, round_pk: int):
    """Every submission of the round in the office's scope with both parts of its satisfaction and the rate."""
    round_ = _round(request, round_pk)
    found = survey.survey_of_round(round_)
    submissions = access.round_submissions_visible_to(request.user, round_)
    page = Paginator(submissions, RESULTS_PER_PAGE).get_page(request.GET.get("p"))
    rows = list(page)
    rates = satisfaction_rates(rows)
    context = {
        "round": round_,
        "survey": found,
        "page": page,
        "rows": [(submission, rates[submission.pk]) for submission in rows],
    }
    return render(request, "submissions/consultation/survey_results.html", context)
