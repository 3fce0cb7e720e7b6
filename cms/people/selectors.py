"""Reads of the people app, shared by the admin views, the export and the commands."""

from django.db.models import Prefetch, Q, QuerySet

from cms.directory.models import Membership, Unit, UnitLevel
from cms.directory.text import fold

from .models import Invitation


def province_by_code(code: str) -> Unit | None:
    """The province with ``code`` in the newest edition that has it."""
    return (
        Unit.objects.filter(code=code, level=UnitLevel.PROVINCE)
        .select_related("edition")
        .order_by("-edition__date")
        .first()
    )


def people_with_details(queryset: QuerySet) -> QuerySet:
    """People with their profile, memberships (scopes included) and latest invitation, in a fixed number of
    queries."""
    return queryset.select_related("people_profile").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("unit", "department").order_by("role", "pk"),
        ),
        Prefetch("invitations", queryset=Invitation.objects.order_by("-created_at", "-pk"), to_attr="invitation_list"),
    )


def people_search(queryset: QuerySet, text: str) -> QuerySet:
    """Username, name, e-mail or phone; every word must match (name words without diacritics match too)."""
    for word in text.split():
        folded = fold(word)
        queryset = queryset.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(people_profile__phone__icontains=word)
            | Q(username__icontains=folded)
        )
    return queryset


def people_list(queryset: QuerySet, *, search: str = "", role: str = "", active: str = "") -> QuerySet:
    if search:
        queryset = people_search(queryset, search)
    if role:
        queryset = queryset.filter(memberships__role=role)
    if active in ("1", "0"):
        queryset = queryset.filter(is_active=active == "1")
    return people_with_details(queryset.distinct()).order_by("last_name", "first_name", "username")
