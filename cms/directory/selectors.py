"""Reads shared by the admin, the API and the apps above the directory."""

from django.db.models import Prefetch, Q, QuerySet

from .models import (
    Classification,
    Edition,
    PendingSuccession,
    Unit,
    UnitClassification,
    UnitCodeCorrection,
    UnitLevel,
    UnitSuccession,
)
from .text import fold


def edition_latest() -> Edition | None:
    return Edition.objects.order_by("-date").first()


def units_with_details() -> QuerySet[Unit]:
    """Units with everything the list views and the API show, in a fixed number of queries."""
    return Unit.objects.select_related("edition", "parent").prefetch_related(
        Prefetch(
            "classifications",
            queryset=UnitClassification.objects.select_related("classification", "value"),
        ),
        Prefetch(
            "predecessor_links",
            queryset=UnitSuccession.objects.select_related("predecessor__edition").order_by("predecessor__code"),
        ),
    )


def units_search(queryset: QuerySet[Unit], text: str) -> QuerySet[Unit]:
    """Name (diacritic-insensitive, every word) or code."""
    words = fold(text).split()
    if not words:
        return queryset
    by_name = Q()
    for word in words:
        by_name &= Q(search_name__contains=word)
    return queryset.filter(by_name | Q(code=text.strip()))


def units_within(unit: Unit, *, level: str | None = None) -> QuerySet[Unit]:
    """All units below ``unit`` (at ``level`` if given): e.g. every commune of a province."""
    queryset = Unit.objects.within(unit, inclusive=False)
    return queryset.filter(level=level) if level else queryset


def unit_history(unit: Unit) -> QuerySet[Unit]:
    """The units of earlier editions this unit was formed from."""
    return Unit.objects.filter(successor_links__successor=unit).select_related("edition").order_by("code")


def unit_pending_history(unit: Unit) -> QuerySet[PendingSuccession]:
    """The ``merged_from`` links of ``unit`` still waiting for the earlier edition (or code) to be imported."""
    return PendingSuccession.objects.filter(successor=unit).select_related("expected_edition")


def edition_before(edition: Edition) -> Edition | None:
    """The latest edition older than ``edition``: where its units' predecessors are."""
    return Edition.objects.filter(date__lt=edition.date).order_by("-date").first()


def unit_code_corrections() -> QuerySet[UnitCodeCorrection]:
    """Every recorded correction of an official list, newest list first."""
    return UnitCodeCorrection.objects.select_related("unit", "applied_by")


def unit_code_map(edition_date) -> dict[str, str]:
    """Old code → corrected code, for the list that took effect on ``edition_date``."""
    return dict(UnitCodeCorrection.objects.filter(edition_date=edition_date).values_list("old_code", "new_code"))


def classifications_with_values() -> QuerySet[Classification]:
    return Classification.objects.prefetch_related("values")


def provinces(edition: Edition | None = None) -> QuerySet[Unit]:
    queryset = Unit.objects.filter(level=UnitLevel.PROVINCE)
    return queryset.filter(edition=edition) if edition else queryset
