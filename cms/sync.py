"""``updated_since``: how integrators keep a copy in sync. Every public list of ``/api/v1/`` accepts it and
returns only what changed at or after that moment (each list names the time it compares with).

The value is an ISO 8601 date (``2026-11-30``: from the start of that day, Vietnam time) or date and time
(``2026-11-30T08:00:00+07:00``, ``2026-11-30T01:00:00Z``; without an offset, Vietnam time). Anything else is
invalid input: a 400 naming the field, with a Vietnamese message.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

NAME = "updated_since"
INVALID = _(
    "Thời điểm không hợp lệ; dùng ngày hoặc ngày giờ theo ISO 8601, ví dụ 2026-11-30 hoặc 2026-11-30T08:00:00+07:00."
)
HELP_TEXT = (
    "Only items changed at or after this moment: an ISO 8601 date (2026-11-30, from midnight Vietnam time) "
    "or date-time (2026-11-30T08:00:00+07:00; Vietnam time without an offset)."
)


def parse_moment(value: str) -> datetime.datetime:
    """An aware moment from an ISO 8601 date or date-time (ValueError otherwise)."""
    text = value.strip()
    if "T" in text or ":" in text:
        # A "+07:00" offset sent unencoded in a query string arrives as " 07:00".
        text = text[:10] + text[10:].replace(" ", "+")
        moment = datetime.datetime.fromisoformat(text)
    else:
        moment = datetime.datetime.combine(datetime.date.fromisoformat(text), datetime.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class MomentField(forms.Field):
    default_error_messages = {"invalid": INVALID}

    def to_python(self, value) -> datetime.datetime | None:
        if value in self.empty_values:
            return None
        try:
            return parse_moment(str(value))
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


@extend_schema_field(OpenApiTypes.STR)
class UpdatedSinceFilter(django_filters.Filter):
    """``?updated_since=`` on ``field_name`` (``>=``); documented as a date-time."""

    field_class = MomentField

    def __init__(self, field_name: str, **kwargs):
        kwargs.setdefault("help_text", HELP_TEXT)
        super().__init__(field_name=field_name, lookup_expr="gte", label=NAME, **kwargs)


def moment_param(query_params) -> datetime.datetime | None:
    """``updated_since`` of a view without a FilterSet; :class:`django.core.exceptions.ValidationError` if invalid."""
    return MomentField(required=False).clean(query_params.get(NAME))
