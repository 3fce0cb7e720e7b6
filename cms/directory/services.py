"""Writes to the directory. Keyword-only, typed, atomic."""

import datetime
import time
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, roles, signals
from .importers import ImportFileError, ParsedFile, Problem, UnitRecord, parse, read_rows
from .models import (
    LEVEL_DEPTH,
    Classification,
    ClassificationValue,
    Department,
    Edition,
    Membership,
    Role,
    Unit,
    UnitClassification,
    UnitLevel,
    UnitSuccession,
)
from .text import fold

REGION = "region"
COMMUNE_GROUP = "commune_group"
BATCH_SIZE = 2000
_UNIT_FIELDS = ("name", "unit_type", "level", "parent_id", "path", "search_name", "valid_from", "valid_to")


@dataclass
class ImportReport:
    edition: Edition | None = None
    layout: str = ""
    problems: list[Problem] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    successions: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total(self) -> Counter:
        return self.created + self.updated + self.unchanged

    def summary_rows(self) -> list[tuple[str, int, int, int]]:
        """(level label, created, updated, unchanged) for each level present, top level first."""
        return [
            (UnitLevel(level).label, self.created[level], self.updated[level], self.unchanged[level])
            for level in UnitLevel.values
            if self.total[level]
        ]


class _Rollback(Exception):
    pass


def units_import(
    *,
    data: bytes,
    filename: str,
    edition_date: datetime.date,
    edition_name: str = "",
    province_code: str = "",
) -> ImportReport:
    """Import an official unit list into ``edition_date``'s edition; all or nothing.

    Re-importing the same list updates the units in place (matched by code within the edition) and
    never duplicates them. Units already in the edition but absent from the file are kept.
    With ``province_code``, only that province's subtree is imported (used by the demo).
    """
    started = time.perf_counter()
    report = ImportReport()
    try:
        parsed = parse(read_rows(data, filename))
    except ImportFileError as exc:
        report.problems.append(Problem(None, "", str(exc)))
        return report
    report.layout = parsed.layout
    # Problems found while parsing are reported together with those that need the database
    # (unknown parents, regions, predecessors); the transaction below is rolled back if there are any.
    report.problems.extend(parsed.problems)
    if province_code and not report.problems:
        _keep_province(parsed, province_code)
        if not parsed.records:
            report.problems.append(
                Problem(None, "province_code", _("Không có tỉnh mã %(code)s trong tệp.") % {"code": province_code})
            )
            return report
    try:
        with transaction.atomic():
            _write(parsed, edition_date, edition_name, report)
            if report.problems:
                raise _Rollback
    except _Rollback:
        report.created.clear()
        report.updated.clear()
        report.unchanged.clear()
        report.edition = None
    report.seconds = time.perf_counter() - started
    if report.ok and report.edition is not None:
        edition = report.edition
        transaction.on_commit(lambda: signals.units_imported.send(sender=Edition, edition=edition))
    return report


def _keep_province(parsed: ParsedFile, province_code: str) -> None:
    by_code = {record.code: record for record in parsed.records}

    def province_of(record: UnitRecord) -> str:
        while record.parent_code and record.parent_code in by_code:
            record = by_code[record.parent_code]
        return record.code if record.level == UnitLevel.PROVINCE else record.parent_code

    parsed.records = [record for record in parsed.records if province_of(record) == province_code]


def _write(parsed: ParsedFile, edition_date: datetime.date, edition_name: str, report: ImportReport) -> None:
    edition, _created = Edition.objects.get_or_create(
        date=edition_date,
        defaults={
            "name": edition_name or _("Danh mục ĐVHC %(date)s") % {"date": edition_date.strftime("%d/%m/%Y")},
            "tiers": parsed.tiers,
        },
    )
    report.edition = edition
    _update_validity(edition)
    records = sorted(parsed.records, key=lambda record: LEVEL_DEPTH[record.level])
    units = {unit.code: unit for unit in Unit.objects.filter(edition=edition)}
    file_codes = {record.code for record in records}
    regions = _region_values()
    predecessors = _predecessors(edition, records, report)

    for record in records:
        parent = units.get(record.parent_code) if record.parent_code else None
        if record.parent_code and parent is None:
            report.problems.append(
                Problem(
                    record.row,
                    "parent_code",
                    _("Không tìm thấy đơn vị cấp trên mã %(code)s.") % {"code": record.parent_code},
                )
            )
        elif parent is not None and LEVEL_DEPTH[parent.level] >= LEVEL_DEPTH[record.level]:
            report.problems.append(
                Problem(
                    record.row,
                    "parent_code",
                    _("Đơn vị cấp trên %(code)s (%(level)s) không thể chứa đơn vị %(child)s.")
                    % {"code": parent.code, "level": parent.get_level_display(), "child": record.code},
                )
            )
        if record.region and record.region not in regions:
            report.problems.append(
                Problem(
                    record.row,
                    "region",
                    _("Vùng “%(region)s” không có trong phân loại vùng; dùng một trong: %(choices)s.")
                    % {"region": record.region, "choices": ", ".join(sorted(regions))},
                )
            )
        # Placeholder so children of this record can find their parent during the checks.
        units.setdefault(record.code, Unit(edition=edition, code=record.code, level=record.level))
    if report.problems:
        return

    units = {unit.code: unit for unit in Unit.objects.filter(edition=edition)}
    old_paths = {}
    for depth in sorted({LEVEL_DEPTH[record.level] for record in records}):
        to_create, to_update = [], []
        for record in (r for r in records if LEVEL_DEPTH[r.level] == depth):
            parent = units.get(record.parent_code) if record.parent_code else None
            values = {
                "name": record.name,
                "unit_type": record.unit_type,
                "level": record.level,
                "parent_id": parent.pk if parent else None,
                "path": f"{parent.path if parent else ''}{record.code}/",
                "search_name": fold(record.name),
                "valid_from": edition.date,
                "valid_to": edition.valid_to,
            }
            unit = units.get(record.code)
            if unit is None:
                unit = Unit(edition=edition, code=record.code, **values)
                units[record.code] = unit
                to_create.append(unit)
                report.created[record.level] += 1
            elif any(getattr(unit, name) != value for name, value in values.items()):
                if unit.path != values["path"]:
                    old_paths[unit.pk] = unit.path
                for name, value in values.items():
                    setattr(unit, name, value)
                to_update.append(unit)
                report.updated[record.level] += 1
            else:
                report.unchanged[record.level] += 1
        Unit.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        Unit.objects.bulk_update(to_update, _UNIT_FIELDS, batch_size=BATCH_SIZE)
    _move_descendants_outside_file(edition, units, old_paths, file_codes)
    _write_regions(edition, records, units, regions)
    if predecessors is not None:
        report.successions = _write_successions(edition, records, units, predecessors)


def _update_validity(edition: Edition) -> None:
    """An edition is valid until the day before the next one starts."""
    newer = Edition.objects.filter(date__gt=edition.date).order_by("date").first()
    edition.valid_to = newer.date - datetime.timedelta(days=1) if newer else None
    edition.save(update_fields=["valid_to"])
    older = Edition.objects.filter(date__lt=edition.date).order_by("-date").first()
    if older:
        older.valid_to = edition.date - datetime.timedelta(days=1)
        older.save(update_fields=["valid_to"])
        Unit.objects.filter(edition=older).update(valid_to=older.valid_to)


def _region_values() -> dict[str, ClassificationValue]:
    return {value.code: value for value in ClassificationValue.objects.filter(classification__code=REGION)}


def _predecessors(edition: Edition, records: list[UnitRecord], report: ImportReport) -> dict[str, int] | None:
    wanted = {code for record in records for code, _kind in record.merged_from}
    if not wanted:
        return None
    older = Edition.objects.filter(date__lt=edition.date).order_by("-date").first()
    if older is None:
        report.problems.append(
            Problem(
                None,
                "merged_from",
                _(
                    "Cột merged_from nhắc tới đơn vị của danh mục trước, nhưng chưa có danh mục nào trước %(date)s. "
                    "Hãy nhập danh mục cũ trước."
                )
                % {"date": edition.date.strftime("%d/%m/%Y")},
            )
        )
        return None
    found = dict(Unit.objects.filter(edition=older, code__in=wanted).values_list("code", "pk"))
    for record in records:
        for code, _kind in record.merged_from:
            if code not in found:
                report.problems.append(
                    Problem(
                        record.row,
                        "merged_from",
                        _("Không có đơn vị mã %(code)s trong danh mục %(edition)s.")
                        % {"code": code, "edition": older.date.strftime("%d/%m/%Y")},
                    )
                )
    return found


def _move_descendants_outside_file(edition, units, old_paths, file_codes) -> None:
    """Units kept from earlier imports (e.g. villages) follow a parent whose path changed."""
    for pk, old_path in old_paths.items():
        new_path = next(unit.path for unit in units.values() if unit.pk == pk)
        moved = list(Unit.objects.filter(edition=edition, path__startswith=old_path).exclude(code__in=file_codes))
        for unit in moved:
            unit.path = new_path + unit.path[len(old_path) :]
        Unit.objects.bulk_update(moved, ["path"], batch_size=BATCH_SIZE)


def _write_regions(edition, records, units, regions) -> None:
    if not regions:
        return
    classification_id = next(iter(regions.values())).classification_id
    wanted = {units[r.code].pk: regions[r.region].pk for r in records if r.region}
    existing = {
        row.unit_id: row
        for row in UnitClassification.objects.filter(classification_id=classification_id, unit__edition=edition)
    }
    to_create, to_update = [], []
    for unit_id, value_id in wanted.items():
        row = existing.get(unit_id)
        if row is None:
            to_create.append(
                UnitClassification(unit_id=unit_id, classification_id=classification_id, value_id=value_id)
            )
        elif row.value_id != value_id:
            row.value_id = value_id
            to_update.append(row)
    UnitClassification.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    UnitClassification.objects.bulk_update(to_update, ["value_id"], batch_size=BATCH_SIZE)


def _write_successions(edition, records, units, predecessors) -> int:
    UnitSuccession.objects.filter(successor__edition=edition, successor__code__in=[r.code for r in records]).delete()
    links = [
        UnitSuccession(successor_id=units[record.code].pk, predecessor_id=predecessors[code], kind=kind)
        for record in records
        for code, kind in record.merged_from
    ]
    UnitSuccession.objects.bulk_create(links, batch_size=BATCH_SIZE)
    return len(links)


@transaction.atomic
def unit_set_classification(*, unit: Unit, value: ClassificationValue) -> UnitClassification:
    row, _created = UnitClassification.objects.update_or_create(
        unit=unit, classification_id=value.classification_id, defaults={"value": value}
    )
    return row


@transaction.atomic
def classification_ensure(*, code: str, name: str, values: list[tuple[str, str, str]]) -> Classification:
    """Create or update a classification and its values (code, name, description)."""
    classification, _created = Classification.objects.update_or_create(code=code, defaults={"name": name})
    for order, (value_code, value_name, description) in enumerate(values, start=1):
        ClassificationValue.objects.update_or_create(
            classification=classification,
            code=value_code,
            defaults={"name": value_name, "description": description, "sort_order": order},
        )
    return classification


@transaction.atomic
def membership_create(
    *,
    user,
    role: Role,
    unit: Unit | None = None,
    department: Department | None = None,
    is_demo: bool = False,
    actor=None,
) -> Membership:
    membership = Membership(user=user, role=role, unit=unit, department=department, is_demo=is_demo)
    membership.full_clean()
    membership.save()
    roles.sync_user_groups(user)
    audit.record_membership(membership=membership, action=audit.DirectoryAction.MEMBERSHIP_GRANTED, actor=actor)
    return membership


@transaction.atomic
def membership_save(*, membership: Membership, previous_user_id: int | None = None, actor=None) -> Membership:
    """Save a membership edited in the admin and bring its user's (and a former user's) groups up to date."""
    membership.full_clean()
    previous = Membership.objects.filter(pk=membership.pk).select_related("unit", "department").first()
    membership.save()
    roles.sync_user_groups(membership.user)
    if previous_user_id and previous_user_id != membership.user_id:
        roles.sync_user_groups(get_user_model().objects.get(pk=previous_user_id))
    if previous is None:
        audit.record_membership(membership=membership, action=audit.DirectoryAction.MEMBERSHIP_GRANTED, actor=actor)
    else:
        audit.record_membership(
            membership=membership,
            action=audit.DirectoryAction.MEMBERSHIP_CHANGED,
            actor=actor,
            before=audit.membership_words(previous),
        )
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership, actor=None) -> None:
    user = membership.user
    before = audit.membership_words(membership)
    membership.delete()
    roles.sync_user_groups(user)
    membership.user = user
    audit.record_membership(
        membership=membership, action=audit.DirectoryAction.MEMBERSHIP_REVOKED, actor=actor, before=before
    )
