"""Reads shared by the admin, the API and the apps above the directory."""

from django.db.models import Prefetch, Q, QuerySet

from .models import Edition, Membership, Role, Unit, UnitClassification, UnitLevel, UnitSuccession
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
    queryset = Unit.objects.filter(edition_id=unit.edition_id, path__startswith=unit.path).exclude(pk=unit.pk)
    return queryset.filter(level=level) if level else queryset


def unit_history(unit: Unit) -> QuerySet[Unit]:
    """The units of earlier editions this unit was formed from."""
    return Unit.objects.filter(successor_links__successor=unit).select_related("edition").order_by("code")


def user_office_scopes(user) -> QuerySet[Unit]:
    """Provinces (or other units) the user works on as an office editor."""
    return Unit.objects.filter(memberships__user=user, memberships__role=Role.OFFICE_EDITOR)


def units_in_user_office_scope(user) -> QuerySet[Unit]:
    """Every unit under the user's office scopes; all units for a superuser."""
    if user.is_superuser:
        return Unit.objects.all()
    condition = Q(pk__in=[])
    for scope in user_office_scopes(user).only("edition_id", "path"):
        condition |= Q(edition_id=scope.edition_id, path__startswith=scope.path)
    return Unit.objects.filter(condition)


def memberships_visible_to(user) -> QuerySet[Membership]:
    """Office editors manage the memberships of their provinces and of department appraisers."""
    queryset = Membership.objects.select_related("user", "unit", "unit__edition", "department")
    if user.is_superuser:
        return queryset
    scoped_units = units_in_user_office_scope(user).values("pk")
    own_departments = Q(department__province__in=user_office_scopes(user).values("pk")) | Q(
        department__province__isnull=True
    )
    return queryset.filter(Q(unit__in=scoped_units) | Q(own_departments, role=Role.DEPARTMENT_APPRAISER))


def provinces(edition: Edition | None = None) -> QuerySet[Unit]:
    queryset = Unit.objects.filter(level=UnitLevel.PROVINCE)
    return queryset.filter(edition=edition) if edition else queryset
