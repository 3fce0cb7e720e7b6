"""The review flow, in one place: submit → district check → department appraisal (per criterion, in
parallel) → office recognition → recognised; publishing is a separate decision. Any reviewer can
return a submission (or some of its criteria or indicators) with comments; the commune fixes and
resubmits, and the submission comes back to the stage that returned it.

Why not Wagtail's workflow framework: its tasks run one after another on pages and snippets, while
here about 17 departments appraise different criteria of the same submission at the same time,
and whole-queue actions (one criterion for many communes) are needed. So this is a small explicit
state machine; every transition writes an :class:`~submissions.models.AuditEntry` (who, role,
when, what, comment, before/after) and uses the submission's lock version, so two reviewers acting
at once cannot both succeed.

Who may do what (scopes come from the directory's memberships):
- district reviewer: submissions of communes in their district, at the district check;
- department appraiser: the criteria their department is responsible for, in every unit of the round;
- office editor: everything in their province, at any stage; recognition and publishing are theirs.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.directory.access import departments_of_province, province_of
from cms.directory.models import UnitLevel
from cms.errors import WRONG_STATE
from submissions import access, errors
from submissions.access import require
from submissions.audit import audit
from submissions.entry import services
from submissions.errors import SubmissionError
from submissions.models import (
    EDITABLE_STATUSES,
    AppraisalStatus,
    AuditAction,
    CriterionAppraisal,
    CriterionResult,
    IndicatorValue,
    ReturnedItem,
    Submission,
    SubmissionStatus,
)
from submissions.recognition.rules import recognition_blockers
from submissions.recognition.services import preconditions_make, preconditions_record
from submissions.review import notifications
from submissions.signals import results_changed, submissions_changed
from submissions.titles.services import title_grant_from_recognition

REVIEW_STAGES = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPRAISAL, SubmissionStatus.RECOGNITION)
#: Days a review stage should take before its pending items count as overdue, unless
#: ``settings.REVIEW_STAGE_DAYS`` says otherwise.
DEFAULT_STAGE_DAYS = 10


def stage_days() -> int:
    """Days each review stage should take (read at call time, so a changed setting applies at once)."""
    return int(getattr(settings, "REVIEW_STAGE_DAYS", DEFAULT_STAGE_DAYS))


def _require_status(submission: Submission, *statuses) -> None:
    if submission.status not in statuses:
        raise SubmissionError(
            _("Hồ sơ đang ở bước “%(status)s”: không thực hiện được thao tác này.")
            % {"status": submission.get_status_display()},
            code="wrong_state",
        )


def _move(submission: Submission, status: str, expected_version: int | None, **fields) -> None:
    """Change state only if nobody else changed the submission since the reviewer loaded it."""
    queryset = Submission.objects.filter(pk=submission.pk, status=submission.status)
    if expected_version is not None:
        queryset = queryset.filter(lock_version=expected_version)
    now = timezone.now()
    updated = queryset.update(status=status, stage_entered_at=now, lock_version=F("lock_version") + 1, **fields)
    if not updated:
        raise errors.ConflictError(
            _("Hồ sơ vừa được người khác xử lý. Không có gì bị ghi đè; hãy tải lại để xem trạng thái mới.")
        )
    submission.status = status
    submission.stage_entered_at = now
    submission.lock_version = (expected_version if expected_version is not None else submission.lock_version) + 1
    for name, value in fields.items():
        setattr(submission, name, value)
    submissions_changed.send(
        sender=Submission,
        published=submission.published,
        product_ids=[submission.product_id] if submission.product_id else [],
    )


# --- transitions ----------------------------------------------------------------------------------------


def _has_district(submission: Submission) -> bool:
    """Whether the submission goes through a district check: a commune below a district; never an OCOP dossier
    (its office checks it, then a council scores it)."""
    if submission.product_id:
        return False
    parent = submission.unit.parent
    return parent is not None and parent.level == UnitLevel.DISTRICT


def _open_appraisals(*submissions: Submission) -> None:
    """One pending appraisal per criterion, for the department responsible for it (a query per province, not
    per submission: the bulk forward calls this once)."""
    # Departments are resolved by code in the submission's province: each province has its own "so-xd".
    departments: dict[str, dict[str, int]] = {}
    for submission in submissions:
        province = province_of(submission.unit)
        if province not in departments:
            departments[province] = dict(departments_of_province(submission.unit).values_list("code", "pk"))
    existing = set(CriterionAppraisal.objects.filter(submission__in=submissions).values_list("submission_id", "number"))
    to_create = [
        CriterionAppraisal(
            submission=submission,
            number=criterion.number,
            department_id=departments[province_of(submission.unit)].get(criterion.department),
        )
        for submission in submissions
        for criterion in submission.round.spec.criteria
        if (submission.pk, criterion.number) not in existing
    ]
    CriterionAppraisal.objects.bulk_create(to_create)
    # The recognition preconditions too: their departments may confirm them while the criteria are appraised.
    preconditions_make(submissions=submissions)


@transaction.atomic
def submission_submit(
    *, submission: Submission, user=None, expected_version: int | None = None, required_questions=None
) -> Submission:
    """Submit when complete (else refuse with the list of what is missing). A returned submission goes
    back to the stage that returned it; a new one to the district check, or straight to the departments
    where the unit has no district level; an OCOP product's dossier to its office's check (then a council)."""
    missing = services.missing_items(submission, required_questions=required_questions)
    if missing:
        raise SubmissionError(_("Hồ sơ chưa đủ để nộp."), code="incomplete", details=missing)
    if not submission.round.is_open:
        raise SubmissionError(_("Đợt đánh giá đã đóng: không thể thay đổi hồ sơ."), code="locked")
    _require_status(submission, *EDITABLE_STATUSES)
    if submission.returned_from:
        target = submission.returned_from
    elif submission.product_id or _has_district(submission):
        target = SubmissionStatus.SUBMITTED  # the district checks a commune's; the office an OCOP dossier
    else:
        target = SubmissionStatus.APPRAISAL
    now = timezone.now()
    _move(
        submission,
        target,
        expected_version,
        submitted_at=now,
        first_submitted_at=submission.first_submitted_at or now,
        returned_from="",
        updated_by=user,
    )
    if target == SubmissionStatus.APPRAISAL:
        _open_appraisals(submission)
        submission.appraisals.filter(status=AppraisalStatus.RETURNED).update(status=AppraisalStatus.PENDING)
    ReturnedItem.objects.filter(submission=submission, resolved_at__isnull=True).update(resolved_at=now)
    audit(
        round_=submission.round,
        submission=submission,
        action=AuditAction.SUBMITTED,
        user=user,
        after={"status": target},
    )
    notifications.notify_next_actor(submission)
    return submission


# The rules of forward, recognise and publish, one submission at a time: the web pages, the API and the bulk
# actions (:mod:`submissions.review.bulk`) all ask these.


def forward_check(submission: Submission, user) -> None:
    """Refuse unless ``user`` may forward ``submission`` now (district check passed)."""
    _require_status(submission, SubmissionStatus.SUBMITTED)
    require(access.is_district_reviewer_for(user, submission) or access.is_office_for(user, submission))
    if submission.product_id:
        raise SubmissionError(
            _("Hồ sơ sản phẩm OCOP không chuyển sở, ngành thẩm định: văn phòng giao hồ sơ cho hội đồng chấm điểm."),
            code=WRONG_STATE,
        )


def recognise_check(submission: Submission, user, *, ocop: bool = False) -> None:
    """Refuse unless ``user`` may recognise ``submission`` now. An OCOP dossier is recognised only through the
    OCOP decision (``submissions.ocop.certificates``, ``ocop=True``), which gives its stars and certificate."""
    _require_status(submission, SubmissionStatus.RECOGNITION)
    require(access.is_office_for(user, submission))
    if submission.product_id and not ocop:
        raise SubmissionError(
            _("Sản phẩm OCOP được công nhận bằng quyết định công nhận sản phẩm OCOP của đợt."), code="invalid"
        )


def publish_check(submission: Submission, user) -> None:
    """Refuse unless ``user`` may publish or unpublish ``submission``'s result."""
    _require_status(submission, SubmissionStatus.RECOGNISED)
    require(access.is_office_for(user, submission))


@transaction.atomic
def review_forward(*, submission: Submission, user, comment: str = "", expected_version: int | None = None):
    """District check passed: the departments appraise next."""
    forward_check(submission, user)
    _move(submission, SubmissionStatus.APPRAISAL, expected_version)
    _open_appraisals(submission)
    submission.appraisals.filter(status=AppraisalStatus.RETURNED).update(status=AppraisalStatus.PENDING)
    audit(
        round_=submission.round,
        submission=submission,
        action=AuditAction.FORWARDED,
        user=user,
        comment=comment,
        before={"status": SubmissionStatus.SUBMITTED},
        after={"status": SubmissionStatus.APPRAISAL},
    )
    notifications.notify_next_actor(submission)
    return submission


@transaction.atomic
def review_return(
    *,
    submission: Submission,
    user,
    comment: str = "",
    items: list[dict] | None = None,
    expected_version: int | None = None,
) -> Submission:
    """Send back to the commune with a comment overall and/or per criterion or indicator.

    ``items`` are ``{"criterion_number": 8, "comment": "..."}`` or ``{"indicator_code": "8.4", "comment": "..."}``.
    """
    _require_status(submission, *REVIEW_STAGES)
    items = [item for item in (items or []) if str(item.get("comment", "")).strip()]
    if not comment.strip() and not items:
        raise SubmissionError(_("Cần ghi ý kiến: trả lại để sửa những gì?"), details=["comment"])
    stage = submission.status
    spec = submission.round.spec
    criterion_of = {indicator.code: criterion.number for criterion, indicator in spec.indicators()}
    numbers = {criterion.number for criterion in spec.criteria}
    for item in items:
        code = item.get("indicator_code") or ""
        number = item.get("criterion_number") or criterion_of.get(code)
        if code and code not in criterion_of or number not in numbers:
            raise SubmissionError(_("Không có chỉ tiêu hoặc tiêu chí này trong bộ tiêu chí."), details=["items"])
        item["criterion_number"] = number
    if submission.product_id:
        # An OCOP dossier is returned by the office of its province while it checks it, before any council scores.
        require(access.is_office_for(user, submission))
        _require_status(submission, SubmissionStatus.SUBMITTED)
    elif stage == SubmissionStatus.SUBMITTED:
        require(access.is_district_reviewer_for(user, submission) or access.is_office_for(user, submission))
    elif stage == SubmissionStatus.APPRAISAL and not access.is_office_for(user, submission):
        own = access.appraisable_criteria(user, submission)
        require(bool(own) and bool(items) and all(item["criterion_number"] in own for item in items))
    elif stage == SubmissionStatus.RECOGNITION:
        require(access.is_office_for(user, submission))
    _move(submission, SubmissionStatus.RETURNED, expected_version, returned_from=stage)
    created = [
        ReturnedItem(
            submission=submission,
            stage=stage,
            criterion_number=item["criterion_number"],
            indicator_code=item.get("indicator_code") or "",
            comment=item["comment"].strip(),
            created_by=user,
        )
        for item in items
    ]
    if comment.strip():
        created.append(ReturnedItem(submission=submission, stage=stage, comment=comment.strip(), created_by=user))
    ReturnedItem.objects.bulk_create(created)
    if stage == SubmissionStatus.APPRAISAL:
        returned_numbers = {item["criterion_number"] for item in items}
        submission.appraisals.filter(number__in=returned_numbers).update(status=AppraisalStatus.RETURNED)
    audit(
        round_=submission.round,
        submission=submission,
        action=AuditAction.RETURNED,
        user=user,
        comment=comment,
        before={"status": stage},
        after={"status": SubmissionStatus.RETURNED, "items": [dict(item) for item in items]},
    )
    notifications.notify(
        notifications.fillers_of(submission),
        _("Hồ sơ bị trả lại để sửa"),
        submission,
        notifications.commune_path(submission),
        lines=notifications.return_lines(submission, comment, items, user),
    )
    return submission


@transaction.atomic
def appraisal_decide(
    *, submission: Submission, number: int, user, comment: str = "", expected_version: int | None = None
) -> CriterionAppraisal:
    """A department confirms its criterion; when every criterion is appraised, the office recognises next."""
    _require_status(submission, SubmissionStatus.APPRAISAL)
    # Departments appraise the criteria of one submission in parallel, and whoever approves the last pending
    # criterion moves the submission on to recognition. Lock the submission's row first, so that two
    # departments approving the last two criteria at the same moment are serialised here: the second sees
    # the first's approval and moves the submission on, instead of both seeing "one still pending".
    Submission.objects.select_for_update().filter(pk=submission.pk).values_list("pk", flat=True).get()
    appraisal = (
        CriterionAppraisal.objects.select_for_update().filter(submission=submission, number=number).order_by().first()
    )
    if appraisal is None:
        raise SubmissionError(_("Không có tiêu chí %(n)s trong hồ sơ này.") % {"n": number})
    require(appraisal.department_id in access.user_departments(user) or access.is_office_for(user, submission))
    if expected_version is not None and submission.lock_version != expected_version:
        current = Submission.objects.values_list("lock_version", flat=True).get(pk=submission.pk)
        if current != expected_version:
            raise errors.ConflictError(
                _("Hồ sơ vừa được người khác xử lý. Không có gì bị ghi đè; hãy tải lại để xem trạng thái mới.")
            )
    if appraisal.status == AppraisalStatus.APPROVED:
        raise errors.ConflictError(_("Tiêu chí này đã được thẩm định."))
    before = appraisal.status
    appraisal.status = AppraisalStatus.APPROVED
    appraisal.comment = comment.strip()
    appraisal.appraised_by = user
    appraisal.appraised_at = timezone.now()
    appraisal.save(update_fields=["status", "comment", "appraised_by", "appraised_at"])
    audit(
        round_=submission.round,
        submission=submission,
        action=AuditAction.APPRAISED,
        user=user,
        comment=comment,
        before={"criterion": number, "status": before},
        after={"criterion": number, "status": AppraisalStatus.APPROVED},
    )
    if not submission.appraisals.exclude(status=AppraisalStatus.APPROVED).exists():
        _move(submission, SubmissionStatus.RECOGNITION, None)
        notifications.notify_next_actor(submission)
    return appraisal


def appraisal_decide_many(*, submissions, number: int, user, comment: str = "") -> tuple[int, list[str]]:
    """Appraise one criterion for many communes at once; returns (done, problems per unit)."""
    done, problems = 0, []
    for submission in submissions:
        try:
            appraisal_decide(submission=submission, number=number, user=user, comment=comment)
            done += 1
        except SubmissionError as error:
            problems.append(f"{submission.unit.name}: {error.message}")
    return done, problems


@transaction.atomic
def verdict_override(
    *,
    submission: Submission,
    user,
    reason: str,
    criterion_number: int | None = None,
    indicator_code: str = "",
    met: bool | None = None,
    status: str = "",
) -> None:
    """Replace a computed verdict (criterion: ``met``; indicator: ``status``) with a recorded reason.

    ``met=None`` / ``status=""`` removes the override. The computed verdict stays stored and visible.
    """
    if not reason.strip():
        raise SubmissionError(_("Điều chỉnh kết quả phải có lý do."), details=["reason"])
    _require_status(submission, SubmissionStatus.APPRAISAL, SubmissionStatus.RECOGNITION)
    spec = submission.round.spec
    if indicator_code:
        criterion_number = next((c.number for c, i in spec.indicators() if i.code == indicator_code), None)
    if criterion_number not in {criterion.number for criterion in spec.criteria}:
        raise SubmissionError(_("Không có chỉ tiêu hoặc tiêu chí này trong bộ tiêu chí."))
    own = access.appraisable_criteria(user, submission) if submission.status == SubmissionStatus.APPRAISAL else set()
    require(criterion_number in own or access.is_office_for(user, submission))
    now = timezone.now()
    record = {"override_reason": reason.strip(), "overridden_by": user, "overridden_at": now}
    if indicator_code:
        row = IndicatorValue.objects.select_for_update().get(submission=submission, code=indicator_code)
        before = {"indicator": indicator_code, "status": row.status, "override": row.override_status}
        IndicatorValue.objects.filter(pk=row.pk).update(override_status=status or "", **record)
        after = {"indicator": indicator_code, "override": status or ""}
    else:
        row = CriterionResult.objects.select_for_update().get(submission=submission, number=criterion_number)
        before = {"criterion": criterion_number, "met": row.met, "override": row.override_met}
        CriterionResult.objects.filter(pk=row.pk).update(override_met=met, **record)
        after = {"criterion": criterion_number, "override": met}
    services.results_refresh(submission=submission)
    audit(
        round_=submission.round,
        submission=submission,
        action=AuditAction.OVERRIDDEN,
        user=user,
        comment=reason.strip(),
        before=before,
        after=after,
    )


@transaction.atomic
def recognise(
    *,
    submission: Submission,
    user,
    decision_number: str,
    decision_date,
    document=None,
    standard_override: bool | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Submission:
    """The office recognises the result, with the decision's number, date and (optionally) document."""
    recognise_check(submission, user)
    if not decision_number.strip() or decision_date is None:
        raise SubmissionError(_("Cần số và ngày quyết định công nhận."), details=["decision_number", "decision_date"])
    if standard_override is not None and standard_override != submission.standard_reached and not reason.strip():
        raise SubmissionError(_("Điều chỉnh kết quả đạt chuẩn phải có lý do."), details=["reason"])
    blockers = recognition_blockers(submission)
    if blockers:
        raise SubmissionError(" ".join(blockers), details=["preconditions"])
    preconditions_record(submissions=[submission])  # as they stood when recognised
    _move(
        submission,
        SubmissionStatus.RECOGNISED,
        expected_version,
        recognised_at=timezone.now(),
        recognised_by=user,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        standard_override=standard_override,
        standard_override_reason=reason.strip(),
    )
    if document is not None:
        submission.decision_document.save(document.name, document, save=False)
        Submission.objects.filter(pk=submission.pk).update(decision_document=submission.decision_document.name)
    title_grant_from_recognition(submission=submission, user=user)
    audit(
        round_=submission.round,
        submission=submission,
        action=AuditAction.RECOGNISED,
        user=user,
        comment=reason,
        after={
            "decision_number": decision_number,
            "decision_date": str(decision_date),
            "standard_reached": submission.standard_reached if standard_override is None else standard_override,
        },
    )
    notifications.notify(
        notifications.fillers_of(submission),
        _("Kết quả đánh giá đã được công nhận"),
        submission,
        notifications.commune_path(submission),
    )
    return submission


@transaction.atomic
def publish(*, submissions, user, published: bool = True) -> int:
    """Publishing is the office's separate decision, for recognised results only."""
    count = 0
    for submission in submissions:
        publish_check(submission, user)
        if submission.published == published:
            continue
        Submission.objects.filter(pk=submission.pk).update(
            published=published, published_at=timezone.now() if published else None
        )
        submission.published = published
        audit(
            round_=submission.round,
            submission=submission,
            action=AuditAction.PUBLISHED if published else AuditAction.UNPUBLISHED,
            user=user,
        )
        count += 1
        results_changed.send(sender=Submission, unit_ids=[submission.unit_id])
    return count
