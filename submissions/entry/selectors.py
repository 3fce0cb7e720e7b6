"""Reads shared by the commune form, the admin, the API: above all, who may see which submission."""

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from cms.directory.models import Membership, Role
from submissions.models import (
    CriterionAppraisal,
    Evidence,
    IndicatorValue,
    RoundStatus,
    Submission,
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
