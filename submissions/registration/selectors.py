"""Reads of the registration: the province's plan (registered vs reached, by title and by district), shared by the
admin's dashboard and its xlsx."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from cms.audit.models import AuditEntry
from cms.audit.wording import EntryWords, history_words
from cms.directory.models import Unit, UnitLevel, within_q
from criteria_pages.spec import TitleKind
from submissions.reports.exports.common import percent_of
from submissions.titles.models import Title

from .models import Registration, RegistrationStatus
from .services import KINDS_BY_LEVEL


@dataclass(frozen=True)
class PlanCell:
    """One title in one row: units registered (approved) for the year, those of them that reached it, the share."""

    registered: int
    reached: int

    @property
    def percent(self) -> Decimal | None:
        return percent_of(self.reached, self.registered)


@dataclass(frozen=True)
class PlanRow:
    name: str
    cells: list[PlanCell]
    unit: Unit | None = None


@dataclass(frozen=True)
class Plan:
    """The plan of ``province`` for ``year``: one row per district (three-tier world) or the province itself (two
    tiers), one cell per title of ``kinds``, and the province's total."""

    province: Unit
    year: int
    by_district: bool
    kinds: list[tuple[str, str]]
    rows: list[PlanRow]
    total: PlanRow


def _district_key(path: str) -> str:
    """The path of the district a unit's path lies in ("66/652/24400/" -> "66/652/")."""
    return "/".join(path.split("/")[:2]) + "/"


def registration_plan(*, province: Unit, year: int) -> Plan:
    """Registered vs reached in ``province`` for ``year`` (four queries).

    Registered: the units whose registration of the title for ``year`` was approved (in any period). Reached: of
    those, the units that hold the title currently (not revoked) by a decision dated in or before ``year``
    (:meth:`Title.objects.current`). The share is reached / registered, in per cent with two decimals.
    """
    districts = list(
        Unit.objects.filter(parent=province, level=UnitLevel.DISTRICT).order_by("path")
        if province.edition.tiers >= 3
        else Unit.objects.none()
    )
    by_district = bool(districts)
    kinds = [
        kind
        for kind in TitleKind
        if kind in KINDS_BY_LEVEL[UnitLevel.COMMUNE] or (by_district and kind in KINDS_BY_LEVEL[UnitLevel.DISTRICT])
    ]
    registered = set(
        Registration.objects.filter(within_q(province, prefix="unit__"), status=RegistrationStatus.APPROVED)
        .filter(target_year=year)
        .order_by()
        .values_list("unit_id", "unit__path", "kind")
        .distinct()
    )
    unit_ids = {unit_id for unit_id, _path, _kind in registered}
    held = set(
        Title.objects.current()
        .filter(unit_id__in=unit_ids, decision_date__year__lte=year)
        .order_by()
        .values_list("unit_id", "kind")
        .distinct()
    )
    keys = [_district_key(district.path) for district in districts] if by_district else [province.path]
    counts = {key: {kind.value: [0, 0] for kind in kinds} for key in keys}
    for unit_id, path, kind in registered:
        key = _district_key(path) if by_district else province.path
        if key not in counts or kind not in counts[key]:
            continue
        counts[key][kind][0] += 1
        counts[key][kind][1] += (unit_id, kind) in held

    def cells(key: str) -> list[PlanCell]:
        return [PlanCell(*counts[key][kind.value]) for kind in kinds]

    rows = (
        [PlanRow(district.name, cells(key), district) for district, key in zip(districts, keys, strict=True)]
        if by_district
        else [PlanRow(province.name, cells(province.path), province)]
    )
    total = PlanRow(
        province.name,
        [
            PlanCell(sum(row.cells[i].registered for row in rows), sum(row.cells[i].reached for row in rows))
            for i in range(len(kinds))
        ],
        province,
    )
    return Plan(
        province=province,
        year=year,
        by_district=by_district,
        kinds=[(kind.value, str(kind.label)) for kind in kinds],
        rows=rows,
        total=total,
    )


def plan_years(province: Unit) -> list[int]:
    """The years a plan can be read for: the target years registered in ``province``, and this year."""
    years = set(Registration.objects.filter(within_q(province, prefix="unit__")).values_list("target_year", flat=True))
    years.add(timezone.localdate().year)
    return sorted(years)


def registrations_listed(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """A list of registrations as the pages show them (newest period first, units in the tree's order), with what
    each row shows in the same query."""
    return queryset.select_related("period", "unit", "unit__parent").order_by("-period__opens_on", "unit__path", "kind")


def registration_history(registration: Registration) -> list[EntryWords]:
    """What was done to ``registration`` (registered, edited, returned, approved), oldest first, in words."""
    entries = AuditEntry.objects.about(registration).select_related("actor").order_by("at", "pk")
    return history_words(entries, registration)
