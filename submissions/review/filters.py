"""The review queue's filters, read from the query string once for the reviewers' page and the API.

The queue applies them itself (:func:`submissions.review.selectors.queue_for`), because what a filter means
depends on the reviewer's role (a department's queue lists appraisals, a district's submissions); this
FilterSet only reads and checks them.
"""

from django.utils.translation import gettext_lazy as _lazy

import django_filters

from submissions.entry.filters import IdFilter
from submissions.models import AppraisalStatus, Submission, SubmissionStatus

#: A submission's stage or, in a department's queue, an appraisal's status.
QUEUE_STATUSES = [*SubmissionStatus.choices, *AppraisalStatus.choices]
ID_ERROR = _lazy("Phải là một số nguyên dương.")


def _id_filter(help_text: str) -> IdFilter:
    return IdFilter(
        method="read_only",
        min_value=1,
        help_text=help_text,
        error_messages={"invalid": ID_ERROR, "min_value": ID_ERROR},
    )


class QueueFilterSet(django_filters.FilterSet):
    round = _id_filter("Only this round's.")
    district = _id_filter("Only this district's communes (a unit id).")
    criterion = _id_filter("A department's queue: only this criterion.")
    status = django_filters.ChoiceFilter(
        method="read_only",
        choices=QUEUE_STATUSES,
        help_text="A submission status, or an appraisal status (pending, approved, returned).",
        error_messages={"invalid_choice": _lazy("Trạng thái không hợp lệ.")},
    )

    class Meta:
        model = Submission
        fields = ["round", "district", "criterion", "status"]

    def read_only(self, queryset, name, value):
        return queryset

    def valid_values(self) -> dict:
        """The filters that were given and are valid (invalid ones are left out, as the web page does)."""
        self.form.is_valid()
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name not in self.form.errors and value not in (None, "")
        }
