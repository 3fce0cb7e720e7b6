"""The attacker matrix's routes of the public consultation and the residents' satisfaction survey
(:mod:`tests.security.test_attacker_matrix`): the commune's consultation page, comments (posted by anyone,
moderated and answered), the consultations' API, the survey's answers (anyone, during the consultation), the paper
tally the commune enters with its scanned forms, and the office's survey pages in the admin."""

import json

from tests.security.matrix_cells import (
    EVERYONE,
    NOBODY,
    ONLY_OFFICE,
    ONLY_OFFICER,
    PUBLIC,
    Route,
    get,
    json_post,
    post,
    rights,
)
from tests.security.matrix_world import (
    ANONYMOUS,
    CONSULTED,
    DEPARTMENT,
    DISTRICT,
    OFFICE,
    OFFICER,
    PENDING_COMMENT,
    PUBLISHED_COMMENT,
    comment_of,
    consultation_of,
)
from tests.security.matrix_world_road import (
    SURVEYED,
    TALLIED,
    neighbour_of,
    neighbour_tally_file_of,
    survey_answer_body,
    tally_file_of,
)

ANYONE_COMMENTS = (
    "anyone, with or without an account, comments on any province's public consultation (a honeypot, length and "
    "rate limits guard it); the comment waits for moderation and changes no one's data"
)


def _public_consultation_only(answer) -> bool:
    """What the public reads of a consultation: published comments, never a pending one or a contact."""
    text = json.dumps(answer, ensure_ascii=False) if not isinstance(answer, str) else answer
    return PENDING_COMMENT not in text and "0900000000" not in text and PUBLISHED_COMMENT in text


CONSULTATION_ROUTES = [
    Route(
        "/lay-y-kien/<pk>/",
        (get(lambda w, s: f"/lay-y-kien/{consultation_of(w, s)}/", CONSULTED),),
        own=ONLY_OFFICER,
    ),
    Route(
        "/lay-y-kien/<pk>/gop-y/",
        (
            post(
                lambda w, s: f"/lay-y-kien/{consultation_of(w, s)}/gop-y/",
                lambda w, s: {"body": "Góp ý của người dân"},
                CONSULTED,
                national_reader_may=ANYONE_COMMENTS,
            ),
        ),
        own=EVERYONE,
        national=ANYONE_COMMENTS,
    ),
    Route(
        "/lay-y-kien/y-kien/<pk>/duyet/",
        (
            post(
                lambda w, s: f"/lay-y-kien/y-kien/{comment_of(PENDING_COMMENT)(w, s)}/duyet/",
                lambda w, s: {"decision": "approve"},
                CONSULTED,
            ),
        ),
        own=rights(allowed=(OFFICE, OFFICER), refused=(DISTRICT, DEPARTMENT, ANONYMOUS)),
    ),
    Route(
        "/lay-y-kien/y-kien/<pk>/tra-loi/",
        (
            post(
                lambda w, s: f"/lay-y-kien/y-kien/{comment_of(PUBLISHED_COMMENT)(w, s)}/tra-loi/",
                lambda w, s: {"answer": "Xã xin tiếp thu"},
                CONSULTED,
            ),
        ),
        own=ONLY_OFFICER,
    ),
    Route(
        "/api/v1/consultations/<pk>/",
        (get(lambda w, s: f"/api/v1/consultations/{consultation_of(w, s)}/", CONSULTED),),
        own=EVERYONE,
        other=PUBLIC,
        public_only=_public_consultation_only,
    ),
    Route(
        "/api/v1/consultations/<pk>/comments/",
        (
            json_post(
                lambda w, s: f"/api/v1/consultations/{consultation_of(w, s)}/comments/",
                lambda w, s: {"body": "Góp ý qua API"},
                CONSULTED,
                national_reader_may=ANYONE_COMMENTS,
            ),
        ),
        own=EVERYONE,
        national=ANYONE_COMMENTS,
    ),
]


# --- the residents' satisfaction survey (submissions.consultation.survey_*) ------------------------------------------

ANYONE_ANSWERS = (
    "anyone, with or without an account, answers the satisfaction survey of any province's open consultation (a "
    "honeypot and a limit per address guard it); an answer changes no one's data"
)
_survey_admin = "/admin/submissions/consultation/survey/"
#: The scanned paper surveys are private like evidence: the people whose unit scope covers the submission.
UNIT_PEOPLE = rights(allowed=(OFFICE, DISTRICT, OFFICER), refused=(DEPARTMENT, ANONYMOUS))
#: A neighbour commune's scans: its district and its province, not another commune's officer.
OVER_IT = rights(allowed=(OFFICE, DISTRICT), refused=(DEPARTMENT, OFFICER, ANONYMOUS))


def _tally_body(w, s) -> dict:
    return {"respondents": "40", "satisfied": "38", "note": "Phiếu thu tại nhà văn hóa"}


CONSULTATION_ROUTES += [
    Route(
        "/lay-y-kien/<pk>/khao-sat/",
        (
            get(lambda w, s: f"/lay-y-kien/{consultation_of(w, s)}/khao-sat/", SURVEYED),
            post(
                lambda w, s: f"/lay-y-kien/{consultation_of(w, s)}/khao-sat/",
                survey_answer_body,
                SURVEYED,
                national_reader_may=ANYONE_ANSWERS,
            ),
        ),
        own=EVERYONE,
        national=ANYONE_ANSWERS,
    ),
    # the commune's own tally; its neighbour's in the district (same district, another commune) is nobody's here
    Route(
        "/lay-y-kien/phieu-giay/<pk>/",
        (
            get(lambda w, s: f"/lay-y-kien/phieu-giay/{s.submission_pk}/"),
            post(lambda w, s: f"/lay-y-kien/phieu-giay/{s.submission_pk}/", _tally_body),
            get(lambda w, s: f"/lay-y-kien/phieu-giay/{neighbour_of(s).pk}/", own=NOBODY),
            post(lambda w, s: f"/lay-y-kien/phieu-giay/{neighbour_of(s).pk}/", _tally_body, own=NOBODY),
        ),
        own=ONLY_OFFICER,
    ),
    Route(
        "/lay-y-kien/phieu-giay/tep/<pk>/",
        (
            get(lambda w, s: f"/lay-y-kien/phieu-giay/tep/{tally_file_of(w, s)}/", TALLIED),
            get(lambda w, s: f"/lay-y-kien/phieu-giay/tep/{neighbour_tally_file_of(w, s)}/", TALLIED, own=OVER_IT),
        ),
        own=UNIT_PEOPLE,
    ),
    Route(
        "/lay-y-kien/phieu-giay/tep/<pk>/xoa/",
        (
            post(lambda w, s: f"/lay-y-kien/phieu-giay/tep/{tally_file_of(w, s)}/xoa/", stage=TALLIED),
            post(
                lambda w, s: f"/lay-y-kien/phieu-giay/tep/{neighbour_tally_file_of(w, s)}/xoa/",
                stage=TALLIED,
                own=NOBODY,
            ),
        ),
        own=ONLY_OFFICER,
    ),
    Route(
        "/admin/submissions/consultation/survey/<round_pk>/",
        (
            get(lambda w, s: f"{_survey_admin}{s.open_round.pk}/"),
            post(lambda w, s: f"{_survey_admin}{s.open_round.pk}/", lambda w, s: {"create": "1"}),
        ),
        own=ONLY_OFFICE,
    ),
    Route(
        "/admin/submissions/consultation/survey/<round_pk>/ket-qua/",
        (get(lambda w, s: f"{_survey_admin}{s.open_round.pk}/ket-qua/", SURVEYED),),
        own=ONLY_OFFICE,
    ),
]
