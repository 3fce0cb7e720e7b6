"""``{% consultation_survey consultation %}``: the residents' satisfaction survey on a commune's public page — the
form while the consultation takes answers (radio buttons, no JavaScript, no CSRF token: the page is cached), the
counts and the rate once anyone answered, and the thanks after answering (``?da-khao-sat=1``, rendered fresh)."""

from django import template
from django.urls import reverse
from django.utils import timezone

from submissions import access
from submissions.consultation import survey
from submissions.consultation.models import Consultation
from submissions.consultation.rates import satisfaction_rate
from submissions.consultation.survey_forms import HONEYPOT_FIELD, SurveyAnswerForm
from submissions.consultation.survey_views import SURVEY_ANCHOR, THANKS_PARAMETER

register = template.Library()


def _consultation_of(value) -> Consultation | None:
    """The consultation itself, whether the page passes the model or the public view wrapping it."""
    if value is None or isinstance(value, Consultation):
        return value
    return getattr(value, "consultation", None)


@register.inclusion_tag("public_site/includes/consultation_survey.html", takes_context=True)
def consultation_survey(context, consultation):
    consultation = _consultation_of(consultation)
    empty = {"survey": None, "consultation": consultation}
    if consultation is None:
        return empty
    submission = consultation.submission
    today = timezone.localdate()
    if consultation.opens_on > today or submission.status not in access.CONSULTED_STATUSES:
        return empty  # nothing of a submission is public before its consultation opens
    found = survey.survey_of_round(submission.round)
    if found is None:
        return empty
    questions = survey.survey_questions(found)
    request = context.get("request")
    takes_answers = access.consultation_takes_answers(consultation, today=today) and bool(questions)
    rate = satisfaction_rate(submission)
    return {
        "survey": found,
        "consultation": consultation,
        "takes_answers": takes_answers,
        "form": SurveyAnswerForm(questions=questions) if takes_answers else None,
        "honeypot": HONEYPOT_FIELD,
        "action_url": reverse("consultation:survey-answer", args=[consultation.pk]),
        "next_url": request.path if request is not None else "",
        "thanks": bool(request is not None and request.GET.get(THANKS_PARAMETER)),
        "anchor": SURVEY_ANCHOR,
        "rate": rate,
    }
