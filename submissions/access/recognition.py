"""Recognition preconditions and the recognition dossier (part of :mod:`submissions.access`)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from cms.directory.access import scopes_of
from cms.directory.models import Role
from submissions.models import (
    RoundStatus,
    Submission,
)
from submissions.recognition.models import PreconditionEvidence, PreconditionResult

from .core import (
    UNIT_READERS,
    is_office_for,
    submissions_visible_to,
    user_departments,
)

# --- preconditions and recognition dossier (helpers "preconditions", "dossier" add their rules below) --------


def may_download_dossier(user, submission: Submission) -> bool:
    """The recognition dossier (the commune's report, the appraisal records, the consultation, the satisfaction,
    the preconditions with their evidence files, the decision) is the office's to file: the office of the
    submission's province, and superusers. Not national readers (it holds evidence files, which stay with the
    people who review the unit), nor communes, districts or departments. An OCOP dossier has none."""
    if submission.product_id:
        return False
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
