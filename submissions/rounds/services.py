"""Writes for rounds: open (one submission per unit in scope, in bulk), close, reopen, archive."""

from django.db import transaction
from django.utils.translation import gettext as _

from cms.errors import INCOMPLETE
from criteria_pages.scoring_fields import product_set_problems
from criteria_pages.spec import criteria_without_indicators
from submissions.audit import audit
from submissions.entry.services import BATCH_SIZE, store_values
from submissions.errors import SubmissionError
from submissions.models import AuditAction, IndicatorValue, Round, RoundStatus, Submission, SubmissionStatus
from submissions.rounds import selectors


@transaction.atomic
def round_open(*, round_: Round, user=None, allow_unclassified: bool = False) -> int:
    """Open a round: one submission per unit in scope, created in bulk; returns how many were created.

    When the set's targets depend on a classification (region, commune group), a unit without a value would
    silently get the common target: opening is refused, naming those units, unless the office explicitly
    chooses the common target for them (``allow_unclassified``), which the round's audit entry records with
    their count and codes.

    With ``prefill_from``, each draft starts from its unit's recognised values in that round.
    Opening again (after a reopen) only adds submissions for units that have none.
    """
    _lock(round_)
    if round_.status not in (RoundStatus.DRAFT, RoundStatus.OPEN):
        raise SubmissionError(_("Chỉ mở được đợt đang chuẩn bị."))
    if round_.status == RoundStatus.DRAFT:
        _require_indicators(round_)
        _require_units(round_)
    if round_.evaluates_products:
        return _open_for_products(round_, user)
    classification = round_.spec.classification
    new_units = selectors.units_without_submission(round_)
    unclassified = selectors.unclassified_units(new_units, classification)
    unclassified_codes = list(unclassified.values_list("code", flat=True))
    if unclassified_codes and not allow_unclassified:
        names = selectors.named_units(unclassified, len(unclassified_codes))
        raise SubmissionError(
            _(
                "Chưa mở đợt: %(count)s đơn vị trong phạm vi chưa có giá trị phân loại “%(classification)s” mà "
                "chỉ tiêu của bộ tiêu chí phụ thuộc vào: %(units)s. Hãy phân loại các đơn vị này, hoặc chọn "
                "dùng chỉ tiêu chung cho chúng."
            )
            % {
                "count": len(unclassified_codes),
                "classification": selectors.classification_name(classification),
                "units": ", ".join(names),
            },
            code=INCOMPLETE,
            details=names,
        )
    groups = selectors.unit_groups(new_units, classification)
    new = [
        Submission(round=round_, unit_id=unit_id, group=groups.get(unit_id, ""))
        for unit_id in new_units.values_list("pk", flat=True)
    ]
    Submission.objects.bulk_create(new, batch_size=BATCH_SIZE)
    round_.status = RoundStatus.OPEN
    round_.save(update_fields=["status", "updated_at"])
    if round_.prefill_from_id:
        _prefill(round_)
    after: dict = {"submissions": len(new)}
    comment = ""
    if unclassified_codes:
        after["common_target"] = {
            "classification": classification,
            "count": len(unclassified_codes),
            "codes": unclassified_codes,
        }
        # The entry's data keeps every code; its comment (shown on the round's page) the first few.
        shown = unclassified_codes[: selectors.NAMED_UNITS]
        if len(unclassified_codes) > len(shown):
            shown.append(_("và %(count)s đơn vị khác") % {"count": len(unclassified_codes) - len(shown)})
        comment = _("Dùng chỉ tiêu chung cho %(count)s đơn vị chưa phân loại “%(classification)s”: %(codes)s.") % {
            "count": len(unclassified_codes),
            "classification": selectors.classification_name(classification),
            "codes": ", ".join(shown),
        }
    audit(round_=round_, action=AuditAction.ROUND_OPENED, user=user, after=after, comment=comment)
    return len(new)


def _open_for_products(round_: Round, user) -> int:
    """An OCOP round opens with no dossier: producers start theirs (``submissions.ocop.dossiers``)."""
    problems = product_set_problems(round_.spec)
    if problems:
        raise SubmissionError(
            _("Chưa mở đợt: %(problems)s") % {"problems": " ".join(str(problem) for problem in problems)},
            code=INCOMPLETE,
            details=[str(problem) for problem in problems],
        )
    round_.status = RoundStatus.OPEN
    round_.save(update_fields=["status", "updated_at"])
    audit(round_=round_, action=AuditAction.ROUND_OPENED, user=user, after={"submissions": 0})
    return 0


def _require_indicators(round_: Round) -> None:
    """A criterion without indicators has nothing to enter and no verdict: the round would report it as never met."""
    if not round_.spec.criteria:
        raise SubmissionError(
            _("Chưa mở đợt: phiên bản bộ tiêu chí đợt dùng không có tiêu chí nào."), code=INCOMPLETE, details=[]
        )
    empty = criteria_without_indicators(round_.spec)
    if not empty:
        return
    names = [selectors.criterion_label(criterion) for criterion in empty]
    raise SubmissionError(
        _(
            "Chưa mở đợt: %(count)s tiêu chí của phiên bản bộ tiêu chí đợt dùng chưa có chỉ tiêu nào: %(criteria)s. "
            "Hãy nhập chỉ tiêu cho các tiêu chí này, phát hành lại bộ tiêu chí rồi chọn phiên bản mới cho đợt."
        )
        % {"count": len(names), "criteria": "; ".join(names)},
        code=INCOMPLETE,
        details=names,
    )


def _require_units(round_: Round) -> None:
    """A scope without a unit would open a round with no submission (e.g. a unit type nobody has)."""
    if selectors.units_in_round_scope(round_).exists():
        return
    raise SubmissionError(
        _(
            "Chưa mở đợt: phạm vi của đợt (%(scope)s) có 0 đơn vị, nên đợt sẽ không có hồ sơ nào. Hãy sửa phạm vi "
            "hoặc loại đơn vị của đợt, hoặc nhập danh mục đơn vị hành chính."
        )
        % {"scope": selectors.scope_description(round_)},
        code=INCOMPLETE,
        details=["scope"],
    )


def _prefill(round_: Round) -> None:
    earlier = IndicatorValue.objects.filter(
        submission__round_id=round_.prefill_from_id, submission__status=SubmissionStatus.RECOGNISED
    ).values_list("submission__unit_id", "code", "raw", "note")
    by_unit: dict[int, dict[str, tuple[str, str]]] = {}
    for unit_id, code, raw, note in earlier:
        by_unit.setdefault(unit_id, {})[code] = (raw, note)
    if not by_unit:
        return
    for submission in round_.submissions.filter(unit_id__in=list(by_unit), status=SubmissionStatus.DRAFT):
        values = by_unit[submission.unit_id]
        store_values(
            submission,
            raws={code: raw for code, (raw, _note) in values.items()},
            notes={code: note for code, (_raw, note) in values.items()},
        )


def _lock(round_: Round) -> None:
    """Lock the round's row and bring the caller's instance up to date with it."""
    round_.status = Round.objects.select_for_update().values_list("status", flat=True).get(pk=round_.pk)


@transaction.atomic
def round_close(*, round_: Round, user=None) -> Round:
    """Closing locks every submission of the round: no value, evidence or verdict changes."""
    _lock(round_)
    if round_.status != RoundStatus.OPEN:
        raise SubmissionError(_("Chỉ đóng được đợt đang mở."))
    round_.status = RoundStatus.CLOSED
    round_.save(update_fields=["status", "updated_at"])
    audit(round_=round_, action=AuditAction.ROUND_CLOSED, user=user)
    return round_


@transaction.atomic
def round_reopen(*, round_: Round, reason: str, user=None) -> Round:
    _lock(round_)
    if round_.status != RoundStatus.CLOSED:
        raise SubmissionError(_("Chỉ mở lại được đợt đã đóng."))
    if not reason.strip():
        raise SubmissionError(_("Cần ghi lý do mở lại đợt."), details=["reason"])
    round_.status = RoundStatus.OPEN
    round_.save(update_fields=["status", "updated_at"])
    audit(round_=round_, action=AuditAction.ROUND_REOPENED, user=user, comment=reason.strip())
    return round_


@transaction.atomic
def round_archive(*, round_: Round, user=None) -> Round:
    _lock(round_)
    if round_.status != RoundStatus.CLOSED:
        raise SubmissionError(_("Chỉ lưu trữ được đợt đã đóng."))
    round_.status = RoundStatus.ARCHIVED
    round_.save(update_fields=["status", "updated_at"])
    audit(round_=round_, action=AuditAction.ROUND_ARCHIVED, user=user)
    return round_
