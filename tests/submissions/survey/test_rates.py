"""The satisfaction rate: online answers and the paper tally, combined by the survey's rule, in percent with two
decimals (half up); None while the parts the rule reads have no answer."""

from decimal import Decimal

import pytest

from submissions.consultation.models import CombineRule
from submissions.consultation.rates import satisfaction_rate, satisfaction_rates
from submissions.models import PaperTally, SatisfactionSurvey, SurveyResponse


def answers(consultation, total: int, satisfied: int) -> None:
    SurveyResponse.objects.bulk_create(
        SurveyResponse(consultation=consultation, answers={}, satisfied=index < satisfied) for index in range(total)
    )


def rule(consulted, value: str) -> None:
    SatisfactionSurvey.objects.filter(pk=consulted["survey"].pk).update(combine_rule=value)


@pytest.fixture
def twelve_and_paper(consulted):
    """12 online answers of which 10 satisfied, and a paper tally of 100 forms of which 90 satisfied."""
    answers(consulted["consultation"], 12, 10)
    PaperTally.objects.create(submission=consulted["submission"], respondents=100, satisfied=90)
    return consulted


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (CombineRule.POOLED, Decimal("89.29")),  # (10 + 90) / (12 + 100) = 100/112
        (CombineRule.MEAN, Decimal("86.67")),  # (10/12 + 90/100) / 2 = 0.86666…
        (CombineRule.PAPER, Decimal("90.00")),
        (CombineRule.ONLINE, Decimal("83.33")),
    ],
)
def test_each_rule_on_both_parts(twelve_and_paper, value, expected):
    rule(twelve_and_paper, value)
    rate = satisfaction_rate(twelve_and_paper["submission"])
    assert rate.rate == expected
    assert str(rate.rate) == str(expected)  # two decimals, always
    assert (rate.online_respondents, rate.online_satisfied) == (12, 10)
    assert (rate.paper_respondents, rate.paper_satisfied) == (100, 90)
    assert (rate.online_rate, rate.paper_rate) == (Decimal("83.33"), Decimal("90.00"))
    assert rate.rule == value


def test_pooled_is_the_default_without_a_survey(consulted):
    SatisfactionSurvey.objects.all().delete()
    answers(consulted["consultation"], 12, 10)
    PaperTally.objects.create(submission=consulted["submission"], respondents=100, satisfied=90)
    rate = satisfaction_rate(consulted["submission"])
    assert (rate.rule, rate.rate) == (CombineRule.POOLED, Decimal("89.29"))


def test_none_while_nobody_answered(consulted):
    for value in CombineRule.values:
        rule(consulted, value)
        rate = satisfaction_rate(consulted["submission"])
        assert rate.rate is None
        assert (rate.online_rate, rate.paper_rate, rate.respondents) == (None, None, 0)


def test_a_rule_reading_a_part_without_answers_gives_none(consulted):
    answers(consulted["consultation"], 4, 3)
    rule(consulted, CombineRule.PAPER)
    assert satisfaction_rate(consulted["submission"]).rate is None
    rule(consulted, CombineRule.MEAN)  # the mean of the rates present: the online one alone
    assert satisfaction_rate(consulted["submission"]).rate == Decimal("75.00")
    rule(consulted, CombineRule.POOLED)
    assert satisfaction_rate(consulted["submission"]).rate == Decimal("75.00")


def test_paper_only(consulted):
    PaperTally.objects.create(submission=consulted["submission"], respondents=3, satisfied=2)
    rule(consulted, CombineRule.ONLINE)
    assert satisfaction_rate(consulted["submission"]).rate is None
    rule(consulted, CombineRule.POOLED)
    assert satisfaction_rate(consulted["submission"]).rate == Decimal("66.67")


def test_rounds_half_up(consulted):
    """1 of 800 is 0.125 %: half up gives 0.13 (banker's rounding would give 0.12)."""
    PaperTally.objects.create(submission=consulted["submission"], respondents=800, satisfied=1)
    assert satisfaction_rate(consulted["submission"]).rate == Decimal("0.13")


def test_many_submissions_in_three_queries(consulted, open_round, django_assert_num_queries):
    answers(consulted["consultation"], 12, 10)
    PaperTally.objects.create(submission=consulted["submission"], respondents=100, satisfied=90)
    submissions = list(open_round.submissions.all())
    assert len(submissions) == 3
    with django_assert_num_queries(3):
        rates = satisfaction_rates(submissions)
    assert rates[consulted["submission"].pk].rate == Decimal("89.29")
    others = [rate for pk, rate in rates.items() if pk != consulted["submission"].pk]
    assert [rate.rate for rate in others] == [None, None]
