"""Public consultation and the residents' satisfaction survey (part of :mod:`submissions.access`)."""

from django.db.models import Q, QuerySet

from cms.directory.access import scopes_of
from cms.directory.models import Role
from submissions.consultation.models import Consultation, PaperTallyFile
from submissions.consultation.state import State as ConsultationState
from submissions.consultation.state import state_of as consultation_state_of
from submissions.models import (
    Comment,
    Round,
    RoundStatus,
    Submission,
    SubmissionStatus,
)

from .core import (
    UNIT_READERS,
    is_office_for,
    rounds_changeable_by,
    submissions_of_commune_officer,
)

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
    """The office of the submission's province (or a superuser) opens its consultation; an OCOP dossier has none."""
    return not submission.product_id and is_office_for(user, submission)


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
