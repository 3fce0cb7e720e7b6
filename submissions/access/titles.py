"""Titles: who manages and reads them (part of :mod:`submissions.access`; import from there)."""

from django.db.models import QuerySet

from cms.directory.access import scopes_of
from cms.directory.models import Role, Unit
from submissions.titles.models import Title

# --- titles (helper "titles" adds its rules below) ----------------------------------------------------------

# Titles are public decisions (the public site and the API show them, never their documents). In the admin, the office
# manages the titles of its province (its units and the units of earlier editions they were formed from: a title held
# before the 2025 reform stays with the old commune); national readers read every province's; nobody else.


def may_manage_titles(user) -> bool:
    """Whether ``user`` grants, corrects, revokes and imports titles at all: office editors, superusers."""
    scopes = scopes_of(user)
    return scopes.is_superuser or scopes.has_role(Role.OFFICE_EDITOR)


def may_read_titles(user) -> bool:
    """Whether the admin's "Danh hiệu" is for ``user``: offices, national readers (to read), superusers."""
    scopes = scopes_of(user)
    return scopes.reads_nationally or scopes.has_role(Role.OFFICE_EDITOR)


def title_units_managed_by(user) -> QuerySet[Unit]:
    """Units whose titles ``user`` manages: those of their office's province and the earlier units they were formed
    from; every unit for a superuser."""
    scopes = scopes_of(user)
    if scopes.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(scopes.history_units_q(Role.OFFICE_EDITOR))


def titles_managed_by(user) -> QuerySet[Title]:
    """Titles ``user`` corrects, revokes and records: :func:`title_units_managed_by`'s."""
    queryset = Title.objects.select_related("unit", "unit__edition", "unit__parent")
    scopes = scopes_of(user)
    if scopes.is_superuser:
        return queryset
    if not scopes.has_role(Role.OFFICE_EDITOR):
        return queryset.none()
    return queryset.filter(scopes.history_units_q(Role.OFFICE_EDITOR, prefix="unit__"))


def titles_readable_by(user) -> QuerySet[Title]:
    """Titles the admin shows ``user``: every province's for national readers, the office's own otherwise."""
    if scopes_of(user).reads_nationally:
        return Title.objects.select_related("unit", "unit__edition", "unit__parent")
    return titles_managed_by(user)
