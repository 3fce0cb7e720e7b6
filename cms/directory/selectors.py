"""Reads shared by the admin, the API and the apps above the directory."""

from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.db.models.lookups import Contains

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
from .text import search_fold


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


def name_search_q(text: str, *, prefix: str = "", max_words: int | None = None) -> Q | None:
    """Units (reached through ``prefix``) whose name matches ``text`` as people type it, None when ``text`` has no
    word: diacritics, case, apostrophes, hyphens and spacing ignored ("ea hleo", "eahleo" and "Ea H-leo" all find
    "Xã Ea H'leo"). A name matches when it holds every word (the first ``max_words``), or when, both without
    spaces, it holds the whole query. The public search and the API's ``q=`` both ask here."""
    words = search_fold(text).split()
    if not words:
        return None
    name = f"{prefix}search_name"
    compact = Q(Contains(Replace(F(name), Value(" "), Value("")), "".join(words)))
    if len(words) == 1:
        return compact  # one word: the compact name holds it wherever the spaced name does
    every_word = Q()
    for word in words[:max_words]:
        every_word &= Q(**{f"{name}__contains": word})
    return every_word | compact


def units_search(queryset: QuerySet[Unit], text: str) -> QuerySet[Unit]:
    """Name (:func:`name_search_q`) or code."""
    by_name = name_search_q(text)
    if by_name is None:
        return queryset
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
