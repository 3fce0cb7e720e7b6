"""Corrections of an official unit list after its publication, imported as data and applied once.

A correction file (CSV UTF-8 or XLSX) has the columns ``edition, old_code, new_code, legal_basis, note``: in the
list that took effect on ``edition`` (YYYY-MM-DD or dd/mm/yyyy), the unit published as ``old_code`` is
``new_code``. Importing it is all or nothing, with every problem by row. Each new correction is recorded once
(:class:`~cms.directory.models.UnitCodeCorrection`) and, when the unit is already imported, applied in place:
the same row gets the new code and its path and its descendants' paths follow, so submissions, memberships,
classifications and successions stay attached, and the unit's audit history says who corrected it on what
basis. Every later import of that edition reads ``old_code`` as ``new_code``
(:func:`cms.directory.services.units_import`), so re-importing the list as published never brings the old code
back as a second unit.

Per row: already recorded → nothing; the old code absent and the new code present → recorded, no unit changed;
neither present (the list or the unit not imported yet) → recorded, applied by the next import; both present →
a problem.
"""

import datetime
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from cms.audit.services import audit_record

from . import audit, services
from .access import scopes_of
from .importers import ImportFileError, Problem, cell_text, missing_columns, read_rows
from .models import Unit, UnitCodeCorrection

CORRECTION_COLUMNS = ("edition", "old_code", "new_code", "legal_basis", "note")
REQUIRED_COLUMNS = ("edition", "old_code", "new_code", "legal_basis")
#: Codes that a spreadsheet stored as numbers get their zeros back at the commune-level width.
CODE_WIDTH = 5
#: The corrections shipped with the product (the demo applies them after importing units).
SHIPPED_DIR = Path(__file__).resolve().parent / "data" / "corrections"


@dataclass
class CorrectionRow:
    row: int
    edition_date: datetime.date
    old_code: str
    new_code: str
    legal_basis: str
    note: str


@dataclass
class CorrectionReport:
    problems: list[Problem] = field(default_factory=list)
    applied: list[UnitCodeCorrection] = field(default_factory=list)  # a unit got its new code
    recorded: list[UnitCodeCorrection] = field(default_factory=list)  # recorded, no unit changed now
    unchanged: int = 0  # recorded before: nothing to do
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def _parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def parse_corrections(rows: list[dict]) -> tuple[list[CorrectionRow], list[Problem]]:
    """Rows of a correction file as corrections, and every problem found without the database."""
    if not rows:
        return [], [Problem(None, "", _("Tệp trống."))]
    missing = missing_columns(rows, REQUIRED_COLUMNS)
    if missing:
        return [], [
            Problem(1, column, _("Thiếu cột bắt buộc “%(column)s”.") % {"column": column}) for column in missing
        ]
    corrections, problems, seen = [], [], {}
    for index, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        edition_date = _parse_date(row.get("edition", ""))
        old_code = cell_text(row, "old_code", width=CODE_WIDTH)
        new_code = cell_text(row, "new_code", width=CODE_WIDTH)
        legal_basis = cell_text(row, "legal_basis")
        row_problems = []
        if edition_date is None:
            row_problems.append(
                Problem(index, "edition", _("Ngày hiệu lực của danh mục không hợp lệ; dùng dạng 2025-07-01."))
            )
        for column, value in (("old_code", old_code), ("new_code", new_code)):
            if not value:
                row_problems.append(Problem(index, column, _("Mã đơn vị trống.")))
        if not legal_basis:
            row_problems.append(
                Problem(index, "legal_basis", _("Ghi căn cứ pháp lý của đính chính (số văn bản, cơ quan ban hành)."))
            )
        if old_code and old_code == new_code:
            row_problems.append(Problem(index, "new_code", _("Mã đúng trùng với mã cũ.")))
        key = (edition_date, old_code)
        if not row_problems and key in seen:
            row_problems.append(
                Problem(
                    index,
                    "old_code",
                    _("Mã %(code)s đã được đính chính ở dòng %(row)s.") % {"code": old_code, "row": seen[key]},
                )
            )
        problems.extend(row_problems)
        if row_problems:
            continue
        seen[key] = index
        corrections.append(CorrectionRow(index, edition_date, old_code, new_code, legal_basis, cell_text(row, "note")))
    return corrections, problems


def corrections_import(*, data: bytes, filename: str, actor=None) -> CorrectionReport:
    """Record and apply the corrections of a file; all or nothing (see the module's docstring)."""
    started = time.perf_counter()
    report = CorrectionReport()
    try:
        rows = read_rows(data, filename)
    except ImportFileError as exc:
        report.problems.append(Problem(None, "", str(exc)))
        return report
    corrections, report.problems = parse_corrections(rows)
    if not report.problems:
        try:
            with transaction.atomic():
                _apply(corrections, actor, report)
                if report.problems:
                    raise _Rollback
        except _Rollback:
            report.applied, report.recorded, report.unchanged = [], [], 0
    report.seconds = time.perf_counter() - started
    return report


def corrections_apply_shipped(*, actor=None) -> list[CorrectionReport]:
    """Apply the correction files shipped in ``data/corrections/`` (in name order); idempotent."""
    return [
        corrections_import(data=path.read_bytes(), filename=path.name, actor=actor)
        for path in sorted(SHIPPED_DIR.glob("*.csv"))
    ]


class _Rollback(Exception):
    pass


def _apply(corrections: list[CorrectionRow], actor, report: CorrectionReport) -> None:
    dates = {correction.edition_date for correction in corrections}
    recorded = {
        (row.edition_date, row.old_code): row for row in UnitCodeCorrection.objects.filter(edition_date__in=dates)
    }
    targets = {(row.edition_date, row.new_code): row for row in recorded.values()}
    codes = {code for correction in corrections for code in (correction.old_code, correction.new_code)}
    units = {
        (unit.edition.date, unit.code): unit
        for unit in Unit.objects.filter(edition__date__in=dates, code__in=codes).select_related("edition")
    }
    olds_in_file = {(correction.edition_date, correction.old_code) for correction in corrections}
    to_apply: list[tuple[CorrectionRow, Unit]] = []
    to_record: list[CorrectionRow] = []
    for correction in corrections:
        edition_date, old_code, new_code = correction.edition_date, correction.old_code, correction.new_code
        known = recorded.get((edition_date, old_code))
        if known is not None:
            if known.new_code == new_code:
                report.unchanged += 1
            else:
                report.problems.append(
                    Problem(
                        correction.row,
                        "new_code",
                        _("Mã %(old)s của danh mục %(date)s đã được đính chính thành %(new)s trước đó.")
                        % {"old": old_code, "date": f"{edition_date:%d/%m/%Y}", "new": known.new_code},
                    )
                )
            continue
        other = targets.get((edition_date, new_code))
        if other is not None:
            report.problems.append(
                Problem(
                    correction.row,
                    "new_code",
                    _("Mã %(new)s đã là mã đúng của một đính chính khác (mã cũ %(old)s).")
                    % {"new": new_code, "old": other.old_code},
                )
            )
            continue
        if (edition_date, new_code) in olds_in_file:
            report.problems.append(
                Problem(
                    correction.row,
                    "new_code",
                    _("Mã đúng %(new)s lại được đính chính ở dòng khác: hãy ghi thẳng mã cuối cùng.")
                    % {"new": new_code},
                )
            )
            continue
        old_unit, new_unit = units.get((edition_date, old_code)), units.get((edition_date, new_code))
        if old_unit is not None and new_unit is not None:
            report.problems.append(
                Problem(
                    correction.row,
                    "new_code",
                    _(
                        "Danh mục %(date)s có cả mã cũ %(old)s (%(old_name)s) lẫn mã đúng %(new)s (%(new_name)s): "
                        "không thể đổi mã mà không gộp hai đơn vị. Hãy kiểm tra lại danh mục."
                    )
                    % {
                        "date": f"{edition_date:%d/%m/%Y}",
                        "old": old_code,
                        "old_name": old_unit.name,
                        "new": new_code,
                        "new_name": new_unit.name,
                    },
                )
            )
            continue
        if old_unit is not None:
            to_apply.append((correction, old_unit))
        else:
            to_record.append(correction)
    if report.problems:
        return

    role = scopes_of(actor).audit_role() if actor is not None else ""
    for correction, unit in to_apply:
        row = _record(correction, actor, unit=unit)
        _rename(unit, correction.new_code)
        audit_record(
            subject=unit,
            action=audit.DirectoryDataAction.UNIT_CODE_CORRECTED,
            user=actor,
            role=role,
            comment=correction.note,
            before={str(_("mã")): correction.old_code},
            after={str(_("mã")): correction.new_code, str(_("căn cứ pháp lý")): correction.legal_basis},
        )
        report.applied.append(row)
    for correction in to_record:
        row = _record(correction, actor, unit=units.get((correction.edition_date, correction.new_code)))
        audit_record(
            subject=row,
            action=audit.DirectoryDataAction.UNIT_CODE_CORRECTION_RECORDED,
            user=actor,
            role=role,
            comment=correction.note,
            after={
                str(_("danh mục")): f"{correction.edition_date:%d/%m/%Y}",
                str(_("mã cũ")): correction.old_code,
                str(_("mã đúng")): correction.new_code,
                str(_("căn cứ pháp lý")): correction.legal_basis,
            },
        )
        report.recorded.append(row)
    if report.applied:
        services.pending_successions_resolve()


def _record(correction: CorrectionRow, actor, *, unit: Unit | None) -> UnitCodeCorrection:
    return UnitCodeCorrection.objects.create(
        edition_date=correction.edition_date,
        old_code=correction.old_code,
        new_code=correction.new_code,
        legal_basis=correction.legal_basis,
        note=correction.note,
        unit=unit,
        applied_by=actor if actor is not None and actor.is_authenticated else None,
    )


def _rename(unit: Unit, new_code: str) -> None:
    """Give ``unit`` its new code in place; its path and its descendants' paths follow."""
    old_path = unit.path
    new_path = old_path[: -len(unit.code) - 1] + new_code + "/"
    moved = list(Unit.objects.filter(edition_id=unit.edition_id, path__startswith=old_path).exclude(pk=unit.pk))
    for descendant in moved:
        descendant.path = new_path + descendant.path[len(old_path) :]
    unit.code, unit.path = new_code, new_path
    unit.save(update_fields=["code", "path", "search_name"])
    Unit.objects.bulk_update(moved, ["path"], batch_size=services.BATCH_SIZE)
