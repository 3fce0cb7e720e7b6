"""Reads for the public site.

Every figure and every row shown to the public comes from the shared statistics selectors
(:mod:`submissions.reports.statistics`) on the published basis: results that the office has recognised
AND published. Nothing else (drafts, submissions under review, returned items, recognised-but-unpublished
results, indicator values, evidence) is ever read here, so it cannot leak. This module only shapes those
results for the templates.

The province filter is by code path (``"66/"``) across editions on purpose: the same province in the
three-level and the two-level lists keeps one history.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from cms.directory.models import Unit
from cms.directory.selectors import name_search_q
from criteria_pages.spec import CriterionSpec
from submissions.models import Basis, Round, Submission
from submissions.reports import statistics

#: The only results the public may see: recognised and published.
PUBLIC_BASIS = Basis.PUBLISHED


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _two_decimals(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


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
    return [
        RoundFigures(
            round=row.round,
            set_name=row.round.criteria_version.set_page.title,
            communes=row.units,
            reaching_standard=row.units_reaching_standard,
            average_met=_two_decimals(row.average_criteria_met),
            average_applicable=_two_decimals(row.average_criteria_applicable),
        )
        for row in statistics.cached_results_by_round(parent=province, basis=PUBLIC_BASIS, across_editions=True)
    ]


def current_round(province: Unit | None = None) -> Round | None:
    """The newest round with at least one published result (with its frozen criteria set)."""
    return statistics.cached_latest_round(parent=province, basis=PUBLIC_BASIS, across_editions=True)


def criterion_figures(round_: Round, province: Unit | None = None) -> list[CriterionFigure]:
    """How many communes (with published results in the round) meet each criterion of the round's set."""
    summary = statistics.cached_round_summary(round_, parent=province, basis=PUBLIC_BASIS, across_editions=True)
    return [
        CriterionFigure(stat.number, stat.name, stat.units_meeting, summary.units_counted) for stat in summary.criteria
    ]


def district_figures(round_: Round, province: Unit | None = None) -> list[DistrictFigure]:
    """Per district of the round's scope: its communes in scope, those with a published result in the round,
    those reaching the standard. Empty where the units have no district level (the two-level list)."""
    return [
        DistrictFigure(
            code=stat.code,
            name=stat.name,
            communes=max(stat.units_in_scope, stat.units_counted),
            published=stat.units_counted,
            reaching_standard=stat.units_reaching_standard,
        )
        for stat in statistics.cached_district_statistics(
            round_, parent=province, basis=PUBLIC_BASIS, across_editions=True
        )
    ]


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
    return {
        unit_id: LatestResult(
            round_name=submission.round.name,
            criteria_met=submission.criteria_met,
            criteria_applicable=submission.criteria_applicable,
            standard=submission.effective_standard,
        )
        for unit_id, submission in statistics.latest_results(unit_ids, basis=PUBLIC_BASIS).items()
    }


#: Words of a query the public search compares one by one (a longer query still compares whole).
SEARCH_MAX_WORDS = 8


def search_condition(query: str, prefix: str = "") -> Q | None:
    """The units whose name matches ``query`` as citizens type it (:func:`cms.directory.selectors.name_search_q`:
    "hoa thuan" finds "Xã Hòa Thuận", "ea hleo" and "eahleo" find "Xã Ea H'leo"). None if empty."""
    return name_search_q(query, prefix=prefix, max_words=SEARCH_MAX_WORDS)


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
    """A commune's published results round after round (its predecessors' too): three queries, none while the
    published results have not changed (kept in the cache under the results version, see
    :mod:`submissions.reports.statistics.cache`).

    "Since" follows a run of rounds of the same criteria set (numbers mean different things in another set).
    """
    return statistics.cached(
        "commune_progress", basis=PUBLIC_BASIS, arguments=(unit.pk,), compute=lambda: _commune_progress(unit)
    )


def _commune_progress(unit: Unit) -> CommuneProgress:
    history = []
    for result in statistics.unit_history(unit, basis=PUBLIC_BASIS):
        spec = result.spec
        history.append(
            RoundEntry(
                submission=result.submission,
                set_code=spec.code,
                criteria=[CriterionStatus(c.number, c.name, bool(result.met.get(c.number))) for c in spec.criteria],
            )
        )
    if not history:
        return CommuneProgress()
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
    meeting, not_meeting = statistics.cached_criterion_units(
        round_, criterion.number, parent=province, basis=PUBLIC_BASIS, across_editions=True
    )
    return CriterionCommunes(criterion=criterion, round=round_, meeting=meeting, not_meeting=not_meeting)
