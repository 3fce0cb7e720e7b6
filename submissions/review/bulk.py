"""Work in bulk: forward, recognise and publish many submissions in one action, and appraise many
(submission, criterion) pairs — on the reviewers' pages and in the review API.

The rules are those of one submission at a time: each item is checked with the same functions
(:func:`flow.forward_check`, :func:`flow.recognise_check`, :func:`flow.publish_check`, and
:func:`flow.appraisal_decide` itself for appraisals), so a bulk action never allows what a single one refuses.
Each item gets its own :class:`Outcome` — done, or refused with a Vietnamese message and a code (the codes of
:mod:`cms.errors`, plus ``not_found`` and ``unchanged``) — and the items that pass are changed together.

Forward, recognise and publish run a fixed number of queries however many submissions they change: the rows are
locked and re-read in one query, written with one ``UPDATE``, audited with one insert per batch, and the people
to notify are read once for the whole batch. One recognition decision (number, date, document) covers exactly
the items that succeeded. Recognition first asks every item's preconditions at once
(:func:`submissions.recognition.rules.recognition_blockers_many`), refusing those with one unmet, and grants each
recognised item the title its set grants.

Web pages first show what would change (:func:`preview`); the page that confirms carries each item's
``lock_version``, so an item somebody changed meanwhile is refused (``conflict``) rather than changed unseen.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.directory.access import holders, scopes_of
from cms.directory.models import Role
from submissions import access
from submissions.audit import audit_many
from submissions.errors import ConflictError, SubmissionError
from submissions.models import AppraisalStatus, AuditAction, CriterionAppraisal, Submission, SubmissionStatus
from submissions.recognition.rules import recognition_blockers_many
from submissions.recognition.services import preconditions_record
from submissions.review import flow, notifications
from submissions.signals import results_changed, submissions_changed
from submissions.titles.services import titles_grant_from_recognition

#: The most submissions (or rows) one bulk action handles: a queue page shows at most 500 rows.
BULK_MAX = 500
#: Outcome codes besides those of :mod:`cms.errors`.
NOT_FOUND = "not_found"
UNCHANGED = "unchanged"
#: How an item ended.
DONE, REFUSED = "done", "refused"


class BulkAction(models.TextChoices):
    """The bulk actions of the reviewers' queue, by the status of the rows they act on."""

    FORWARD = "forward", gettext_lazy("Chuyển sở, ngành thẩm định")
    RECOGNISE = "recognise", gettext_lazy("Công nhận")
    PUBLISH = "publish", gettext_lazy("Công khai kết quả")


#: Each bulk action: the status it starts from and the one it leads to (publishing keeps the status).
TRANSITIONS = {
    BulkAction.FORWARD: (SubmissionStatus.SUBMITTED, SubmissionStatus.APPRAISAL),
    BulkAction.RECOGNISE: (SubmissionStatus.RECOGNITION, SubmissionStatus.RECOGNISED),
    BulkAction.PUBLISH: (SubmissionStatus.RECOGNISED, SubmissionStatus.RECOGNISED),
}


@dataclass
class Outcome:
    """What happened (or, in a preview, would happen) to one item of a bulk action."""

    pk: int
    submission: Submission | None
    status_before: str = ""
    status: str = ""
    code: str = ""  # "" when done
    message: str = ""
    number: int | None = None  # the criterion, for appraisals
    published_before: bool | None = None
    published: bool | None = None

    @property
    def done(self) -> bool:
        return not self.code

    @property
    def result(self) -> str:
        return DONE if self.done else REFUSED

    @property
    def unit(self):
        return self.submission.unit if self.submission is not None else None

    def status_label(self, value: str) -> str:
        return SubmissionStatus(value).label if value else ""

    @property
    def status_before_label(self) -> str:
        return self.status_label(self.status_before)

    @property
    def status_after_label(self) -> str:
        return self.status_label(self.status)

    def refuse(self, error: SubmissionError) -> None:
        self.code, self.message = error.code, error.message
        self.status = self.status_before
        self.published = self.published_before


# --- choosing the submissions ---------------------------------------------------------------------------


def submissions_chosen(user, ids: list[int]) -> tuple[list[Submission], list[Outcome]]:
    """The submissions ``ids`` the user may open as a reviewer, in the order given (one query), and an outcome
    ``not_found`` for each of the others."""
    ids = list(dict.fromkeys(ids))
    found = {
        submission.pk: submission
        for submission in access.reviewable_submissions(user)
        .filter(pk__in=ids)
        .select_related("round__criteria_version", "unit__parent", "unit__edition", "product__producer")
    }
    missing = [
        Outcome(pk=pk, submission=None, code=NOT_FOUND, message=_("Không tìm thấy hồ sơ %(id)s.") % {"id": pk})
        for pk in ids
        if pk not in found
    ]
    return [found[pk] for pk in ids if pk in found], missing


def in_order(ids: list[int], outcomes: list[Outcome]) -> list[Outcome]:
    """``outcomes`` in the order of the ids the caller sent."""
    position = {pk: index for index, pk in enumerate(dict.fromkeys(ids))}
    return sorted(outcomes, key=lambda outcome: (position.get(outcome.pk, len(position)), outcome.number or 0))


def action_for_queue(user, status: str) -> str:
    """The bulk action the queue offers ``user`` on rows of ``status`` ("" when none)."""
    scopes = scopes_of(user)
    office = scopes.is_superuser or scopes.has_role(Role.OFFICE_EDITOR)
    if status == SubmissionStatus.SUBMITTED and (office or scopes.has_role(Role.DISTRICT_REVIEWER)):
        return BulkAction.FORWARD
    if status == SubmissionStatus.RECOGNITION and office:
        return BulkAction.RECOGNISE
    if status == SubmissionStatus.RECOGNISED and office:
        return BulkAction.PUBLISH
    return ""


# --- checking ---------------------------------------------------------------------------------------------


def _check(action: str, submission: Submission, user, published: bool, ocop: bool = False) -> None:
    if action == BulkAction.FORWARD:
        flow.forward_check(submission, user)
    elif action == BulkAction.RECOGNISE:
        flow.recognise_check(submission, user, ocop=ocop)
    else:
        flow.publish_check(submission, user)
        if submission.published == published:
            message = _("Kết quả đã được công khai.") if published else _("Kết quả chưa được công khai.")
            raise SubmissionError(message, code=UNCHANGED)


def _sort(
    action: str, submissions: list[Submission], user, *, published: bool = True, expected_versions=None, ocop=False
) -> tuple[list[Submission], list[Outcome]]:
    """Check each submission as one at a time would; the ones that pass, and everyone's outcome."""
    expected_versions = expected_versions or {}
    target = TRANSITIONS[action][1]
    passed, outcomes = [], []
    # The recognition preconditions of every submission at once (as flow.recognise asks them of one).
    blockers = recognition_blockers_many(submissions) if action == BulkAction.RECOGNISE else {}
    for submission in submissions:
        outcome = Outcome(
            pk=submission.pk,
            submission=submission,
            status_before=submission.status,
            status=target,
            published_before=submission.published,
            published=published if action == BulkAction.PUBLISH else submission.published,
        )
        try:
            _check(action, submission, user, published, ocop)
            if blockers.get(submission.pk):
                raise SubmissionError(" ".join(blockers[submission.pk]), details=["preconditions"])
            expected = expected_versions.get(submission.pk)
            if expected is not None and expected != submission.lock_version:
                raise ConflictError(
                    _("Hồ sơ vừa được người khác xử lý. Không có gì bị ghi đè; hãy tải lại để xem trạng thái mới.")
                )
        except SubmissionError as error:
            outcome.refuse(error)
        else:
            passed.append(submission)
        outcomes.append(outcome)
    return passed, outcomes


def preview(action: str, *, submissions: list[Submission], user, published: bool = True) -> list[Outcome]:
    """What ``action`` would do to each submission, changing nothing (the confirmation page)."""
    return _sort(action, submissions, user, published=published)[1]


def _lock(submissions: list[Submission]) -> None:
    """Lock the submissions' rows until the transaction ends and refresh what the checks read (one query)."""
    fresh = {
        pk: (status, lock_version, published)
        for pk, status, lock_version, published in Submission.objects.select_for_update()
        .filter(pk__in=[submission.pk for submission in submissions])
        .values_list("pk", "status", "lock_version", "published")
    }
    for submission in submissions:
        submission.status, submission.lock_version, submission.published = fresh[submission.pk]


def _move(submissions: list[Submission], source: str, target: str, now, **fields) -> None:
    """One ``UPDATE`` for every submission that passed (they are locked: none may have moved meanwhile)."""
    updated = Submission.objects.filter(pk__in=[submission.pk for submission in submissions], status=source).update(
        status=target, stage_entered_at=now, lock_version=F("lock_version") + 1, **fields
    )
    if updated != len(submissions):
        raise ConflictError(
            _("Hồ sơ vừa được người khác xử lý. Không có gì bị ghi đè; hãy tải lại để xem trạng thái mới.")
        )
    for submission in submissions:
        submission.status, submission.stage_entered_at = target, now
        submission.lock_version += 1
        for name, value in fields.items():
            setattr(submission, name, value)
    submissions_changed.send(
        sender=Submission,
        published=any(submission.published for submission in submissions),
        product_ids=[submission.product_id for submission in submissions if submission.product_id],
    )


def _audit(submissions: list[Submission], user, action: str, **entry) -> None:
    audit_many(submissions=submissions, action=action, user=user, **entry)


# --- notifications: recipients read once per batch --------------------------------------------------------


def _notify_fillers(submissions: list[Submission], subject: str) -> None:
    """Tell whoever fills each submission's form (a commune's officer, a district's reviewer, an OCOP product's
    producer: :func:`notifications.fillers_by_submission`), as the single actions do; a fixed number of queries
    whatever the number of submissions."""
    fillers = notifications.fillers_by_submission(submissions)
    notifications.notify_all(
        [
            mail
            for submission in submissions
            for mail in notifications.notice_mails(
                fillers[submission.pk], subject, submission, notifications.commune_path(submission)
            )
        ]
    )


def _notify_departments(submissions: list[Submission]) -> None:
    pending = defaultdict(set)
    for submission_id, department_id in CriterionAppraisal.objects.filter(
        submission__in=submissions, status=AppraisalStatus.PENDING, department__isnull=False
    ).values_list("submission_id", "department_id"):
        pending[submission_id].add(department_id)
    appraisers = {
        department: holders(Role.DEPARTMENT_APPRAISER, departments={department})
        for department in set().union(*pending.values())
    }
    subject = _("Hồ sơ chờ sở, ngành thẩm định")
    notifications.notify_all(
        [
            mail
            for submission in submissions
            for mail in notifications.notice_mails(
                [user for department in pending[submission.pk] for user in appraisers[department]],
                subject,
                submission,
                notifications.review_path(submission),
            )
        ]
    )


# --- the actions --------------------------------------------------------------------------------------------


@transaction.atomic
def submissions_forward(
    *, submissions: list[Submission], user, comment: str = "", expected_versions: dict[int, int] | None = None
) -> list[Outcome]:
    """District check passed for many submissions: each that may be forwarded goes to the departments."""
    _lock(submissions)
    passed, outcomes = _sort(BulkAction.FORWARD, submissions, user, expected_versions=expected_versions)
    if not passed:
        return outcomes
    _move(passed, SubmissionStatus.SUBMITTED, SubmissionStatus.APPRAISAL, timezone.now())
    flow._open_appraisals(*passed)
    CriterionAppraisal.objects.filter(submission__in=passed, status=AppraisalStatus.RETURNED).update(
        status=AppraisalStatus.PENDING
    )
    _audit(
        passed,
        user,
        AuditAction.FORWARDED,
        comment=comment,
        before={"status": SubmissionStatus.SUBMITTED},
        after={"status": SubmissionStatus.APPRAISAL},
    )
    _notify_departments(passed)
    return outcomes


@transaction.atomic
def submissions_recognise(
    *,
    submissions: list[Submission],
    user,
    decision_number: str,
    decision_date,
    document=None,
    expected_versions: dict[int, int] | None = None,
    ocop: bool = False,
) -> list[Outcome]:
    """The office recognises many results with one decision (number, date, optionally its document): the
    decision covers exactly the submissions that pass the checks; each is recognised as computed. OCOP dossiers
    only with ``ocop=True`` (``submissions.ocop.certificates.products_recognise``)."""
    if not decision_number.strip() or decision_date is None:
        raise SubmissionError(_("Cần số và ngày quyết định công nhận."), details=["decision_number", "decision_date"])
    _lock(submissions)
    passed, outcomes = _sort(BulkAction.RECOGNISE, submissions, user, expected_versions=expected_versions, ocop=ocop)
    if not passed:
        return outcomes
    fields = {
        "recognised_at": timezone.now(),
        "recognised_by": user,
        "decision_number": decision_number.strip(),
        "decision_date": decision_date,
        "standard_override": None,
        "standard_override_reason": "",
    }
    if document is not None:
        # One file for the one decision: stored once, referenced by every submission it covers.
        passed[0].decision_document.save(document.name, document, save=False)
        fields["decision_document"] = passed[0].decision_document.name
    _move(passed, SubmissionStatus.RECOGNITION, SubmissionStatus.RECOGNISED, fields["recognised_at"], **fields)
    preconditions_record(submissions=passed)  # as they stood when recognised
    titles_grant_from_recognition(submissions=passed, user=user)  # as flow.recognise grants one, in one batch
    _audit(
        passed,
        user,
        AuditAction.RECOGNISED,
        after=lambda submission: {
            "decision_number": decision_number,
            "decision_date": str(decision_date),
            "standard_reached": submission.standard_reached,
        },
    )
    _notify_fillers(passed, _("Kết quả đánh giá đã được công nhận"))
    return outcomes


@transaction.atomic
def submissions_publish(
    *, submissions: list[Submission], user, published: bool = True, expected_versions: dict[int, int] | None = None
) -> list[Outcome]:
    """Publish (or unpublish) many recognised results; one already as asked is refused as ``unchanged``."""
    _lock(submissions)
    passed, outcomes = _sort(
        BulkAction.PUBLISH, submissions, user, published=published, expected_versions=expected_versions
    )
    if not passed:
        return outcomes
    now = timezone.now() if published else None
    Submission.objects.filter(pk__in=[submission.pk for submission in passed]).update(
        published=published, published_at=now
    )
    for submission in passed:
        submission.published, submission.published_at = published, now
    _audit(passed, user, AuditAction.PUBLISHED if published else AuditAction.UNPUBLISHED)
    results_changed.send(sender=Submission, unit_ids=[submission.unit_id for submission in passed])
    return outcomes


def appraisals_decide(*, pairs: list[tuple[Submission, int]], user, comment: str = "") -> list[Outcome]:
    """Appraise many (submission, criterion) pairs — the ticked rows of an appraiser's queue — each exactly as
    :func:`flow.appraisal_decide` does one (each in its own transaction: the last criterion of a submission
    moves it on to recognition, as when appraised alone)."""
    outcomes = []
    for submission, number in pairs:
        outcome = Outcome(pk=submission.pk, submission=submission, status_before=submission.status, number=number)
        try:
            flow.appraisal_decide(submission=submission, number=number, user=user, comment=comment)
        except SubmissionError as error:
            outcome.refuse(error)
        else:
            outcome.status = submission.status
        outcomes.append(outcome)
    return outcomes


def refused_line(outcome: Outcome, *, criterion: bool = True) -> str:
    """One refusal as a person reads it: the commune (and criterion, unless told), then why."""
    if outcome.submission is None:
        return outcome.message
    name = outcome.submission.unit.name
    if criterion and outcome.number is not None:
        name = _("%(unit)s, tiêu chí %(n)s") % {"unit": name, "n": outcome.number}
    return f"{name}: {outcome.message}"
