"""Who may see or do what in the submissions app: every rule of access to rounds, submissions, evidence,
appraisals, statistics and exports, in one place. Web views, the admin, the API, the exports and the
statistics all ask here; a new rule is one edit.

Who holds which scope (memberships, the units a scope covers) is read from the directory's access
module, :mod:`cms.directory.access`:

- commune officer: the submissions of their commune (which they fill) and its evidence;
- district reviewer: submissions of the communes in their district;
- department appraiser: submissions that reached appraisal of one of their department's criteria, and
  only those criteria's evidence;
- office editor: everything in their province; rounds, recognition and publishing are theirs;
- national reader (the central coordination office): every province's rounds (drafts included), submissions'
  numbers, statistics and exports, read-only; never evidence files (the private documents stay with the people
  who review the unit), never a review queue, never a change;
- superuser: everything.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from cms.directory.access import in_department_province_q, scopes_of
from cms.directory.models import Role, Unit, UnitLevel
from submissions.consultation.models import Consultation, PaperTallyFile
from submissions.consultation.state import State as ConsultationState
from submissions.consultation.state import state_of as consultation_state_of
from submissions.errors import SubmissionError
from submissions.models import (
    AppraisalStatus,
    Comment,
    CriterionAppraisal,
    Evidence,
    IndicatorValue,
    Round,
    RoundStatus,
    Submission,
    SubmissionStatus,
)
from submissions.recognition.models import PreconditionEvidence, PreconditionResult
from submissions.registration.models import Registration, RegistrationFile, RegistrationPeriod
from submissions.reports.jobs.models import ExportJob
from submissions.titles.models import Title

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
    return queryset.filter(scopes.history_units_q(*UNIT_READERS, prefix="unit__") | _appraised_by_q(scopes))


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
    return queryset.filter(scopes.units_q(Role.COMMUNE_OFFICER, prefix="unit__")).order_by(
        "-round__opens_on", "unit__name"
    )


def submissions_readable_by(user) -> tuple[QuerySet[Submission], bool]:
    """The submissions the caller reads, and whether they are the ones the caller fills (and may edit)."""
    if is_commune_officer(user):
        return submissions_of_commune_officer(user), True
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
    condition = scopes.history_units_q(*UNIT_READERS, prefix="submission__unit__")
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
    return queryset.filter(scopes.units_q(*UNIT_REVIEWERS, prefix="unit__") | _appraised_by_q(scopes))


def submissions_awaiting(user) -> QuerySet[Submission]:
    """The submissions waiting for ``user``'s own action: the district check of their districts' submissions,
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
        condition |= Q(status=SubmissionStatus.SUBMITTED) & scopes.units_q(Role.DISTRICT_REVIEWER, prefix="unit__")
    if scopes.has_role(Role.OFFICE_EDITOR):
        condition |= Q(status=SubmissionStatus.RECOGNITION) & scopes.units_q(Role.OFFICE_EDITOR, prefix="unit__")
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


# --- titles (helper "titles" adds its rules below) ----------------------------------------------------------

# Titles are public decisions (the public site and the API show them, never their documents). In the admin, the office
# manages the titles of its province (its units and the units of earlier editions they were formed from: a title held
# before the 2025 reform stays with the old commune); national readers read every province's; nobody else.


def may_manage_titles(user) -> bool:
    """Whether ``user`` grants, corrects, revokes and imports titles at all: office editors, superusers."""
    scopes = scopes_of(user)
    return scopes.is_superuser or scopes.has_role(Role.OFFICE_EDITOR)


def may_read_titles(user) -> bool:
    """Whether the admin's "Danh hiệu" is for ``user``: offices, national readers (to read), superusers."""
    scopes = scopes_of(user)
    return scopes.reads_nationally or scopes.has_role(Role.OFFICE_EDITOR)


def title_units_managed_by(user) -> QuerySet[Unit]:
    """Units whose titles ``user`` manages: those of their office's province and the earlier units they were formed
    from; every unit for a superuser."""
    scopes = scopes_of(user)
    if scopes.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(scopes.history_units_q(Role.OFFICE_EDITOR))


def titles_managed_by(user) -> QuerySet[Title]:
    """Titles ``user`` corrects, revokes and records: :func:`title_units_managed_by`'s."""
    queryset = Title.objects.select_related("unit", "unit__edition", "unit__parent")
    scopes = scopes_of(user)
    if scopes.is_superuser:
        return queryset
    if not scopes.has_role(Role.OFFICE_EDITOR):
        return queryset.none()
    return queryset.filter(scopes.history_units_q(Role.OFFICE_EDITOR, prefix="unit__"))


def titles_readable_by(user) -> QuerySet[Title]:
    """Titles the admin shows ``user``: every province's for national readers, the office's own otherwise."""
    if scopes_of(user).reads_nationally:
        return Title.objects.select_related("unit", "unit__edition", "unit__parent")
    return titles_managed_by(user)


# --- registration (helper "registration" adds its rules below) ----------------------------------------------


def registration_units_of(user) -> list[Unit]:
    """The units ``user`` registers target titles for: a commune officer's communes, and (in the three-tier world)
    a district reviewer's districts, for the huyện titles."""
    scopes = scopes_of(user)
    communes = scopes.units(Role.COMMUNE_OFFICER)
    districts = [unit for unit in scopes.units(Role.DISTRICT_REVIEWER) if unit.level == UnitLevel.DISTRICT]
    return [*communes, *districts]


def registrations_of_registrant(user) -> QuerySet[Registration]:
    """The registrations of the user's own units (:func:`registration_units_of`), whoever filed them."""
    units = registration_units_of(user)
    queryset = Registration.objects.select_related("period", "unit")
    return queryset.filter(unit__in=[unit.pk for unit in units]) if units else queryset.none()


def _periods_of_units_q(units: list[Unit]) -> Q:
    """Periods of the provinces ``units`` lie in (the province in the unit's own edition)."""
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(province__edition_id=unit.edition_id, province__path=unit.path.split("/")[0] + "/")
    return condition


def registration_periods_of_registrant(user) -> QuerySet[RegistrationPeriod]:
    """The periods of the province(s) of the user's own units: where they register."""
    units = registration_units_of(user)
    queryset = RegistrationPeriod.objects.select_related("province")
    return queryset.filter(_periods_of_units_q(units)) if units else queryset.none()


def may_register_unit(user, unit: Unit) -> bool:
    return any(own.pk == unit.pk for own in registration_units_of(user))


def reads_registrations(user) -> bool:
    """Whether the admin's "Đăng ký danh hiệu" is for ``user``: offices, national readers (to read), superusers."""
    scopes = scopes_of(user)
    return scopes.reads_nationally or scopes.has_role(Role.OFFICE_EDITOR)


def registration_periods_in_admin_for(user) -> QuerySet[RegistrationPeriod]:
    """Periods the admin shows ``user``: their province's (every province's for national readers, to read)."""
    queryset = RegistrationPeriod.objects.select_related("province")
    scopes = scopes_of(user)
    if scopes.reads_nationally:
        return queryset
    offices = scopes.units(Role.OFFICE_EDITOR)
    return queryset.filter(province__in=Unit.objects.within_any(offices)) if offices else queryset.none()


def registration_periods_managed_by(user) -> QuerySet[RegistrationPeriod]:
    """Periods ``user`` opens and closes: their province's office; every period for a superuser."""
    scopes = scopes_of(user)
    if scopes.is_superuser:
        return RegistrationPeriod.objects.select_related("province")
    offices = scopes.units(Role.OFFICE_EDITOR)
    if not offices:
        return RegistrationPeriod.objects.none()
    return RegistrationPeriod.objects.select_related("province").filter(province__in=Unit.objects.within_any(offices))


def registration_provinces_managed_by(user) -> QuerySet[Unit]:
    """The provinces ``user`` opens registration periods for (every province for a superuser)."""
    scopes = scopes_of(user)
    provinces = Unit.objects.filter(level=UnitLevel.PROVINCE).select_related("edition")
    if scopes.is_superuser:
        return provinces
    offices = scopes.units(Role.OFFICE_EDITOR)
    return provinces.filter(pk__in=[unit.pk for unit in offices]) if offices else provinces.none()


def registration_provinces_readable_by(user) -> QuerySet[Unit]:
    """The provinces whose plan (registered vs reached) ``user`` reads: their office's; all for national readers."""
    if scopes_of(user).reads_nationally:
        return Unit.objects.filter(level=UnitLevel.PROVINCE).select_related("edition")
    return registration_provinces_managed_by(user)


def registrations_in_admin_for(user) -> QuerySet[Registration]:
    """Registrations the admin lists for ``user``: their province's; every one for national readers (to read)."""
    queryset = Registration.objects.select_related("period", "unit", "unit__parent")
    scopes = scopes_of(user)
    if scopes.reads_nationally:
        return queryset
    offices = scopes.units(Role.OFFICE_EDITOR)
    return queryset.filter(scopes.units_q(Role.OFFICE_EDITOR, prefix="unit__")) if offices else queryset.none()


def may_decide_registration(user, registration: Registration) -> bool:
    """Approving or returning: the office of the registration's province, or a superuser (never a national reader)."""
    scopes = scopes_of(user)
    return scopes.is_superuser or scopes.covers(registration.unit, Role.OFFICE_EDITOR)


def registration_files_visible_to(user) -> QuerySet[RegistrationFile]:
    """A registration's files are private: the registrant's unit and its province's office (superusers too); never
    national readers, appraisers or anyone else."""
    scopes = scopes_of(user)
    queryset = RegistrationFile.objects.select_related("registration")
    if not scopes.authenticated:
        return queryset.none()
    if scopes.is_superuser:
        return queryset
    own = [unit.pk for unit in registration_units_of(user)]
    return queryset.filter(
        Q(registration__unit__in=own) | scopes.units_q(Role.OFFICE_EDITOR, prefix="registration__unit__")
    )


# --- preconditions and recognition dossier (helpers "preconditions", "dossier" add their rules below) --------


def may_download_dossier(user, submission: Submission) -> bool:
    """The recognition dossier (the commune's report, the appraisal records, the consultation, the satisfaction,
    the preconditions with their evidence files, the decision) is the office's to file: the office of the
    submission's province, and superusers. Not national readers (it holds evidence files, which stay with the
    people who review the unit), nor communes, districts or departments."""
    return bool(user.is_authenticated and user.is_active and is_office_for(user, submission))


# Recognition preconditions: the office of the submission's province confirms, enters and waives any of them; a
# department appraiser confirms (or enters the figure of) the preconditions named for their department (resolved in
# the submission's province when the rows were made); everybody who reads the submission reads them, and so do
# the appraisers of a department named in one of them. Their evidence, like a submission's, never goes to national
# readers.


def _precondition_department_q(scopes, prefix: str = "") -> Q:
    """Submissions with a precondition for one of the user's departments (in that department's province)."""
    departments = scopes.departments()
    if not departments:
        return Q(pk__in=[])
    return Q(
        Exists(PreconditionResult.objects.filter(submission=OuterRef(f"{prefix}pk"), department_id__in=departments))
    )


def precondition_submissions_visible_to(user) -> QuerySet[Submission]:
    """Submissions whose preconditions ``user`` may read: the submissions they read, and, for a department
    appraiser, those with a precondition their department confirms."""
    scopes = scopes_of(user)
    if not scopes.authenticated:
        return Submission.objects.none()
    if scopes.reads_nationally:
        return Submission.objects.all()
    visible = submissions_visible_to(user).values("pk")
    return Submission.objects.filter(Q(pk__in=visible) | _precondition_department_q(scopes))


def may_confirm_precondition(user, result: PreconditionResult) -> bool:
    """The office of the submission's province, or an appraiser of the department the precondition names."""
    if is_office_for(user, result.submission):
        return True
    return bool(result.department_id and result.department_id in user_departments(user))


def may_waive_precondition(user, submission: Submission) -> bool:
    """Only the office of the submission's province waives a precondition (with a reason)."""
    return is_office_for(user, submission)


def preconditions_confirmable_by(user) -> QuerySet[PreconditionResult]:
    """The precondition rows ``user`` may confirm (their department's, in its province; every one of their
    province's for the office; all for a superuser), of submissions past the draft."""
    queryset = PreconditionResult.objects.exclude(submission__round__status=RoundStatus.DRAFT)
    scopes = scopes_of(user)
    if not scopes.authenticated:
        return queryset.none()
    if scopes.is_superuser:
        return queryset
    condition = Q(pk__in=[])
    if scopes.has_role(Role.OFFICE_EDITOR):
        condition |= scopes.units_q(Role.OFFICE_EDITOR, prefix="submission__unit__")
    departments = scopes.departments()
    if departments:
        condition |= Q(department_id__in=departments)
    return queryset.filter(condition)


def precondition_evidence_visible_to(user) -> QuerySet[PreconditionEvidence]:
    """Evidence of preconditions of submissions in the user's unit scopes, and of the preconditions their
    department confirms; all for a superuser; none for national readers."""
    scopes = scopes_of(user)
    if not scopes.authenticated:
        return PreconditionEvidence.objects.none()
    if scopes.is_superuser:
        return PreconditionEvidence.objects.all()
    condition = scopes.history_units_q(*UNIT_READERS, prefix="result__submission__unit__")
    departments = scopes.departments()
    if departments:
        condition |= Q(result__department_id__in=departments)
    return PreconditionEvidence.objects.filter(condition)


# --- consultation and satisfaction survey (helpers "consultation", "survey" add their rules below) ----------


# survey (helper "survey"): the office configures its province's rounds' satisfaction surveys; the commune officer
# enters its own commune's paper tally; anyone answers online, only while the consultation is open.


def survey_rounds_configurable_by(user) -> QuerySet[Round]:
    """Rounds whose satisfaction survey ``user`` configures and whose results they read: their province's (office
    editors holding the change permission), every round for a superuser."""
    return rounds_changeable_by(user)


def paper_tallies_enterable_by(user) -> QuerySet[Submission]:
    """Submissions whose paper-survey tally ``user`` enters: those of their own commune (the service refuses once a
    submission is recognised)."""
    return submissions_of_commune_officer(user)


def paper_tally_files_visible_to(user) -> QuerySet[PaperTallyFile]:
    """Scanned paper surveys, private like evidence: to the people whose unit scope covers the submission (its
    commune, district, province; read-only across the 2025 reform); all for a superuser; never to national
    readers or departments."""
    scopes = scopes_of(user)
    if not scopes.authenticated:
        return PaperTallyFile.objects.none()
    if scopes.is_superuser:
        return PaperTallyFile.objects.all()
    return PaperTallyFile.objects.filter(scopes.history_units_q(*UNIT_READERS, prefix="tally__submission__unit__"))


def consultation_takes_answers(consultation: Consultation | None, today=None) -> bool:
    """Whether anyone (no account) may comment on ``consultation`` or answer its satisfaction survey: it stands
    open today (:func:`submissions.consultation.selectors.state_of`, the one rule: not closed, today within its
    period, its submission not recognised yet — recognition ends a consultation) and it is public (its submission
    passed appraisal, :data:`CONSULTED_STATUSES`)."""
    if consultation is None:
        return False
    return (
        consultation_state_of(consultation, today) == ConsultationState.OPEN
        and consultation.submission.status in CONSULTED_STATUSES
    )


#: The submission states during and after which its consultation is shown: appraised (waiting for recognition) and
#: recognised. A submission returned to the commune after its consultation opened disappears again until appraised.
CONSULTED_STATUSES = (SubmissionStatus.RECOGNITION, SubmissionStatus.RECOGNISED)


def public_consultation_q(today, prefix: str = "") -> Q:
    """Consultations the public reads (the one exception to "published only"): opened by the office (their period
    has begun) on a submission that passed appraisal — waiting for recognition or recognised — in a round past the
    draft stage. Before ``opens_on`` nothing of the submission is public."""
    return Q(
        **{
            f"{prefix}opens_on__lte": today,
            f"{prefix}submission__status__in": CONSULTED_STATUSES,
        }
    ) & ~Q(**{f"{prefix}submission__round__status": RoundStatus.DRAFT})


def consultations_public(today) -> QuerySet[Consultation]:
    """What the public page and the anonymous API show, with what they need to show it."""
    return Consultation.objects.filter(public_consultation_q(today)).select_related(
        "submission__round__criteria_version", "submission__unit"
    )


def consultations_managed_by(user) -> QuerySet[Consultation]:
    """The consultations the office opens, closes and moderates: those of its province; all for a superuser."""
    queryset = Consultation.objects.select_related("submission__round__criteria_version", "submission__unit")
    scopes = scopes_of(user)
    if scopes.is_superuser:
        return queryset
    if not scopes.has_role(Role.OFFICE_EDITOR):
        return queryset.none()
    return queryset.filter(scopes.units_q(Role.OFFICE_EDITOR, prefix="submission__unit__"))


def consultations_of_commune_officer(user) -> QuerySet[Consultation]:
    """The consultations on the officer's own communes (they moderate and answer their comments)."""
    queryset = Consultation.objects.select_related("submission__round__criteria_version", "submission__unit")
    scopes = scopes_of(user)
    if not scopes.has_role(Role.COMMUNE_OFFICER):
        return queryset.none()
    return queryset.filter(scopes.units_q(Role.COMMUNE_OFFICER, prefix="submission__unit__"))


def may_manage_consultations(user) -> bool:
    """Whether the admin shows "Lấy ý kiến người dân" (offices and superusers)."""
    scopes = scopes_of(user)
    return scopes.is_superuser or scopes.has_role(Role.OFFICE_EDITOR)


def may_open_consultation(user, submission: Submission) -> bool:
    """The office of the submission's province (or a superuser) opens its consultation."""
    return is_office_for(user, submission)


def comments_moderated_by(user) -> QuerySet[Comment]:
    """Comments the user may approve or reject: those of their province's consultations (office) or of their
    commune's (commune officer); all for a superuser. Nobody else (district, departments, national readers)."""
    scopes = scopes_of(user)
    queryset = Comment.objects.select_related("consultation__submission__unit", "consultation__submission__round")
    if scopes.is_superuser:
        return queryset
    roles = [role for role in (Role.OFFICE_EDITOR, Role.COMMUNE_OFFICER) if scopes.has_role(role)]
    if not roles:
        return queryset.none()
    return queryset.filter(scopes.units_q(*roles, prefix="consultation__submission__unit__"))


def comments_answered_by(user) -> QuerySet[Comment]:
    """Comments the user may answer: the commune answers those of its own consultations; a superuser any."""
    scopes = scopes_of(user)
    queryset = Comment.objects.select_related("consultation__submission__unit", "consultation__submission__round")
    if scopes.is_superuser:
        return queryset
    if not scopes.has_role(Role.COMMUNE_OFFICER):
        return queryset.none()
    return queryset.filter(scopes.units_q(Role.COMMUNE_OFFICER, prefix="consultation__submission__unit__"))


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
    (:func:`submissions_of_commune_officer`), a district reviewer their district's own submissions."""
    scopes = scopes_of(user)
    if not scopes.authenticated:
        return Submission.objects.none()
    return (
        Submission.objects.select_related("round", "unit")
        .exclude(round__status=RoundStatus.DRAFT)
        .filter(scopes.units_q(Role.COMMUNE_OFFICER, prefix="unit__") | district_subjects_q(scopes))
        .order_by("-round__opens_on", "unit__name")
    )


def fills_forms(user) -> bool:
    """Whether the user has forms to fill: a commune officer, or a district reviewer whose district is the subject
    of a round that is not a draft."""
    if is_commune_officer(user):
        return True
    scopes = scopes_of(user)
    return scopes.has_role(Role.DISTRICT_REVIEWER) and submissions_filled_by(user).exists()


def fills_submission(user, submission: Submission) -> bool:
    """Whether ``user`` fills ``submission``, as :func:`submissions_filled_by` says, without a query (the API lets
    them change it)."""
    if submission.round.status == RoundStatus.DRAFT:
        return False
    scopes = scopes_of(user)
    if submission.unit.level == UnitLevel.DISTRICT and scopes.covers(submission.unit, Role.DISTRICT_REVIEWER):
        return True
    return scopes.covers(submission.unit, Role.COMMUNE_OFFICER)
