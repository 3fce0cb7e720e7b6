"""Reads for the review pages: who may review what, queues with counts and due dates, one submission."""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from cms.directory.models import Unit, UnitLevel
from submissions import access
from submissions.audit import history
from submissions.entry import selectors
from submissions.models import (
    AppraisalStatus,
    CriterionAppraisal,
    Evidence,
    ReturnedItem,
    Round,
    Submission,
    SubmissionStatus,
)
from submissions.review import flow as review
from submissions.review.filters import QueueFilterSet


@dataclass
class QueueFilters:
    round: int | None = None
    district: int | None = None
    criterion: int | None = None
    status: str = ""

    @classmethod
    def from_query(cls, query) -> "QueueFilters":
        """The valid filters of a query string (invalid ones are ignored)."""
        return cls(**QueueFilterSet(query).valid_values())


def _due(entered: datetime.datetime | None) -> datetime.date | None:
    if entered is None:
        return None
    return (timezone.localtime(entered) + datetime.timedelta(days=review.stage_days())).date()


def waiting_count(user) -> int:
    """How many submissions wait for the user's own action (the admin menu's count): one query."""
    return access.submissions_awaiting(user).count()


def queue_for(user, filters: QueueFilters) -> dict | None:
    """The user's work, by role: appraisals of their criteria, or submissions at their stage."""
    departments = access.user_departments(user)
    is_office = access.reviews_as_office(user)
    is_district = access.reviews_as_district(user)
    if not (departments or is_office or is_district):
        return None
    submissions = access.reviewable_submissions(user)
    rounds = Round.objects.filter(pk__in=submissions.values("round_id")).order_by("-opens_on")
    today = timezone.localdate()
    if filters.round:
        submissions = submissions.filter(round_id=filters.round)
    if filters.district:
        district = Unit.objects.filter(pk=filters.district).first()
        if district is not None:
            submissions = submissions.within(district)
    context = {"rounds": rounds, "today": today, "mode": "submissions"}
    if departments and not is_office:
        appraisals = CriterionAppraisal.objects.filter(
            department_id__in=departments, submission__in=submissions.values("pk")
        ).select_related("submission__unit", "submission__round", "department")
        if filters.criterion:
            appraisals = appraisals.filter(number=filters.criterion)
        counts = dict(appraisals.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        wanted = filters.status if filters.status in AppraisalStatus.values else AppraisalStatus.PENDING
        appraisals = (
            appraisals.filter(status=wanted, submission__status=SubmissionStatus.APPRAISAL)
            if (wanted == AppraisalStatus.PENDING)
            else appraisals.filter(status=wanted)
        )
        rows = [
            {"appraisal": a, "submission": a.submission, "due": _due(a.submission.stage_entered_at)}
            for a in appraisals.order_by("number", "submission__unit__path")[:500]
        ]
        numbers = sorted(
            set(CriterionAppraisal.objects.filter(department_id__in=departments).values_list("number", flat=True))
        )
        context.update(
            mode="appraisals",
            rows=rows,
            counts=[(status, label, counts.get(status, 0)) for status, label in AppraisalStatus.choices],
            criteria=numbers,
            status=wanted,
        )
    else:
        stage = SubmissionStatus.RECOGNITION if is_office else SubmissionStatus.SUBMITTED
        counts = dict(submissions.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        wanted = filters.status if filters.status in SubmissionStatus.values else stage
        rows = [
            {"submission": s, "due": _due(s.stage_entered_at)}
            for s in submissions.filter(status=wanted).select_related("unit", "round").order_by("unit__path")[:500]
        ]
        context.update(
            rows=rows,
            counts=[(status, label, counts.get(status, 0)) for status, label in SubmissionStatus.choices],
            status=wanted,
        )
    context["districts"] = Unit.objects.filter(
        level=UnitLevel.DISTRICT, pk__in=submissions.values("unit__parent_id")
    ).order_by("name")
    return context


def detail_context(user, submission: Submission) -> dict:
    spec = submission.round.spec
    values = {row.code: row for row in submission.values.select_related("overridden_by")}
    results = {row.number: row for row in submission.criterion_results.select_related("overridden_by")}
    appraisals = {a.number: a for a in submission.appraisals.select_related("department", "appraised_by")}
    own = access.appraisable_criteria(user, submission)
    is_office = access.is_office_for(user, submission)
    is_district = access.is_district_reviewer_for(user, submission)
    visible_codes = (
        None
        if (is_office or is_district)
        else {indicator.code for criterion, indicator in spec.indicators() if criterion.number in own}
    )
    evidence: dict[str, list[Evidence]] = {}
    for item in selectors.current_evidence(submission):
        if visible_codes is None or item.indicator_code in visible_codes:
            evidence.setdefault(item.indicator_code, []).append(item)
    criteria = [
        {
            "spec": criterion,
            "result": results.get(criterion.number),
            "appraisal": appraisals.get(criterion.number),
            "mine": criterion.number in own,
            "indicators": [
                {"spec": indicator, "value": values.get(indicator.code), "evidence": evidence.get(indicator.code, [])}
                for indicator in criterion.indicators
            ],
        }
        for criterion in spec.criteria
    ]
    stage = submission.status
    return {
        "submission": submission,
        "criteria": criteria,
        "returned_items": ReturnedItem.objects.filter(submission=submission).select_related("created_by"),
        "history": history(submission),
        "can_forward": stage == SubmissionStatus.SUBMITTED and (is_district or is_office),
        "can_return": (stage == SubmissionStatus.SUBMITTED and (is_district or is_office))
        or (stage == SubmissionStatus.APPRAISAL and (bool(own) or is_office))
        or (stage == SubmissionStatus.RECOGNITION and is_office),
        "can_appraise": stage == SubmissionStatus.APPRAISAL and (bool(own) or is_office),
        "can_override": stage in (SubmissionStatus.APPRAISAL, SubmissionStatus.RECOGNITION)
        and (bool(own) or is_office),
        "can_recognise": stage == SubmissionStatus.RECOGNITION and is_office,
        "can_publish": stage == SubmissionStatus.RECOGNISED and is_office,
        "own_criteria": own,
        "is_office": is_office,
        "effective_standard": submission.effective_standard,
    }
