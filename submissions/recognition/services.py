"""Writes of recognition preconditions: the rows of a submission made from its round's frozen set version, a
department's (or the office's) confirmation or figure with its evidence, the office's waiver with a reason."""

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.directory.access import departments_of_province, province_of
from criteria_pages.spec import PreconditionKind, PreconditionSpec
from submissions import access
from submissions.access import require
from submissions.audit import audit
from submissions.entry.services import CONTENT_TYPES, upload_display_name, upload_validate
from submissions.errors import SubmissionError
from submissions.models import AuditAction, Submission
from submissions.recognition import rules
from submissions.recognition.models import PreconditionEvidence, PreconditionResult, PreconditionStatus
from submissions.recognition.selectors import ACTIVE_STAGES

#: The most files one confirmation attaches.
MAX_FILES = 10
#: The longest waiver reason or note kept.
MAX_TEXT = 2000
#: A figure is kept with two decimals below this (the column's size).
MAX_VALUE = Decimal(10) ** 8


@transaction.atomic
def preconditions_make(*, submissions: Sequence[Submission]) -> int:
    """The rows of many submissions at once (when they reach appraisal: the departments may confirm while the
    criteria are appraised): one query for the existing rows, one per province for its departments, one insert.
    Idempotent; returns how many rows were made."""
    wanted = [(submission, spec) for submission in submissions for spec in submission.round.spec.preconditions]
    if not wanted:
        return 0
    existing = set(
        PreconditionResult.objects.filter(submission__in={submission.pk for submission, _spec in wanted}).values_list(
            "submission_id", "code"
        )
    )
    departments: dict[str, dict[str, int]] = {}
    rows = []
    for submission, spec in wanted:
        if (submission.pk, spec.code) in existing:
            continue
        province = province_of(submission.unit)
        if province not in departments:
            departments[province] = dict(departments_of_province(submission.unit).values_list("code", "pk"))
        rows.append(
            PreconditionResult(
                submission=submission, code=spec.code, department_id=departments[province].get(spec.department)
            )
        )
    PreconditionResult.objects.bulk_create(rows, ignore_conflicts=True)  # two first looks at once make them once
    return len(rows)


def _rows_of(submissions: Sequence[Submission]) -> dict[int, dict[str, PreconditionResult]]:
    rows: dict[int, dict[str, PreconditionResult]] = defaultdict(dict)
    for row in PreconditionResult.objects.filter(submission__in=submissions):
        rows[row.submission_id][row.code] = row
    return rows


@transaction.atomic
def preconditions_record(*, submissions: Sequence[Submission]) -> dict[int, dict[str, PreconditionResult]]:
    """Store where the preconditions the system checks itself (title held, satisfaction rate) stand now, for many
    submissions at once (their rows made if missing): when the panel shows them, and at recognition, so that a
    recognised submission keeps showing them as they stood when it was recognised. Returns the rows by submission
    id and code."""
    submissions = [submission for submission in submissions if submission.round.spec.preconditions]
    if not submissions:
        return {}
    rows = _rows_of(submissions)
    missing = [
        submission
        for submission in submissions
        if any(spec.code not in rows[submission.pk] for spec in submission.round.spec.preconditions)
    ]
    if missing:
        preconditions_make(submissions=missing)
        rows.update(_rows_of(missing))
    live = [submission for submission in submissions if any(map(rules.is_live, submission.round.spec.preconditions))]
    inputs = rules.live_inputs(live, results=rows)
    changed = []
    for submission in live:
        for spec in filter(rules.is_live, submission.round.spec.preconditions):
            row = rows[submission.pk].get(spec.code)
            state = inputs.standing(submission, spec)
            if row is not None and (row.status, row.value) != (state.status, state.value):
                row.status, row.value = state.status, state.value
                changed.append(row)
    PreconditionResult.objects.bulk_update(changed, ["status", "value"])
    return rows


@transaction.atomic
def preconditions_ensure(*, submission: Submission) -> list[PreconditionResult]:
    """One row per precondition of the round's set version (idempotent), the department that confirms it resolved
    by its code in the submission's province; the rows the system checks itself are brought up to date. Returns the
    rows in the set's order."""
    rows = preconditions_record(submissions=[submission]).get(submission.pk, {})
    return [rows[spec.code] for spec in submission.round.spec.preconditions if spec.code in rows]


def _spec_of(submission: Submission, code: str) -> PreconditionSpec:
    spec = next((spec for spec in submission.round.spec.preconditions if spec.code == code), None)
    if spec is None:
        raise SubmissionError(_("Không có điều kiện %(code)s trong bộ tiêu chí của đợt.") % {"code": code})
    return spec


def _require_stage(submission: Submission) -> None:
    """Refuse unless the submission is (still) at appraisal or recognition: its row is locked and re-read, so a
    recognition at the same moment cannot slip a change past it."""
    submission.status = (
        Submission.objects.select_for_update().filter(pk=submission.pk).values_list("status", flat=True).get()
    )
    if submission.status not in ACTIVE_STAGES:
        raise SubmissionError(
            _("Hồ sơ đang ở bước “%(status)s”: không thay đổi được điều kiện công nhận.")
            % {"status": submission.get_status_display()},
            code="wrong_state",
        )


def _locked_row(submission: Submission, code: str) -> PreconditionResult:
    preconditions_ensure(submission=submission)
    return (
        PreconditionResult.objects.select_for_update()
        .select_related("submission__round", "submission__unit")
        .get(submission=submission, code=code)
    )


@transaction.atomic
def precondition_confirm(
    *,
    submission: Submission,
    code: str,
    user,
    met: bool | None = None,
    value: Decimal | None = None,
    note: str = "",
    files: Sequence = (),
) -> PreconditionResult:
    """A department (the one the precondition names, in the submission's province) or the office confirms a
    yes/no precondition (``met``) or enters a figure (``value``: met when it satisfies the threshold), with
    evidence files. A confirmation replaces an earlier one, and a waiver."""
    spec = _spec_of(submission, code)
    _require_stage(submission)
    if rules.is_live(spec):
        raise SubmissionError(
            _("Điều kiện %(code)s do hệ thống tự kiểm tra: không nhập tay được (văn phòng có thể miễn, có lý do).")
            % {"code": code}
        )
    row = _locked_row(submission, code)
    require(access.may_confirm_precondition(user, row))
    if spec.kind == PreconditionKind.FIGURE:
        if value is None:
            raise SubmissionError(_("Hãy nhập số liệu."), details=["value"])
        value = Decimal(value).quantize(Decimal("0.01"))
        if abs(value) >= MAX_VALUE:
            raise SubmissionError(_("Số liệu quá lớn."), details=["value"])
        status = PreconditionStatus.MET if rules.figure_met(spec, value) else PreconditionStatus.UNMET
    else:
        if met is None:
            raise SubmissionError(_("Hãy chọn “Có” hoặc “Không”."), details=["met"])
        status = PreconditionStatus.MET if met else PreconditionStatus.UNMET
        value = None
    files = list(files)
    if len(files) > MAX_FILES:
        raise SubmissionError(_("Tối đa %(n)s tệp mỗi lần.") % {"n": MAX_FILES}, details=["files"])
    checked = [(upload, upload_validate(upload)[0]) for upload in files]
    if status == PreconditionStatus.MET and spec.evidence and not checked and not row.evidence.exists():
        raise SubmissionError(
            _("Cần tệp minh chứng: %(evidence)s.") % {"evidence": spec.evidence.strip().rstrip(".")},
            details=["files"],
        )
    before = {"code": code, "status": row.status, "value": _audit_value(row.value)}
    row.status, row.value = status, value
    row.note = note.strip()[:MAX_TEXT]
    row.confirmed_by, row.confirmed_at = user, timezone.now()
    row.waiver_reason, row.waived_by, row.waived_at = "", None, None
    row.save(
        update_fields=[
            "status",
            "value",
            "note",
            "confirmed_by",
            "confirmed_at",
            "waiver_reason",
            "waived_by",
            "waived_at",
        ]
    )
    names = []
    for upload, detected in checked:
        evidence = PreconditionEvidence(
            result=row,
            original_name=upload_display_name(upload.name),
            content_type=CONTENT_TYPES[detected],
            size=upload.size,
            uploaded_by=user,
        )
        evidence.file.save(upload.name, upload, save=False)
        try:
            evidence.save()
        except BaseException:
            evidence.file.storage.delete(evidence.file.name)
            raise
        names.append(evidence.original_name)
    audit(
        round_=submission.round,
        submission=submission,
        action=AuditAction.PRECONDITION_CONFIRMED,
        user=user,
        comment=row.note,
        before=before,
        after={"code": code, "status": status, "value": _audit_value(value), "files": names},
    )
    return row


def _audit_value(value: Decimal | None) -> str | None:
    """A figure as the audit keeps it (plain text, no float)."""
    return None if value is None else str(value)


@transaction.atomic
def precondition_waive(*, submission: Submission, code: str, user, reason: str) -> PreconditionResult:
    """The office of the submission's province waives a precondition, with a reason shown wherever the recognition
    is shown."""
    _spec_of(submission, code)
    _require_stage(submission)
    require(access.may_waive_precondition(user, submission))
    reason = reason.strip()
    if not reason:
        raise SubmissionError(_("Miễn điều kiện phải có lý do."), details=["reason"])
    if len(reason) > MAX_TEXT:
        raise SubmissionError(_("Lý do dài quá %(n)s ký tự.") % {"n": MAX_TEXT}, details=["reason"])
    row = _locked_row(submission, code)
    before = {"code": code, "status": row.status}
    row.status = PreconditionStatus.WAIVED
    row.waiver_reason, row.waived_by, row.waived_at = reason, user, timezone.now()
    row.save(update_fields=["status", "waiver_reason", "waived_by", "waived_at"])
    audit(
        round_=submission.round,
        submission=submission,
        action=AuditAction.PRECONDITION_WAIVED,
        user=user,
        comment=reason,
        before=before,
        after={"code": code, "status": PreconditionStatus.WAIVED},
    )
    return row
