"""Results across rounds: the figures of every round, the newest round with counted results, each unit's
newest result, one unit's results round after round (its predecessors' too), and what identifies the
published set (for cache keys).

``across_editions`` matches ``parent`` by code path in every edition (see :func:`subtree_q`): a unit's
history crosses the reform of the unit lists.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Q

from cms.directory.models import Unit, UnitSuccession
from criteria_pages.models import CriteriaSetVersion
from criteria_pages.spec import SetSpec
from submissions.models import CriterionResult, Round, Submission, counted_q, reaching_standard_q, unit_subject_q

from .filters import subtree_q

#: Newest round first: by the end of the period evaluated, then by opening date.
ROUND_NEWEST_FIRST = ("-round__period_end", "-round__opens_on", "-round_id")
#: The same order on the rounds themselves.
ROUND_ORDER = ("-period_end", "-opens_on", "-pk")


def _counted(basis: str, parent: Unit | None = None, *, across_editions: bool = False) -> Q:
    """The submissions of the basis in ``parent``'s subtree, in every round evaluating units: an OCOP round's
    dossiers (whose unit is the product's commune) are never a commune's result, nor make the current round."""
    counted = counted_q(basis)
    units = subtree_q(parent, prefix="unit__", across_editions=across_editions) & unit_subject_q()
    return units if counted is None else counted & units


def _unit_and_predecessors(unit_id: int) -> Q:
    """The unit and the units of earlier editions it was formed from: a commune's history crosses the reform."""
    predecessors = UnitSuccession.objects.filter(successor_id=unit_id).values("predecessor_id")
    return Q(unit_id=unit_id) | Q(unit_id__in=predecessors)


@dataclass(frozen=True)
class RoundResults:
    round: Round  # with its criteria set page and scope root (the frozen spec deferred)
    units: int  # counted submissions
    units_reaching_standard: int
    average_criteria_met: float | None
    average_criteria_applicable: float | None


@dataclass(frozen=True)
class RoundNumbers:
    """The numbers of :class:`RoundResults` without the round (plain values: kept in the cache)."""

    round_id: int
    units: int
    units_reaching_standard: int
    average_criteria_met: float | None
    average_criteria_applicable: float | None


def results_by_round(*, parent: Unit | None = None, basis: str, across_editions: bool = False) -> list[RoundResults]:
    """Every round with counted submissions, oldest first: units, units reaching the standard, and the
    average criteria met and applicable per unit. Two queries, whatever the number of rounds."""
    return with_rounds(round_numbers(parent=parent, basis=basis, across_editions=across_editions))


def round_numbers(*, parent: Unit | None = None, basis: str, across_editions: bool = False) -> tuple[RoundNumbers, ...]:
    """The counting of :func:`results_by_round`, by round id: one query."""
    rows = (
        Submission.objects.filter(_counted(basis, parent, across_editions=across_editions))
        .values("round_id")
        .annotate(
            units=Count("pk"),
            reaching=Count("pk", filter=reaching_standard_q()),
            average_met=Avg("criteria_met"),
            average_applicable=Avg("criteria_applicable"),
        )
        .order_by()
    )
    return tuple(
        RoundNumbers(
            round_id=row["round_id"],
            units=row["units"],
            units_reaching_standard=row["reaching"],
            average_criteria_met=_float(row["average_met"]),
            average_criteria_applicable=_float(row["average_applicable"]),
        )
        for row in rows
    )


def with_rounds(numbers: tuple[RoundNumbers, ...]) -> list[RoundResults]:
    """``numbers`` with their rounds, oldest first: one query."""
    by_round = {row.round_id: row for row in numbers}
    rounds = (
        Round.objects.filter(pk__in=by_round)
        .select_related("criteria_version__set_page", "scope_root")
        .defer("criteria_version__spec")
        .order_by("period_end", "opens_on", "pk")
    )
    return [
        RoundResults(
            round=round_,
            units=by_round[round_.pk].units,
            units_reaching_standard=by_round[round_.pk].units_reaching_standard,
            average_criteria_met=by_round[round_.pk].average_criteria_met,
            average_criteria_applicable=by_round[round_.pk].average_criteria_applicable,
        )
        for round_ in rounds
    ]


def _float(value) -> float | None:
    return None if value is None else float(value)


def latest_round(*, parent: Unit | None = None, basis: str, across_editions: bool = False) -> Round | None:
    """The newest round with at least one counted submission (with its frozen criteria set): one query."""
    round_ids = Submission.objects.filter(_counted(basis, parent, across_editions=across_editions)).values("round_id")
    return Round.objects.filter(pk__in=round_ids).select_related("criteria_version").order_by(*ROUND_ORDER).first()


def latest_round_id(*, parent: Unit | None = None, basis: str, across_editions: bool = False) -> int | None:
    """The id of :func:`latest_round`: one query."""
    round_ids = Submission.objects.filter(_counted(basis, parent, across_editions=across_editions)).values("round_id")
    return Round.objects.filter(pk__in=round_ids).order_by(*ROUND_ORDER).values_list("pk", flat=True).first()


def latest_results(unit_ids: Iterable[int], *, basis: str) -> dict[int, Submission]:
    """Each unit's newest counted submission (its verdict fields and its round's name), in one query."""
    rows = (
        Submission.objects.filter(_counted(basis), unit_id__in=list(unit_ids))
        .select_related("round")
        .only(
            "unit_id",
            "criteria_met",
            "criteria_applicable",
            "standard_reached",
            "standard_override",
            "round__name",
            "round__period_end",
            "round__opens_on",
        )
        .order_by("unit_id", *ROUND_NEWEST_FIRST)
    )
    results: dict[int, Submission] = {}
    for submission in rows:
        results.setdefault(submission.unit_id, submission)
    return results


@dataclass(frozen=True)
class UnitRoundResult:
    submission: Submission  # with its unit and its round (the office's extra answers deferred)
    spec: SetSpec  # the round's frozen criteria set
    met: dict[int, bool] = field(default_factory=dict)  # criterion number → verdict


def unit_history(unit: Unit, *, basis: str) -> list[UnitRoundResult]:
    """The unit's counted submissions round after round, newest first, with their verdicts per criterion;
    the units of earlier editions it was formed from are included. Three queries (one without results): each
    criteria set version is read and parsed once, however many rounds used it."""
    submissions = list(
        Submission.objects.filter(_counted(basis))
        .filter(_unit_and_predecessors(unit.pk))
        .select_related("round", "unit")
        .defer("answers")
        .order_by(*ROUND_NEWEST_FIRST)
    )
    if not submissions:
        return []
    met: dict[int, dict[int, bool]] = {}
    for row in CriterionResult.objects.filter(submission__in=[s.pk for s in submissions]).only(
        "submission_id", "number", "met"
    ):
        met.setdefault(row.submission_id, {})[row.number] = row.met
    specs = {
        version.pk: version.set_spec
        for version in CriteriaSetVersion.objects.filter(pk__in={s.round.criteria_version_id for s in submissions})
    }
    return [
        UnitRoundResult(submission, specs[submission.round.criteria_version_id], met.get(submission.pk, {}))
        for submission in submissions
    ]


@dataclass(frozen=True)
class PublicationMarks:
    """What identifies the published results: publishing sets a new, later time; unpublishing lowers the count."""

    count: int
    last_published: datetime.datetime | None
    last_recognised: datetime.datetime | None


def publication_marks(*, unit_id: int | None = None) -> PublicationMarks:
    """Count and latest publication and recognition times of the published results (of one unit with its
    predecessors, or of all): one query."""
    queryset = Submission.objects.published()
    if unit_id is not None:
        queryset = queryset.filter(_unit_and_predecessors(unit_id))
    row = queryset.aggregate(count=Count("pk"), published=Max("published_at"), recognised=Max("recognised_at"))
    return PublicationMarks(row["count"], row["published"], row["recognised"])
