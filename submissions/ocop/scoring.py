"""Councils score products blind: assigning dossiers, members' sheets, and the chair's close.

Writes only (services: keyword-only, ``@transaction.atomic``). The rule of a council's score lives with the set
version's bands (``SetSpec.scoring``) and is applied by :mod:`criteria_pages.evaluation`: the mean of the
members' exact totals, rounded once, then the highest band reached; so an edge is never ambiguous.

Closing a council writes every entry's result in a fixed number of queries, and copies it onto the dossier
(``points``, ``band``, ``stars``, ``standard_reached``), so every statistic that counts submissions counts
products the same way.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.errors import FORBIDDEN, INCOMPLETE, LOCKED, WRONG_STATE
from criteria_pages.evaluation import band_reached, council_score, evaluate, score_spread
from criteria_pages.spec import ScoringRule, ValueType
from submissions import access
from submissions.audit import audit, audit_many
from submissions.errors import ConflictError, SubmissionError
from submissions.models import AuditAction, Round, Submission, SubmissionStatus
from submissions.ocop.models import (
    Council,
    CouncilEntry,
    CouncilStatus,
    MemberScore,
    MemberSheet,
)
from submissions.signals import submissions_changed


def scoring_rule(round_: Round) -> ScoringRule:
    """The round's frozen rule (the defaults when its set version predates rules)."""
    return round_.spec.scoring or ScoringRule()


def score_items(round_: Round):
    """The items of the round's score sheet: its SCORE indicators, with their criterion (part)."""
    return [
        (criterion, indicator)
        for criterion, indicator in round_.spec.indicators()
        if indicator.value_type == ValueType.SCORE
    ]


def _require_open(council: Council) -> None:
    if council.status != CouncilStatus.OPEN:
        raise SubmissionError(_("Hội đồng đã kết thúc chấm điểm."), code=LOCKED)


@transaction.atomic
def entries_assign(*, council: Council, submissions: list[Submission], user) -> list[CouncilEntry]:
    """Send submitted dossiers of the council's round to ``council``: each gets an empty sheet per member and moves
    to "Hội đồng đang chấm điểm". Refuses a dossier of another round, not submitted, or already in a council."""
    if not access.may_manage_councils(user, council.round):
        raise SubmissionError(_("Bạn không có quyền giao sản phẩm cho hội đồng này."), code=FORBIDDEN)
    _require_open(council)
    members = list(council.members.all())
    if not members or not any(member.is_chair for member in members):
        raise SubmissionError(_("Hội đồng cần có thành viên và một chủ tịch trước khi nhận sản phẩm."), code=INCOMPLETE)
    ids = [submission.pk for submission in submissions]
    fresh = list(Submission.objects.select_for_update().filter(pk__in=ids, round=council.round, product__isnull=False))
    wrong = [s for s in fresh if s.status != SubmissionStatus.SUBMITTED or hasattr(s, "council_entry")]
    if len(fresh) != len(ids) or wrong:
        raise SubmissionError(
            _("Chỉ giao được hồ sơ sản phẩm đã nộp của đợt này và chưa thuộc hội đồng nào."), code=WRONG_STATE
        )
    now = timezone.now()
    entries = CouncilEntry.objects.bulk_create(
        [CouncilEntry(council=council, submission=s, self_points=s.points) for s in fresh]
    )
    MemberSheet.objects.bulk_create(
        [MemberSheet(entry=entry, member=member) for entry in entries for member in members]
    )
    Submission.objects.filter(pk__in=ids).update(
        status=SubmissionStatus.SCORING, stage_entered_at=now, lock_version=F("lock_version") + 1
    )
    submissions_changed.send(sender=Submission, published=False, product_ids=[])
    audit_many(
        submissions=fresh,
        action=AuditAction.COUNCIL_ASSIGNED,
        user=user,
        before={"status": SubmissionStatus.SUBMITTED},
        after={"status": SubmissionStatus.SCORING, "council": council.name},
    )
    return entries


def _lock_sheet(sheet: MemberSheet, expected_version: int | None) -> MemberSheet:
    fresh = MemberSheet.objects.select_for_update().select_related("entry__council__round").get(pk=sheet.pk)
    if expected_version is not None and fresh.lock_version != expected_version:
        raise ConflictError(_("Phiếu vừa được lưu ở nơi khác. Không có gì bị ghi đè; hãy tải lại phiếu."))
    return fresh


@transaction.atomic
def sheet_save(
    *, sheet: MemberSheet, raws: dict[str, str], user, notes: dict[str, str] | None = None, expected_version=None
) -> MemberSheet:
    """Store what the member typed on their sheet (kept even when a value is refused, with its message in
    ``errors``) and its total. Refused once the sheet is submitted or the council closed."""
    if sheet.member.user_id != user.pk:
        raise SubmissionError(_("Đây không phải phiếu chấm của bạn."), code=FORBIDDEN)
    sheet = _lock_sheet(sheet, expected_version)
    _require_open(sheet.entry.council)
    if sheet.is_submitted:
        raise SubmissionError(_("Phiếu đã nộp; hãy mở lại phiếu trước khi sửa."), code=LOCKED)
    round_ = sheet.entry.council.round
    items = score_items(round_)
    codes = {indicator.code for _criterion, indicator in items}
    notes = notes or {}
    existing = {score.code: score for score in sheet.scores.order_by("pk")}
    stored = {code: score.raw for code, score in existing.items()}
    stored.update({code: (raw or "").strip() for code, raw in raws.items() if code in codes})
    result = evaluate(round_.spec, stored)
    rows = []
    for _criterion, indicator in items:
        verdict = result.indicator(indicator.code)
        row = existing.get(indicator.code) or MemberScore(sheet=sheet, code=indicator.code)
        row.raw = stored.get(indicator.code, "")
        row.points = verdict.value if verdict.met else None
        row.note = notes.get(indicator.code, row.note)
        rows.append(row)
    MemberScore.objects.bulk_create([row for row in rows if row.pk is None])
    MemberScore.objects.bulk_update([row for row in rows if row.pk is not None], ["raw", "points", "note"])
    sheet.total = result.points
    sheet.complete = result.complete
    sheet.lock_version += 1
    sheet.save(update_fields=["total", "complete", "lock_version", "updated_at"])
    sheet.errors = {
        indicator.code: result.indicator(indicator.code).error
        for _criterion, indicator in items
        if result.indicator(indicator.code).error
    }
    return sheet


@transaction.atomic
def sheet_submit(*, sheet: MemberSheet, user, expected_version=None) -> MemberSheet:
    """The member submits their complete sheet; from now on they see the other members' submitted sheets."""
    if sheet.member.user_id != user.pk:
        raise SubmissionError(_("Đây không phải phiếu chấm của bạn."), code=FORBIDDEN)
    sheet = _lock_sheet(sheet, expected_version)
    _require_open(sheet.entry.council)
    if sheet.is_submitted:
        raise SubmissionError(_("Phiếu đã nộp."), code=WRONG_STATE)
    if not sheet.complete:
        raise SubmissionError(_("Hãy chấm đủ điểm mọi nội dung của phiếu trước khi nộp."), code=INCOMPLETE)
    sheet.submitted_at = timezone.now()
    sheet.lock_version += 1
    sheet.save(update_fields=["submitted_at", "lock_version", "updated_at"])
    CouncilEntry.objects.filter(pk=sheet.entry_id).update(sheets_submitted=F("sheets_submitted") + 1)
    audit(
        round_=sheet.entry.council.round,
        submission=sheet.entry.submission,
        action=AuditAction.SHEET_SUBMITTED,
        user=user,
        after={"council": sheet.entry.council.name},
    )
    return sheet


@transaction.atomic
def sheet_reopen(*, sheet: MemberSheet, user, expected_version=None) -> MemberSheet:
    """A member takes their submitted sheet back to correct it, while the council still scores."""
    if sheet.member.user_id != user.pk:
        raise SubmissionError(_("Đây không phải phiếu chấm của bạn."), code=FORBIDDEN)
    sheet = _lock_sheet(sheet, expected_version)
    _require_open(sheet.entry.council)
    if not sheet.is_submitted:
        raise SubmissionError(_("Phiếu chưa nộp."), code=WRONG_STATE)
    sheet.submitted_at = None
    sheet.lock_version += 1
    sheet.save(update_fields=["submitted_at", "lock_version", "updated_at"])
    CouncilEntry.objects.filter(pk=sheet.entry_id).update(sheets_submitted=F("sheets_submitted") - 1)
    audit(
        round_=sheet.entry.council.round,
        submission=sheet.entry.submission,
        action=AuditAction.SHEET_REOPENED,
        user=user,
    )
    return sheet


def entry_result(totals: list[Decimal], rule: ScoringRule, bands) -> dict:
    """The council's result for one entry from its members' totals: score, stars, band, spread, flag."""
    score = council_score(totals, rule)
    band = band_reached(bands, score) if score is not None else None
    spread = score_spread(totals)
    return {
        "score": score,
        "stars": band.stars if band else None,
        "band": band.label if band else "",
        "spread": spread,
        "flagged": spread > rule.gap,
    }


@transaction.atomic
def council_close(*, council: Council, user) -> list[CouncilEntry]:
    """The chair ends the scoring: every entry gets the council's score and proposed stars, copied onto its
    dossier, which waits for recognition; five-star candidates are proposed upward. Refused while any member's
    sheet is not submitted. A fixed number of queries, whatever the number of entries."""
    council = Council.objects.select_for_update().select_related("round").get(pk=council.pk)
    if not access.may_close_council(user, council):
        if council.status != CouncilStatus.OPEN:
            raise SubmissionError(_("Hội đồng đã kết thúc chấm điểm."), code=LOCKED)
        raise SubmissionError(_("Chỉ chủ tịch hội đồng mới kết thúc chấm điểm."), code=FORBIDDEN)
    spec = council.round.spec
    rule = scoring_rule(council.round)
    entries = list(council.entries.select_related("submission"))
    if not entries:
        raise SubmissionError(_("Hội đồng chưa có sản phẩm nào để chấm."), code=INCOMPLETE)
    totals = defaultdict(list)
    pending = 0
    for entry_id, total, submitted_at in MemberSheet.objects.filter(entry__council=council).values_list(
        "entry_id", "total", "submitted_at"
    ):
        if submitted_at is None:
            pending += 1
        totals[entry_id].append(total)
    if pending:
        raise SubmissionError(
            _("Còn %(count)s phiếu chấm chưa nộp; chỉ kết thúc khi mọi thành viên đã nộp phiếu.") % {"count": pending},
            code=INCOMPLETE,
        )
    now = timezone.now()
    submissions = []
    for entry in entries:
        for name, value in entry_result(totals[entry.pk], rule, spec.bands).items():
            setattr(entry, name, value)
        entry.closed_at = now
        entry.sheets_submitted = len(totals[entry.pk])
        if entry.stars is not None and entry.stars >= rule.national_stars:
            entry.proposed_national_at = now
        submission = entry.submission
        submission.points = entry.score
        submission.band = entry.band
        submission.stars = entry.stars
        submission.standard_reached = entry.stars is not None and entry.stars >= rule.min_recognised_stars
        submission.status = SubmissionStatus.RECOGNITION
        submission.stage_entered_at = now
        submission.lock_version += 1
        submissions.append(submission)
    CouncilEntry.objects.bulk_update(
        entries,
        ["score", "stars", "band", "spread", "flagged", "closed_at", "sheets_submitted", "proposed_national_at"],
    )
    Submission.objects.bulk_update(
        submissions, ["points", "band", "stars", "standard_reached", "status", "stage_entered_at", "lock_version"]
    )
    # The round's figures (office statistics) changed; nothing public did (no dossier is recognised yet).
    submissions_changed.send(sender=Submission, published=False, product_ids=[])
    council.status = CouncilStatus.CLOSED
    council.closed_at = now
    council.closed_by = user
    council.save(update_fields=["status", "closed_at", "closed_by"])
    audit(
        round_=council.round,
        action=AuditAction.COUNCIL_CLOSED,
        user=user,
        after={"council": council.name, "entries": len(entries)},
    )
    return entries
