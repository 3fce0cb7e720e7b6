"""``{% consultation_survey consultation %}``: the residents' satisfaction survey form on a commune's public page."""

from django import template

register = template.Library()


@register.inclusion_tag("public_site/includes/consultation_survey.html")
def consultation_survey(consultation):
    return {"survey": None, "consultation": consultation}
