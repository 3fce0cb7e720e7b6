"""Assigning a classification's values to many units at once, from a CSV/XLSX of unit code → value.

The file's first sheet (or the CSV) has a header row with ``ma_don_vi`` (the unit's official code) and
``gia_tri`` (the value's code, e.g. ``NHOM_2``, or its name, e.g. "Xã nhóm 2", either without regard to case
or diacritics); other columns (``ten_don_vi`` in the template) are ignored. An empty value clears the unit's
value. Units are looked up in one edition (the newest unless another is chosen). Codes that Excel stored as
numbers get their leading zeros back (a commune's 5 digits first, then a district's 3, a province's 2).

All or nothing: every problem is reported with its row, and nothing changes unless there is none. An office
editor classifies only the units of its own provinces (``province_codes``); rows of other provinces are
problems. Each import is one entry in the classification's audit history (who, how many units changed).
"""

import time
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.audit.services import audit_record
from cms.xlsx import Book, add_list_validation, write_paragraph, write_table

from . import audit
from .access import province_of, scopes_of
from .importers import ImportFileError, Problem, cell_text, missing_columns, read_rows
from .models import Classification, ClassificationValue, Edition, Unit, UnitClassification, UnitLevel
from .text import fold

UNIT_COLUMN = "ma_don_vi"
NAME_COLUMN = "ten_don_vi"
VALUE_COLUMN = "gia_tri"
BATCH_SIZE = 2000
#: Widths tried, in order, for a code a spreadsheet turned into a number.
CODE_WIDTHS = (5, 3, 2)


@dataclass
class ClassificationReport:
    classification: Classification
    edition: Edition | None
    problems: list[Problem] = field(default_factory=list)
    assigned: int = 0  # units given a value they did not have
    changed: int = 0  # units whose value changed
    cleared: int = 0  # units whose value was removed
    unchanged: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def touched(self) -> int:
        return self.assigned + self.changed + self.cleared


def _value_lookup(classification: Classification) -> dict[str, ClassificationValue]:
    lookup = {}
    for value in classification.values.all():
        lookup[fold(value.name)] = value
    for value in classification.values.all():
        lookup[fold(value.code)] = value  # codes win over names
    return lookup


def _unit_code(row: dict, codes: set[str]) -> str:
    raw = row.get(UNIT_COLUMN, "")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        for width in CODE_WIDTHS:
            if str(raw).zfill(width) in codes:
                return str(raw).zfill(width)
        return str(raw)
    return cell_text(row, UNIT_COLUMN)


def classification_import(
    *,
    classification: Classification,
    data: bytes,
    filename: str,
    edition: Edition | None = None,
    province_codes: Collection[str] | None = None,
    actor=None,
) -> ClassificationReport:
    """Set ``classification``'s value of the units listed in the file (see the module's docstring).

    ``province_codes`` limits the units to those provinces (an office editor's); None allows every unit.
    """
    started = time.perf_counter()
    edition = edition or Edition.objects.order_by("-date").first()
    report = ClassificationReport(classification=classification, edition=edition)
    if edition is None:
        report.problems.append(Problem(None, "", _("Chưa có danh mục đơn vị hành chính nào.")))
        return report
    try:
        rows = read_rows(data, filename)
    except ImportFileError as exc:
        report.problems.append(Problem(None, "", str(exc)))
        return report
    if not rows:
        report.problems.append(Problem(None, "", _("Tệp trống.")))
        return report
    missing = missing_columns(rows, (UNIT_COLUMN, VALUE_COLUMN))
    if missing:
        report.problems.extend(
            Problem(1, column, _("Thiếu cột bắt buộc “%(column)s”.") % {"column": column}) for column in missing
        )
        return report

    units = {unit.code: unit for unit in Unit.objects.filter(edition=edition).only("pk", "code", "path", "name")}
    values = _value_lookup(classification)
    wanted: dict[int, ClassificationValue | None] = {}
    seen: dict[str, int] = {}
    for index, row in enumerate(rows[1:], start=2):
        if not row or not any(str(cell).strip() for cell in row.values()):
            continue
        code = _unit_code(row, set(units))
        if not code:
            report.problems.append(Problem(index, UNIT_COLUMN, _("Mã đơn vị trống.")))
            continue
        unit = units.get(code)
        if unit is None:
            report.problems.append(
                Problem(
                    index,
                    UNIT_COLUMN,
                    _("Không có đơn vị mã %(code)s trong danh mục %(edition)s.")
                    % {"code": code, "edition": edition.date.strftime("%d/%m/%Y")},
                )
            )
            continue
        if province_codes is not None and province_of(unit) not in province_codes:
            report.problems.append(
                Problem(
                    index,
                    UNIT_COLUMN,
                    _("%(unit)s không thuộc tỉnh của bạn: bạn chỉ phân loại được đơn vị trong tỉnh mình.")
                    % {"unit": f"{unit.name} ({unit.code})"},
                )
            )
            continue
        if code in seen:
            report.problems.append(
                Problem(
                    index,
                    UNIT_COLUMN,
                    _("Mã %(code)s bị trùng (đã có ở dòng %(row)s).") % {"code": code, "row": seen[code]},
                )
            )
            continue
        seen[code] = index
        text = cell_text(row, VALUE_COLUMN)
        if not text:
            wanted[unit.pk] = None
            continue
        value = values.get(fold(text))
        if value is None:
            report.problems.append(
                Problem(
                    index,
                    VALUE_COLUMN,
                    _("“%(value)s” không phải giá trị của phân loại “%(classification)s”; dùng một trong: %(choices)s.")
                    % {
                        "value": text,
                        "classification": classification.name,
                        "choices": ", ".join(v.code for v in classification.values.all()),
                    },
                )
            )
            continue
        wanted[unit.pk] = value
    if not report.problems and not seen:
        report.problems.append(Problem(None, "", _("Tệp không có dòng nào.")))
    if report.problems:
        report.seconds = time.perf_counter() - started
        return report

    with transaction.atomic():
        _write(classification, wanted, report)
        audit_record(
            subject=classification,
            action=audit.DirectoryDataAction.CLASSIFICATION_IMPORTED,
            user=actor,
            role=scopes_of(actor).audit_role() if actor is not None else "",
            comment=filename,
            after={
                str(_("danh mục")): str(edition),
                str(_("số đơn vị thay đổi")): str(report.touched),
                str(_("gán mới")): str(report.assigned),
                str(_("đổi giá trị")): str(report.changed),
                str(_("xoá giá trị")): str(report.cleared),
            },
        )
    report.seconds = time.perf_counter() - started
    return report


def _write(classification: Classification, wanted: dict[int, ClassificationValue | None], report) -> None:
    existing = {
        row.unit_id: row
        for row in UnitClassification.objects.filter(classification=classification, unit_id__in=list(wanted))
    }
    to_create, to_update, to_delete = [], [], []
    for unit_id, value in wanted.items():
        row = existing.get(unit_id)
        if value is None:
            if row is None:
                report.unchanged += 1
            else:
                to_delete.append(row.pk)
                report.cleared += 1
        elif row is None:
            to_create.append(UnitClassification(unit_id=unit_id, classification=classification, value=value))
            report.assigned += 1
        elif row.value_id != value.pk:
            row.value = value
            to_update.append(row)
            report.changed += 1
        else:
            report.unchanged += 1
    UnitClassification.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    UnitClassification.objects.bulk_update(to_update, ["value"], batch_size=BATCH_SIZE)
    for start in range(0, len(to_delete), BATCH_SIZE):
        UnitClassification.objects.filter(pk__in=to_delete[start : start + BATCH_SIZE]).delete()
    deleted = set(to_delete)
    changed = [row.unit_id for row in to_create + to_update] + [
        unit_id for unit_id, row in existing.items() if row.pk in deleted
    ]
    stamp = timezone.now()  # one moment for the whole import (``updated_since`` sees it all or none of it)
    for start in range(0, len(changed), BATCH_SIZE):
        Unit.objects.filter(pk__in=changed[start : start + BATCH_SIZE]).mark_updated(at=stamp)


def classification_template(
    *, classification: Classification, edition: Edition | None, province_codes: Collection[str] | None = None
) -> bytes:
    """An XLSX to fill in: the commune-level units one may classify, each with its current value, and a guide
    sheet with the values and the classification's legal basis."""
    book = Book()
    sheet = book.add_sheet(_("Phân loại"))
    units = Unit.objects.none()
    if edition is not None:
        units = Unit.objects.filter(edition=edition, level=UnitLevel.COMMUNE).order_by("path")
        if province_codes is not None:
            within = Q(pk__in=[])
            for code in province_codes:
                within |= Q(path__startswith=f"{code}/")
            units = units.filter(within)
    current = dict(
        UnitClassification.objects.filter(classification=classification, unit__in=units).values_list(
            "unit_id", "value__code"
        )
    )
    rows = [[unit.code, unit.name, current.get(unit.pk, "")] for unit in units.only("pk", "code", "name")]
    write_table(
        sheet,
        [UNIT_COLUMN, NAME_COLUMN, VALUE_COLUMN],
        rows,
        [14, 40, 24],
        column_formats=["text", None, "text"],
    )
    codes = [value.code for value in classification.values.all()]
    if codes:
        add_list_validation(sheet, 1, 2, max(len(rows), 1) + 1000, codes)

    guide = book.add_sheet(_("Hướng dẫn"))
    row = write_paragraph(
        guide,
        0,
        _(
            "Điền cột gia_tri bằng mã (hoặc tên) một giá trị dưới đây; để trống để xoá giá trị của đơn vị. Giữ "
            "nguyên dòng tiêu đề ở trang đầu. Tệp được nhập toàn bộ hoặc không nhập gì: mọi lỗi được báo theo dòng."
        ),
        last_col=3,
    )
    basis = " — ".join(
        part
        for part in (
            classification.decision_number,
            classification.decision_date.strftime("%d/%m/%Y") if classification.decision_date else "",
            classification.legal_basis,
        )
        if part
    )
    row = write_paragraph(
        guide,
        row,
        _("Phân loại: %(name)s (%(code)s). Căn cứ: %(basis)s. Danh mục: %(edition)s.")
        % {
            "name": classification.name,
            "code": classification.code,
            "basis": basis or _("chưa ghi"),
            "edition": edition or "—",
        },
        last_col=3,
    )
    write_table(
        guide,
        [_("Mã"), _("Tên"), _("Mô tả")],
        [[value.code, value.name, value.description] for value in classification.values.all()],
        [16, 24, 80],
        column_formats=["text", None, "wrap"],
        start_row=row + 1,
        freeze=False,
        autofilter=False,
    )
    return book.close() or b""
