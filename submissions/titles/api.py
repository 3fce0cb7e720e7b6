"""Titles in the API: each unit's titles (current and history, revocations included) in
``/api/v1/rounds/{id}/results/`` rows and in ``/api/v1/units/{code}/``.

A title and its revocation are public decisions: anonymous callers read them; their documents never appear.
``/api/v1/units/{code}/`` is the directory's (which may not import this app): this app adds its ``titles`` field
through the directory's hook (:data:`cms.directory.api.UNIT_DETAIL_FIELDS_HOOK`, registered in
``submissions/wagtail_hooks.py``).
"""

from rest_framework import serializers

from criteria_pages.spec import TitleKind
from submissions.titles.models import TitleSource


class TitleSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TitleKind.choices, help_text="The title's code.")
    kind_name = serializers.CharField(source="get_kind_display", help_text="The title in words (Vietnamese).")
    decision_number = serializers.CharField(help_text="The recognition decision's number.")
    decision_date = serializers.DateField(help_text="The recognition decision's date: the title is held since then.")
    revoked_on = serializers.DateField(allow_null=True, help_text="The revocation decision's date; null while held.")
    revocation_number = serializers.CharField(help_text='The revocation decision\'s number ("" while held).')
    revocation_reason = serializers.CharField(help_text='Why the title was revoked ("" while held).')
    source = serializers.ChoiceField(
        choices=TitleSource.choices,
        help_text="recognition (a round of the product), import (held before the product), merger (recorded for a "
        "unit formed in the 2025 reform).",
    )


def unit_detail_fields() -> dict[str, serializers.Field]:
    """The fields this app adds to ``/api/v1/units/{code}/``: the unit's titles, newest decision first."""
    return {
        "titles": TitleSerializer(
            many=True,
            read_only=True,
            help_text="The unit's titles, current and revoked, newest decision first.",
        )
    }
