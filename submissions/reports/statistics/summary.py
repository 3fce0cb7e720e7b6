"""The numbers of one round: the headline summary with the units meeting each criterion, how many
criteria units meet, the review stages, and the breakdowns by group (classification value) and district."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from cms.directory.models import ClassificationValue, Unit, UnitLevel
from criteria_pages.spec import SetSpec
from submissions.models import (
    Basis,
    CriterionResult,
    Round,
    Submission,
    SubmissionStatus,
    reaching_standard_q,
)
from submissions.rounds.selectors import units_in_round_scope
from submissions.titles.selectors import holding_title_q

from .filters import Filters, average, both, subtree_q

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
    #: Units in scope currently holding the title the round's set grants (0 when it grants none); revoked titles
    #: are not counted.
    units_holding_title: int = 0

    def criterion(self, number: int) -> CriterionStat | None:
        return next((item for item in self.criteria if item.number == number), None)


def round_summary(
    round_: Round,
    *,
    parent: Unit | None = None,
    unit: Unit | None = None,
    group: str = "",
    basis: str = Basis.ALL,
    across_editions: bool = False,
) -> RoundSummary:
    """The headline numbers and the units meeting each criterion: two queries.

    ``across_editions`` matches ``parent`` by code path in every edition (see :func:`subtree_q`)."""
    return summary_of(Filters(round_, parent, unit, group, basis, across_editions=across_editions))


def summary_of(filters: Filters) -> RoundSummary:
    spec: SetSpec = filters.round.spec
    total = len(spec.criteria)
    counted = filters.counted()
    # units in scope holding the set's title: a public decision, counted whatever the basis
    holding = (
        {"units_holding_title": Count("pk", filter=holding_title_q(spec.grants_title))} if spec.grants_title else {}
    )
    numbers = Submission.objects.filter(filters.where()).aggregate(
        units_in_scope=Count("pk"),
        units_counted=Count("pk", filter=counted),
        units_submitted=Count("pk", filter=both(counted, Q(first_submitted_at__isnull=False))),
        units_recognised=Count("pk", filter=both(counted, Q(status=SubmissionStatus.RECOGNISED))),
        units_meeting_all=Count("pk", filter=both(counted, Q(criteria_met=total))),
        units_reaching_standard=Count("pk", filter=both(counted, reaching_standard_q())),
        criteria_met_total=Sum("criteria_met", filter=counted),
        **holding,
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
        average_criteria_met=average(numbers["criteria_met_total"], numbers["units_counted"]),
        criteria_count=total,
        units_holding_title=numbers.get("units_holding_title") or 0,
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
    return distribution_of(Filters(round_, parent, None, group, basis))


def distribution_of(filters: Filters) -> tuple[DistributionRow, ...]:
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
    return stages_of(Filters(round_, parent, None, group, basis))


def stages_of(filters: Filters) -> tuple[StageCount, ...]:
    counts = dict(
        Submission.objects.filter(filters.counted_where())
        .order_by()
        .values_list("status")
        .annotate(units=Count("pk"))
        .values_list("status", "units")
    )
    return tuple(StageCount(status, str(label), counts.get(status, 0)) for status, label in SubmissionStatus.choices)


# --- breakdowns ---------------------------------------------------------------------------------------


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
    return groups_of(Filters(round_, parent, None, "", basis))


def groups_of(filters: Filters) -> tuple[GroupStat, ...]:
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
            average_criteria_met=average(row["criteria_met_total"], row["units"]),
        )
        for row in rows
    )


@dataclass(frozen=True)
class DistrictStat:
    unit_id: int
    code: str
    name: str
    units_in_scope: int  # units of the round's scope in the district
    units_counted: int  # submissions of the basis
    units_reaching_standard: int


def district_statistics(
    round_: Round, *, parent: Unit | None = None, basis: str = Basis.ALL, across_editions: bool = False
) -> tuple[DistrictStat, ...]:
    """Per district, by code: the round's units in scope, the counted submissions and those reaching the
    standard; a district with counted submissions but no unit in scope is listed too. Empty where the units
    have no district level (the two-level list). Two queries."""
    filters = Filters(round_, parent, None, "", basis, across_editions=across_editions)
    scope = (
        units_in_round_scope(round_)
        .filter(parent__level=UnitLevel.DISTRICT)
        .filter(subtree_q(parent, across_editions=across_editions))
    )
    districts = {
        row["parent_id"]: (row["parent__code"], row["parent__name"], row["units"])
        for row in scope.values("parent_id", "parent__code", "parent__name").annotate(units=Count("pk")).order_by()
    }
    counted = (
        Submission.objects.filter(filters.counted_where(), unit__parent__level=UnitLevel.DISTRICT)
        .values("unit__parent_id", "unit__parent__code", "unit__parent__name")
        .annotate(units=Count("pk"), reaching=Count("pk", filter=reaching_standard_q()))
        .order_by()
    )
    counts: dict[int, tuple[int, int]] = {}
    for row in counted:
        counts[row["unit__parent_id"]] = (row["units"], row["reaching"])
        districts.setdefault(row["unit__parent_id"], (row["unit__parent__code"], row["unit__parent__name"], 0))
    stats = [
        DistrictStat(pk, code, name, in_scope, *counts.get(pk, (0, 0)))
        for pk, (code, name, in_scope) in districts.items()
    ]
    return tuple(sorted(stats, key=lambda stat: stat.code))
