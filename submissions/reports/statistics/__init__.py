"""Statistics of evaluation rounds: the reads behind the dashboard, the xlsx exports, the API and the
public site (one engine: every figure anyone is shown is counted here).

Everything is counted by the database over the stored verdicts (``Submission.criteria_met``, the
effective standard, ``CriterionResult.met``, ``CriterionAppraisal.status``) with aggregates and
``values() + Count``; Python only reshapes the few aggregated rows (one per criterion, stage,
department, group, round), never loops over every submission. Each selector costs a fixed number of
queries, whatever the number of units (or rounds).

Every selector takes the same filters (:class:`Filters`):

- ``parent``: a province or district; only units in its subtree (``path`` prefix, in its edition; with
  ``across_editions``, in every edition, as the public site counts a province across the reform) are counted;
- ``group``: a classification value code (region, commune group) recorded on the submission;
- ``basis``: which submissions count (:class:`Basis`): ``all`` for the office, ``recognised``, and
  ``published`` (recognised *and* published), the only basis anonymous callers may see.

``units_in_scope`` is the number of units the round evaluates under the filters (the round's scope is
public, see ``/api/v1/rounds/{id}/``); every other number counts only the submissions of the basis.

Modules: :mod:`.filters` (the shared filters), :mod:`.scope` (units and rounds to count), :mod:`.summary`
(one round's numbers and breakdowns), :mod:`.progress` (departments' appraisals), :mod:`.changes` (since
the previous round), :mod:`.results` (per-unit results of a round), :mod:`.history` (across rounds),
:mod:`.overview` (everything at once), :mod:`.cache` (the numbers the public site and the API read, kept in the
shared cache under a results version). Import the names from this package.
"""

from submissions.models import Basis
from submissions.review.flow import DEFAULT_STAGE_DAYS, stage_days

from .cache import (
    cached,
    cached_criterion_units,
    cached_district_statistics,
    cached_latest_round,
    cached_results_by_round,
    cached_round_summary,
)
from .changes import RoundChanges, UnitChange, previous_round, round_changes
from .filters import TWO_PLACES, Filters, average, subtree_q
from .filters import average as _average  # the name tests and older callers use
from .history import (
    ROUND_NEWEST_FIRST,
    PublicationMarks,
    RoundResults,
    UnitRoundResult,
    latest_results,
    latest_round,
    publication_marks,
    results_by_round,
    unit_history,
)
from .overview import RoundStatistics, round_statistics
from .progress import DepartmentProgress, appraisal_progress
from .results import (
    RESULT_FIELDS,
    RESULTS_CHUNK,
    UnitResult,
    criterion_units,
    iter_results,
    results_with_criteria,
    round_results,
)
from .scope import dashboard_round, round_submissions, unit_in_round
from .summary import (
    CriterionStat,
    DistributionRow,
    DistrictStat,
    GroupStat,
    RoundSummary,
    StageCount,
    criteria_distribution,
    district_statistics,
    group_statistics,
    round_summary,
    stage_counts,
)

__all__ = [
    "DEFAULT_STAGE_DAYS",
    "RESULTS_CHUNK",
    "RESULT_FIELDS",
    "ROUND_NEWEST_FIRST",
    "TWO_PLACES",
    "Basis",
    "CriterionStat",
    "DepartmentProgress",
    "DistributionRow",
    "DistrictStat",
    "Filters",
    "GroupStat",
    "PublicationMarks",
    "RoundChanges",
    "RoundResults",
    "RoundStatistics",
    "RoundSummary",
    "StageCount",
    "UnitChange",
    "UnitResult",
    "UnitRoundResult",
    "_average",
    "appraisal_progress",
    "average",
    "cached",
    "cached_criterion_units",
    "cached_district_statistics",
    "cached_latest_round",
    "cached_results_by_round",
    "cached_round_summary",
    "criteria_distribution",
    "criterion_units",
    "dashboard_round",
    "district_statistics",
    "group_statistics",
    "iter_results",
    "latest_results",
    "latest_round",
    "previous_round",
    "publication_marks",
    "results_by_round",
    "results_with_criteria",
    "round_changes",
    "round_results",
    "round_statistics",
    "round_submissions",
    "round_summary",
    "stage_counts",
    "stage_days",
    "subtree_q",
    "unit_history",
    "unit_in_round",
]
