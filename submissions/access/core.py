"""Rounds, submissions, evidence, review, statistics and exports, and who fills a unit's form: the core rules of
:mod:`submissions.access` (import them from there)."""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from cms.directory.access import in_department_province_q, scopes_of
from cms.directory.models import Role, Unit, UnitLevel
from submissions.errors import SubmissionError
from submissions.models import (
    AppraisalStatus,
    CriterionAppraisal,
    Evidence,
    IndicatorValue,
    Round,
    RoundStatus,
    Submission,
    SubmissionStatus,
    unit_subject_q,
)
from submissions.ocop.models import CouncilMember
from submissions.reports.jobs.models import ExportJob

#: Changing a round (its draft fields, and its status through the actions) needs this permission;
#: office editors hold it through their role group, reviewers and appraisers only view rounds.
CHANGE_ROUND = "submissions.change_round"
#: Reading every submission's numbers (not only published ones) needs this permission, within the
#: user's office scope (their province); superusers read everything.
VIEW_ROUND = "submissions.view_round"
#: Roles that read submissions by the units of their scope.
UNIT_READERS = (Role.COMMUNE_OFFICER, Role.DISTRICT_REVIEWER, Role.OFFICE_EDITOR)
#: Roles that review submissions by the units of their scope.
UNIT_REVIEWERS = (Role.DISTRICT_REVIEWER, Role.OFFICE_EDITOR)


# --- rounds -------------------------------------------------------------------------------------------


def may_change_rounds(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm(CHANGE_ROUND)))


def _rounds_within_q(units: list[Unit]) -> Q:
    """Rounds whose scope lies in the subtree of one of ``units``: a round belongs to its scope's province."""
    inside = Unit.objects.within_any(units)
    by_root = Q(Exists(inside.filter(pk=OuterRef("scope_root_id"))))
    by_list = Q(scope_root__isnull=True) & Q(
        Exists(Round.scope_units.through.objects.filter(round_id=OuterRef("pk"), unit__in=inside))
    )
    return by_root | by_list


def rounds_managed_by(user) -> QuerySet[Round]:
    """Rounds of the office editor's provinces, drafts included; every round for a superuser."""
    queryset = Round.objects.select_related("criteria_version", "scope_root")
    scopes = scopes_of(user)
    if scopes.is_superuser:
        return queryset
    offices = scopes.units(Role.OFFICE_EDITOR)
    return queryset.filter(_rounds_within_q(offices)) if offices else queryset.none()


def rounds_visible_to(user) -> QuerySet[Round]:
    """Rounds past the draft stage for everybody (their scope is public); drafts only to the office of their
    province, national readers and superusers."""
    queryset = Round.objects.select_related("criteria_version", "scope_root")
    scopes = scopes_of(user)
    if scopes.reads_nationally:
        return queryset
    offices = scopes.units(Role.OFFICE_EDITOR)
    drafts = _rounds_within_q(offices) if offices else Q(pk__in=[])
    return queryset.filter(~Q(status=RoundStatus.DRAFT) | drafts)


def rounds_in_admin_for(user) -> QuerySet[Round]:
    """The rounds the admin shows ``user`` (list, page, exports): their province's, or for reviewers the
    rounds past the draft stage with a submission they may read; every round for national readers (to read)."""
    scopes = scopes_of(user)
    if scopes.is_superuser:
        return rounds_managed_by(user)
    if scopes.is_national_reader:
        return Round.objects.select_related("criteria_version", "scope_root")
    readable = Exists(submissions_visible_to(user).filter(round_id=OuterRef("pk")))
    offices = scopes.units(Role.OFFICE_EDITOR)
    managed = _rounds_within_q(offices) if offices else Q(pk__in=[])
    return Round.objects.select_related("criteria_version", "scope_root").filter(
        managed | (~Q(status=RoundStatus.DRAFT) & Q(readable))
    )


def rounds_changeable_by(user) -> QuerySet[Round]:
    """Rounds whose draft fields and status ``user`` may change: those of their province."""
    if not may_change_rounds(user):
        return Round.objects.none()
    return rounds_managed_by(user)


# --- submissions ----------------------------------------------------------------------------------------


def is_commune_officer(user) -> bool:
    return bool(scopes_of(user).units(Role.COMMUNE_OFFICER))


def is_producer(user) -> bool:
    """Whether the user acts for an OCOP producer (fills its products' dossiers)."""
    return bool(scopes_of(user).producers())


def submissions_visible_to(user) -> QuerySet[Submission]:
    """Submissions the user may read: their commune, their district's communes, their province — and, read-only,
    those of the earlier units these were formed from; all for a superuser and (read-only) a national reader.
    Department appraisers read the submissions that reached appraisal of one of their department's criteria, in
    its province."""
    queryset = Submission.objects.select_related("round", "unit")
    scopes = scopes_of(user)
    if not scopes.authenticated:
        return queryset.none()
    if scopes.reads_nationally:
        return queryset
    return queryset.filter(
        scopes.history_units_q(*UNIT_READERS, prefix="unit__")
        | _appraised_by_q(scopes)
        | producer_dossiers_q(scopes)
        | council_dossiers_q(user)
    )


# OCOP subjects: a product's dossier is filled by its producer (never by the commune officer, who reads it as part
# of the commune); council members read the dossiers of their councils once assigned. The councils' own rules
# (sheets, closing, decisions) are in ``submissions.access.ocop``.


def producer_dossiers_q(scopes, prefix: str = "") -> Q:
    """Dossiers of the products of the producers the user acts for."""
    producers = scopes.producers()
    if not producers:
        return Q(pk__in=[])
    return Q(**{f"{prefix}product__producer_id__in": producers})


def council_dossiers_q(user, prefix: str = "") -> Q:
    """Dossiers assigned to a council the user sits on."""
    if not (user is not None and user.is_authenticated):
        return Q(pk__in=[])
    return Q(Exists(CouncilMember.objects.filter(user=user, council__entries__submission_id=OuterRef(f"{prefix}pk"))))


def _appraised_by_q(scopes, prefix: str = "") -> Q:
    """Submissions with an appraisal for one of the user's departments, in that department's province."""
    condition = Q(pk__in=[])
    for department in scopes.appraising_departments():
        condition |= Q(
            Exists(CriterionAppraisal.objects.filter(submission=OuterRef(f"{prefix}pk"), department=department)),
            in_department_province_q(department, prefix=f"{prefix}unit__"),
        )
    return condition


def submissions_of_commune_officer(user) -> QuerySet[Submission]:
    """What a commune officer fills: submissions of their own communes, in rounds that are not drafts."""
    queryset = Submission.objects.select_related("round", "unit").exclude(round__status=RoundStatus.DRAFT)
    scopes = scopes_of(user)
    if not scopes.authenticated:
        return queryset.none()
    return queryset.filter(scopes.units_q(Role.COMMUNE_OFFICER, prefix="unit__"), unit_subject_q()).order_by(
        "-round__opens_on", "unit__name"
    )


def submissions_readable_by(user) -> tuple[QuerySet[Submission], bool]:
    """The submissions the caller reads, and whether they are the ones the caller fills (and may edit)."""
    if is_commune_officer(user):
        return submissions_of_commune_officer(user), True
    if is_producer(user):
        return submissions_filled_by(user), True
    return submissions_visible_to(user), False


def round_submissions_visible_to(user, round_: Round) -> QuerySet[Submission]:
    """The submissions of one round that ``user`` may read, in the order of the unit tree."""
    return submissions_visible_to(user).filter(round=round_).order_by("unit__path")


# --- evidence -------------------------------------------------------------------------------------------


def evidence_visible_to(user) -> QuerySet[Evidence]:
    """Evidence of submissions in the user's unit scopes (commune, district, province), plus, for a
    department appraiser, the evidence of the indicators of the criteria their department appraises;
    all for a superuser."""
    scopes = scopes_of(user)
    if not scopes.authenticated:
        return Evidence.objects.none()
    if scopes.is_superuser:
        return Evidence.objects.all()
    condition = (
        scopes.history_units_q(*UNIT_READERS, prefix="submission__unit__")
        | producer_dossiers_q(scopes, prefix="submission__")
        | council_dossiers_q(user, prefix="submission__")
    )
    for department in scopes.appraising_departments():
        condition |= Q(
            Exists(
                IndicatorValue.objects.filter(
                    submission=OuterRef("submission"),
                    code=OuterRef("indicator_code"),
                    submission__appraisals__department=department,
                    submission__appraisals__number=F("criterion_number"),
                )
            ),
            in_department_province_q(department, prefix="submission__unit__"),
        )
    return Evidence.objects.filter(condition)


def evidence_deletable_by(user) -> QuerySet[Evidence]:
    """Evidence the user may delete: that of the submissions they fill (the service checks the state)."""
    return Evidence.objects.filter(submission__in=submissions_filled_by(user).values("pk"))


# --- review ---------------------------------------------------------------------------------------------


def is_office_for(user, submission: Submission) -> bool:
    scopes = scopes_of(user)
    return scopes.is_superuser or scopes.covers(submission.unit, Role.OFFICE_EDITOR)


def is_district_reviewer_for(user, submission: Submission) -> bool:
    return scopes_of(user).covers(submission.unit, Role.DISTRICT_REVIEWER)


def user_departments(user) -> set[int]:
    return scopes_of(user).departments()


def is_reviewer(user) -> bool:
    """Whether the user has a review queue at all (office, district or department)."""
    scopes = scopes_of(user)
    return scopes.is_superuser or scopes.has_role(Role.OFFICE_EDITOR, Role.DISTRICT_REVIEWER, Role.DEPARTMENT_APPRAISER)


def reviews_as_office(user) -> bool:
    scopes = scopes_of(user)
    return scopes.is_superuser or scopes.has_role(Role.OFFICE_EDITOR)


def reviews_as_district(user) -> bool:
    return scopes_of(user).has_role(Role.DISTRICT_REVIEWER)


def appraisable_criteria(user, submission: Submission) -> set[int]:
    """Criterion numbers of ``submission`` the user's departments appraise."""
    departments = user_departments(user)
    if not departments:
        return set()
    return set(
        CriterionAppraisal.objects.filter(submission=submission, department_id__in=departments).values_list(
            "number", flat=True
        )
    )


def reviewable_submissions(user) -> QuerySet[Submission]:
    """Submissions a reviewer may open: district and office by unit scope (past the draft), departments
    those with an appraisal of one of their criteria; all for a superuser. Commune officers: none."""
    queryset = Submission.objects.exclude(round__status=RoundStatus.DRAFT).exclude(status=SubmissionStatus.DRAFT)
    scopes = scopes_of(user)
    if not scopes.authenticated:
        return queryset.none()
    if scopes.is_superuser:
        return queryset
    district = scopes.units_q(Role.DISTRICT_REVIEWER, prefix="unit__") & unit_subject_q()  # no district step for OCOP
    return queryset.filter(district | scopes.units_q(Role.OFFICE_EDITOR, prefix="unit__") | _appraised_by_q(scopes))


def submissions_awaiting(user) -> QuerySet[Submission]:
    """The submissions waiting for ``user``'s own action: the district check of their districts' submissions (the
    office's check of a product's dossier),
    the pending appraisals of their departments (in the department's province), the recognition of their
    province's (every province's for a superuser). National readers and commune officers: none."""
    queryset = Submission.objects.exclude(round__status=RoundStatus.DRAFT)
    scopes = scopes_of(user)
    if not scopes.authenticated:
        return queryset.none()
    if scopes.is_superuser:
        return queryset.filter(status=SubmissionStatus.RECOGNITION)
    condition = Q(pk__in=[])
    if scopes.has_role(Role.DISTRICT_REVIEWER):
        condition |= (
            Q(status=SubmissionStatus.SUBMITTED)
            & unit_subject_q()
            & scopes.units_q(Role.DISTRICT_REVIEWER, prefix="unit__")
        )
    if scopes.has_role(Role.OFFICE_EDITOR):
        # The office checks a product's dossier when it is submitted (no district step), and recognises.
        product_check = Q(status=SubmissionStatus.SUBMITTED) & ~unit_subject_q()
        condition |= (Q(status=SubmissionStatus.RECOGNITION) | product_check) & scopes.units_q(
            Role.OFFICE_EDITOR, prefix="unit__"
        )
    for department in scopes.appraising_departments():
        pending = CriterionAppraisal.objects.filter(
            submission=OuterRef("pk"), department=department, status=AppraisalStatus.PENDING
        )
        condition |= Q(
            Q(status=SubmissionStatus.APPRAISAL),
            Exists(pending),
            in_department_province_q(department, prefix="unit__"),
        )
    return queryset.filter(condition)


def require(condition: bool) -> None:
    """Refuse a review action the user may not take on this submission."""
    if not condition:
        raise SubmissionError(_("Bạn không có quyền thực hiện thao tác này với hồ sơ này."), code="forbidden")


# --- statistics and exports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeScope:
    """Whether a user may read the statistics of every submission (basis "all" or "recognised"), and of
    which subtree: ``parent`` is None for the whole round (superusers)."""

    allowed: bool
    parent: Unit | None = None


def office_scope(user, parent: Unit | None = None, *, round_: Round | None = None) -> OfficeScope:
    """The subtree ``user`` reads unpublished statistics of, given the ``parent`` they asked for.

    Superusers and national readers: ``parent`` as asked (None = everything). Office editors holding
    ``submissions.view_round``: ``parent`` if it lies in one of their provinces (``user_office_scopes``), or,
    when they asked for none, the scope ``round_`` lies in (their province in that round's list), else their
    province if they hold exactly one. Anyone else, or a subtree outside their
    provinces: not allowed (they read published results only).
    """
    if not (user.is_authenticated and user.is_active and user.has_perm(VIEW_ROUND)):
        return OfficeScope(False)
    if scopes_of(user).reads_nationally:
        return OfficeScope(True, parent)
    scopes = sorted(scopes_of(user).units(Role.OFFICE_EDITOR), key=lambda unit: unit.path)
    if parent is None and round_ is not None and round_.scope_root_id is not None:
        # An office holding its province in several lists (before and after the 2025 reform) reads a round
        # through the scope its round lies in.
        root = round_.scope_root
        covering = [
            scope for scope in scopes if scope.edition_id == root.edition_id and root.path.startswith(scope.path)
        ]
        return OfficeScope(True, covering[0]) if covering else OfficeScope(False)
    if parent is None:
        return OfficeScope(True, scopes[0]) if len(scopes) == 1 else OfficeScope(False)
    inside = any(scope.edition_id == parent.edition_id and parent.path.startswith(scope.path) for scope in scopes)
    return OfficeScope(inside, parent if inside else None)


# --- background exports -----------------------------------------------------------------------------------


def export_scope(user, round_: Round, parent: Unit | None = None) -> OfficeScope:
    """The subtree of ``round_`` ``user`` may export (as :func:`office_scope`): an office editor their province,
    a national reader or superuser the subtree asked for (None: the whole round)."""
    return office_scope(user, parent, round_=round_)


def export_jobs_of(user) -> QuerySet[ExportJob]:
    """The background exports ``user`` started, of rounds the admin still shows them (newest first). Whether the
    user's scope still covers each one is :func:`may_read_export_job`."""
    if not (user.is_authenticated and user.is_active and user.has_perm(VIEW_ROUND)):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=user, round__in=rounds_in_admin_for(user).values("pk")).select_related(
        "round", "parent"
    )


def may_read_export_job(user, job: ExportJob) -> bool:
    """The job is the user's and their scope still covers what it exports (exactly: a province's office never
    reads a whole-round export it could not start today)."""
    if job.requested_by_id != user.pk:
        return False
    scope = export_scope(user, job.round, job.parent)
    return scope.allowed and scope.parent == job.parent


def may_export(user) -> bool:
    """Whether the user exports rounds at all (the admin's "Tệp xuất của tôi"): offices, national readers."""
    if not (user.is_authenticated and user.is_active and user.has_perm(VIEW_ROUND)):
        return False
    scopes = scopes_of(user)
    return scopes.reads_nationally or scopes.has_role(Role.OFFICE_EDITOR)


# --- district subjects (helper starter) ---------------------------------------------------------------------
#
# Who fills a unit's form. A commune's form is filled by its commune officer; where a round's subjects are
# districts (a set of level "district", the three-tier world), the district's form is filled by the district
# reviewer of that district: districts have no officer role of their own, and their review skips the district
# check (the subject is the district), so the reviewer never checks what they filled. One rule, used by the
# commune form (list, screens, offline sync) and by whoever asks who the unit's filler is.

#: The role that fills the form of a unit of each level.
FILLER_ROLES = {UnitLevel.COMMUNE: Role.COMMUNE_OFFICER, UnitLevel.DISTRICT: Role.DISTRICT_REVIEWER}


def filler_role(level: str) -> str:
    """The role that fills the form of a unit of ``level`` (a commune officer unless the unit is a district)."""
    return FILLER_ROLES.get(level, Role.COMMUNE_OFFICER)


def district_subjects_q(scopes, prefix: str = "") -> Q:
    """Submissions (reached through ``prefix``) whose subject is a district the user reviews."""
    if not scopes.has_role(Role.DISTRICT_REVIEWER):
        return Q(pk__in=[])
    return Q(**{f"{prefix}unit__level": UnitLevel.DISTRICT}) & scopes.units_q(
        Role.DISTRICT_REVIEWER, prefix=f"{prefix}unit__"
    )


def submissions_filled_by(user) -> QuerySet[Submission]:
    """What the user fills, in rounds that are not drafts: a commune officer their communes' submissions
    (:func:`submissions_of_commune_officer`), a district reviewer their district's own submissions, a producer
    its products' dossiers."""
    scopes = scopes_of(user)
    if not scopes.authenticated:
        return Submission.objects.none()
    communes = scopes.units_q(Role.COMMUNE_OFFICER, prefix="unit__") & unit_subject_q()
    return (
        Submission.objects.select_related("round", "unit", "product__producer")
        .exclude(round__status=RoundStatus.DRAFT)
        .filter(communes | district_subjects_q(scopes) | producer_dossiers_q(scopes))
        .order_by("-round__opens_on", "unit__name")
    )


def fills_forms(user) -> bool:
    """Whether the user has forms to fill: a commune officer, or a district reviewer whose district is the subject
    of a round that is not a draft."""
    if is_commune_officer(user) or is_producer(user):
        return True
    scopes = scopes_of(user)
    return scopes.has_role(Role.DISTRICT_REVIEWER) and submissions_filled_by(user).exists()


def fills_submission(user, submission: Submission) -> bool:
    """Whether ``user`` fills ``submission``, as :func:`submissions_filled_by` says, without a query (the API lets
    them change it)."""
    if submission.round.status == RoundStatus.DRAFT:
        return False
    scopes = scopes_of(user)
    if submission.product_id:
        return submission.product.producer_id in scopes.producers()
    if submission.unit.level == UnitLevel.DISTRICT and scopes.covers(submission.unit, Role.DISTRICT_REVIEWER):
        return True
    return scopes.covers(submission.unit, Role.COMMUNE_OFFICER)
