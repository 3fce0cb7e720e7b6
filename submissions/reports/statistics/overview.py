"""Every statistic of a round at once: the dashboard's and the statistics export's reads."""

import datetime
from dataclasses import dataclass

from cms.directory.models import Unit
from submissions.models import Basis, Round

from .changes import RoundChanges, changes_of
from .filters import Filters
from .progress import DepartmentProgress, appraisals_of
from .summary import (
    CriterionStat,
    DistributionRow,
    GroupStat,
    RoundSummary,
    StageCount,
    distribution_of,
    groups_of,
    stages_of,
    summary_of,
)


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
        summary=summary_of(filters),
        distribution=distribution_of(filters),
        stages=stages_of(filters),
        departments=appraisals_of(filters, now),
        groups=groups_of(every_group),
        changes=changes_of(filters) if with_changes else None,
    )
