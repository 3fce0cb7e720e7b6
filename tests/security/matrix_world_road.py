"""The attacker matrix's world on the official road to a title (issue 15), beside :mod:`tests.security.matrix_world`:
the stages that bring a side's objects to a registration, a satisfaction survey with a paper tally, and recognition
preconditions with their evidence, and the models their writes may change (added to the fingerprint)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cms.directory.models import Membership, Role
from criteria_pages.spec import TitleKind
from submissions.consultation import survey as survey_services
from submissions.consultation.models import (
    PaperTally,
    PaperTallyFile,
    SatisfactionSurvey,
    SurveyQuestion,
    SurveyResponse,
)
from submissions.models import Evidence, Submission
from submissions.recognition import services as recognition_services
from submissions.recognition.models import PreconditionEvidence, PreconditionResult
from submissions.registration import services as registration_services
from submissions.registration.models import Registration, RegistrationFile, RegistrationPeriod
from tests.security.matrix_world import FINGERPRINTED, STAGES, Side, World, _appraise_all, _consult, _forward
from tests.submissions.factories import PDF
from tests.submissions.permission_matrix_cells import DEBT, preconditions_given


def officer_of(side: Side):
    """The commune officer of the side's submitted commune (a helper here, the attacker on the own side)."""
    return Membership.objects.select_related("user").get(pk=side.membership_pk).user


def neighbour_of(side: Side) -> Submission:
    """The draft submission of the other commune of the side's district (not the attacking officer's commune)."""
    return Evidence.objects.select_related("submission__unit").get(pk=side.draft_evidence_pk).submission


def _neighbour_officer(side: Side):
    unit = neighbour_of(side).unit
    return Membership.objects.select_related("user").get(unit=unit, role=Role.COMMUNE_OFFICER).user


# --- registration (submissions.registration) ---------------------------------------------------------------------

REGISTERED = "registered"


def _register(side: Side) -> None:
    """The side's office opens a registration period (today, for a month); the commune, and its neighbour in the
    district, each register "xã NTM" for next year with a file."""
    today = timezone.localdate()
    period = registration_services.period_open(
        province=side.province,
        name=f"Đăng ký danh hiệu {today.year + 1}",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
        user=side.office,
    )
    for unit, officer in ((side.commune, officer_of(side)), (neighbour_of(side).unit, _neighbour_officer(side))):
        registration_services.registration_submit(
            period=period,
            unit=unit,
            kind=TitleKind.XA_NTM,
            target_year=today.year + 1,
            plan="Hoàn thành tiêu chí giao thông và thủy lợi",
            uploads=[SimpleUploadedFile("ke-hoach.pdf", PDF)],
            user=officer,
        )


def period_of(w: World, s: Side) -> int:
    return RegistrationPeriod.objects.get(province=s.province).pk


def registration_of(w: World, s: Side) -> int:
    return Registration.objects.get(unit=s.commune).pk


def registration_file_of(w: World, s: Side) -> int:
    return RegistrationFile.objects.get(registration__unit=s.commune).pk


def neighbour_registration_of(w: World, s: Side) -> int:
    return Registration.objects.get(unit=neighbour_of(s).unit).pk


def neighbour_registration_file_of(w: World, s: Side) -> int:
    return RegistrationFile.objects.get(registration__unit=neighbour_of(s).unit).pk


STAGES[REGISTERED] = [_register]


# --- the residents' satisfaction survey (submissions.consultation.survey) ----------------------------------------

SURVEYED, TALLIED = "surveyed", "tallied"


def _survey(side: Side) -> None:
    """The side's round has its satisfaction survey (the starter question)."""
    survey_services.survey_create(round_=side.open_round, user=side.office)


def _tally(side: Side) -> None:
    """The commune, and its neighbour in the district, entered the tally of their paper surveys, with a scan."""
    for submission, officer in ((side.submission(), officer_of(side)), (neighbour_of(side), _neighbour_officer(side))):
        survey_services.paper_tally_save(
            submission=submission,
            respondents=50,
            satisfied=47,
            uploads=[SimpleUploadedFile("phieu-giay.pdf", PDF)],
            user=officer,
        )


def survey_answer_body(w: World, s: Side) -> dict:
    """One resident's answer to the starter question: satisfied."""
    question = SurveyQuestion.objects.get(survey__round=s.open_round)
    return {f"cau_{question.pk}": question.choice_list[1]}


def tally_file_of(w: World, s: Side) -> int:
    return PaperTallyFile.objects.get(tally__submission_id=s.submission_pk).pk


def neighbour_tally_file_of(w: World, s: Side) -> int:
    return PaperTallyFile.objects.get(tally__submission=neighbour_of(s)).pk


STAGES[SURVEYED] = [_forward, _appraise_all, _consult, _survey]
STAGES[TALLIED] = [_tally]


# --- recognition preconditions (submissions.recognition) ---------------------------------------------------------

PRECONDITIONED, PRECONDITION_EVIDENCED = "preconditioned", "precondition_evidenced"


def _with_preconditions(side: Side) -> None:
    """The round's set version gets two preconditions, as in the review matrix: DK1 (:data:`DEBT`), a yes/no the
    construction department (so-xd: the attacking appraiser's, in its province) confirms, and DK2, so-nnmt's."""
    preconditions_given(side.submission())


def _confirm_with_evidence(side: Side) -> None:
    """The side's construction department confirms DK1 with a file."""
    recognition_services.precondition_confirm(
        submission=side.submission(),
        code=DEBT,
        user=side.construction,
        met=True,
        files=[SimpleUploadedFile("xac-nhan.pdf", PDF)],
    )


def precondition_evidence_of(w: World, s: Side) -> int:
    return PreconditionEvidence.objects.get(result__submission_id=s.submission_pk).pk


STAGES[PRECONDITIONED] = [_with_preconditions, _forward]
STAGES[PRECONDITION_EVIDENCED] = [_with_preconditions, _forward, _confirm_with_evidence]

FINGERPRINTED.extend(
    [
        RegistrationPeriod,
        Registration,
        RegistrationFile,
        SatisfactionSurvey,
        SurveyQuestion,
        SurveyResponse,
        PaperTally,
        PaperTallyFile,
        PreconditionResult,
        PreconditionEvidence,
    ]
)
