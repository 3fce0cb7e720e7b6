"""Reads for rounds: which rounds a user sees, the units a round covers, the office's round lists."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from cms.audit.models import AuditEntry
from cms.directory.models import Classification, Unit, UnitClassification, UnitLevel
from submissions.access import rounds_in_admin_for
from submissions.audit import history
from submissions.models import Round, Submission, SubmissionStatus


def units_in_round_scope(round_: Round) -> QuerySet[Unit]:
    explicit = round_.scope_units.all()
    if round_.scope_root_id is None:
        return explicit
    queryset = Unit.objects.within(round_.scope_root).filter(level=UnitLevel.COMMUNE)
    types = [item.strip() for item in round_.scope_unit_types.split(",") if item.strip()]
    if types:
        queryset = queryset.filter(unit_type__in=types)
    return queryset


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
