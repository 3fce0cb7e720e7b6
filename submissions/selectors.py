"""Reads shared by the commune form, the admin, the API: above all, who may see which submission."""

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from cms.directory.models import Membership, Role, Unit, UnitClassification, UnitLevel

from .models import (
    AuditEntry,
    CriterionAppraisal,
    Evidence,
    IndicatorValue,
    Round,
    RoundStatus,
    Submission,
    SubmissionStatus,
)


def _subtree_q(memberships, prefix: str = "unit__") -> Q:
    condition = Q(pk__in=[])
    for membership in memberships:
        condition |= Q(
            **{f"{prefix}edition_id": membership.unit.edition_id, f"{prefix}path__startswith": membership.unit.path}
        )
    return condition


def _memberships(user, *roles) -> list[Membership]:
    return list(Membership.objects.filter(user=user, role__in=roles, unit__isnull=False).select_related("unit"))


def submissions_visible_to(user) -> QuerySet[Submission]:
    """Submissions the user may read: their commune, their district's communes, their province; all for
    a superuser. Department appraisers read the submissions that reached appraisal of one of their
    department's criteria (across all communes)."""
    queryset = Submission.objects.select_related("round", "unit")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    condition = _subtree_q(_memberships(user, Role.COMMUNE_OFFICER, Role.DISTRICT_REVIEWER, Role.OFFICE_EDITOR))
    departments = Membership.objects.filter(user=user, role=Role.DEPARTMENT_APPRAISER).values("department_id")
    condition |= Q(Exists(CriterionAppraisal.objects.filter(submission=OuterRef("pk"), department_id__in=departments)))
    return queryset.filter(condition)


def submissions_of_commune_officer(user) -> QuerySet[Submission]:
    """What a commune officer fills: submissions of their own communes, in rounds that are not drafts."""
    queryset = Submission.objects.select_related("round", "unit").exclude(round__status=RoundStatus.DRAFT)
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(_subtree_q(_memberships(user, Role.COMMUNE_OFFICER))).order_by(
        "-round__opens_on", "unit__name"
    )


def rounds_visible_to(user) -> QuerySet[Round]:
    """Rounds past the draft stage for everybody; drafts for office editors and superusers too."""
    queryset = Round.objects.select_related("criteria_version", "scope_root")
    if user.is_authenticated and (user.is_superuser or user.has_perm("submissions.change_round")):
        return queryset
    return queryset.exclude(status=RoundStatus.DRAFT)


def units_in_round_scope(round_: Round) -> QuerySet[Unit]:
    explicit = round_.scope_units.all()
    if round_.scope_root_id is None:
        return explicit
    queryset = Unit.objects.filter(
        edition_id=round_.scope_root.edition_id,
        path__startswith=round_.scope_root.path,
        level=UnitLevel.COMMUNE,
    )
    types = [item.strip() for item in round_.scope_unit_types.split(",") if item.strip()]
    if types:
        queryset = queryset.filter(unit_type__in=types)
    return queryset


def unit_groups(units: QuerySet[Unit], classification_code: str) -> dict[int, str]:
    """Each unit's value code for the set's classification (region, commune group)."""
    if not classification_code:
        return {}
    rows = UnitClassification.objects.filter(unit__in=units.values("pk"), classification__code=classification_code)
    return dict(rows.values_list("unit_id", "value__code"))


def current_evidence(submission: Submission) -> QuerySet[Evidence]:
    return Evidence.objects.filter(submission=submission, replaced_by__isnull=True).order_by("indicator_code", "pk")


def evidence_visible_to(user) -> QuerySet[Evidence]:
    """Evidence of submissions in the user's unit scopes (commune, district, province), plus, for a
    department appraiser, the evidence of the indicators of the criteria their department appraises;
    all for a superuser."""
    if not user.is_authenticated:
        return Evidence.objects.none()
    if user.is_superuser:
        return Evidence.objects.all()
    condition = _subtree_q(
        _memberships(user, Role.COMMUNE_OFFICER, Role.DISTRICT_REVIEWER, Role.OFFICE_EDITOR),
        prefix="submission__unit__",
    )
    departments = list(
        Membership.objects.filter(user=user, role=Role.DEPARTMENT_APPRAISER).values_list("department_id", flat=True)
    )
    if departments:
        condition |= Q(
            Exists(
                IndicatorValue.objects.filter(
                    submission=OuterRef("submission"),
                    code=OuterRef("indicator_code"),
                    submission__appraisals__department_id__in=departments,
                    submission__appraisals__number=F("criterion_number"),
                )
            )
        )
    return Evidence.objects.filter(condition)


# --- the office's admin of rounds -------------------------------------------------------------------

#: Submissions counted as handed in: waiting for review, or already recognised.
HANDED_IN_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.RECOGNISED)


def rounds_with_counts(user) -> QuerySet[Round]:
    """The rounds ``user`` may see, each with ``submission_total`` and ``submission_handed_in``, in one query.

    The frozen spec of the criteria version is deferred: lists only need the set's title and number.
    """
    return (
        rounds_visible_to(user)
        .select_related("criteria_version__set_page")
        .defer("criteria_version__spec")
        .annotate(
            submission_total=Count("submissions"),
            submission_handed_in=Count("submissions", filter=Q(submissions__status__in=HANDED_IN_STATUSES)),
        )
    )


def round_submissions_visible_to(user, round_: Round) -> QuerySet[Submission]:
    """The submissions of one round that ``user`` may read, in the order of the unit tree."""
    return submissions_visible_to(user).filter(round=round_).order_by("unit__path")


def round_audit_entries(round_: Round) -> QuerySet[AuditEntry]:
    """What was done to the round itself (open, close, reopen, archive), newest first."""
    return AuditEntry.objects.filter(round=round_, submission__isnull=True).select_related("actor")
