"""Reads of titles, shared by the admin, the public site, the API and the statistics."""

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from cms.directory.models import Unit, UnitSuccession, within_q
from criteria_pages.spec import TitleKind
from submissions.titles.models import Title


def title_counts(*, within: Unit | None = None, kinds=None) -> dict[str, int]:
    """Units currently holding each kind of title (revoked titles are not counted), in ``within``'s subtree (in its
    edition) or everywhere; every kind asked for (all by default) is listed, zeros included. One query."""
    kinds = list(kinds) if kinds is not None else list(TitleKind.values)
    queryset = Title.objects.current().filter(kind__in=kinds)
    if within is not None:
        queryset = queryset.filter(within_q(within, prefix="unit__"))
    counts = dict(
        queryset.order_by()
        .values_list("kind")
        .annotate(units=Count("unit_id", distinct=True))
        .values_list("kind", "units")
    )
    return {kind: counts.get(kind, 0) for kind in kinds}


def holding_title_q(kind: str, *, unit_field: str = "unit_id") -> Q:
    """Rows whose unit (the field ``unit_field``, e.g. a submission's ``unit_id``) currently holds ``kind``: a ``Q``
    that composes with other filters and aggregates (an ``EXISTS``, never a join that repeats rows)."""
    return Q(Exists(Title.objects.current().filter(kind=kind, unit_id=OuterRef(unit_field))))


def unit_titles(unit: Unit) -> QuerySet[Title]:
    """``unit``'s own titles, current and revoked, newest decision first."""
    return Title.objects.filter(unit=unit).order_by("-decision_date", "-pk")


def titles_with_predecessors(unit: Unit) -> list[Title]:
    """``unit``'s titles and those of the units it was formed from (before the 2025 mergers), newest decision
    first, each with its unit: one query."""
    predecessors = UnitSuccession.objects.filter(successor=unit).values("predecessor_id")
    return list(
        Title.objects.filter(Q(unit=unit) | Q(unit_id__in=predecessors))
        .select_related("unit")
        .order_by("-decision_date", "unit__name", "-pk")
    )


def titles_by_submission(submission_ids) -> dict[int, list[Title]]:
    """The titles of the units of these submissions, by submission id (current and revoked): one query."""
    by_submission: dict[int, list[Title]] = {}
    if not submission_ids:
        return by_submission
    rows = (
        Title.objects.filter(unit__submissions__pk__in=list(submission_ids))
        .annotate(submission_pk=F("unit__submissions__pk"))
        .order_by("unit_id", "-decision_date", "-pk")
    )
    for title in rows:
        by_submission.setdefault(title.submission_pk, []).append(title)
    return by_submission
