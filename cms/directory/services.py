"""Writes to the directory. Keyword-only, typed, atomic."""

import datetime
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, roles, selectors, signals
from .importers import ImportFileError, ParsedFile, Problem, UnitRecord, parse, read_rows
from .models import (
    LEVEL_DEPTH,
    Classification,
    ClassificationValue,
    Department,
    Edition,
    Membership,
    PendingSuccession,
    Role,
    Unit,
    UnitClassification,
    UnitLevel,
    UnitSuccession,
)
from .text import search_fold

REGION = "region"
COMMUNE_GROUP = "commune_group"
BATCH_SIZE = 2000
_UNIT_FIELDS = (
    "name",
    "unit_type",
    "level",
    "parent_id",
    "path",
    "search_name",
    "valid_from",
    "valid_to",
    "updated_at",
)


@dataclass
class ImportReport:
    edition: Edition | None = None
    layout: str = ""
    problems: list[Problem] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    successions: int = 0
    #: ``merged_from`` links of this file kept waiting for the earlier edition (or code) to be imported.
    pending: int = 0
    #: The earlier edition those pending links wait in (None: no earlier edition imported yet).
    pending_edition: Edition | None = None
    #: Pending links (of any edition) that this import resolved.
    resolved: int = 0
    #: Rows whose codes were read through a recorded correction (:mod:`cms.directory.corrections`).
    corrected: int = 0
    #: Rows of other provinces left out of a province-restricted import, and how many provinces they are in.
    left_out_rows: int = 0
    left_out_provinces: int = 0
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

    def notes(self) -> list[str]:
        """What else the import did, in words (the admin page and the command show them)."""
        notes = []
        if self.successions:
            notes.append(_("%(count)s liên kết sáp nhập với danh mục trước.") % {"count": self.successions})
        if self.pending:
            if self.pending_edition is None:
                notes.append(
                    _(
                        "%(count)s liên kết sáp nhập chờ danh mục trước (chưa nhập): được nối tự động khi nhập "
                        "danh mục đó."
                    )
                    % {"count": self.pending}
                )
            else:
                notes.append(
                    _(
                        "%(count)s liên kết sáp nhập chờ: mã cũ chưa có trong danh mục %(date)s (danh mục đó mới "
                        "nhập một phần?); được nối tự động khi nhập đủ danh mục đó."
                    )
                    % {"count": self.pending, "date": self.pending_edition.date.strftime("%d/%m/%Y")}
                )
        if self.resolved:
            notes.append(
                _("%(count)s liên kết sáp nhập đang chờ đã được nối với đơn vị của danh mục này.")
                % {"count": self.resolved}
            )
        if self.corrected:
            notes.append(_("%(count)s mã đơn vị được đọc theo đính chính đã ghi nhận.") % {"count": self.corrected})
        if self.left_out_rows:
            notes.append(
                _(
                    "Bỏ qua %(rows)s dòng của %(provinces)s tỉnh khác: chỉ nhập đơn vị thuộc tỉnh của bạn (hoặc tỉnh "
                    "được chọn)."
                )
                % {"rows": self.left_out_rows, "provinces": self.left_out_provinces}
            )
        return notes


class _Rollback(Exception):
    pass


def units_import(
    *,
    data: bytes,
    filename: str,
    edition_date: datetime.date,
    edition_name: str = "",
    province_code: str = "",
    office_province_codes: Collection[str] | None = None,
) -> ImportReport:
    """Import an official unit list into ``edition_date``'s edition; all or nothing.

    Re-importing the same list updates the units in place (matched by code within the edition) and
    never duplicates them. Units already in the edition but absent from the file are kept. Codes are read
    through the corrections recorded for the edition (and ``merged_from`` codes through those of the earlier
    edition), so a list re-imported as published never brings a corrected code back.

    ``merged_from`` codes not (yet) in the latest earlier edition are kept as pending links; every import
    resolves the pending links it can (the earlier list may come second).

    With ``province_code``, only that province's subtree is imported (the demo). With
    ``office_province_codes`` (an office editor's import), only rows within those provinces, into an edition
    that already exists; the rows left out are counted in the report.
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
    # (unknown parents, regions); the transaction below is rolled back if there are any.
    report.problems.extend(parsed.problems)
    if not report.problems:
        _read_through_corrections(parsed, edition_date, report)
    if office_province_codes is not None and not report.problems:
        if not Edition.objects.filter(date=edition_date).exists():
            report.problems.append(
                Problem(
                    None,
                    "",
                    _(
                        "Chưa có danh mục ngày %(date)s. Danh mục quốc gia do quản trị hệ thống nhập; văn phòng "
                        "tỉnh nhập bổ sung đơn vị của tỉnh mình vào danh mục đã có."
                    )
                    % {"date": edition_date.strftime("%d/%m/%Y")},
                )
            )
            return report
        _keep_provinces(parsed, set(office_province_codes), edition_date, report)
        if not parsed.records:
            report.problems.append(Problem(None, "", _("Tệp không có dòng nào thuộc tỉnh của bạn.")))
            return report
    elif province_code and not report.problems:
        _keep_provinces(parsed, {province_code}, edition_date, report)
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
            report.resolved = pending_successions_resolve()
    except _Rollback:
        report.created.clear()
        report.updated.clear()
        report.unchanged.clear()
        report.edition = None
        report.successions = report.pending = report.resolved = 0
    report.seconds = time.perf_counter() - started
    if report.ok and report.edition is not None:
        edition = report.edition
        transaction.on_commit(lambda: signals.units_imported.send(sender=Edition, edition=edition))
    return report


def _read_through_corrections(parsed: ParsedFile, edition_date: datetime.date, report: ImportReport) -> None:
    """Codes (and parent codes) the file still has as published become the corrected ones."""
    corrections = selectors.unit_code_map(edition_date)
    if not corrections:
        return
    seen = {record.code: record for record in parsed.records if record.code not in corrections}
    for record in parsed.records:
        record.parent_code = corrections.get(record.parent_code, record.parent_code)
        new_code = corrections.get(record.code)
        if new_code is None:
            continue
        if new_code in seen:
            report.problems.append(
                Problem(
                    record.row,
                    "code" if parsed.layout == "generic" else f"{record.level}_code",
                    _(
                        "Mã %(old)s đã được đính chính thành %(new)s, nhưng tệp cũng có mã %(new)s (dòng %(row)s). "
                        "Hãy kiểm tra lại tệp."
                    )
                    % {"old": record.code, "new": new_code, "row": seen[new_code].row},
                )
            )
            continue
        record.code = new_code
        seen[new_code] = record
        report.corrected += 1


def _keep_provinces(parsed: ParsedFile, codes: set[str], edition_date: datetime.date, report: ImportReport) -> None:
    """Keep the records within the provinces ``codes``: found up the file's own tree, or (villages of
    communes imported before) through the parent already in the edition. A record whose province cannot be
    found is kept, so the checks report its unknown parent."""
    by_code = {record.code: record for record in parsed.records}

    def top(record: UnitRecord) -> UnitRecord:
        while record.parent_code and record.parent_code in by_code:
            record = by_code[record.parent_code]
        return record

    tops = {record.code: top(record) for record in parsed.records}
    outside = {record.parent_code for record in tops.values() if record.parent_code}
    paths = dict(
        Unit.objects.filter(edition__date=edition_date, code__in=outside).values_list("code", "path") if outside else []
    )

    def province_of(record: UnitRecord) -> str | None:
        first = tops[record.code]
        if not first.parent_code:
            return first.code
        path = paths.get(first.parent_code)
        return path.split("/", 1)[0] if path else None

    kept, left_out = [], {}
    for record in parsed.records:
        province = province_of(record)
        if province is None or province in codes:
            kept.append(record)
        else:
            left_out[record.row] = province
    kept_rows = {record.row for record in kept}
    left_rows = {row: province for row, province in left_out.items() if row not in kept_rows}
    parsed.records = kept
    report.left_out_rows = len(left_rows)
    report.left_out_provinces = len(set(left_rows.values()))


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
                "search_name": search_fold(record.name),
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
                unit.updated_at = timezone.now()
                to_update.append(unit)
                report.updated[record.level] += 1
            else:
                report.unchanged[record.level] += 1
        Unit.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        Unit.objects.bulk_update(to_update, _UNIT_FIELDS, batch_size=BATCH_SIZE)
    _move_descendants_outside_file(edition, units, old_paths, file_codes)
    _write_regions(edition, records, units, regions)
    if any(record.merged_from for record in records):
        _write_successions(edition, records, units, report)


def _update_validity(edition: Edition) -> None:
    """An edition is valid until the day before the next one starts."""
    newer = Edition.objects.filter(date__gt=edition.date).order_by("date").first()
    edition.valid_to = newer.date - datetime.timedelta(days=1) if newer else None
    edition.save(update_fields=["valid_to"])
    older = selectors.edition_before(edition)
    if older:
        older.valid_to = edition.date - datetime.timedelta(days=1)
        older.save(update_fields=["valid_to"])
        Unit.objects.filter(edition=older).update(valid_to=older.valid_to)


def _region_values() -> dict[str, ClassificationValue]:
    return {value.code: value for value in ClassificationValue.objects.filter(classification__code=REGION)}


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
    Unit.objects.filter(pk__in=[row.unit_id for row in to_create + to_update]).mark_updated()


def _write_successions(edition, records, units, report: ImportReport) -> None:
    """The file's ``merged_from`` links replace those of its units: to the earlier edition's units where the
    code is there (read through that edition's corrections), pending otherwise."""
    older = selectors.edition_before(edition)
    corrections = selectors.unit_code_map(older.date) if older else {}
    wanted = {corrections.get(code, code) for record in records for code, _kind in record.merged_from}
    found = dict(Unit.objects.filter(edition=older, code__in=wanted).values_list("code", "pk")) if older else {}
    successor_ids = [units[record.code].pk for record in records]
    for start in range(0, len(successor_ids), BATCH_SIZE):
        batch = successor_ids[start : start + BATCH_SIZE]
        UnitSuccession.objects.filter(successor_id__in=batch).delete()
        PendingSuccession.objects.filter(successor_id__in=batch).delete()
    links, pending = {}, {}
    for record in records:
        successor_id = units[record.code].pk
        for code, kind in record.merged_from:
            predecessor_id = found.get(corrections.get(code, code))
            if predecessor_id is not None:
                links[successor_id, predecessor_id] = UnitSuccession(
                    successor_id=successor_id, predecessor_id=predecessor_id, kind=kind
                )
            else:
                pending[successor_id, code] = PendingSuccession(
                    successor_id=successor_id, predecessor_code=code, kind=kind, expected_edition=older
                )
    UnitSuccession.objects.bulk_create(links.values(), batch_size=BATCH_SIZE)
    PendingSuccession.objects.bulk_create(pending.values(), batch_size=BATCH_SIZE)
    report.successions, report.pending, report.pending_edition = len(links), len(pending), older


def pending_successions_resolve() -> int:
    """Turn pending ``merged_from`` links into successions where the latest edition older than the successor's
    now holds the code (read through that edition's corrections); return how many were resolved."""
    resolved = 0
    waiting_editions = Edition.objects.filter(
        pk__in=PendingSuccession.objects.values("successor__edition_id")
    ).order_by("date")
    for edition in waiting_editions:
        older = selectors.edition_before(edition)
        if older is None:
            continue
        pending = list(PendingSuccession.objects.filter(successor__edition=edition))
        corrections = selectors.unit_code_map(older.date)
        found = dict(
            Unit.objects.filter(
                edition=older, code__in={corrections.get(p.predecessor_code, p.predecessor_code) for p in pending}
            ).values_list("code", "pk")
        )
        existing = set(
            UnitSuccession.objects.filter(successor__edition=edition).values_list("successor_id", "predecessor_id")
        )
        links, done, still = [], [], []
        for link in pending:
            predecessor_id = found.get(corrections.get(link.predecessor_code, link.predecessor_code))
            if predecessor_id is None:
                if link.expected_edition_id != older.pk:
                    link.expected_edition = older
                    still.append(link)
                continue
            done.append(link.pk)
            if (link.successor_id, predecessor_id) not in existing:
                existing.add((link.successor_id, predecessor_id))
                links.append(
                    UnitSuccession(successor_id=link.successor_id, predecessor_id=predecessor_id, kind=link.kind)
                )
        UnitSuccession.objects.bulk_create(links, batch_size=BATCH_SIZE)
        PendingSuccession.objects.bulk_update(still, ["expected_edition"], batch_size=BATCH_SIZE)
        for start in range(0, len(done), BATCH_SIZE):
            PendingSuccession.objects.filter(pk__in=done[start : start + BATCH_SIZE]).delete()
        resolved += len(done)
    return resolved


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
    producer=None,
    is_demo: bool = False,
    actor=None,
) -> Membership:
    membership = Membership(user=user, role=role, unit=unit, department=department, producer=producer, is_demo=is_demo)
    membership.full_clean()
    membership.save()
    roles.sync_user_groups(user)
    signals.memberships_changed.send(sender=Membership, users=[user])
    audit.record_membership(membership=membership, action=audit.DirectoryAction.MEMBERSHIP_GRANTED, actor=actor)
    return membership


@transaction.atomic
def memberships_create(*, memberships: list[Membership], actor=None) -> list[Membership]:
    """Grant many memberships at once (the people import), in a fixed number of queries: each is checked as
    :func:`membership_create` checks it (its role and scope); uniqueness is left to the database's constraints,
    so a duplicate rolls the whole grant back. Groups, the signal and the audit follow as for one."""
    for membership in memberships:
        membership.clean()
    created = Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    users = list({membership.user.pk: membership.user for membership in created}.values())
    roles.sync_users_groups(users)
    signals.memberships_changed.send(sender=Membership, users=users)
    audit.record_memberships_granted(memberships=created, actor=actor)
    return created


@transaction.atomic
def membership_save(*, membership: Membership, previous_user_id: int | None = None, actor=None) -> Membership:
    """Save a membership edited in the admin and bring its user's (and a former user's) groups up to date."""
    membership.full_clean()
    previous = Membership.objects.filter(pk=membership.pk).select_related("unit", "department").first()
    membership.save()
    roles.sync_user_groups(membership.user)
    changed = [membership.user]
    if previous_user_id and previous_user_id != membership.user_id:
        changed.append(get_user_model().objects.get(pk=previous_user_id))
        roles.sync_user_groups(changed[-1])
    signals.memberships_changed.send(sender=Membership, users=changed)
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
    signals.memberships_changed.send(sender=Membership, users=[user])
    membership.user = user
    audit.record_membership(
        membership=membership, action=audit.DirectoryAction.MEMBERSHIP_REVOKED, actor=actor, before=before
    )
