"""Statistics of an evaluation round: the reads behind the dashboard, the xlsx exports and the API.

Everything is counted by the database over the stored verdicts (``Submission.criteria_met``, the
effective standard, ``CriterionResult.met``, ``CriterionAppraisal.status``) with aggregates and
``values() + Count``; Python only reshapes the few aggregated rows (one per criterion, stage,
department, group), never loops over every submission. Each selector costs a fixed number of
queries, whatever the number of units.

Every selector takes the same filters:

- ``parent``: a province or district; only units in its subtree (``path`` prefix) are counted;
- ``group``: a classification value code (region, commune group) recorded on the submission;
- ``basis``: which submissions count (:class:`Basis`): ``all`` for the office, ``recognised``, and
  ``published`` (recognised *and* published), the only basis anonymous callers may see.

``units_in_scope`` is the number of units the round evaluates under the filters (the round's scope is
public, see ``/api/v1/rounds/{id}/``); every other number counts only the submissions of the basis.
"""

import dataclasses
import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.directory.models import ClassificationValue, Department, Unit, within_q
from criteria_pages.spec import SetSpec
from submissions.access import office_scope
from submissions.models import (
    AppraisalStatus,
    Basis,
    CriterionAppraisal,
    CriterionResult,
    Round,
    RoundStatus,
    Submission,
    SubmissionStatus,
    counted_q,
    effective_standard_expression,
    reaching_standard_q,
)

#: Days a review stage should take before its pending items count as overdue (settings.REVIEW_STAGE_DAYS).
DEFAULT_STAGE_DAYS = 10
TWO_PLACES = Decimal("0.01")
#: Submissions per query when per-unit results are streamed (exports).
RESULTS_CHUNK = 1000


# --- filters ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """Which submissions of which round: the arguments every selector here shares."""

    round: Round
    parent: Unit | None = None
    unit: Unit | None = None
    group: str = ""
    basis: str = Basis.ALL
    #: Read once by :meth:`resolved` for a series of queries on a subtree: the ids of the round's
    #: submissions under these filters and of their units. Queries then look submissions up by primary
    #: key instead of joining the unit table and scanning the whole round each time.
    submission_ids: tuple[int, ...] | None = None
    unit_ids: tuple[int, ...] | None = None

    def resolved(self) -> "Filters":
        """These filters with the submissions of the subtree read once (one query); unchanged without
        ``parent`` or ``unit`` (a whole round is better scanned than listed)."""
        if (self.parent is None and self.unit is None) or self.submission_ids is not None:
            return self
        rows = list(Submission.objects.filter(self.where()).order_by().values_list("pk", "unit_id"))
        return dataclasses.replace(
            self, submission_ids=tuple(pk for pk, _unit in rows), unit_ids=tuple(unit for _pk, unit in rows)
        )

    def units(self, prefix: str = "") -> Q:
        """The unit filters only (subtree, one unit), for a query on ``prefix`` + Submission fields."""
        if self.unit_ids is not None:
            return Q(**{f"{prefix}unit_id__in": self.unit_ids})
        condition = Q()
        if self.parent is not None:
            condition &= within_q(self.parent, prefix=f"{prefix}unit__")
        if self.unit is not None:
            condition &= Q(**{f"{prefix}unit_id": self.unit.pk})
        return condition

    def where(self, prefix: str = "") -> Q:
        """The round, unit and group filters (not the basis), for a query on ``prefix`` + Submission fields."""
        if self.submission_ids is not None:
            return Q(**{f"{prefix}pk__in": self.submission_ids})
        condition = Q(**{f"{prefix}round_id": self.round.pk}) & self.units(prefix)
        if self.group:
            condition &= Q(**{f"{prefix}group": self.group})
        return condition

    def counted(self, prefix: str = "") -> Q | None:
        """The basis as a condition, or None when every submission counts."""
        return counted_q(self.basis, prefix)

    def counted_where(self, prefix: str = "") -> Q:
        counted = self.counted(prefix)
        where = self.where(prefix)
        return where if counted is None else where & counted


def _both(first: Q | None, second: Q) -> Q:
    return second if first is None else first & second


def stage_days() -> int:
    return int(getattr(settings, "REVIEW_STAGE_DAYS", DEFAULT_STAGE_DAYS))


def _average(total: int | None, count: int) -> Decimal:
    if not count:
        return Decimal("0.00")
    return (Decimal(total or 0) / Decimal(count)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


# --- units of a round ---------------------------------------------------------------------------------


def unit_in_round(round_: Round, code: str) -> Unit | None:
    """The unit with official ``code`` in the edition of the round's units (codes repeat across editions)."""
    if round_.scope_root_id:
        editions = Unit.objects.filter(pk=round_.scope_root_id).values("edition_id")
    else:
        editions = round_.scope_units.values("edition_id")
    return Unit.objects.filter(code=code.strip(), edition_id__in=editions).select_related("edition").first()


def round_submissions(
    round_: Round, *, parent: Unit | None = None, unit: Unit | None = None, group: str = "", basis: str = Basis.ALL
) -> QuerySet[Submission]:
    """The submissions counted under these filters."""
    return Submission.objects.filter(Filters(round_, parent, unit, group, basis).counted_where())


def dashboard_round(user) -> tuple[Round, Unit | None] | None:
    """The open round the user's dashboard follows (the latest opened with units in their scope), and
    the subtree to count; None if the user reads no unpublished statistics or no round is open."""
    scope = office_scope(user)
    if not scope.allowed:
        return None
    rounds = Round.objects.filter(status=RoundStatus.OPEN).select_related("criteria_version")
    if scope.parent is not None:
        rounds = rounds.filter(Exists(Submission.objects.filter(round_id=OuterRef("pk")).within(scope.parent)))
    round_ = rounds.order_by("-opens_on", "-pk").first()
    return None if round_ is None else (round_, scope.parent)


# --- the summary --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionStat:
    number: int
    name: str
    department: str  # department code, from the round's criteria set
    units_meeting: int


@dataclass(frozen=True)
class RoundSummary:
    units_in_scope: int
    units_counted: int  # submissions of the basis: the denominator of the average
    units_submitted: int
    units_recognised: int
    units_meeting_all: int
    units_reaching_standard: int
    criteria_met_total: int
    average_criteria_met: Decimal
    criteria_count: int
    criteria: tuple[CriterionStat, ...]

    def criterion(self, number: int) -> CriterionStat | None:
        return next((item for item in self.criteria if item.number == number), None)


def round_summary(
    round_: Round,
    *,
    parent: Unit | None = None,
    unit: Unit | None = None,
    group: str = "",
    basis: str = Basis.ALL,
) -> RoundSummary:
    """The headline numbers and the units meeting each criterion: two queries."""
    return _summary(Filters(round_, parent, unit, group, basis))


def _summary(filters: Filters) -> RoundSummary:
    spec: SetSpec = filters.round.spec
    total = len(spec.criteria)
    counted = filters.counted()
    numbers = Submission.objects.filter(filters.where()).aggregate(
        units_in_scope=Count("pk"),
        units_counted=Count("pk", filter=counted),
        units_submitted=Count("pk", filter=_both(counted, Q(first_submitted_at__isnull=False))),
        units_recognised=Count("pk", filter=_both(counted, Q(status=SubmissionStatus.RECOGNISED))),
        units_meeting_all=Count("pk", filter=_both(counted, Q(criteria_met=total))),
        units_reaching_standard=Count("pk", filter=_both(counted, reaching_standard_q())),
        criteria_met_total=Sum("criteria_met", filter=counted),
    )
    meeting = dict(
        CriterionResult.objects.filter(filters.counted_where("submission__"), met=True)
        .order_by()
        .values_list("number")
        .annotate(units=Count("pk"))
        .values_list("number", "units")
    )
    return RoundSummary(
        units_in_scope=numbers["units_in_scope"],
        units_counted=numbers["units_counted"],
        units_submitted=numbers["units_submitted"],
        units_recognised=numbers["units_recognised"],
        units_meeting_all=numbers["units_meeting_all"],
        units_reaching_standard=numbers["units_reaching_standard"],
        criteria_met_total=numbers["criteria_met_total"] or 0,
        average_criteria_met=_average(numbers["criteria_met_total"], numbers["units_counted"]),
        criteria_count=total,
        criteria=tuple(
            CriterionStat(criterion.number, criterion.name, criterion.department, meeting.get(criterion.number, 0))
            for criterion in spec.criteria
        ),
    )


# --- distributions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DistributionRow:
    criteria_met: int
    units: int


def criteria_distribution(
    round_: Round, *, parent: Unit | None = None, group: str = "", basis: str = Basis.ALL
) -> tuple[DistributionRow, ...]:
    """How many units meet 0, 1, … N criteria (every count listed, zeros included): one query."""
    return _distribution(Filters(round_, parent, None, group, basis))


def _distribution(filters: Filters) -> tuple[DistributionRow, ...]:
    counts = dict(
        Submission.objects.filter(filters.counted_where())
        .order_by()
        .values_list("criteria_met")
        .annotate(units=Count("pk"))
        .values_list("criteria_met", "units")
    )
    top = max([len(filters.round.spec.criteria), *counts])
    return tuple(DistributionRow(number, counts.get(number, 0)) for number in range(top + 1))


@dataclass(frozen=True)
class StageCount:
    status: str
    label: str
    units: int


def stage_counts(
    round_: Round, *, parent: Unit | None = None, group: str = "", basis: str = Basis.ALL
) -> tuple[StageCount, ...]:
    """Submissions at each step of the review flow (every step listed): one query."""
    return _stages(Filters(round_, parent, None, group, basis))


def _stages(filters: Filters) -> tuple[StageCount, ...]:
    counts = dict(
        Submission.objects.filter(filters.counted_where())
        .order_by()
        .values_list("status")
        .annotate(units=Count("pk"))
        .values_list("status", "units")
    )
    return tuple(StageCount(status, str(label), counts.get(status, 0)) for status, label in SubmissionStatus.choices)


@dataclass(frozen=True)
class GroupStat:
    code: str
    name: str
    units: int
    units_meeting_all: int
    units_reaching_standard: int
    criteria_met_total: int
    average_criteria_met: Decimal


def group_statistics(round_: Round, *, parent: Unit | None = None, basis: str = Basis.ALL) -> tuple[GroupStat, ...]:
    """The numbers by classification value (region, commune group) recorded at opening: two queries."""
    return _groups(Filters(round_, parent, None, "", basis))


def _groups(filters: Filters) -> tuple[GroupStat, ...]:
    spec = filters.round.spec
    rows = (
        Submission.objects.filter(filters.counted_where())
        .order_by()
        .values("group")
        .annotate(
            units=Count("pk"),
            meeting_all=Count("pk", filter=Q(criteria_met=len(spec.criteria))),
            reaching=Count("pk", filter=reaching_standard_q()),
            criteria_met_total=Sum("criteria_met"),
        )
        .order_by("group")
    )
    names = (
        dict(ClassificationValue.objects.filter(classification__code=spec.classification).values_list("code", "name"))
        if spec.classification
        else {}
    )
    return tuple(
        GroupStat(
            code=row["group"],
            name=names.get(row["group"], row["group"]) or str(_("(chưa phân loại)")),
            units=row["units"],
            units_meeting_all=row["meeting_all"],
            units_reaching_standard=row["reaching"],
            criteria_met_total=row["criteria_met_total"] or 0,
            average_criteria_met=_average(row["criteria_met_total"], row["units"]),
        )
        for row in rows
    )


# --- departments --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentProgress:
    department_id: int | None
    code: str
    name: str
    criteria: tuple[int, ...]  # the criteria this department appraises in the round's set
    pending: int
    approved: int
    returned: int
    overdue: int  # pending while the submission has been at the appraisal stage too long

    @property
    def total(self) -> int:
        return self.pending + self.approved + self.returned


def appraisal_progress(
    round_: Round,
    *,
    parent: Unit | None = None,
    group: str = "",
    basis: str = Basis.ALL,
    now: datetime.datetime | None = None,
) -> tuple[DepartmentProgress, ...]:
    """Per department: appraisals pending, approved, returned and overdue: two queries.

    Overdue: still pending while its submission entered the appraisal stage more than
    ``settings.REVIEW_STAGE_DAYS`` (default 10) days ago. Departments of the set without any
    appraisal yet are listed with zeros.
    """
    return _appraisals(Filters(round_, parent, None, group, basis), now)


def _appraisals(filters: Filters, now: datetime.datetime | None = None) -> tuple[DepartmentProgress, ...]:
    cutoff = (now or timezone.now()) - datetime.timedelta(days=stage_days())
    pending = Q(status=AppraisalStatus.PENDING)
    rows = list(
        CriterionAppraisal.objects.filter(filters.counted_where("submission__"))
        .order_by()
        .values("department_id", "department__code", "department__name", "department__short_name")
        .annotate(
            pending=Count("pk", filter=pending),
            approved=Count("pk", filter=Q(status=AppraisalStatus.APPROVED)),
            returned=Count("pk", filter=Q(status=AppraisalStatus.RETURNED)),
            overdue=Count(
                "pk",
                filter=pending
                & Q(submission__status=SubmissionStatus.APPRAISAL, submission__stage_entered_at__lt=cutoff),
            ),
        )
    )
    numbers: dict[str, list[int]] = {}
    for criterion in filters.round.spec.criteria:
        numbers.setdefault(criterion.department, []).append(criterion.number)
    seen = {row["department__code"] for row in rows}
    missing = [code for code in numbers if code and code not in seen]
    if missing:
        rows += [
            {
                "department_id": department.pk,
                "department__code": department.code,
                "department__name": department.name,
                "department__short_name": department.short_name,
                "pending": 0,
                "approved": 0,
                "returned": 0,
                "overdue": 0,
            }
            for department in Department.objects.filter(code__in=missing)
        ]
    result = [
        DepartmentProgress(
            department_id=row["department_id"],
            code=row["department__code"] or "",
            name=row["department__name"] or str(_("(chưa giao sở, ngành)")),
            criteria=tuple(numbers.get(row["department__code"] or "", ())),
            pending=row["pending"],
            approved=row["approved"],
            returned=row["returned"],
            overdue=row["overdue"],
        )
        for row in rows
    ]
    return tuple(sorted(result, key=lambda item: (item.criteria[:1] or (10**6,), item.name)))


# --- change from the previous round -------------------------------------------------------------------


def previous_round(round_: Round) -> Round | None:
    """The round to compare with: ``prefill_from`` or else the latest earlier round of the same set code."""
    if round_.prefill_from_id:
        return Round.objects.select_related("criteria_version").get(pk=round_.prefill_from_id)
    earlier = Q(opens_on__lt=round_.opens_on) | Q(opens_on=round_.opens_on, pk__lt=round_.pk)
    return (
        Round.objects.filter(earlier, criteria_version__spec__code=round_.spec.code)
        .exclude(status=RoundStatus.DRAFT)
        .exclude(pk=round_.pk)
        .select_related("criteria_version")
        .order_by("-opens_on", "-pk")
        .first()
    )


@dataclass(frozen=True)
class UnitChange:
    unit_id: int
    unit_code: str
    unit_name: str
    gained: tuple[int, ...]  # criteria met now, not met in the previous round
    lost: tuple[int, ...]  # criteria met in the previous round, not now


@dataclass(frozen=True)
class RoundChanges:
    previous: Round | None
    units_compared: int  # units with a counted submission in both rounds
    units: tuple[UnitChange, ...]  # only units whose verdicts changed, in the order of the unit tree

    @property
    def criteria_gained(self) -> int:
        return sum(len(item.gained) for item in self.units)

    @property
    def criteria_lost(self) -> int:
        return sum(len(item.lost) for item in self.units)

    @property
    def units_improved(self) -> int:
        return sum(len(item.gained) > len(item.lost) for item in self.units)

    @property
    def units_declined(self) -> int:
        return sum(len(item.gained) < len(item.lost) for item in self.units)


def round_changes(
    round_: Round,
    *,
    previous: Round | None = None,
    parent: Unit | None = None,
    group: str = "",
    basis: str = Basis.ALL,
) -> RoundChanges:
    """Criteria each unit gained and lost since ``previous`` (default :func:`previous_round`): four
    queries (six under ``parent``).

    The same unit (same directory row) is compared criterion by criterion (``CriterionResult.met``); the
    previous round's submissions count under the same basis. One grouped query over both rounds' verdicts
    keeps the (unit, criterion) pairs whose verdict changed; only those rows come back.
    """
    return _changes(Filters(round_, parent, None, group, basis).resolved(), previous)


def _changes(filters: Filters, previous: Round | None = None) -> RoundChanges:
    round_ = filters.round
    previous = previous or previous_round(round_)
    if previous is None:
        return RoundChanges(None, 0, ())
    # The current round's submissions under the filters, and the previous round's of the same units.
    if filters.submission_ids is not None:
        earlier = Submission.objects.filter(round_id=previous.pk, unit_id__in=filters.unit_ids)
        ids = filters.submission_ids + tuple(earlier.values_list("pk", flat=True))

        def scope(prefix: str) -> Q:
            return Q(**{f"{prefix}pk__in": ids})

    else:

        def scope(prefix: str) -> Q:
            return filters.where(prefix) | (Q(**{f"{prefix}round_id": previous.pk}) & filters.units(prefix))

    now, before = Q(submission__round_id=round_.pk), Q(submission__round_id=previous.pk)
    changed = (
        CriterionResult.objects.filter(_both(filters.counted("submission__"), scope("submission__")))
        .order_by()
        .values_list("submission__unit_id", "number")
        .annotate(
            now_rows=Count("pk", filter=now),
            now_met=Count("pk", filter=now & Q(met=True)),
            before_rows=Count("pk", filter=before),
            before_met=Count("pk", filter=before & Q(met=True)),
        )
        .filter(now_rows=1, before_rows=1)
        .exclude(now_met=F("before_met"))
        .values_list("submission__unit_id", "number", "now_met")
    )
    by_unit: dict[int, tuple[list[int], list[int]]] = {}
    for unit_id, number, met_now in changed:
        gained, lost = by_unit.setdefault(unit_id, ([], []))
        (gained if met_now else lost).append(number)
    now_submission, before_submission = Q(round_id=round_.pk), Q(round_id=previous.pk)
    compared = (
        Submission.objects.filter(_both(filters.counted(), scope("")))
        .order_by()
        .values("unit_id")
        .annotate(now=Count("pk", filter=now_submission), before=Count("pk", filter=before_submission))
        .filter(now=1, before=1)
        .count()
    )
    units = (
        Unit.objects.filter(pk__in=list(by_unit)).order_by("path").values_list("pk", "code", "name") if by_unit else []
    )
    return RoundChanges(
        previous,
        compared,
        tuple(
            UnitChange(pk, code, name, tuple(sorted(by_unit[pk][0])), tuple(sorted(by_unit[pk][1])))
            for pk, code, name in units
        ),
    )


# --- per-unit results ---------------------------------------------------------------------------------


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


RESULT_FIELDS = (
    "pk",
    "unit__code",
    "unit__name",
    "unit__parent__name",
    "status",
    "published",
    "criteria_met",
    "effective_standard",
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


# --- everything at once -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundStatistics:
    round: Round
    parent: Unit | None
    group: str
    basis: str
    summary: RoundSummary
    distribution: tuple[DistributionRow, ...]
    stages: tuple[StageCount, ...]
    departments: tuple[DepartmentProgress, ...]
    groups: tuple[GroupStat, ...]
    changes: RoundChanges | None

    def criteria_of(self, department: DepartmentProgress) -> list[CriterionStat]:
        return [stat for stat in self.summary.criteria if stat.number in department.criteria]


def round_statistics(
    round_: Round,
    *,
    parent: Unit | None = None,
    group: str = "",
    basis: str = Basis.ALL,
    with_changes: bool = True,
    now: datetime.datetime | None = None,
) -> RoundStatistics:
    """Summary, distribution, stages, departments, groups and the change from the previous round.

    The submissions of ``parent``'s subtree are read once and every query then uses their ids.
    """
    every_group = Filters(round_, parent, None, "", basis).resolved()
    filters = Filters(round_, parent, None, group, basis).resolved() if group else every_group
    return RoundStatistics(
        round=round_,
        parent=parent,
        group=group,
        basis=basis,
        summary=_summary(filters),
        distribution=_distribution(filters),
        stages=_stages(filters),
        departments=_appraisals(filters, now),
        groups=_groups(every_group),
        changes=_changes(filters) if with_changes else None,
    )
