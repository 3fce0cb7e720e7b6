"""Per-unit results of one round: a row per counted submission with its criteria (paged for the API,
streamed for the exports), and the units meeting or not meeting one criterion."""

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from cms.directory.models import Unit
from submissions.models import Basis, CriterionResult, Round, Submission, effective_standard_expression

from .filters import Filters

#: Submissions per query when per-unit results are streamed (exports).
RESULTS_CHUNK = 1000


@dataclass(frozen=True)
class UnitResult:
    submission_id: int
    unit_code: str
    unit_name: str
    parent_name: str
    status: str
    published: bool
    criteria_met: int
    standard_reached: bool  # the effective standard (override or computed)
    criteria: tuple[tuple[int, bool], ...]  # (number, met) for every criterion of the round's set
    published_at: datetime.datetime | None = None


RESULT_FIELDS = (
    "pk",
    "unit__code",
    "unit__name",
    "unit__parent__name",
    "status",
    "published",
    "criteria_met",
    "effective_standard",
    "published_at",
)


def round_results(
    round_: Round,
    *,
    parent: Unit | None = None,
    unit: Unit | None = None,
    group: str = "",
    basis: str = Basis.ALL,
) -> QuerySet:
    """One row (a dict) per counted submission, in the order of the unit tree; pass pages of it to
    :func:`results_with_criteria`, or the whole of it to :func:`iter_results`."""
    filters = Filters(round_, parent, unit, group, basis)
    return (
        Submission.objects.filter(filters.counted_where())
        .annotate(effective_standard=effective_standard_expression())
        .values(*RESULT_FIELDS)
        .order_by("unit__path", "pk")
    )


def results_with_criteria(round_: Round, rows: Sequence[dict]) -> list[UnitResult]:
    """``rows`` of :func:`round_results` with each unit's criteria: one query."""
    rows = list(rows)
    met: dict[int, dict[int, bool]] = {}
    if rows:
        for submission_id, number, value in (
            CriterionResult.objects.filter(submission_id__in=[row["pk"] for row in rows])
            .order_by()
            .values_list("submission_id", "number", "met")
        ):
            met.setdefault(submission_id, {})[number] = value
    numbers = [criterion.number for criterion in round_.spec.criteria]
    return [
        UnitResult(
            submission_id=row["pk"],
            unit_code=row["unit__code"],
            unit_name=row["unit__name"],
            parent_name=row["unit__parent__name"] or "",
            status=row["status"],
            published=row["published"],
            criteria_met=row["criteria_met"],
            standard_reached=bool(row["effective_standard"]),
            criteria=tuple((number, met.get(row["pk"], {}).get(number, False)) for number in numbers),
            published_at=row.get("published_at"),
        )
        for row in rows
    ]


def iter_results(round_: Round, rows: QuerySet, *, chunk_size: int | None = None) -> Iterator[UnitResult]:
    """Every row of ``rows`` (:func:`round_results`) with its criteria, in constant memory: the rows are
    read with a cursor and their criteria fetched ``chunk_size`` (default :data:`RESULTS_CHUNK`)
    submissions at a time."""
    chunk_size = chunk_size or RESULTS_CHUNK
    batch: list[dict] = []
    for row in rows.iterator(chunk_size=chunk_size):
        batch.append(row)
        if len(batch) >= chunk_size:
            yield from results_with_criteria(round_, batch)
            batch = []
    if batch:
        yield from results_with_criteria(round_, batch)


#: What :func:`criterion_units` reads of each verdict, its submission and unit: what a list of communes shows.
CRITERION_UNIT_FIELDS = (
    "met",
    "submission__round_id",
    "submission__unit__code",
    "submission__unit__name",
    "submission__unit__unit_type",
    "submission__unit__level",
    "submission__unit__path",
    "submission__unit__edition_id",
    "submission__unit__parent__code",
    "submission__unit__parent__name",
    "submission__unit__parent__level",
    "submission__unit__parent__path",
)


def criterion_units(
    round_: Round,
    number: int,
    *,
    parent: Unit | None = None,
    basis: str = Basis.ALL,
    across_editions: bool = False,
) -> tuple[list[Submission], list[Submission]]:
    """The counted submissions (with their unit and its parent, the fields of :data:`CRITERION_UNIT_FIELDS`) that
    meet criterion ``number``, and those that do not, each in the order of the unit tree: one query."""
    filters = Filters(round_, parent, None, "", basis, across_editions=across_editions)
    rows = (
        CriterionResult.objects.filter(
            number=number, submission__in=Submission.objects.filter(filters.counted_where()).values("pk")
        )
        .select_related("submission__unit__parent")
        .only(*CRITERION_UNIT_FIELDS)
        .order_by("submission__unit__path")
    )
    meeting: list[Submission] = []
    not_meeting: list[Submission] = []
    for row in rows:
        (meeting if row.met else not_meeting).append(row.submission)
    return meeting, not_meeting
