"""The attacker matrix's routes of registration, recognition preconditions and the recognition dossier
(:mod:`tests.security.test_attacker_matrix`): the commune registers its target title (its pages, its files), the
office decides and closes periods in the admin; the preconditions panel, its evidence and its API (the department
the precondition names confirms, the office confirms and waives); the office's dossier zip."""

from django.utils import timezone

from submissions.registration.models import Registration
from tests.security.matrix_cells import (
    NOBODY,
    ONLY_OFFICE,
    ONLY_OFFICER,
    Route,
    get,
    json_post,
    post,
    rights,
)
from tests.security.matrix_world import ANONYMOUS, DEPARTMENT, DISTRICT, OFFICE, OFFICER, RECOGNITION
from tests.security.matrix_world_road import (
    DEBT,
    PRECONDITION_EVIDENCED,
    PRECONDITIONED,
    REGISTERED,
    neighbour_of,
    neighbour_registration_file_of,
    neighbour_registration_of,
    period_of,
    precondition_evidence_of,
    registration_file_of,
    registration_of,
)


def _next_year() -> int:
    return timezone.localdate().year + 1


# --- registration (submissions.registration) ---------------------------------------------------------------------

_registration_admin = "/admin/submissions/registration/"
#: A registration's files are private: the registrant's commune and its province's office.
REGISTRANT_AND_OFFICE = rights(allowed=(OFFICE, OFFICER), refused=(DISTRICT, DEPARTMENT, ANONYMOUS))
#: In the three-tier world a district reviewer registers its district's huyện titles: it opens the form (GET), and
#: the commune it does not register for is a form error (400), not asserted here (tests/submissions/registration).
REGISTERS_A_COMMUNE = rights(allowed=(OFFICER,), refused=(OFFICE, DEPARTMENT, ANONYMOUS), unasserted=(DISTRICT,))


def _register_body(w, s) -> dict:
    """A second target of the commune (xã NTM nâng cao: the stage registered xã NTM)."""
    return {"unit": s.commune.pk, "kind": "xa_ntm_nang_cao", "target_year": _next_year() + 1, "plan": "Nâng cao"}


def _lock_version(w, s) -> int:
    return Registration.objects.get(pk=registration_of(w, s)).lock_version


def _edit_body(w, s) -> dict:
    return {
        "kind": "xa_ntm",
        "target_year": _next_year(),
        "plan": "Hoàn thành cả tiêu chí môi trường",
        "lock_version": _lock_version(w, s),
    }


RECOGNITION_ROUTES = [
    Route(
        "/dang-ky-danh-hieu/dot/<period_pk>/dang-ky/",
        (
            get(lambda w, s: f"/dang-ky-danh-hieu/dot/{period_of(w, s)}/dang-ky/", REGISTERED),
            post(
                lambda w, s: f"/dang-ky-danh-hieu/dot/{period_of(w, s)}/dang-ky/",
                _register_body,
                REGISTERED,
                own=REGISTERS_A_COMMUNE,
            ),
        ),
        own=rights(allowed=(OFFICER, DISTRICT), refused=(OFFICE, DEPARTMENT, ANONYMOUS)),
    ),
    Route(
        "/dang-ky-danh-hieu/<pk>/",
        (
            get(lambda w, s: f"/dang-ky-danh-hieu/{registration_of(w, s)}/", REGISTERED),
            post(lambda w, s: f"/dang-ky-danh-hieu/{registration_of(w, s)}/", _edit_body, REGISTERED),
            # the neighbour commune's (same district): nobody's here, its officer's only
            get(lambda w, s: f"/dang-ky-danh-hieu/{neighbour_registration_of(w, s)}/", REGISTERED, own=NOBODY),
        ),
        own=ONLY_OFFICER,
    ),
    Route(
        "/dang-ky-danh-hieu/tep/<pk>/",
        (
            get(lambda w, s: f"/dang-ky-danh-hieu/tep/{registration_file_of(w, s)}/", REGISTERED),
            get(
                lambda w, s: f"/dang-ky-danh-hieu/tep/{neighbour_registration_file_of(w, s)}/",
                REGISTERED,
                own=ONLY_OFFICE,
            ),
        ),
        own=REGISTRANT_AND_OFFICE,
    ),
    Route(
        "/admin/submissions/registration/<pk>/",
        (
            get(lambda w, s: f"{_registration_admin}{registration_of(w, s)}/", REGISTERED),
            post(
                lambda w, s: f"{_registration_admin}{registration_of(w, s)}/",
                lambda w, s: {"decision": "approve", "comment": "Đồng ý", "lock_version": _lock_version(w, s)},
                REGISTERED,
            ),
        ),
        own=ONLY_OFFICE,
    ),
    Route(
        "/admin/submissions/registration/dot/<pk>/dong/",
        (post(lambda w, s: f"{_registration_admin}dot/{period_of(w, s)}/dong/", stage=REGISTERED),),
        own=ONLY_OFFICE,
    ),
]


# --- recognition preconditions (submissions.recognition) ---------------------------------------------------------
# The construction department (the attacking appraiser's) is named in DK1: it reads and confirms it in its province.

_panel = "/xet-duyet/cong-nhan/ho-so/"
_api = "/api/v1/review/submissions/"
#: Who reads a submission's preconditions in the own province: whoever reads the submission, and the appraisers of a
#: department named in one.
READERS = rights(allowed=(OFFICE, DISTRICT, DEPARTMENT, OFFICER), refused=(ANONYMOUS,))
#: The neighbour commune's draft (same district, not yet at appraisal): its district and its province read it.
NEIGHBOUR_READERS = rights(allowed=(OFFICE, DISTRICT), refused=(DEPARTMENT, OFFICER, ANONYMOUS))
CONFIRMERS = rights(allowed=(OFFICE, DEPARTMENT), refused=(DISTRICT, OFFICER, ANONYMOUS))
WAIVE_REASON = "Đã có văn bản cam kết hoàn thành trong quý I"

RECOGNITION_ROUTES += [
    Route(
        "/xet-duyet/cong-nhan/ho-so/<pk>/dieu-kien/",
        (
            get(lambda w, s: f"{_panel}{s.submission_pk}/dieu-kien/", PRECONDITIONED),
            get(lambda w, s: f"{_panel}{neighbour_of(s).pk}/dieu-kien/", PRECONDITIONED, own=NEIGHBOUR_READERS),
        ),
        own=READERS,
    ),
    Route(
        "/xet-duyet/cong-nhan/ho-so/<pk>/dieu-kien/<code>/xac-nhan/",
        (
            post(
                lambda w, s: f"{_panel}{s.submission_pk}/dieu-kien/{DEBT}/xac-nhan/",
                lambda w, s: {"met": "yes", "note": "Không nợ đọng"},
                PRECONDITIONED,
            ),
        ),
        own=CONFIRMERS,
    ),
    Route(
        "/xet-duyet/cong-nhan/ho-so/<pk>/dieu-kien/<code>/mien/",
        (
            post(
                lambda w, s: f"{_panel}{s.submission_pk}/dieu-kien/{DEBT}/mien/",
                lambda w, s: {"reason": WAIVE_REASON},
                PRECONDITIONED,
            ),
        ),
        own=ONLY_OFFICE,
    ),
    Route(
        "/xet-duyet/cong-nhan/minh-chung/<pk>/",
        (
            get(
                lambda w, s: f"/xet-duyet/cong-nhan/minh-chung/{precondition_evidence_of(w, s)}/",
                PRECONDITION_EVIDENCED,
            ),
        ),
        own=READERS,
    ),
    Route(
        "/api/v1/review/submissions/<pk>/preconditions/",
        (
            get(lambda w, s: f"{_api}{s.submission_pk}/preconditions/", PRECONDITIONED),
            get(lambda w, s: f"{_api}{neighbour_of(s).pk}/preconditions/", PRECONDITIONED, own=NEIGHBOUR_READERS),
        ),
        own=READERS,
    ),
    Route(
        "/api/v1/review/submissions/<pk>/preconditions/<code>/confirm/",
        (
            json_post(
                lambda w, s: f"{_api}{s.submission_pk}/preconditions/{DEBT}/confirm/",
                lambda w, s: {"met": True, "note": "Không nợ đọng"},
                PRECONDITIONED,
            ),
        ),
        own=CONFIRMERS,
    ),
    Route(
        "/api/v1/review/submissions/<pk>/preconditions/<code>/waive/",
        (
            json_post(
                lambda w, s: f"{_api}{s.submission_pk}/preconditions/{DEBT}/waive/",
                lambda w, s: {"reason": WAIVE_REASON},
                PRECONDITIONED,
            ),
        ),
        own=ONLY_OFFICE,
    ),
    # --- the recognition dossier: the office of the submission's province files it ---
    Route(
        "/xet-duyet/cong-nhan/<pk>/ho-so.zip",
        (get(lambda w, s: f"/xet-duyet/cong-nhan/{s.submission_pk}/ho-so.zip", RECOGNITION),),
        own=ONLY_OFFICE,
    ),
]
