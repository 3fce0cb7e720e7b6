"""Who may do what in the review flow: every role × every review page and review API endpoint (plus the
commune's form and evidence download, and the recognition preconditions' panel and API:
:mod:`tests.submissions.permission_matrix_preconditions`) × own and other scope, one test per cell, named like
``district_reviewer-other-POST forward``. The cells' world, stages and readers are in
:mod:`tests.submissions.permission_matrix_cells`.

Before each request the submission is brought, with the review functions, to the stage where the action is
possible, so a refusal can only be about permission. A cell is

- *refused*: 404, 403, 401 (the API, to a caller without credentials), a redirect to the login page (or the
  admin), or — web review actions on a submission the user may open — a redirect back with the "no permission"
  message; and nothing changed;
- *allowed*: a success status and the expected change (nothing else for reads);
- for queues *listed* / *unlisted*: the queue opens, with or without the submission (for department
  appraisers: the row of the criterion acted on); for the detail *limited*: it opens without the evidence of
  criteria the caller's department does not appraise.
"""

from django.urls import get_resolver

import pytest

from cms.directory.models import Role
from submissions.models import Evidence, SubmissionStatus
from submissions.review.urls import urlpatterns as review_urlpatterns
from tests.factories import member, province, shared_layer
from tests.submissions.permission_matrix_cells import (
    ALLOWED,
    CELLS,
    CRITERION,
    DEPARTMENT,
    DISTRICT,
    LIMITED,
    LISTED,
    OFFICE,
    OFFICER,
    OTHER,
    OWN,
    REFUSED,
    REVIEW_API,
    REVIEW_WEB,
    ROLE_STAGE,
    STAGES,
    UNLISTED,
    Action,
    World,
    api,
    api_action,
    api_appraise_many,
    api_detail,
    api_queue,
    appraised,
    describe,
    detail_path,
    overridden,
    own,
    published,
    snapshot,
    status_becomes,
    value_saved,
    version_of,
    web,
    web_action,
    web_detail,
    web_form_post,
    web_queue,
    web_read,
)
from tests.submissions.permission_matrix_preconditions import PRECONDITION_ACTIONS


@pytest.fixture(autouse=True)
def _no_background_tasks(settings):
    """Only Wagtail queues tasks (its search and reference indexes of pages): they play no part here and,
    run at once, are half of each cell's set-up time."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@shared_layer
def world(area, flow) -> World:
    """Hòa Thuận's submitted submission (``flow``) and one user per (role, scope), built once for the module:
    each cell runs in its own savepoint, so the stage it reaches and what it changes are rolled back."""
    users = {
        (OFFICER, OWN): area["officers"]["hoa_thuan"],
        (OFFICER, OTHER): area["officers"]["ea_wer"],
        (DISTRICT, OWN): area["reviewer"],
        (DISTRICT, OTHER): member(Role.DISTRICT_REVIEWER, unit=area["districts"]["buon_don"], username="thamtra_bd"),
        (DEPARTMENT, OWN): flow["construction"],  # so-xd
        (DEPARTMENT, OTHER): flow["agriculture"],  # so-nnmt
        (OFFICE, OWN): area["office"],
        (OFFICE, OTHER): member(
            Role.OFFICE_EDITOR, unit=province(code="67", name="Tỉnh Đắk Nông"), username="vanphong_dak_nong"
        ),
    }
    submission = flow["submission"]
    evidence = Evidence.objects.get(submission=submission, indicator_code="1.1")
    return World(submission=submission, evidence=evidence, users=users, question=flow["question"])


QUEUE_EXPECTED = {
    **own(DISTRICT, DEPARTMENT, OFFICE, outcome=LISTED),
    (DISTRICT, OTHER): UNLISTED,
    (DEPARTMENT, OTHER): UNLISTED,  # it lists criterion 10 of the same submission, not criterion 1
    (OFFICE, OTHER): UNLISTED,
}
#: The other department appraises criterion 10 of the same submission: it opens it, without 1.1's evidence.
DETAIL_EXPECTED = {**own(DISTRICT, DEPARTMENT, OFFICE), (DEPARTMENT, OTHER): LIMITED}
HISTORY_EXPECTED = {**own(DISTRICT, DEPARTMENT, OFFICE), (DEPARTMENT, OTHER): ALLOWED}


def _return_web(world: World) -> dict:
    return {
        "lock_version": version_of(world),
        "comment": "Bổ sung số liệu",
        "item_target": [f"c:{CRITERION}"],
        "item_comment": ["Thiếu chữ ký trên quyết định"],
    }


def _return_api(world: World) -> dict:
    return {
        "lock_version": version_of(world),
        "comment": "Bổ sung số liệu",
        "items": [{"criterion_number": CRITERION, "comment": "Thiếu chữ ký trên quyết định"}],
    }


def _recognise_data(world: World) -> dict:
    return {"lock_version": version_of(world), "decision_number": "123/QĐ-UBND", "decision_date": "20/11/2026"}


def _form_data(world: World) -> dict:
    return {
        "lock_version": version_of(world),
        "save": "1",
        "v_1_1": "yes",
        "v_2_1": "96",
        "v_2_2": "7",
        "v_10_1": "50",
        world.question: "Nguyễn Văn An",
    }


WEB_ACTIONS = [
    Action("GET queue", ROLE_STAGE, web(lambda w: REVIEW_WEB), web_queue, QUEUE_EXPECTED, url_name="review:queue"),
    Action(
        "GET detail",
        SubmissionStatus.APPRAISAL,
        web(detail_path(True)),
        web_detail,
        DETAIL_EXPECTED,
        url_name="review:detail",
    ),
    Action(
        "GET history",
        SubmissionStatus.APPRAISAL,
        web(detail_path(True, "lich-su.xlsx")),
        web_read,
        HISTORY_EXPECTED,
        url_name="review:history-export",
    ),
    Action(
        "POST forward",
        SubmissionStatus.SUBMITTED,
        web(detail_path(True, "chuyen/"), lambda w: {"lock_version": version_of(w), "comment": "Đạt"}),
        web_action,
        own(DISTRICT, OFFICE),
        status_becomes(SubmissionStatus.APPRAISAL),
        url_name="review:forward",
    ),
    Action(
        "POST return",
        ROLE_STAGE,
        web(detail_path(True, "tra-lai/"), _return_web),
        web_action,
        own(DISTRICT, DEPARTMENT, OFFICE),
        status_becomes(SubmissionStatus.RETURNED),
        url_name="review:return",
    ),
    Action(
        "POST appraise",
        SubmissionStatus.APPRAISAL,
        web(detail_path(True, "tham-dinh/"), lambda w: {"number": CRITERION, "lock_version": version_of(w)}),
        web_action,
        own(DEPARTMENT, OFFICE),
        appraised,
        url_name="review:appraise",
    ),
    Action(
        "POST override",
        SubmissionStatus.APPRAISAL,
        web(
            detail_path(True, "dieu-chinh/"),
            lambda w: {"target": f"c:{CRITERION}", "verdict": "not_met", "reason": "Quy hoạch chưa được duyệt lại"},
        ),
        web_action,
        own(DEPARTMENT, OFFICE),
        overridden,
        url_name="review:override",
    ),
    Action(
        "POST recognise",
        SubmissionStatus.RECOGNITION,
        web(detail_path(True, "cong-nhan/"), _recognise_data),
        web_action,
        own(OFFICE),
        status_becomes(SubmissionStatus.RECOGNISED),
        url_name="review:recognise",
    ),
    Action(
        "POST publish",
        SubmissionStatus.RECOGNISED,
        web(detail_path(True, "cong-khai/"), lambda w: {"published": "1"}),
        web_action,
        own(OFFICE),
        published,
        url_name="review:publish",
    ),
    Action(
        "POST appraise-many",
        SubmissionStatus.APPRAISAL,
        web(lambda w: f"{REVIEW_WEB}tham-dinh-nhieu/", lambda w: {"number": CRITERION, "submission": [w.pk]}),
        web_action,
        own(DEPARTMENT, OFFICE),
        appraised,
        url_name="review:appraise-many",
    ),
    Action(
        "POST forward-many",
        SubmissionStatus.SUBMITTED,
        web(lambda w: f"{REVIEW_WEB}chuyen-nhieu/", lambda w: {"confirm": "1", "submission": [w.pk]}),
        web_action,
        own(DISTRICT, OFFICE),
        status_becomes(SubmissionStatus.APPRAISAL),
        url_name="review:forward-many",
    ),
    Action(
        "POST recognise-many",
        SubmissionStatus.RECOGNITION,
        web(
            lambda w: f"{REVIEW_WEB}cong-nhan-nhieu/",
            lambda w: {**_recognise_data(w), "confirm": "1", "submission": [w.pk]},
        ),
        web_action,
        own(OFFICE),
        status_becomes(SubmissionStatus.RECOGNISED),
        url_name="review:recognise-many",
    ),
    Action(
        "POST publish-many",
        SubmissionStatus.RECOGNISED,
        web(lambda w: f"{REVIEW_WEB}cong-khai-nhieu/", lambda w: {"confirm": "1", "submission": [w.pk]}),
        web_action,
        own(OFFICE),
        published,
        url_name="review:publish-many",
    ),
    Action(
        "GET form",
        SubmissionStatus.RETURNED,
        web(lambda w: f"/danh-gia/ho-so/{w.pk}/"),
        web_read,
        own(OFFICER),
        url_name="submissions:form",
    ),
    Action(
        "POST form",
        SubmissionStatus.RETURNED,
        web(lambda w: f"/danh-gia/ho-so/{w.pk}/", _form_data),
        web_form_post,
        own(OFFICER),
        value_saved,
        url_name="submissions:form",
    ),
    Action(
        "GET evidence",
        SubmissionStatus.APPRAISAL,
        web(lambda w: f"/danh-gia/minh-chung/{w.evidence.pk}/"),
        web_read,
        own(OFFICER, DISTRICT, DEPARTMENT, OFFICE),
        url_name="submissions:evidence",
    ),
]

API_ACTIONS = [
    Action(
        "API GET queue",
        ROLE_STAGE,
        api(lambda w: f"{REVIEW_API}queue/"),
        api_queue,
        QUEUE_EXPECTED,
        url_name="api-v1:review-queue",
    ),
    Action(
        "API GET detail",
        SubmissionStatus.APPRAISAL,
        api(detail_path(False)),
        api_detail,
        DETAIL_EXPECTED,
        url_name="api-v1:review-submission",
    ),
    Action(
        "API POST forward",
        SubmissionStatus.SUBMITTED,
        api(detail_path(False, "forward"), lambda w: {"lock_version": version_of(w), "comment": "Đạt"}),
        api_action,
        own(DISTRICT, OFFICE),
        status_becomes(SubmissionStatus.APPRAISAL),
        url_name="api-v1:review-forward",
    ),
    Action(
        "API POST return",
        ROLE_STAGE,
        api(detail_path(False, "return"), _return_api),
        api_action,
        own(DISTRICT, DEPARTMENT, OFFICE),
        status_becomes(SubmissionStatus.RETURNED),
        url_name="api-v1:review-return",
    ),
    Action(
        "API POST appraise",
        SubmissionStatus.APPRAISAL,
        api(detail_path(False, "appraise"), lambda w: {"number": CRITERION, "lock_version": version_of(w)}),
        api_action,
        own(DEPARTMENT, OFFICE),
        appraised,
        url_name="api-v1:review-appraise",
    ),
    Action(
        "API POST override",
        SubmissionStatus.APPRAISAL,
        api(
            detail_path(False, "override"),
            lambda w: {"criterion_number": CRITERION, "met": False, "reason": "Quy hoạch chưa được duyệt lại"},
        ),
        api_action,
        own(DEPARTMENT, OFFICE),
        overridden,
        url_name="api-v1:review-override",
    ),
    Action(
        "API POST recognise",
        SubmissionStatus.RECOGNITION,
        api(detail_path(False, "recognise"), _recognise_data),
        api_action,
        own(OFFICE),
        status_becomes(SubmissionStatus.RECOGNISED),
        url_name="api-v1:review-recognise",
    ),
    Action(
        "API POST publish",
        SubmissionStatus.RECOGNISED,
        api(detail_path(False, "publish"), lambda w: {"published": True}),
        api_action,
        own(OFFICE),
        published,
        url_name="api-v1:review-publish",
    ),
    Action(
        "API POST appraise-many",
        SubmissionStatus.APPRAISAL,
        api(lambda w: f"{REVIEW_API}appraise-many/", lambda w: {"number": CRITERION, "submissions": [w.pk]}),
        api_appraise_many,
        own(DEPARTMENT, OFFICE),
        appraised,
        url_name="api-v1:review-appraise-many",
    ),
    Action(
        "API POST forward-many",
        SubmissionStatus.SUBMITTED,
        api(lambda w: f"{REVIEW_API}forward-many/", lambda w: {"submissions": [w.pk], "comment": "Đạt"}),
        api_appraise_many,
        own(DISTRICT, OFFICE),
        status_becomes(SubmissionStatus.APPRAISAL),
        url_name="api-v1:review-forward-many",
    ),
    Action(
        "API POST recognise-many",
        SubmissionStatus.RECOGNITION,
        api(
            lambda w: f"{REVIEW_API}recognise-many/",
            lambda w: {"submissions": [w.pk], "decision_number": "123/QĐ-UBND", "decision_date": "20/11/2026"},
        ),
        api_appraise_many,
        own(OFFICE),
        status_becomes(SubmissionStatus.RECOGNISED),
        url_name="api-v1:review-recognise-many",
    ),
    Action(
        "API POST publish-many",
        SubmissionStatus.RECOGNISED,
        api(lambda w: f"{REVIEW_API}publish-many/", lambda w: {"submissions": [w.pk]}),
        api_appraise_many,
        own(OFFICE),
        published,
        url_name="api-v1:review-publish-many",
    ),
]

ACTIONS = WEB_ACTIONS + API_ACTIONS + PRECONDITION_ACTIONS


def _cell_id(role: str, scope: str, action: Action) -> str:
    return f"{role}-{scope}-{action.name}" if scope else f"{role}-{action.name}"


MATRIX = [
    pytest.param(role, scope, action, id=_cell_id(role, scope, action)) for action in ACTIONS for role, scope in CELLS
]


@pytest.mark.parametrize(("role", "scope", "action"), MATRIX)
def test_permission_matrix(client, world, role, scope, action):
    for step in STAGES[action.stage_for(role)]:
        step(world)
    user = world.user(role, scope)
    if user is not None:
        client.force_login(user)
    before = snapshot(world)

    response = action.send(client, world)

    cell = _cell_id(role, scope, action)
    expected = action.expected.get((role, scope), REFUSED)
    outcome = action.outcome(response, world)
    assert outcome == expected, f"{cell}: expected {expected}, got {outcome} ({describe(response)})"
    after = snapshot(world)
    if expected == ALLOWED and action.effect is not None:
        assert action.effect(before, after), f"{cell}: allowed, but the expected change did not happen: {after}"
    else:
        assert after == before, f"{cell}: {expected}, but the submission changed: {before} -> {after}"


def test_the_matrix_covers_every_review_route():
    """A new review page or review API endpoint must join the matrix."""
    covered = {action.url_name for action in ACTIONS}
    pages = {f"review:{pattern.name}" for pattern in review_urlpatterns}
    api = {
        f"api-v1:{name}"
        for name in get_resolver().namespace_dict["api-v1"][1].reverse_dict
        if isinstance(name, str) and name.startswith("review-")
    }
    assert pages | api <= covered, f"not in the matrix: {sorted((pages | api) - covered)}"
    assert len(MATRIX) == len(CELLS) * len(ACTIONS)
