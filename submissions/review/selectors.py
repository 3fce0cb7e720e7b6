"""Reads for the review pages: who may review what, queues with counts and due dates, one submission."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.directory.models import Unit, UnitLevel
from criteria_pages import wording
from submissions import access
from submissions.audit import history
from submissions.entry import selectors
from submissions.models import (
    AppraisalStatus,
    CriterionAppraisal,
    Evidence,
    ReturnedItem,
    Round,
    RoundStatus,
    Submission,
    SubmissionStatus,
)
from submissions.review import flow as review
from submissions.review.filters import QueueFilterSet

#: The return form names its items "c:<criterion number>" or "i:<indicator code>".
RETURN_CRITERION = "c"
RETURN_INDICATOR = "i"


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


#: How many rows a queue lists at most (its counts say how many there are in all).
QUEUE_ROWS = 500


def queue_submissions(user) -> QuerySet[Submission]:
    """What a district's or office's queue lists and counts: the submissions the user may open in review, and
    the drafts of the units they read (in rounds past the draft stage), which are counted and listed but not
    opened until the commune submits them."""
    drafts = (
        access.submissions_visible_to(user)
        .filter(status=SubmissionStatus.DRAFT)
        .exclude(round__status=RoundStatus.DRAFT)
    )
    if not access.reviews_as_office(user):
        drafts = drafts.of_units()  # an OCOP dossier is the office's to check, never a district's
    reviewable = access.reviewable_submissions(user)
    return Submission.objects.filter(Q(pk__in=reviewable.values("pk")) | Q(pk__in=drafts.values("pk")))


def _counts(queryset: QuerySet, choices, condition) -> list[tuple[str, str, int]]:
    """(value, label, count) of each state, counted in one query; ``condition(value)`` is the Q its rows use."""
    totals = queryset.aggregate(**{f"n_{value}": Count("pk", filter=condition(value)) for value, _label in choices})
    return [(value, label, totals[f"n_{value}"]) for value, label in choices]


def _pending_q(status: str) -> Q:
    """The appraisal rows of ``status``: pending ones only while their submission is in appraisal."""
    if status == AppraisalStatus.PENDING:
        return Q(status=status, submission__status=SubmissionStatus.APPRAISAL)
    return Q(status=status)


def queue_for(user, filters: QueueFilters) -> dict | None:
    """The user's work, by role: appraisals of their criteria, or submissions at their stage.

    ``counts`` gives each state's number, counted from the rows the state's link lists (one query).
    """
    departments = access.user_departments(user)
    is_office = access.reviews_as_office(user)
    is_district = access.reviews_as_district(user)
    if not (departments or is_office or is_district):
        return None
    appraising = bool(departments) and not is_office
    submissions = access.reviewable_submissions(user) if appraising else queue_submissions(user)
    rounds = Round.objects.filter(pk__in=submissions.values("round_id")).order_by("-opens_on")
    today = timezone.localdate()
    if filters.round:
        submissions = submissions.filter(round_id=filters.round)
    if filters.district:
        district = Unit.objects.filter(pk=filters.district).first()
        if district is not None:
            submissions = submissions.within(district)
    context = {"rounds": rounds, "today": today, "mode": "submissions"}
    if appraising:
        appraisals = CriterionAppraisal.objects.filter(
            department_id__in=departments, submission__in=submissions.values("pk")
        ).select_related("submission__unit", "submission__round", "submission__product__producer", "department")
        if filters.criterion:
            appraisals = appraisals.filter(number=filters.criterion)
        counts = _counts(appraisals, AppraisalStatus.choices, _pending_q)
        wanted = filters.status if filters.status in AppraisalStatus.values else AppraisalStatus.PENDING
        appraisals = appraisals.filter(_pending_q(wanted))
        rows = [
            {"appraisal": a, "submission": a.submission, "due": _due(a.submission.stage_entered_at)}
            for a in appraisals.order_by("number", "submission__unit__path")[:QUEUE_ROWS]
        ]
        numbers = sorted(
            set(CriterionAppraisal.objects.filter(department_id__in=departments).values_list("number", flat=True))
        )
        context.update(
            mode="appraisals",
            rows=rows,
            counts=counts,
            criteria=numbers,
            status=wanted,
        )
    else:
        stage = SubmissionStatus.RECOGNITION if is_office else SubmissionStatus.SUBMITTED
        counts = _counts(submissions, SubmissionStatus.choices, lambda status: Q(status=status))
        # "Hội đồng đang chấm điểm" is an OCOP state: shown only while the queue has dossiers being scored.
        counts = [row for row in counts if row[0] != SubmissionStatus.SCORING or row[2]]
        wanted = filters.status if filters.status in SubmissionStatus.values else stage
        rows = [
            # A draft is still the commune's: listed and counted, opened in review once submitted.
            {"submission": s, "due": _due(s.stage_entered_at), "openable": s.status != SubmissionStatus.DRAFT}
            for s in submissions.filter(status=wanted)
            .select_related("unit", "round", "product__producer")
            .order_by("unit__path", "product__search_name")[:QUEUE_ROWS]
        ]
        context.update(rows=rows, counts=counts, status=wanted)
    context["districts"] = Unit.objects.filter(
        level=UnitLevel.DISTRICT, pk__in=submissions.values("unit__parent_id")
    ).order_by("name")
    return context


def _indicator_row(indicator, value, group: str | None, files: list, count: int) -> dict:
    """One indicator of the review page in words: value, target, verdict, evidence."""
    raw = value.raw if value is not None else ""
    return {
        "spec": indicator,
        "value": value,
        "value_text": wording.value_words(indicator, raw) or "—",
        "target_text": wording.target_words(indicator, group, target=value.target if value is not None else None)
        or "—",
        "verdict_text": wording.verdict_words(value.status if value is not None else "", entered=bool(raw.strip())),
        "computed_text": wording.verdict_words(value.computed_status) if value is not None else "",
        "evidence": files,
        "evidence_count": count,
    }


def detail_context(user, submission: Submission) -> dict:
    spec = submission.round.spec
    group = submission.group or None
    values = {row.code: row for row in submission.values.select_related("overridden_by")}
    results = {row.number: row for row in submission.criterion_results.select_related("overridden_by")}
    appraisals = {a.number: a for a in submission.appraisals.select_related("department", "appraised_by")}
    own = access.appraisable_criteria(user, submission)
    is_office = access.is_office_for(user, submission)
    is_district = access.is_district_reviewer_for(user, submission)
    # Every reviewer sees how many files each indicator has; the files themselves only those the evidence
    # rules of :mod:`submissions.access` allow (an appraiser: the indicators of their own criteria).
    current = list(selectors.current_evidence(submission))
    readable = set(
        access.evidence_visible_to(user).filter(pk__in=[item.pk for item in current]).values_list("pk", flat=True)
    )
    counts: dict[str, int] = {}
    evidence: dict[str, list[Evidence]] = {}
    for item in current:
        counts[item.indicator_code] = counts.get(item.indicator_code, 0) + 1
        if item.pk in readable:
            evidence.setdefault(item.indicator_code, []).append(item)
    criteria = [
        {
            "spec": criterion,
            "result": results.get(criterion.number),
            "appraisal": appraisals.get(criterion.number),
            "mine": criterion.number in own,
            "indicators": [
                _indicator_row(
                    indicator,
                    values.get(indicator.code),
                    group,
                    evidence.get(indicator.code, []),
                    counts.get(indicator.code, 0),
                )
                for indicator in criterion.indicators
            ],
        }
        for criterion in spec.criteria
    ]
    returnable = [
        criterion for criterion in spec.criteria if is_office or is_district or not own or criterion.number in own
    ]
    return_targets = [
        option
        for criterion in returnable
        for option in (
            (
                f"{RETURN_CRITERION}:{criterion.number}",
                _("Tiêu chí %(n)s. %(name)s") % {"n": criterion.number, "name": criterion.name},
            ),
            *(
                (
                    f"{RETURN_INDICATOR}:{indicator.code}",
                    _("— Chỉ tiêu %(code)s. %(name)s") % {"code": indicator.code, "name": indicator.name},
                )
                for indicator in criterion.indicators
            ),
        )
    ]
    stage = submission.status
    if submission.product_id:
        # An OCOP dossier: the office checks it and may return it to the producer; a council scores it and the
        # OCOP decision recognises it (``submissions.ocop``), so none of the unit path's other actions apply.
        product_stage = stage == SubmissionStatus.SUBMITTED and is_office
        return {
            "submission": submission,
            "criteria": criteria,
            "returned_items": ReturnedItem.objects.filter(submission=submission).select_related("created_by"),
            "history": history(submission),
            "return_targets": return_targets,
            "can_forward": False,
            "can_return": product_stage,
            "can_appraise": False,
            "can_override": False,
            "can_recognise": False,
            "can_publish": stage == SubmissionStatus.RECOGNISED and is_office,
            "own_criteria": set(),
            "is_office": is_office,
            "effective_standard": submission.effective_standard,
        }
    return {
        "submission": submission,
        "criteria": criteria,
        "returned_items": ReturnedItem.objects.filter(submission=submission).select_related("created_by"),
        "history": history(submission),
        "return_targets": return_targets,
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
