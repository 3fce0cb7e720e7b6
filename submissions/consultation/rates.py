"""The residents' satisfaction rate of a submission: online answers and paper tallies, combined by the survey's
rule (pooled by default). The "satisfaction" figure precondition reads it here.

The rules (``SatisfactionSurvey.combine_rule``):

- pooled: every answer counts once, online or on paper: (online satisfied + paper satisfied) / (online + paper);
- mean: the mean of the two parts' rates, of those that have answers (one part alone is its own rate);
- paper: the paper tally alone; online: the online answers alone.

The rate is a percent with two decimals (ROUND_HALF_UP), computed from exact fractions; None while the parts the
rule reads have no answer.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, Q, QuerySet

from submissions.models import Submission

from .models import CombineRule, Consultation, PaperTally, SatisfactionSurvey, SurveyResponse

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class SatisfactionRate:
    online_respondents: int = 0
    online_satisfied: int = 0
    paper_respondents: int = 0
    paper_satisfied: int = 0
    rule: str = "pooled"
    rate: Decimal | None = None  # percent, two decimals; None while nobody answered

    @property
    def online_rate(self) -> Decimal | None:
        return percent(_fraction(self.online_satisfied, self.online_respondents))

    @property
    def paper_rate(self) -> Decimal | None:
        return percent(_fraction(self.paper_satisfied, self.paper_respondents))

    @property
    def respondents(self) -> int:
        return self.online_respondents + self.paper_respondents

    @property
    def rule_label(self) -> str:
        return str(CombineRule(self.rule).label) if self.rule in CombineRule.values else self.rule


def _fraction(satisfied: int, respondents: int) -> Fraction | None:
    return Fraction(satisfied, respondents) if respondents else None


def percent(value: Fraction | None) -> Decimal | None:
    """``value`` (a share) as a percent with two decimals, half up; None stays None."""
    if value is None:
        return None
    exact = Decimal(value.numerator * 100) / Decimal(value.denominator)
    return exact.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def combined_share(
    rule: str, online_satisfied: int, online_respondents: int, paper_satisfied: int, paper_respondents: int
) -> Fraction | None:
    """The satisfied share under ``rule`` (exact), None when the parts it reads have no answer."""
    online = _fraction(online_satisfied, online_respondents)
    paper = _fraction(paper_satisfied, paper_respondents)
    if rule == CombineRule.ONLINE:
        return online
    if rule == CombineRule.PAPER:
        return paper
    if rule == CombineRule.MEAN:
        present = [share for share in (online, paper) if share is not None]
        return sum(present, Fraction(0)) / len(present) if present else None
    return _fraction(online_satisfied + paper_satisfied, online_respondents + paper_respondents)


def online_answers(consultation: Consultation) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(consultation=consultation)


def satisfaction_rate(submission: Submission) -> SatisfactionRate:
    """Both parts and the combined rate of ``submission``'s residents' satisfaction (three queries)."""
    return satisfaction_rates([submission])[submission.pk]


def satisfaction_rates(submissions: list[Submission]) -> dict[int, SatisfactionRate]:
    """:func:`satisfaction_rate` of many submissions at once (three queries whatever their number)."""
    if not submissions:
        return {}
    ids = [submission.pk for submission in submissions]
    rules = dict(
        SatisfactionSurvey.objects.filter(round_id__in={s.round_id for s in submissions}).values_list(
            "round_id", "combine_rule"
        )
    )
    online = {
        row["consultation__submission_id"]: (row["total"], row["satisfied"])
        for row in SurveyResponse.objects.filter(consultation__submission_id__in=ids)
        .values("consultation__submission_id")
        .annotate(total=Count("pk"), satisfied=Count("pk", filter=Q(satisfied=True)))
        .order_by()
    }
    paper = {
        submission_id: (respondents, satisfied)
        for submission_id, respondents, satisfied in PaperTally.objects.filter(submission_id__in=ids).values_list(
            "submission_id", "respondents", "satisfied"
        )
    }
    rates = {}
    for submission in submissions:
        rule = rules.get(submission.round_id) or CombineRule.POOLED
        online_n, online_sat = online.get(submission.pk, (0, 0))
        paper_n, paper_sat = paper.get(submission.pk, (0, 0))
        rates[submission.pk] = SatisfactionRate(
            online_respondents=online_n,
            online_satisfied=online_sat,
            paper_respondents=paper_n,
            paper_satisfied=paper_sat,
            rule=rule,
            rate=percent(combined_share(rule, online_sat, online_n, paper_sat, paper_n)),
        )
    return rates
