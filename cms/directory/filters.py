"""Filters of the unit list (``/api/v1/units/``): one edition (the newest by default), then level, subtree,
name or code, and any classification.

An unknown edition or parent code is invalid input (400, with ``fields``); no edition at all is a 404.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.functional import lazy
from django.utils.translation import gettext as _

import django_filters

from cms.sync import HELP_TEXT, UpdatedSinceFilter

from . import selectors
from .models import Classification, Edition, Unit, UnitLevel


def _level_error() -> str:
    return _("Cấp không hợp lệ; dùng một trong: %(c)s.") % {"c": ", ".join(UnitLevel.values)}


class EditionField(forms.Field):
    """An edition, by its date (``YYYY-MM-DD``)."""

    def to_python(self, value) -> Edition | None:
        if value in self.empty_values:
            return None
        try:
            date = datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise ValidationError(_("Ngày không hợp lệ; dùng dạng YYYY-MM-DD."), code="invalid") from exc
        edition = Edition.objects.filter(date=date).first()
        if edition is None:
            raise ValidationError(_("Không có danh mục ngày %(date)s."), code="invalid_choice", params={"date": value})
        return edition


class EditionFilter(django_filters.DateFilter):
    """Units of one edition (a date filter, documented as such); the form gives the newest by default."""

    field_class = EditionField

    def filter(self, queryset, edition: Edition | None):
        if edition is None:
            raise Http404(_("Chưa có danh mục đơn vị hành chính nào."))
        return queryset.filter(edition=edition)


class EditionForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if "edition" not in self.errors and cleaned.get("edition") is None:
            cleaned["edition"] = selectors.edition_latest()
        return cleaned


class UnitFilterForm(EditionForm):
    def clean(self):
        """``parent`` becomes the unit of that code in the edition asked for."""
        cleaned = super().clean()
        edition, code = cleaned.get("edition"), cleaned.get("parent")
        if edition is not None and code:
            parent = Unit.objects.filter(edition=edition, code=code).first()
            if parent is None:
                message = _("Không có đơn vị mã %(code)s trong danh mục này.")
                self.add_error("parent", ValidationError(message, code="invalid_choice", params={"code": code}))
            else:
                cleaned["parent"] = parent
        return cleaned


class UnitEditionFilter(django_filters.FilterSet):
    """The edition alone: a unit's detail (``/api/v1/units/{code}/``) is looked up in it."""

    edition = EditionFilter(help_text="Official list date (default: the newest).")

    class Meta:
        model = Unit
        fields: list[str] = []
        form = EditionForm


class UnitFilter(UnitEditionFilter):
    """Besides the declared filters, any classification code is a parameter: ``?region=TN``."""

    level = django_filters.ChoiceFilter(
        choices=UnitLevel.choices, error_messages={"invalid_choice": lazy(_level_error, str)()}
    )
    parent = django_filters.CharFilter(
        method="filter_parent", help_text="Code of an ancestor unit: every unit below it."
    )
    q = django_filters.CharFilter(method="filter_q", help_text='Name, diacritic-insensitive ("hoa thuan"), or code.')
    updated_since = UpdatedSinceFilter("updated_at", help_text=f"{HELP_TEXT} Compared with the unit's last change.")

    class Meta(UnitEditionFilter.Meta):
        form = UnitFilterForm

    def filter_parent(self, queryset, name, parent: Unit):
        return queryset.within(parent, inclusive=False)

    def filter_q(self, queryset, name, text: str):
        return selectors.units_search(queryset, text)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        for code in Classification.objects.filter(code__in=list(self.data)).values_list("code", flat=True):
            queryset = queryset.filter(
                classifications__classification__code=code, classifications__value__code=self.data[code]
            )
        return queryset
