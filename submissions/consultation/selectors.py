"""Reads of the public consultation: what the public sees of a consultation (the appraised verdict per criterion,
values only if the office ticked ``show_values``, never evidence), its published comments, the lists the office and
the commune work from, and the summary frozen at closing (which the recognition dossier files).

Whether a consultation is public at all is :func:`submissions.access.public_consultation_q`; whether it takes
comments (and survey answers) now is :func:`submissions.access.consultation_takes_answers`.
"""

import dataclasses
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from criteria_pages import wording
from submissions import access
from submissions.consultation.models import Comment, CommentStatus, Consultation, ConsultationStatus
from submissions.consultation.rates import satisfaction_rate
from submissions.consultation.state import State, state_of, state_q  # noqa: F401 (read here by the views and API)
from submissions.models import CriterionResult, IndicatorValue, Submission

#: What the public reads of a comment: never its name, contact or address hash.
PUBLIC_COMMENT_FIELDS = ("pk", "consultation_id", "body", "answer", "answered_at", "created_at")


# --- what the public reads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    value_text: str
    verdict_text: str


@dataclass(frozen=True)
class CriterionRow:
    number: int
    name: str
    met: bool
    not_applicable: bool
    indicators: tuple[IndicatorRow, ...] = ()


@dataclass
class PublicConsultation:
    """A consultation as the public page and the API show it: nothing here comes from evidence, names or contacts."""

    consultation: Consultation
    state: str
    criteria: list[CriterionRow] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN

    @property
    def submission(self) -> Submission:
        return self.consultation.submission


def public_consultation_of_unit(unit_id: int, today: datetime.date | None = None) -> Consultation | None:
    """The newest consultation of the unit that the public may read (one query), or None."""
    today = today or timezone.localdate()
    return access.consultations_public(today).filter(submission__unit_id=unit_id).order_by("-opens_on", "-pk").first()


def criterion_rows(consultation: Consultation, *, results=None, values=None) -> list[CriterionRow]:
    """The appraised verdict of each criterion of the consultation's submission, in the order of its frozen set;
    with the indicators' values when the office ticked ``show_values``. ``results``/``values``: rows already
    fetched (lists prefetched for many consultations); otherwise read here (one query each)."""
    submission = consultation.submission
    spec = submission.round.spec
    if results is None:
        results = CriterionResult.objects.filter(submission=submission).only("number", "met", "status")
    by_number = {row.number: row for row in results}
    value_by_code = {}
    if consultation.show_values:
        if values is None:
            values = IndicatorValue.objects.filter(submission=submission).only("code", "raw", "status")
        value_by_code = {row.code: row for row in values}
    rows = []
    for criterion in spec.criteria:
        result = by_number.get(criterion.number)
        if result is None:
            continue
        indicators = ()
        if consultation.show_values:
            indicators = tuple(
                IndicatorRow(
                    code=indicator.code,
                    name=indicator.name,
                    value_text=wording.value_words(indicator, getattr(value_by_code.get(indicator.code), "raw", ""))
                    or "—",
                    verdict_text=wording.verdict_words(
                        getattr(value_by_code.get(indicator.code), "status", ""),
                        entered=indicator.code in value_by_code,
                    ),
                )
                for indicator in criterion.indicators
            )
        rows.append(
            CriterionRow(
                number=criterion.number,
                name=criterion.name,
                met=result.met,
                not_applicable=result.status == "not_applicable",
                indicators=indicators,
            )
        )
    return rows


def published_comments(consultation: Consultation) -> QuerySet[Comment]:
    """The comments the office or the commune approved, oldest first, with only what the public may read."""
    return consultation.comments.published().only(*PUBLIC_COMMENT_FIELDS)


def public_view(consultation: Consultation, today: datetime.date | None = None) -> PublicConsultation:
    """What the public reads of one consultation, in three queries (verdicts, values if shown, comments)."""
    return PublicConsultation(
        consultation=consultation,
        state=state_of(consultation, today),
        criteria=criterion_rows(consultation),
        comments=list(published_comments(consultation)),
    )


def public_consultations(today: datetime.date | None = None) -> QuerySet[Consultation]:
    """Every public consultation (the API's list) with its verdicts, values and published comments prefetched, so a
    page of them costs a fixed number of queries."""
    today = today or timezone.localdate()
    return (
        access.consultations_public(today)
        .prefetch_related(
            Prefetch(
                "submission__criterion_results",
                queryset=CriterionResult.objects.only("pk", "submission_id", "number", "met", "status"),
            ),
            Prefetch(
                "submission__values",
                queryset=IndicatorValue.objects.only("pk", "submission_id", "code", "raw", "status"),
            ),
            Prefetch(
                "comments",
                queryset=Comment.objects.published().only(*PUBLIC_COMMENT_FIELDS),
                to_attr="published_comments",
            ),
        )
        .order_by("-opens_on", "-pk")
    )


def prefetched_criterion_rows(consultation: Consultation) -> list[CriterionRow]:
    """:func:`criterion_rows` from what :func:`public_consultations` prefetched."""
    submission = consultation.submission
    return criterion_rows(
        consultation, results=list(submission.criterion_results.all()), values=list(submission.values.all())
    )


# --- what the office and the commune work from --------------------------------------------------------------


def with_comment_counts(queryset: QuerySet[Consultation]) -> QuerySet[Consultation]:
    return queryset.annotate(
        comments_total=Count("comments"),
        comments_pending=Count("comments", filter=Q(comments__status=CommentStatus.PENDING)),
        comments_published=Count("comments", filter=Q(comments__status=CommentStatus.APPROVED)),
    )


def comments_for_moderation(consultation: Consultation) -> QuerySet[Comment]:
    """Every comment of the consultation, pending first, then newest first (the moderators' list)."""
    pending_first = Case(When(status=CommentStatus.PENDING, then=Value(0)), default=Value(1))
    return consultation.comments.select_related("moderated_by", "answered_by").order_by(pending_first, "-created_at")


# --- the summary frozen at closing ----------------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def summary_build(consultation: Consultation) -> dict:
    """The consultation as the dossier files it: the period, how many comments came, were published and rejected,
    every published comment with its answer (no name, no contact), and both parts of the satisfaction survey.

    Shape: ``{"opens_on", "closes_on", "comments_received", "comments_published", "comments_rejected",
    "comments": [{"created_at", "body", "answer", "answered_at"}], "survey": {online_respondents, online_satisfied,
    paper_respondents, paper_satisfied, rule, rate}}`` — dates ISO, ``rate`` a decimal string or null.
    """
    counts = consultation.comments.aggregate(
        received=Count("pk"),
        published=Count("pk", filter=Q(status=CommentStatus.APPROVED)),
        rejected=Count("pk", filter=Q(status=CommentStatus.REJECTED)),
    )
    rate = satisfaction_rate(consultation.submission)
    return {
        "opens_on": consultation.opens_on.isoformat(),
        "closes_on": consultation.closes_on.isoformat(),
        "comments_received": counts["received"],
        "comments_published": counts["published"],
        "comments_rejected": counts["rejected"],
        "comments": [
            {
                "created_at": _jsonable(comment.created_at),
                "body": comment.body,
                "answer": comment.answer,
                "answered_at": _jsonable(comment.answered_at),
            }
            for comment in published_comments(consultation)
        ],
        "survey": {name: _jsonable(value) for name, value in dataclasses.asdict(rate).items()},
    }


def consultation_summary(consultation: Consultation) -> dict:
    """The frozen summary of a closed consultation; for one still open, the same shape computed now."""
    if consultation.status == ConsultationStatus.CLOSED and consultation.summary:
        return consultation.summary
    return summary_build(consultation)
