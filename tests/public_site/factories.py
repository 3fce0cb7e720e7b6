"""Builders for published (and unpublished) results, written straight to the tables the public pages read."""

import datetime

from django.utils import timezone

import factory

from submissions.models import CriterionResult, Round, RoundKind, RoundStatus, Submission, SubmissionStatus


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    class Params:
        year = 2026

    name = factory.LazyAttribute(lambda o: f"Đánh giá năm {o.year}")
    kind = RoundKind.YEARLY
    period_start = factory.LazyAttribute(lambda o: datetime.date(o.year, 1, 1))
    period_end = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 31))
    opens_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 11, 1))
    due_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 15))
    status = RoundStatus.CLOSED


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A submission with one stored verdict per criterion: ``met={1: True, 2: False}``."""

    class Meta:
        model = Submission

    class Params:
        met = factory.LazyFunction(dict)

    status = SubmissionStatus.RECOGNISED
    published = True
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.published else None)
    recognised_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == SubmissionStatus.RECOGNISED else None)
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decision_date = factory.LazyAttribute(lambda o: o.round.period_end)
    criteria_met = factory.LazyAttribute(lambda o: sum(1 for value in o.met.values() if value))
    criteria_applicable = factory.LazyAttribute(lambda o: len(o.met))
    standard_reached = factory.LazyAttribute(lambda o: bool(o.met) and all(o.met.values()))


def result(round_, unit, met: dict[int, bool], **kwargs) -> Submission:
    """A result of ``unit`` in ``round_`` with the given verdicts (recognised and published unless told)."""
    submission = SubmissionFactory(round=round_, unit=unit, met=met, **kwargs)
    CriterionResult.objects.bulk_create(
        CriterionResult(
            submission=submission, number=number, met=value, computed_met=value, status="met" if value else "not_met"
        )
        for number, value in met.items()
    )
    return submission
