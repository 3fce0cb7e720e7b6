"""The residents' satisfaction rate of a submission: online answers and paper tallies, combined by the survey's
rule (pooled by default). The "satisfaction" figure precondition reads it here."""

from dataclasses import dataclass
from decimal import Decimal

from submissions.models import Submission


@dataclass(frozen=True)
class SatisfactionRate:
    online_respondents: int = 0
    online_satisfied: int = 0
    paper_respondents: int = 0
    paper_satisfied: int = 0
    rule: str = "pooled"
    rate: Decimal | None = None  # percent, two decimals; None while nobody answered


def satisfaction_rate(submission: Submission) -> SatisfactionRate:
    """Both parts and the combined rate of ``submission``'s residents' satisfaction."""
    return SatisfactionRate()
