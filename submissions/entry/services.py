"""Writes for rounds and submissions. Keyword-only, typed, atomic; the web form and the API share them."""

import datetime
import hashlib
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import F, FileField
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

import filetype

from criteria_pages.evaluation import (
    CriterionStatus,
    IndicatorStatus,
    InvalidValue,
    band_for,
    coerce_value,
    criterion_status,
    evaluate,
    standard_reached,
)
from criteria_pages.spec import NOT_APPLICABLE, ValueType
from submissions.audit import audit
from submissions.entry import selectors
from submissions.errors import ConflictError, SubmissionError
from submissions.models import (
    EDITABLE_STATUSES,
    AuditAction,
    CriterionResult,
    Evidence,
    IndicatorValue,
    Round,
    Submission,
    private_storage_callable,
)
from submissions.ocop.models import CouncilEntry
from submissions.signals import results_changed, submissions_changed

BATCH_SIZE = 2000
#: Evidence attached to one of the office's extra "file" questions is stored under "q:<question id>".
QUESTION_PREFIX = "q:"

#: Evidence types allowed, by what the content is (not the name): detected type -> accepted extensions.
ALLOWED_EVIDENCE = {
    "pdf": ("pdf",),
    "jpg": ("jpg", "jpeg"),
    "png": ("png",),
    "docx": ("docx",),
    "xlsx": ("xlsx",),
    "odt": ("odt",),
    "ods": ("ods",),
}
_ZIP_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


# --- values and verdicts ----------------------------------------------------------------------------


def store_values(submission: Submission, *, raws: dict[str, str], notes: dict[str, str]) -> dict:
    """Write every indicator's raw value, note and verdict, and the criterion and set results.

    Reviewers' overrides (with their reasons) are kept and win over the computed verdicts.
    A fixed number of queries whatever the number of indicators. Returns {code: (old raw, new raw)}
    for the values that changed.
    """
    spec = submission.round.spec
    result = evaluate(spec, raws, group=submission.group or None)
    existing = {row.code: row for row in IndicatorValue.objects.filter(submission=submission)}
    to_create, to_update, changed = [], [], {}
    effective: dict[str, str] = {}
    for criterion in result.criteria:
        for verdict in criterion.indicators:
            raw = (raws.get(verdict.code) or "").strip()
            note = (notes.get(verdict.code) or "").strip()
            row = existing.get(verdict.code)
            override = row.override_status if row is not None else ""
            effective[verdict.code] = override or verdict.status
            values = {
                "criterion_number": criterion.number,
                "raw": raw,
                "note": note,
                "status": override or verdict.status,
                "computed_status": verdict.status,
                "target": verdict.target,
                "error": str(verdict.error)[:500],
            }
            if row is None:
                to_create.append(IndicatorValue(submission=submission, code=verdict.code, **values))
                if raw:
                    changed[verdict.code] = ("", raw)
            elif any(getattr(row, name) != value for name, value in values.items()):
                if row.raw != raw:
                    changed[verdict.code] = (row.raw, raw)
                for name, value in values.items():
                    setattr(row, name, value)
                to_update.append(row)
    IndicatorValue.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    IndicatorValue.objects.bulk_update(
        to_update,
        ["criterion_number", "raw", "note", "status", "computed_status", "target", "error"],
        batch_size=BATCH_SIZE,
    )
    _store_criteria(submission, spec, result, effective)
    return changed


def _criterion_verdicts(spec, result, effective: dict[str, str]):
    """(number, status, met_count, applicable_count, points, complete) with indicator overrides applied."""
    specs = {criterion.number: criterion for criterion in spec.criteria}
    for verdict in result.criteria:
        overridden = any(effective[i.code] != i.status for i in verdict.indicators)
        if not overridden:
            yield (
                verdict.number,
                verdict.status,
                verdict.met_count,
                verdict.applicable_count,
                verdict.points,
                verdict.complete,
            )
            continue
        criterion = specs[verdict.number]
        points_by_code = {i.code: i.points or 0 for i in criterion.indicators}
        statuses = [effective[i.code] for i in verdict.indicators]
        met = [i.code for i in verdict.indicators if effective[i.code] == IndicatorStatus.MET]
        applicable = sum(status != IndicatorStatus.NOT_APPLICABLE for status in statuses)
        points = sum((points_by_code[code] for code in met), start=Decimal(0))
        status = criterion_status(criterion, len(met), applicable, points)
        yield verdict.number, status, len(met), applicable, points, IndicatorStatus.MISSING not in statuses


def _store_criteria(submission: Submission, spec, result, effective: dict[str, str]) -> None:
    existing = {row.number: row for row in CriterionResult.objects.filter(submission=submission)}
    to_create, to_update = [], []
    criteria_met = criteria_applicable = 0
    total_points = Decimal(0)
    for number, status, met_count, applicable_count, points, complete in _criterion_verdicts(spec, result, effective):
        row = existing.get(number)
        computed_met = status == CriterionStatus.MET
        override = row.override_met if row is not None else None
        met = computed_met if override is None else override
        criteria_met += met
        criteria_applicable += status != CriterionStatus.NOT_APPLICABLE or override is not None
        total_points += points if met else 0
        values = {
            "status": status,
            "met": met,
            "computed_met": computed_met,
            "met_count": met_count,
            "applicable_count": applicable_count,
            "points": points,
            "complete": complete,
        }
        if row is None:
            to_create.append(CriterionResult(submission=submission, number=number, **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            to_update.append(row)
    CriterionResult.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    CriterionResult.objects.bulk_update(to_update, list(values), batch_size=BATCH_SIZE)
    submission.criteria_met, submission.criteria_applicable = criteria_met, criteria_applicable
    fields = {"criteria_met": criteria_met, "criteria_applicable": criteria_applicable}
    if not council_result_stands(submission):
        reached = standard_reached(spec, criteria_met, criteria_applicable, total_points)
        submission.points, submission.band = total_points, band_for(spec.bands, total_points) or ""
        submission.standard_reached = reached
        fields.update(points=total_points, band=submission.band, standard_reached=reached)
    Submission.objects.filter(pk=submission.pk).update(**fields)
    submissions_changed.send(
        sender=Submission,
        published=submission.published,
        product_ids=[submission.product_id] if submission.product_id else [],
    )


def council_result_stands(submission: Submission) -> bool:
    """Whether ``submission`` is an OCOP dossier whose council has closed its scoring: its points, band, stars and
    standard are then the council's (``submissions.ocop.scoring.council_close``), never the producer's
    self-assessment recomputed from the dossier's values."""
    if not submission.product_id:
        return False
    return CouncilEntry.objects.filter(submission_id=submission.pk, closed_at__isnull=False).exists()


def results_refresh(*, submission: Submission) -> None:
    """Re-derive the stored verdicts of ``submission`` (after an override) from its stored values; an OCOP dossier
    whose council closed keeps the council's result (:func:`council_result_stands`)."""
    rows = IndicatorValue.objects.filter(submission=submission).values_list("code", "raw", "note")
    store_values(submission, raws={code: raw for code, raw, _n in rows}, notes={code: note for code, _r, note in rows})


def _claim(submission: Submission, expected_version: int | None, user) -> None:
    """Optimistic lock: the save goes through only if nobody saved since the form was loaded."""
    if not submission.round.is_open:
        raise SubmissionError(_("Đợt đánh giá đã đóng: không thể thay đổi hồ sơ."), code="locked")
    if submission.status not in EDITABLE_STATUSES:
        raise SubmissionError(_("Hồ sơ đã nộp: chỉ xem, không sửa được cho đến khi bị trả lại."), code="locked")
    queryset = Submission.objects.filter(pk=submission.pk, status__in=EDITABLE_STATUSES)
    if expected_version is not None:
        queryset = queryset.filter(lock_version=expected_version)
    updated = queryset.update(lock_version=F("lock_version") + 1, updated_by=user, updated_at=timezone.now())
    if not updated:
        current = Submission.objects.select_related("updated_by").get(pk=submission.pk)
        who = current.updated_by.get_full_name() or current.updated_by.username if current.updated_by else "?"
        raise ConflictError(
            _(
                "Hồ sơ vừa được lưu ở nơi khác (%(who)s, lúc %(time)s). Những gì bạn nhập vẫn còn dưới đây, "
                "chưa được lưu: hãy mở lại hồ sơ trong thẻ mới, so sánh và nhập lại phần cần thiết."
            )
            % {"who": who, "time": timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y")}
        )
    submission.lock_version = (expected_version if expected_version is not None else submission.lock_version) + 1


@dataclass
class SaveResult:
    submission: Submission
    changed: dict = field(default_factory=dict)


@transaction.atomic
def submission_save(
    *,
    submission: Submission,
    raws: dict[str, str],
    notes: dict[str, str] | None = None,
    answers: dict | None = None,
    user=None,
    expected_version: int | None = None,
) -> SaveResult:
    """Save a draft: every value is kept as typed (invalid ones too), verdicts are recomputed and stored.

    ``raws`` may hold only some indicators (the API's partial update): the others keep their values.
    """
    _claim(submission, expected_version, user)
    current = {row.code: (row.raw, row.note) for row in IndicatorValue.objects.filter(submission=submission)}
    merged_raws = {code: raw for code, (raw, _note) in current.items()}
    merged_notes = {code: note for code, (_raw, note) in current.items()}
    merged_raws.update({code: "" if raw is None else str(raw) for code, raw in raws.items()})
    merged_notes.update(notes or {})
    changed = store_values(submission, raws=merged_raws, notes=merged_notes)
    if answers is not None:
        submission.answers = {**submission.answers, **answers}
        Submission.objects.filter(pk=submission.pk).update(answers=submission.answers)
    if submission.first_submitted_at and changed:
        audit(
            round_=submission.round,
            submission=submission,
            action=AuditAction.VALUE_CHANGED,
            user=user,
            before={code: old for code, (old, _new) in changed.items()},
            after={code: new for code, (_old, new) in changed.items()},
        )
    return SaveResult(submission=submission, changed=changed)


class MissingItem(str):
    """One thing that stops a submission, as the officer reads it, knowing what it is about: ``code`` (an indicator
    code, or a question's field name) and ``kind`` ("value", "evidence" or "question"), so a form can link to it."""

    def __new__(cls, text: str, *, code: str, kind: str):
        item = super().__new__(cls, text)
        item.code, item.kind = code, kind
        return item


def missing_items(submission: Submission, *, required_questions: dict[str, str] | None = None) -> list[str]:
    """Everything that stops a submission: values of applicable indicators, required evidence, questions."""
    spec = submission.round.spec
    values = {row.code: row for row in IndicatorValue.objects.filter(submission=submission)}
    evidence_counts: dict[str, int] = {}
    for code in selectors.current_evidence(submission).values_list("indicator_code", flat=True):
        evidence_counts[code] = evidence_counts.get(code, 0) + 1
    missing = []
    for _criterion, indicator in spec.indicators():
        target = indicator.target_for(submission.group or None)
        # A scored item (OCOP self-assessment) has no target: it always asks for a score.
        scored = indicator.value_type == ValueType.SCORE and not (target and target.lower() == NOT_APPLICABLE)
        applicable = indicator.assessed and (scored or (target and target.lower() != NOT_APPLICABLE))
        row = values.get(indicator.code)
        if applicable and (row is None or row.status == IndicatorStatus.MISSING):
            if row is not None and row.raw:
                text = _("Chỉ tiêu %(code)s: giá trị không hợp lệ") % {"code": indicator.code}
                missing.append(MissingItem(text, code=indicator.code, kind="value"))
            else:
                text = _("Chỉ tiêu %(code)s: chưa nhập giá trị") % {"code": indicator.code}
                missing.append(MissingItem(text, code=indicator.code, kind="value"))
        needed = indicator.evidence.min_files if indicator.evidence.required else 0
        if needed and evidence_counts.get(indicator.code, 0) < needed:
            text = _("Chỉ tiêu %(code)s: cần ít nhất %(n)s tệp minh chứng (%(what)s)") % {
                "code": indicator.code,
                "n": needed,
                "what": indicator.evidence.description or "-",
            }
            missing.append(MissingItem(text, code=indicator.code, kind="evidence"))
    for key, label in (required_questions or {}).items():
        has_file = evidence_counts.get(QUESTION_PREFIX + key.removeprefix("q_"), 0) > 0
        if not str(submission.answers.get(key, "")).strip() and not has_file:
            text = _("Câu hỏi “%(label)s”: chưa trả lời") % {"label": label}
            missing.append(MissingItem(text, code=key, kind="question"))
    return missing


@transaction.atomic
def results_recompute(*, round_: Round | None = None) -> int:
    """Recompute every stored verdict from the stored values (after a fix to the evaluation code)."""
    queryset = Submission.objects.select_related("round__criteria_version")
    if round_ is not None:
        queryset = queryset.filter(round=round_)
    count = 0
    for submission in queryset.iterator(chunk_size=500):
        results_refresh(submission=submission)
        count += 1
    results_changed.send(sender=Submission, unit_ids=None)
    return count


# --- evidence ---------------------------------------------------------------------------------------


def detect_evidence_type(head: bytes, data_for_zip) -> str | None:
    """The evidence type by content: PDF, JPEG, PNG, DOCX, XLSX, ODT or ODS; None for anything else."""
    kind = filetype.guess(head)
    extension = kind.extension if kind else None
    if extension in ("pdf", "jpg", "png"):
        return extension
    if extension in ("zip", "docx", "xlsx", "odt", "ods"):
        try:
            with zipfile.ZipFile(data_for_zip) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    return _OPENDOCUMENT.get(archive.read("mimetype").strip())
                for detected, marker in _ZIP_MARKERS.items():
                    if marker in names:
                        return detected
        except zipfile.BadZipFile:
            return None
    return None


def upload_validate(upload) -> tuple[str, str]:
    """Refuse (with a Vietnamese message) a file over the upload limit or whose content is not an accepted type
    (checked by content, not only by extension); otherwise its detected type (a key of :data:`CONTENT_TYPES`)
    and its SHA-256. Every private upload goes through it: evidence, registrations, preconditions, paper surveys."""
    limit = settings.EVIDENCE_MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise SubmissionError(
            _("Tệp “%(name)s” quá lớn (%(size)s); tối đa %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = detect_evidence_type(head, upload)
    upload.seek(0)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if detected is None or extension not in ALLOWED_EVIDENCE[detected]:
        raise SubmissionError(
            _(
                "Tệp “%(name)s” không được nhận: chỉ nhận PDF, ảnh JPEG/PNG, DOCX, XLSX, ODT, ODS "
                "(kiểm tra theo nội dung tệp, không chỉ theo đuôi)."
            )
            % {"name": upload.name}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return detected, digest.hexdigest()


def upload_display_name(name: str) -> str:
    """Keep the original name for display (diacritics included), without paths or control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or "tep"


#: The content type each detected type of :func:`upload_validate` is stored and served with.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


@transaction.atomic
def evidence_add(*, submission: Submission, indicator_code: str, upload, user=None, replaces: Evidence | None = None):
    """Attach a file to an indicator. After the first submission, files can only be replaced (recorded)."""
    known = {indicator.code for _c, indicator in submission.round.spec.indicators()}
    if indicator_code not in known and not indicator_code.startswith(QUESTION_PREFIX):
        raise SubmissionError(_("Không có chỉ tiêu %(code)s trong bộ tiêu chí.") % {"code": indicator_code})
    detected, sha256 = upload_validate(upload)
    _claim(submission, None, user)
    evidence = Evidence(
        submission=submission,
        indicator_code=indicator_code,
        original_name=upload_display_name(upload.name),
        content_type=CONTENT_TYPES[detected],
        size=upload.size,
        sha256=sha256,
        uploaded_by=user,
    )
    if replaces is not None and (replaces.submission_id != submission.pk or replaces.replaced_by_id):
        raise SubmissionError(_("Chỉ thay được minh chứng hiện hành của hồ sơ này."))
    evidence.file.save(upload.name, upload, save=False)
    try:
        evidence.save()
    except BaseException:
        # No row, no file. (A process killed right here leaves the file: remove_orphan_files collects it.)
        evidence.file.storage.delete(evidence.file.name)
        raise
    # If the surrounding transaction rolls back after this point, the file is collected the same way.
    if replaces is not None:
        Evidence.objects.filter(pk=replaces.pk).update(replaced_by=evidence)
        audit(
            round_=submission.round,
            submission=submission,
            action=AuditAction.EVIDENCE_REPLACED,
            user=user,
            before={"evidence": replaces.pk, "name": replaces.original_name, "sha256": replaces.sha256},
            after={"evidence": evidence.pk, "name": evidence.original_name, "sha256": sha256},
        )
    elif submission.first_submitted_at:
        audit(
            round_=submission.round,
            submission=submission,
            action=AuditAction.EVIDENCE_ADDED,
            user=user,
            after={"evidence": evidence.pk, "indicator": indicator_code, "name": evidence.original_name},
        )
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user=None) -> None:
    """Only before the first submission; afterwards evidence can be replaced, never deleted."""
    submission = evidence.submission
    if submission.first_submitted_at:
        raise SubmissionError(_("Hồ sơ đã nộp: không thể xoá minh chứng, chỉ có thể thay thế."), code="locked")
    _claim(submission, None, user)
    evidence.file.delete(save=False)
    evidence.delete()


#: Files younger than this are never collected: their upload may still be on its way to the database.
ORPHAN_GRACE = datetime.timedelta(hours=1)
#: The folders of the private storage whose files belong to a database row: evidence and recognition decisions,
#: registration files, precondition evidence, scanned paper surveys, title decisions and revocations (the upload
#: paths of the FileFields in submissions/*/models.py; export files keep their own retention).
PRIVATE_FOLDERS = ("evidence", "decisions", "registrations", "preconditions", "surveys", "titles")


def _private_files(storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for child in folders:
        yield from _private_files(storage, f"{folder}/{child}")


def referenced_files() -> set[str]:
    """The names of every file a row of the submissions app refers to: each file field of each of its models (one
    query per field), so that a file of a model added later is never taken for an orphan."""
    referenced = set()
    for model in apps.get_app_config("submissions").get_models():
        for name in (column.name for column in model._meta.concrete_fields if isinstance(column, FileField)):
            referenced.update(model._default_manager.exclude(**{name: ""}).values_list(name, flat=True))
    return referenced


def orphan_files_remove(*, older_than: datetime.timedelta = ORPHAN_GRACE, dry_run: bool = False) -> list[str]:
    """Delete private files of :data:`PRIVATE_FOLDERS` that no row refers to (:func:`referenced_files`: a save
    that failed or was killed after writing its file), older than ``older_than``; returns their names."""
    storage = private_storage_callable()
    referenced = referenced_files()
    cutoff = timezone.now() - older_than
    removed = []
    for folder in PRIVATE_FOLDERS:
        for name in _private_files(storage, folder):
            if name in referenced or storage.get_modified_time(name) > cutoff:
                continue
            if not dry_run:
                storage.delete(name)
            removed.append(name)
    return removed


def value_error(indicator, raw) -> str:
    """The message a commune sees next to a value that cannot be read ("" if it is fine)."""
    try:
        coerce_value(indicator, raw)
    except InvalidValue as error:
        return str(error)
    return ""
