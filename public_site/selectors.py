"""Reads for the public site.

Every figure and every row shown to the public starts from :func:`published_submissions`: results that
the office has recognised AND published. Nothing else (drafts, submissions under review, returned items,
recognised-but-unpublished results, indicator values, evidence) is ever read here, so it cannot leak.

The province filter is by code path (``"66/"``) across editions on purpose: the same province in the
three-level and the two-level lists keeps one history.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Q, QuerySet

from cms.directory.models import Unit, UnitLevel, UnitSuccession
from cms.directory.text import fold
from criteria_pages.models import CriteriaSetVersion
from criteria_pages.spec import CriterionSpec
from submissions.models import CriterionResult, Round, Submission, reaching_standard_q
from submissions.rounds.selectors import units_in_round_scope

#: Newest round first: by the end of the period evaluated, then by opening date.
ROUND_NEWEST_FIRST = ("-round__period_end", "-round__opens_on", "-round_id")


def published_submissions(province: Unit | None = None) -> QuerySet[Submission]:
    """The only results the public may see: recognised and published (optionally in one province)."""
    queryset = Submission.objects.published()
    if province is not None:
        queryset = queryset.filter(unit__path__startswith=province.path)
    return queryset


def _with_predecessors(unit_id: int) -> Q:
    """The unit and the units of earlier editions it was formed from: a commune's history crosses the reform."""
    predecessors = UnitSuccession.objects.filter(successor_id=unit_id).values("predecessor_id")
    return Q(unit_id=unit_id) | Q(unit_id__in=predecessors)


def publication_stamp(*, unit_id: int | None = None) -> str:
    """A short string that changes whenever the published results (of one commune, or of all) change.

    Count and latest publication time identify the published set: publishing sets a new, later time;
    unpublishing lowers the count. Used in cache keys, so pages are right even without an explicit
    invalidation.
    """
    queryset = published_submissions()
    if unit_id is not None:
        queryset = queryset.filter(_with_predecessors(unit_id))
    row = queryset.aggregate(count=Count("pk"), published=Max("published_at"), recognised=Max("recognised_at"))
    moments = [row[name].timestamp() if row[name] else 0 for name in ("published", "recognised")]
    return f"{row['count']}-{moments[0]:.6f}-{moments[1]:.6f}"


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _two_decimals(value) -> float | None:
    return None if value is None else round(float(value), 2)


# --- the province overview ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundFigures:
    round: Round
    set_name: str
    communes: int
    reaching_standard: int
    average_met: float | None
    average_applicable: float | None

    @property
    def standard_percent(self) -> int:
        return _percent(self.reaching_standard, self.communes)


@dataclass(frozen=True)
class CriterionFigure:
    number: int
    name: str
    meeting: int
    communes: int

    @property
    def percent(self) -> int:
        return _percent(self.meeting, self.communes)


@dataclass(frozen=True)
class DistrictFigure:
    code: str
    name: str
    communes: int
    published: int
    reaching_standard: int


@dataclass
class ProvinceOverview:
    rounds: list[RoundFigures] = field(default_factory=list)  # oldest first
    criteria: list[CriterionFigure] = field(default_factory=list)  # of the current round
    districts: list[DistrictFigure] = field(default_factory=list)  # in the current round

    @property
    def current(self) -> RoundFigures | None:
        return self.rounds[-1] if self.rounds else None


def round_figures(province: Unit | None = None) -> list[RoundFigures]:
    """Each round with published results, oldest first: communes, reaching the standard, average met."""
    rows = (
        published_submissions(province)
        .values("round_id")
        .annotate(
            communes=Count("pk"),
            standard=Count("pk", filter=reaching_standard_q()),
            average_met=Avg("criteria_met"),
            average_applicable=Avg("criteria_applicable"),
        )
        .order_by()
    )
    by_round = {row["round_id"]: row for row in rows}
    rounds = (
        Round.objects.filter(pk__in=by_round)
        .select_related("criteria_version__set_page", "scope_root")
        .defer("criteria_version__spec")
        .order_by("period_end", "opens_on", "pk")
    )
    return [
        RoundFigures(
            round=round_,
            set_name=round_.criteria_version.set_page.title,
            communes=by_round[round_.pk]["communes"],
            reaching_standard=by_round[round_.pk]["standard"],
            average_met=_two_decimals(by_round[round_.pk]["average_met"]),
            average_applicable=_two_decimals(by_round[round_.pk]["average_applicable"]),
        )
        for round_ in rounds
    ]


def current_round(province: Unit | None = None) -> Round | None:
    """The newest round with at least one published result (with its frozen criteria set)."""
    round_ids = published_submissions(province).values("round_id")
    return (
        Round.objects.filter(pk__in=round_ids)
        .select_related("criteria_version")
        .order_by("-period_end", "-opens_on", "-pk")
        .first()
    )


def _criteria_of(round_: Round) -> tuple[CriterionSpec, ...]:
    version = CriteriaSetVersion.objects.only("spec").get(pk=round_.criteria_version_id)
    return version.set_spec.criteria


def criterion_figures(round_: Round, province: Unit | None = None, criteria=None) -> list[CriterionFigure]:
    """How many communes (with published results in the round) meet each criterion of the round's set."""
    submissions = published_submissions(province).filter(round=round_)
    communes = submissions.count()
    meeting = dict(
        CriterionResult.objects.filter(submission__in=submissions.values("pk"), met=True)
        .values("number")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("number", "count")
    )
    criteria = _criteria_of(round_) if criteria is None else criteria
    return [CriterionFigure(c.number, c.name, meeting.get(c.number, 0), communes) for c in criteria]


def district_figures(round_: Round, province: Unit | None = None) -> list[DistrictFigure]:
    """Per district of the round's scope: its communes in scope, those with a published result in the round,
    those reaching the standard. Empty where the units have no district level (the two-level list)."""
    scope = units_in_round_scope(round_).filter(parent__level=UnitLevel.DISTRICT)
    if province is not None:
        scope = scope.filter(path__startswith=province.path)
    districts = {
        row["parent_id"]: row
        for row in scope.values("parent_id", "parent__code", "parent__name").annotate(communes=Count("pk")).order_by()
    }
    published = (
        published_submissions(province)
        .filter(round=round_, unit__parent__level=UnitLevel.DISTRICT)
        .values("unit__parent_id", "unit__parent__code", "unit__parent__name")
        .annotate(published=Count("pk"), standard=Count("pk", filter=reaching_standard_q()))
        .order_by()
    )
    counts = {}
    for row in published:
        counts[row["unit__parent_id"]] = row
        districts.setdefault(
            row["unit__parent_id"],
            {"parent__code": row["unit__parent__code"], "parent__name": row["unit__parent__name"], "communes": 0},
        )
    figures = [
        DistrictFigure(
            code=row["parent__code"],
            name=row["parent__name"],
            communes=max(row["communes"], counts.get(pk, {}).get("published", 0)),
            published=counts.get(pk, {}).get("published", 0),
            reaching_standard=counts.get(pk, {}).get("standard", 0),
        )
        for pk, row in districts.items()
    ]
    return sorted(figures, key=lambda figure: figure.code)


def province_overview(province: Unit | None = None) -> ProvinceOverview:
    """The home page's figures, in a fixed number of queries."""
    rounds = round_figures(province)
    if not rounds:
        return ProvinceOverview()
    current = rounds[-1].round
    return ProvinceOverview(
        rounds=rounds,
        criteria=criterion_figures(current, province),
        districts=district_figures(current, province),
    )


# --- communes -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LatestResult:
    round_name: str
    criteria_met: int
    criteria_applicable: int
    standard: bool


def latest_results(unit_ids) -> dict[int, LatestResult]:
    """Each unit's newest published result (for lists of communes), in one query."""
    rows = (
        published_submissions()
        .filter(unit_id__in=list(unit_ids))
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
    results: dict[int, LatestResult] = {}
    for submission in rows:
        if submission.unit_id not in results:
            results[submission.unit_id] = LatestResult(
                round_name=submission.round.name,
                criteria_met=submission.criteria_met,
                criteria_applicable=submission.criteria_applicable,
                standard=submission.effective_standard,
            )
    return results


def search_condition(query: str, prefix: str = "") -> Q | None:
    """Every word of ``query`` in the unit's folded name: "hoa thuan" finds "Xã Hòa Thuận". None if empty."""
    words = fold(query).split()
    if not words:
        return None
    condition = Q()
    for word in words[:8]:
        condition &= Q(**{f"{prefix}search_name__contains": word})
    return condition


@dataclass
class CriterionStatus:
    number: int
    name: str
    met: bool
    since: "RoundEntry | None" = None  # the first round of the unbroken run that reaches the latest one


@dataclass
class RoundEntry:
    submission: Submission
    set_code: str
    criteria: list[CriterionStatus]

    @property
    def round(self) -> Round:
        return self.submission.round

    @property
    def unit(self) -> Unit:
        return self.submission.unit

    @property
    def standard(self) -> bool:
        return self.submission.effective_standard

    @property
    def met_numbers(self) -> list[int]:
        return [criterion.number for criterion in self.criteria if criterion.met]


@dataclass
class CommuneProgress:
    history: list[RoundEntry] = field(default_factory=list)  # newest first
    standard_since: RoundEntry | None = None

    @property
    def latest(self) -> RoundEntry | None:
        return self.history[0] if self.history else None


def commune_progress(unit: Unit) -> CommuneProgress:
    """A commune's published results round after round (its predecessors' too), in two queries.

    "Since" follows a run of rounds of the same criteria set (numbers mean different things in another set).
    """
    submissions = list(
        published_submissions()
        .filter(_with_predecessors(unit.pk))
        .select_related("round__criteria_version", "unit")
        .order_by(*ROUND_NEWEST_FIRST)
    )
    if not submissions:
        return CommuneProgress()
    results = defaultdict(dict)
    for row in CriterionResult.objects.filter(submission__in=[s.pk for s in submissions]).only(
        "submission_id", "number", "met"
    ):
        results[row.submission_id][row.number] = row.met
    history = []
    for submission in submissions:
        spec = submission.round.criteria_version.set_spec
        met = results[submission.pk]
        history.append(
            RoundEntry(
                submission=submission,
                set_code=spec.code,
                criteria=[CriterionStatus(c.number, c.name, bool(met.get(c.number))) for c in spec.criteria],
            )
        )
    latest = history[0]
    for criterion in latest.criteria:
        if criterion.met:
            criterion.since = _run_start(history, lambda entry, n=criterion.number: n in entry.met_numbers)
    standard_since = _run_start(history, lambda entry: entry.standard) if latest.standard else None
    return CommuneProgress(history=history, standard_since=standard_since)


def _run_start(history: list[RoundEntry], holds) -> RoundEntry | None:
    """The oldest entry of the unbroken run, from the newest, in which ``holds`` and the set stays the same."""
    start = None
    for entry in history:
        if entry.set_code != history[0].set_code or not holds(entry):
            break
        start = entry
    return start


# --- one criterion --------------------------------------------------------------------------------------


@dataclass
class CriterionCommunes:
    criterion: CriterionSpec
    round: Round
    meeting: list[Submission]
    not_meeting: list[Submission]

    @property
    def communes(self) -> int:
        return len(self.meeting) + len(self.not_meeting)

    @property
    def percent(self) -> int:
        return _percent(len(self.meeting), self.communes)


def criteria_of_round(round_: Round) -> tuple[CriterionSpec, ...]:
    return round_.criteria_version.set_spec.criteria


def criterion_communes(round_: Round, criterion: CriterionSpec, province: Unit | None = None) -> CriterionCommunes:
    """The communes (with published results in the round) that meet one criterion, and those that do not."""
    rows = (
        CriterionResult.objects.filter(
            number=criterion.number, submission__in=published_submissions(province).filter(round=round_).values("pk")
        )
        .select_related("submission__unit__parent")
        .order_by("submission__unit__path")
    )
    meeting, not_meeting = [], []
    for row in rows:
        (meeting if row.met else not_meeting).append(row.submission)
    return CriterionCommunes(criterion=criterion, round=round_, meeting=meeting, not_meeting=not_meeting)
