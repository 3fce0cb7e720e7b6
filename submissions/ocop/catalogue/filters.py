"""Filters of ``/api/v1/ocop/products/``: stars, group (or sub-group) code, commune code, producer id, round id, and
``q`` (product or producer name, without diacritics)."""

from django.utils.translation import gettext_lazy as _

import django_filters

from submissions.ocop.models import Certificate

from . import selectors

STAR_CHOICES = [(stars, str(stars)) for stars in range(1, 6)]


class CatalogueFilter(django_filters.FilterSet):
    stars = django_filters.TypedChoiceFilter(
        choices=STAR_CHOICES,
        coerce=int,
        help_text="Stars (3, 4 or 5).",
        error_messages={"invalid_choice": _("Số sao không hợp lệ; dùng một số từ 1 đến 5.")},
    )
    group = django_filters.CharFilter(method="filter_group", help_text="Code of a product group or sub-group.")
    commune = django_filters.CharFilter(
        field_name="product__producer__commune__code", help_text="Code of the producer's commune."
    )
    producer = django_filters.NumberFilter(field_name="product__producer_id", help_text="The producer's id.")
    round = django_filters.NumberFilter(field_name="submission__round_id", help_text="The OCOP round's id.")
    q = django_filters.CharFilter(
        method="filter_q", help_text='Product or producer name, diacritic-insensitive ("mat ong").'
    )

    class Meta:
        model = Certificate
        fields: list[str] = []

    def filter_group(self, queryset, name, code: str):
        return selectors.of_group(queryset, code.strip())

    def filter_q(self, queryset, name, text: str):
        return selectors.search(queryset, text)
