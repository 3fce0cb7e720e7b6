"""Reads shared by the commune form, the admin, the API: above all, who may see which submission."""

from django.db.models import QuerySet

from submissions.models import (
    Evidence,
    Submission,
)


def current_evidence(submission: Submission) -> QuerySet[Evidence]:
    return Evidence.objects.current().filter(submission=submission).order_by("indicator_code", "pk")
