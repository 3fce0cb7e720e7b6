"""Reads for rounds: which rounds a user sees, the units a round covers, the office's round lists."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from cms.audit.models import AuditEntry
from cms.directory.models import Classification, Unit, UnitClassification, UnitLevel
from criteria_pages.spec import CriterionSpec, SetLevel
from submissions.access import reviewable_submissions, rounds_in_admin_for
from submissions.audit import history
from submissions.models import Round, Submission, SubmissionStatus

#: How a round stores its unit types (``Round.scope_unit_types``): "Xã, Thị trấn".
UNIT_TYPE_SEPARATOR = ","


def unit_types_split(stored: str) -> list[str]:
    return [item.strip() for item in stored.split(UNIT_TYPE_SEPARATOR) if item.strip()]


def unit_types_of(round_: Round) -> list[str]:
    """The unit types the round's scope is limited to ("Xã", "Thị trấn"); none means every commune-level unit."""
    return unit_types_split(round_.scope_unit_types)


def unit_types_joined(types: list[str]) -> str:
    return f"{UNIT_TYPE_SEPARATOR} ".join(types)


def communes_within(root: Unit, types: list[str] | None = None) -> QuerySet[Unit]:
    """The commune-level units below ``root`` (a province or district), of ``types`` when given."""
    queryset = Unit.objects.within(root).filter(level=UnitLevel.COMMUNE)
    return queryset.filter(unit_type__in=types) if types else queryset


def unit_type_counts(units: QuerySet[Unit]) -> dict[str, int]:
    """How many of ``units`` there are of each type, by type name, in one query: {"Xã": 152, "Phường": 12}."""
    rows = units.order_by().values_list("unit_type").annotate(count=Count("pk")).values_list("unit_type", "count")
    return dict(sorted(rows))


#: The unit level of a round's subjects, from its set's level: communes by default; districts for a district set
#: (huyện NTM, the three-tier world); villages for a village set.
SUBJECT_LEVELS = {
    SetLevel.COMMUNE: UnitLevel.COMMUNE,
    SetLevel.DISTRICT: UnitLevel.DISTRICT,
    SetLevel.VILLAGE: UnitLevel.VILLAGE,
}


def subject_level_of_set(set_level: str) -> str:
    """The unit level a set of ``set_level`` evaluates (communes for anything else)."""
    return SUBJECT_LEVELS.get(set_level, UnitLevel.COMMUNE)


def subject_level(round_: Round) -> str:
    """The unit level of ``round_``'s subjects, from its frozen set version."""
    return subject_level_of_set(round_.spec.level)


def subjects_within(root: Unit, level: str, types: list[str] | None = None) -> QuerySet[Unit]:
    """The units of ``level`` below ``root`` (``root`` itself when it is of that level). The unit types filter
    commune-level units only (the round's "loại đơn vị" are commune types); other levels take every unit."""
    if level == UnitLevel.COMMUNE:
        return communes_within(root, types)
    return Unit.objects.within(root).filter(level=level)


def units_in_round_scope(round_: Round) -> QuerySet[Unit]:
    """The round's subjects: the listed units, or the units of the set's level below its scope root."""
    if round_.scope_root_id is None:
        return round_.scope_units.all()
    return subjects_within(round_.scope_root, subject_level(round_), unit_types_of(round_))


def scope_description(round_: Round) -> str:
    """The round's scope as the office chose it: "Tỉnh Đắk Lắk, loại đơn vị: Xã, Thị trấn", or "3 xã được chọn"; for
    a district round "Tỉnh Đắk Lắk, các đơn vị cấp huyện"."""
    if round_.scope_root_id is None:
        return _("%(count)s xã được chọn") % {"count": round_.scope_units.count()}
    level = subject_level(round_)
    if level != UnitLevel.COMMUNE:
        return _("%(root)s, các đơn vị %(level)s") % {
            "root": round_.scope_root.name,
            "level": UnitLevel(level).label.lower(),
        }
    types = unit_types_of(round_)
    return _("%(root)s, loại đơn vị: %(types)s") % {
        "root": round_.scope_root.name,
        "types": unit_types_joined(types) if types else _("mọi loại"),
    }


def criterion_label(criterion: CriterionSpec) -> str:
    """ "Tiêu chí 19. Quốc phòng và an ninh", as the office names a criterion."""
    return _("Tiêu chí %(number)s. %(name)s") % {"number": criterion.number, "name": criterion.name}


def unclassified_units(units: QuerySet[Unit], classification_code: str) -> QuerySet[Unit]:
    """The units among ``units`` without a value of the set's classification (none when the set has none):
    they would get the common target."""
    if not classification_code:
        return units.none()
    classified = UnitClassification.objects.filter(unit=OuterRef("pk"), classification__code=classification_code)
    return units.exclude(Exists(classified)).order_by("path")


#: How many units a refusal or a readiness line names before "và M đơn vị khác".
NAMED_UNITS = 10


def named_units(units: QuerySet[Unit], total: int, *, limit: int = NAMED_UNITS) -> list[str]:
    """The first ``limit`` of ``units`` as "Xã Hòa Thuận (24400)", then "và M đơn vị khác" for the rest."""
    names = [str(unit) for unit in units[:limit]]
    if total > len(names):
        names.append(_("và %(count)s đơn vị khác") % {"count": total - len(names)})
    return names


def classification_name(code: str) -> str:
    """The name of the classification ``code`` ("Vùng"), or the code when the directory has none of it."""
    return Classification.objects.filter(code=code).values_list("name", flat=True).first() or code


def units_without_submission(round_: Round) -> QuerySet[Unit]:
    """The units in the round's scope that opening it (again) would give a submission."""
    return units_in_round_scope(round_).exclude(Exists(Submission.objects.filter(round=round_, unit=OuterRef("pk"))))


def unit_groups(units: QuerySet[Unit], classification_code: str) -> dict[int, str]:
    """Each unit's value code for the set's classification (region, commune group)."""
    if not classification_code:
        return {}
    rows = UnitClassification.objects.filter(unit__in=units.values("pk"), classification__code=classification_code)
    return dict(rows.values_list("unit_id", "value__code"))


#: Submissions counted as handed in: waiting for review, or already recognised.
HANDED_IN_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.RECOGNISED)


def rounds_with_counts(user) -> QuerySet[Round]:
    """The rounds the admin shows ``user``, each with ``submission_total`` and ``submission_handed_in``, in one query.

    The frozen spec of the criteria version is deferred: lists only need the set's title and number.
    """
    return (
        rounds_in_admin_for(user)
        .select_related("criteria_version__set_page")
        .defer("criteria_version__spec")
        .annotate(
            submission_total=Count("submissions"),
            submission_handed_in=Count("submissions", filter=Q(submissions__status__in=HANDED_IN_STATUSES)),
        )
    )


def round_audit_entries(round_: Round) -> QuerySet[AuditEntry]:
    """What was done to the round itself (open, close, reopen, archive), newest first."""
    return history(round_)


def reviewable_ids(user, submission_ids: list[int]) -> set[int]:
    """Which of ``submission_ids`` ``user`` may open on the review page (a round's page links those), in one
    query: not drafts, not another district's, never for a national reader."""
    return set(reviewable_submissions(user).filter(pk__in=submission_ids).values_list("pk", flat=True))
