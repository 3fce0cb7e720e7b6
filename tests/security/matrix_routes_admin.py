"""The attacker matrix's routes of Wagtail's admin (:mod:`tests.security.test_attacker_matrix`): the directory,
criteria sets, rounds and their exports, background exports, the outbox, integrators' tokens, the office's
people, invitation links and the audit trail."""

import datetime
from collections.abc import Callable

from django.utils import timezone
from django.utils.http import urlsafe_base64_encode

from cms.directory.models import Membership
from cms.outbox.models import Notice
from cms.security.models import IntegratorToken
from tests.security.matrix_cells import (
    NATIONAL_READER_EXPORTS,
    NOBODY,
    ONLY_OFFICE,
    Route,
    get,
    post,
    rights,
)
from tests.security.matrix_world import (
    ANONYMOUS,
    APPRAISAL,
    CLOSED,
    CONSULTED,
    DEPARTMENT,
    DISTRICT,
    EXPORTED_BY_ATTACKER,
    EXPORTED_BY_COLLEAGUE,
    NOTICE_FAILED,
    OFFICE,
    OFFICER,
    RECOGNITION,
    SUBMITTED,
    TITLED,
    TOKEN_ISSUED,
    attacker_job,
    colleague_job,
    consultation_of,
    notice_event,
    title_of,
)


def _unit(w, s):
    return s.commune.pk


def _modeladmin(app_model: str, view: str, pk: Callable, own: dict, *, post_body=None, national="", stage=APPRAISAL):
    path = lambda w, s: f"/admin/{app_model}/{view}/{pk(w, s)}/"  # noqa: E731
    requests = (get(path, stage),)
    if post_body is not None:
        requests += (post(path, post_body, stage),)
    return Route(f"/admin/{app_model}/{view}/<instance_pk>/", requests, own, national=national)


def _round_action(action: str, stage: str, own: dict, round_of=lambda s: s.open_round, body=lambda w, s: {}):
    path = lambda w, s: f"/admin/submissions/round/{round_of(s).pk}/{action}/"  # noqa: E731
    return Route(f"/admin/submissions/round/<pk>/{action}/", (get(path, stage), post(path, body, stage)), own)


def _token_revoke(w, s) -> str:
    return f"/admin/security/api-tokens/{IntegratorToken.objects.get(integrator__province=s.province).pk}/revoke/"


def _person(action=""):
    return lambda w, s: f"/admin/nguoi-dung/{s.reviewer.pk}/{action}"


def _person_body(w, s):
    return {"full_name": "Người Thẩm Tra", "email": "thamtra@example.org", "phone": "0905000111"}


NATIONAL_EDITION = "editions are the national list of administrative units, shared by every province"
NATIONAL_CLASSIFICATION = "classifications (regions, commune groups) are national vocabularies"

ADMIN_ROUTES = [
    # --- directory admin (modeladmin) ---
    _modeladmin("directory/unit", "edit", _unit, None, post_body=lambda w, s: {}),
    _modeladmin("directory/unit", "delete", _unit, None, post_body=lambda w, s: {}),
    _modeladmin("directory/unit", "inspect", _unit, None),
    _modeladmin("directory/unit", "history", _unit, None),
    _modeladmin("directory/edition", "edit", lambda w, s: w.edition_pk, None, national=NATIONAL_EDITION),
    _modeladmin(
        "directory/edition",
        "delete",
        lambda w, s: w.edition_pk,
        None,
        post_body=lambda w, s: {},
        national=NATIONAL_EDITION,
    ),
    _modeladmin("directory/edition", "history", lambda w, s: w.edition_pk, None, national=NATIONAL_EDITION),
    _modeladmin(
        "directory/classification", "edit", lambda w, s: w.classification_pk, None, national=NATIONAL_CLASSIFICATION
    ),
    _modeladmin(
        "directory/classification",
        "delete",
        lambda w, s: w.classification_pk,
        None,
        post_body=lambda w, s: {},
        national=NATIONAL_CLASSIFICATION,
    ),
    _modeladmin(
        "directory/classification",
        "history",
        lambda w, s: w.classification_pk,
        None,
        national=NATIONAL_CLASSIFICATION,
    ),
    _modeladmin("directory/department", "edit", lambda w, s: s.department_pk, None, post_body=lambda w, s: {}),
    _modeladmin("directory/department", "delete", lambda w, s: s.department_pk, None, post_body=lambda w, s: {}),
    _modeladmin("directory/department", "history", lambda w, s: s.department_pk, None),
    _modeladmin("directory/membership", "edit", lambda w, s: s.membership_pk, None, post_body=lambda w, s: {}),
    _modeladmin("directory/membership", "delete", lambda w, s: s.membership_pk, None, post_body=lambda w, s: {}),
    _modeladmin("directory/membership", "history", lambda w, s: s.membership_pk, None),
    # --- criteria sets: each province's own (the national library: tests/public_site/test_two_provinces.py) ---
    Route(
        "/admin/criteria/sets/<page_id>/versions/",
        (get(lambda w, s: f"/admin/criteria/sets/{s.criteria_set_pk}/versions/"),),
        rights(allowed=(OFFICE, DISTRICT, DEPARTMENT), refused=(OFFICER, ANONYMOUS)),
    ),
    Route(
        "/admin/criteria/sets/<page_id>/export.<fmt>",
        (get(lambda w, s: f"/admin/criteria/sets/{s.criteria_set_pk}/export.json"),),
        rights(allowed=(OFFICE, DISTRICT, DEPARTMENT), refused=(OFFICER, ANONYMOUS)),
    ),
    # --- rounds admin ---
    _modeladmin("submissions/round", "edit", lambda w, s: s.draft_round.pk, None, post_body=lambda w, s: {}),
    _modeladmin("submissions/round", "delete", lambda w, s: s.draft_round.pk, None, post_body=lambda w, s: {}),
    _modeladmin("submissions/round", "inspect", lambda w, s: s.open_round.pk, None),
    _modeladmin("submissions/round", "history", lambda w, s: s.open_round.pk, None),
    _round_action("open", SUBMITTED, None, round_of=lambda s: s.draft_round),
    _round_action("close", SUBMITTED, None),
    _round_action("reopen", CLOSED, None, body=lambda w, s: {"reason": "Xã cần bổ sung hồ sơ"}),
    _round_action("archive", CLOSED, None),
    Route(
        "/admin/submissions/round/<pk>/export/<kind>/",
        tuple(
            get(lambda w, s, kind=kind: f"/admin/submissions/round/{s.open_round.pk}/export/{kind}/")
            for kind in ("summary", "statistics", "departments")
        )
        + (get(lambda w, s: f"/admin/submissions/round/{s.open_round.pk}/export/unit/?unit={s.commune.code}"),),
        None,
    ),
    # --- background exports (submissions.reports.jobs): started by an office on its province's round ---
    Route(
        "/admin/submissions/exports/round/<pk>/<kind>/",
        tuple(
            post(
                lambda w, s, kind=kind: f"/admin/submissions/exports/round/{s.open_round.pk}/{kind}/",
                national_reader_may=NATIONAL_READER_EXPORTS,
            )
            for kind in ("summary", "statistics", "departments")
        )
        + (
            post(
                lambda w, s: f"/admin/submissions/exports/round/{s.open_round.pk}/summary/",
                lambda w, s: {"parent": s.district.code},
                national_reader_may=NATIONAL_READER_EXPORTS,
            ),
        ),
        ONLY_OFFICE,
    ),
    Route(
        "/admin/submissions/exports/<job_pk>/download/",
        (
            get(lambda w, s: f"/admin/submissions/exports/{attacker_job(w, s)}/download/", EXPORTED_BY_ATTACKER),
            get(
                lambda w, s: f"/admin/submissions/exports/{colleague_job(w, s)}/download/",
                EXPORTED_BY_COLLEAGUE,
                own=NOBODY,
            ),
        ),
        ONLY_OFFICE,
    ),
    # --- the outbox (cms.outbox): a failed notice is sent again by the office of a province it concerns ---
    Route(
        "/admin/thu-thong-bao/<pk>/gui-lai/",
        (
            post(
                lambda w, s: f"/admin/thu-thong-bao/{Notice.objects.get(event=notice_event(s)).pk}/gui-lai/",
                stage=NOTICE_FAILED,
            ),
        ),
        ONLY_OFFICE,
    ),
    # --- integrators' API tokens (cms.security) ---
    Route(
        "/admin/security/api-tokens/<pk>/revoke/",
        (
            get(_token_revoke, TOKEN_ISSUED),
            post(_token_revoke, lambda w, s: {"comment": "Không dùng nữa"}, TOKEN_ISSUED),
        ),
        ONLY_OFFICE,
    ),
    # --- the office's people (cms.people): the side's district reviewer, all of whose memberships lie there ---
    Route("/admin/nguoi-dung/<pk>/", (get(_person()), post(_person(), _person_body)), ONLY_OFFICE),
    *(
        Route(f"/admin/nguoi-dung/<pk>/{action}/", (post(_person(f"{action}/"), body),), ONLY_OFFICE)
        for action, body in (
            ("khoa", lambda w, s: {}),
            ("mo-lai", lambda w, s: {}),
            ("moi", lambda w, s: {}),
            ("thu-kich-hoat", lambda w, s: {}),
            ("phan-quyen", lambda w, s: {"role": DISTRICT, "scope": s.district.code}),
        )
    ),
    Route(
        "/admin/nguoi-dung/<pk>/phan-quyen/<membership_pk>/thu-hoi/",
        (
            post(
                lambda w, s: (
                    f"/admin/nguoi-dung/{Membership.objects.get(pk=s.membership_pk).user_id}/phan-quyen/"
                    f"{s.membership_pk}/thu-hoi/"
                )
            ),
        ),
        ONLY_OFFICE,
    ),
    # an invitation link is its own credential: a made-up token opens nothing, for anyone
    Route(
        "/kich-hoat/<uidb64>/<token>/",
        (get(lambda w, s: f"/kich-hoat/{urlsafe_base64_encode(str(s.reviewer.pk).encode())}/1-abc/"),),
        NOBODY,
    ),
    # --- the audit trail of one object (cms.audit) ---
    Route(
        "/admin/nhat-ky/<app_label>/<model_name>/<pk>/",
        (get(lambda w, s: f"/admin/nhat-ky/submissions/submission/{s.submission_pk}/"),),
        None,
    ),
]


# --- the public consultation (submissions.consultation): the office opens, reads and closes its province's -----------


def _today(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


_consultation_admin = "/admin/submissions/consultation/"
ADMIN_ROUTES += [
    Route(
        "/admin/submissions/consultation/mo/<submission_pk>/",
        (
            get(lambda w, s: f"{_consultation_admin}mo/{s.submission_pk}/", RECOGNITION),
            post(
                lambda w, s: f"{_consultation_admin}mo/{s.submission_pk}/",
                lambda w, s: {"opens_on": _today(), "closes_on": _today(30)},
                RECOGNITION,
            ),
        ),
        own=ONLY_OFFICE,
    ),
    Route(
        "/admin/submissions/consultation/<pk>/",
        (get(lambda w, s: f"{_consultation_admin}{consultation_of(w, s)}/", CONSULTED),),
        own=ONLY_OFFICE,
    ),
    Route(
        "/admin/submissions/consultation/<pk>/ket-thuc/",
        (post(lambda w, s: f"{_consultation_admin}{consultation_of(w, s)}/ket-thuc/", stage=CONSULTED),),
        own=ONLY_OFFICE,
    ),
]


# --- titles (submissions.titles): the office reads, corrects and revokes its province's; its documents are private --

_titles_admin = "/admin/submissions/titles/"
ADMIN_ROUTES += [
    Route(
        "/admin/submissions/titles/<pk>/",
        (get(lambda w, s: f"{_titles_admin}{title_of(w, s)}/", TITLED),),
        own=ONLY_OFFICE,
    ),
    Route(
        "/admin/submissions/titles/<pk>/thu-hoi/",
        (
            get(lambda w, s: f"{_titles_admin}{title_of(w, s)}/thu-hoi/", TITLED),
            post(
                lambda w, s: f"{_titles_admin}{title_of(w, s)}/thu-hoi/",
                lambda w, s: {"revocation_number": "9/QĐ-UBND", "revoked_on": "01/06/2025", "reason": "Thử"},
                TITLED,
            ),
        ),
        own=ONLY_OFFICE,
    ),
    Route(
        "/admin/submissions/titles/<pk>/dinh-chinh/",
        (
            get(lambda w, s: f"{_titles_admin}{title_of(w, s)}/dinh-chinh/", TITLED),
            post(
                lambda w, s: f"{_titles_admin}{title_of(w, s)}/dinh-chinh/",
                lambda w, s: {"decision_number": "2/QĐ-UBND", "decision_date": "21/12/2019", "reason": "Thử"},
                TITLED,
            ),
        ),
        own=ONLY_OFFICE,
    ),
    Route(
        "/admin/submissions/titles/<pk>/van-ban/<which>/",
        (get(lambda w, s: f"{_titles_admin}{title_of(w, s)}/van-ban/quyet-dinh/", TITLED),),
        own=ONLY_OFFICE,
    ),
]
