"""Filters of the commune's submissions list (``/api/v1/submissions/``)."""

from django import forms
from django.utils.translation import gettext_lazy as _lazy

import django_filters

from submissions.models import Submission

ROUND_ID_ERROR = _lazy("Mã đợt phải là một số nguyên.")


class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number (``NumberFilter`` would accept decimals)."""

    field_class = forms.IntegerField


class SubmissionFilter(django_filters.FilterSet):
    round = IdFilter(
        field_name="round__id",
        help_text="Only this round's.",
        min_value=0,
        error_messages={"invalid": ROUND_ID_ERROR, "min_value": ROUND_ID_ERROR},
    )

    class Meta:
        model = Submission
        fields = ["round"]
