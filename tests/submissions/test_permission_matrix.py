"""Who may do what in the review flow: every role × every review page and review API endpoint (plus the
commune's form and evidence download) × own and other scope, one test per cell, named like
``district_reviewer-other-POST forward``.

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

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.urls import get_resolver

import pytest

from cms.audit.models import AuditEntry
from cms.directory.models import Role
from submissions.models import (
    AppraisalStatus,
    CriterionAppraisal,
    CriterionResult,
    Evidence,
    IndicatorValue,
    ReturnedItem,
    Submission,
    SubmissionStatus,
)
from submissions.review import flow as review
from submissions.review.urls import urlpatterns as review_urlpatterns
from tests.factories import member, province, shared_layer

ALLOWED, REFUSED = "allowed", "refused"
LISTED, UNLISTED = "listed", "unlisted"
LIMITED = "limited"

#: The criterion acted on: the construction department's (so-xd), with the required evidence of 1.1.
CRITERION = 1
FORBIDDEN_MESSAGE = "Bạn không có quyền thực hiện thao tác này với hồ sơ này."

OFFICER, DISTRICT, DEPARTMENT, OFFICE, ANONYMOUS = (
    Role.COMMUNE_OFFICER.value,
    Role.DISTRICT_REVIEWER.value,
    Role.DEPARTMENT_APPRAISER.value,
    Role.OFFICE_EDITOR.value,
    "anonymous",
)
OWN, OTHER = "own", "other"
CELLS = [(role, scope) for role in (OFFICER, DISTRICT, DEPARTMENT, OFFICE) for scope in (OWN, OTHER)] + [
    (ANONYMOUS, "")
]


# --- the world: one submission (Hòa Thuận, Krông Pắc, Đắk Lắk) and one user per (role, scope) -----------


@dataclass
class World:
    submission: Submission
    evidence: Evidence
    users: dict
    question: str

    @property
    def pk(self) -> int:
        return self.submission.pk

    def user(self, role: str, scope: str):
        return self.users.get((role, scope))

    def fresh(self) -> Submission:
        return Submission.objects.get(pk=self.pk)


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


# --- stages, reached with the review functions --------------------------------------------------------


def _forward(world: World) -> None:
    review.review_forward(submission=world.fresh(), user=world.user(DISTRICT, OWN))


def _appraise_all(world: World) -> None:
    for number, scope in ((1, OWN), (2, OWN), (10, OTHER)):
        review.appraisal_decide(submission=world.fresh(), number=number, user=world.user(DEPARTMENT, scope))


def _recognise(world: World) -> None:
    review.recognise(
        submission=world.fresh(),
        user=world.user(OFFICE, OWN),
        decision_number="123/QĐ-UBND",
        decision_date=datetime.date(2026, 11, 20),
    )


def _return(world: World) -> None:
    review.review_return(submission=world.fresh(), user=world.user(DISTRICT, OWN), comment="Bổ sung số liệu")


STAGES: dict[str, list[Callable[[World], None]]] = {
    SubmissionStatus.SUBMITTED: [],
    SubmissionStatus.APPRAISAL: [_forward],
    SubmissionStatus.RECOGNITION: [_forward, _appraise_all],
    SubmissionStatus.RECOGNISED: [_forward, _appraise_all, _recognise],
    SubmissionStatus.RETURNED: [_return],
}

#: The stage where each role works: its queue shows it, and a return is possible there for it.
ROLE_STAGE = {
    DISTRICT: SubmissionStatus.SUBMITTED,
    DEPARTMENT: SubmissionStatus.APPRAISAL,
    OFFICE: SubmissionStatus.RECOGNITION,
}


def snapshot(world: World) -> dict:
    """Everything an action may change."""
    submission = world.fresh()
    return {
        "status": submission.status,
        "lock_version": submission.lock_version,
        "published": submission.published,
        "appraisals": dict(CriterionAppraisal.objects.filter(submission=submission).values_list("number", "status")),
        "criterion_overrides": dict(
            CriterionResult.objects.filter(submission=submission).values_list("number", "override_met")
        ),
        "values": dict(IndicatorValue.objects.filter(submission=submission).values_list("code", "raw")),
        "returned_items": ReturnedItem.objects.filter(submission=submission).count(),
        "audit": AuditEntry.objects.about(submission).count(),
    }


# --- reading responses -----------------------------------------------------------------------------


def _messages(response) -> list:
    return list(get_messages(response.wsgi_request))


def _redirected_to_login(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (location.startswith(settings.LOGIN_URL) or location.startswith("/admin/"))


def _refused(response) -> bool:
    return response.status_code in (401, 403, 404) or _redirected_to_login(response)


def _describe(response) -> str:
    text = f"HTTP {response.status_code}"
    if response.get("Location"):
        text += f" -> {response['Location']}"
    if response.get("Content-Type", "").startswith("application/json"):
        text += f" {response.json()}"
    elif response.status_code == 302:
        text += f" messages={[str(m) for m in _messages(response)]}"
    return text


def web_action(response, world: World) -> str:
    """A review page's POST: it redirects back with a success message, or refuses."""
    if _refused(response):
        return REFUSED
    if response.status_code == 302:
        levels = {message.level for message in _messages(response)}
        texts = [str(message) for message in _messages(response)]
        if message_levels.SUCCESS in levels and message_levels.ERROR not in levels:
            return ALLOWED
        if message_levels.ERROR in levels and message_levels.SUCCESS not in levels:
            if response["Location"].endswith("/xet-duyet/") or FORBIDDEN_MESSAGE in texts:
                return REFUSED  # appraise-many lists its refusals per commune and goes back to the queue
    return f"unexpected: {_describe(response)}"


def api_action(response, world: World) -> str:
    if _refused(response):
        return REFUSED
    if response.status_code == 200:
        return ALLOWED
    return f"unexpected: {_describe(response)}"


def api_appraise_many(response, world: World) -> str:
    """A bulk endpoint: allowed when the item was done, refused when it is listed as refused (or the call is)."""
    if _refused(response):
        return REFUSED
    if response.status_code == 200:
        return ALLOWED if response.json()["done"] else REFUSED
    return f"unexpected: {_describe(response)}"


def _queue_outcome(pairs: list[tuple[int, int | None]], appraisals: bool, world: World) -> str:
    target = (world.pk, CRITERION if appraisals else None)
    return LISTED if target in pairs else UNLISTED


def web_queue(response, world: World) -> str:
    if _refused(response):
        return REFUSED
    if response.status_code != 200:
        return f"unexpected: {_describe(response)}"
    appraisals = response.context["mode"] == "appraisals"
    pairs = [
        (row["submission"].pk, row["appraisal"].number if appraisals else None) for row in response.context["rows"]
    ]
    return _queue_outcome(pairs, appraisals, world)


def api_queue(response, world: World) -> str:
    if _refused(response):
        return REFUSED
    if response.status_code != 200:
        return f"unexpected: {_describe(response)}"
    body = response.json()
    pairs = [(row["submission"], row["criterion_number"]) for row in body["rows"]]
    return _queue_outcome(pairs, body["mode"] == "appraisals", world)


def web_detail(response, world: World) -> str:
    if _refused(response):
        return REFUSED
    if response.status_code != 200:
        return f"unexpected: {_describe(response)}"
    return ALLOWED if f"/danh-gia/minh-chung/{world.evidence.pk}/" in response.text else LIMITED


def api_detail(response, world: World) -> str:
    if _refused(response):
        return REFUSED
    if response.status_code != 200:
        return f"unexpected: {_describe(response)}"
    return ALLOWED if world.evidence.pk in {item["id"] for item in response.json()["evidence"]} else LIMITED


def web_read(response, world: World) -> str:
    if _refused(response):
        return REFUSED
    return ALLOWED if response.status_code == 200 else f"unexpected: {_describe(response)}"


def web_form_post(response, world: World) -> str:
    """The commune's form saves a draft and redirects back to itself."""
    if _refused(response):
        return REFUSED
    if response.status_code == 302 and response["Location"] == f"/danh-gia/ho-so/{world.pk}/":
        return ALLOWED
    return f"unexpected: {_describe(response)}"


# --- requests ----------------------------------------------------------------------------------------

REVIEW_WEB = "/xet-duyet/"
REVIEW_API = "/api/v1/review/"


def _web(path_of: Callable[[World], str], data_of: Callable[[World], dict] | None = None):
    def send(client, world: World):
        path = path_of(world)
        return client.get(path) if data_of is None else client.post(path, data_of(world))

    return send


def _api(path_of: Callable[[World], str], data_of: Callable[[World], dict] | None = None):
    def send(client, world: World):
        path = path_of(world)
        if data_of is None:
            return client.get(path)
        return client.post(path, data_of(world), content_type="application/json")

    return send


def _detail_path(web: bool, action: str = "") -> Callable[[World], str]:
    if web:
        return lambda world: f"{REVIEW_WEB}ho-so/{world.pk}/{action}"
    return lambda world: f"{REVIEW_API}submissions/{world.pk}/{action + '/' if action else ''}"


def _version(world: World) -> int:
    return world.fresh().lock_version


# --- effects -----------------------------------------------------------------------------------------


def status_becomes(status: str):
    return lambda before, after: before["status"] != status and after["status"] == status


def appraised(before: dict, after: dict) -> bool:
    return before["appraisals"][CRITERION] == AppraisalStatus.PENDING and (
        after["appraisals"][CRITERION] == AppraisalStatus.APPROVED
    )


def overridden(before: dict, after: dict) -> bool:
    return before["criterion_overrides"][CRITERION] is None and after["criterion_overrides"][CRITERION] is False


def published(before: dict, after: dict) -> bool:
    return not before["published"] and after["published"]


def value_saved(before: dict, after: dict) -> bool:
    return before["values"]["2.1"] != "96" and after["values"]["2.1"] == "96"


# --- actions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    stage: str | dict  # a status, or one per role (ROLE_STAGE)
    send: Callable
    outcome: Callable
    expected: dict  # (role, scope) -> outcome other than REFUSED
    effect: Callable | None = None  # None: a read, nothing may change
    url_name: str = ""  # the route it covers (review:<name> or api-v1:<name>)

    def stage_for(self, role: str) -> str:
        if isinstance(self.stage, dict):
            return self.stage.get(role, SubmissionStatus.SUBMITTED)
        return self.stage


def _own(*roles: str, outcome: str = ALLOWED) -> dict:
    return {(role, OWN): outcome for role in roles}


QUEUE_EXPECTED = {
    **_own(DISTRICT, DEPARTMENT, OFFICE, outcome=LISTED),
    (DISTRICT, OTHER): UNLISTED,
    (DEPARTMENT, OTHER): UNLISTED,  # it lists criterion 10 of the same submission, not criterion 1
    (OFFICE, OTHER): UNLISTED,
}
#: The other department appraises criterion 10 of the same submission: it opens it, without 1.1's evidence.
DETAIL_EXPECTED = {**_own(DISTRICT, DEPARTMENT, OFFICE), (DEPARTMENT, OTHER): LIMITED}
HISTORY_EXPECTED = {**_own(DISTRICT, DEPARTMENT, OFFICE), (DEPARTMENT, OTHER): ALLOWED}


def _return_web(world: World) -> dict:
    return {
        "lock_version": _version(world),
        "comment": "Bổ sung số liệu",
        "item_target": [f"c:{CRITERION}"],
        "item_comment": ["Thiếu chữ ký trên quyết định"],
    }


def _return_api(world: World) -> dict:
    return {
        "lock_version": _version(world),
        "comment": "Bổ sung số liệu",
        "items": [{"criterion_number": CRITERION, "comment": "Thiếu chữ ký trên quyết định"}],
    }


def _recognise_data(world: World) -> dict:
    return {"lock_version": _version(world), "decision_number": "123/QĐ-UBND", "decision_date": "20/11/2026"}


def _form_data(world: World) -> dict:
    return {
        "lock_version": _version(world),
        "save": "1",
        "v_1_1": "yes",
        "v_2_1": "96",
        "v_2_2": "7",
        "v_10_1": "50",
        world.question: "Nguyễn Văn An",
    }


WEB_ACTIONS = [
    Action("GET queue", ROLE_STAGE, _web(lambda w: REVIEW_WEB), web_queue, QUEUE_EXPECTED, url_name="review:queue"),
    Action(
        "GET detail",
        SubmissionStatus.APPRAISAL,
        _web(_detail_path(True)),
        web_detail,
        DETAIL_EXPECTED,
        url_name="review:detail",
    ),
    Action(
        "GET history",
        SubmissionStatus.APPRAISAL,
        _web(_detail_path(True, "lich-su.xlsx")),
        web_read,
        HISTORY_EXPECTED,
        url_name="review:history-export",
    ),
    Action(
        "POST forward",
        SubmissionStatus.SUBMITTED,
        _web(_detail_path(True, "chuyen/"), lambda w: {"lock_version": _version(w), "comment": "Đạt"}),
        web_action,
        _own(DISTRICT, OFFICE),
        status_becomes(SubmissionStatus.APPRAISAL),
        url_name="review:forward",
    ),
    Action(
        "POST return",
        ROLE_STAGE,
        _web(_detail_path(True, "tra-lai/"), _return_web),
        web_action,
        _own(DISTRICT, DEPARTMENT, OFFICE),
        status_becomes(SubmissionStatus.RETURNED),
        url_name="review:return",
    ),
    Action(
        "POST appraise",
        SubmissionStatus.APPRAISAL,
        _web(_detail_path(True, "tham-dinh/"), lambda w: {"number": CRITERION, "lock_version": _version(w)}),
        web_action,
        _own(DEPARTMENT, OFFICE),
        appraised,
        url_name="review:appraise",
    ),
    Action(
        "POST override",
        SubmissionStatus.APPRAISAL,
        _web(
            _detail_path(True, "dieu-chinh/"),
            lambda w: {"target": f"c:{CRITERION}", "verdict": "not_met", "reason": "Quy hoạch chưa được duyệt lại"},
        ),
        web_action,
        _own(DEPARTMENT, OFFICE),
        overridden,
        url_name="review:override",
    ),
    Action(
        "POST recognise",
        SubmissionStatus.RECOGNITION,
        _web(_detail_path(True, "cong-nhan/"), _recognise_data),
        web_action,
        _own(OFFICE),
        status_becomes(SubmissionStatus.RECOGNISED),
        url_name="review:recognise",
    ),
    Action(
        "POST publish",
        SubmissionStatus.RECOGNISED,
        _web(_detail_path(True, "cong-khai/"), lambda w: {"published": "1"}),
        web_action,
        _own(OFFICE),
        published,
        url_name="review:publish",
    ),
    Action(
        "POST appraise-many",
        SubmissionStatus.APPRAISAL,
        _web(lambda w: f"{REVIEW_WEB}tham-dinh-nhieu/", lambda w: {"number": CRITERION, "submission": [w.pk]}),
        web_action,
        _own(DEPARTMENT, OFFICE),
        appraised,
        url_name="review:appraise-many",
    ),
    Action(
        "POST forward-many",
        SubmissionStatus.SUBMITTED,
        _web(lambda w: f"{REVIEW_WEB}chuyen-nhieu/", lambda w: {"confirm": "1", "submission": [w.pk]}),
        web_action,
        _own(DISTRICT, OFFICE),
        status_becomes(SubmissionStatus.APPRAISAL),
        url_name="review:forward-many",
    ),
    Action(
        "POST recognise-many",
        SubmissionStatus.RECOGNITION,
        _web(
            lambda w: f"{REVIEW_WEB}cong-nhan-nhieu/",
            lambda w: {**_recognise_data(w), "confirm": "1", "submission": [w.pk]},
        ),
        web_action,
        _own(OFFICE),
        status_becomes(SubmissionStatus.RECOGNISED),
        url_name="review:recognise-many",
    ),
    Action(
        "POST publish-many",
        SubmissionStatus.RECOGNISED,
        _web(lambda w: f"{REVIEW_WEB}cong-khai-nhieu/", lambda w: {"confirm": "1", "submission": [w.pk]}),
        web_action,
        _own(OFFICE),
        published,
        url_name="review:publish-many",
    ),
    Action(
        "GET form",
        SubmissionStatus.RETURNED,
        _web(lambda w: f"/danh-gia/ho-so/{w.pk}/"),
        web_read,
        _own(OFFICER),
        url_name="submissions:form",
    ),
    Action(
        "POST form",
        SubmissionStatus.RETURNED,
        _web(lambda w: f"/danh-gia/ho-so/{w.pk}/", _form_data),
        web_form_post,
        _own(OFFICER),
        value_saved,
        url_name="submissions:form",
    ),
    Action(
        "GET evidence",
        SubmissionStatus.APPRAISAL,
        _web(lambda w: f"/danh-gia/minh-chung/{w.evidence.pk}/"),
        web_read,
        _own(OFFICER, DISTRICT, DEPARTMENT, OFFICE),
        url_name="submissions:evidence",
    ),
]

API_ACTIONS = [
    Action(
        "API GET queue",
        ROLE_STAGE,
        _api(lambda w: f"{REVIEW_API}queue/"),
        api_queue,
        QUEUE_EXPECTED,
        url_name="api-v1:review-queue",
    ),
    Action(
        "API GET detail",
        SubmissionStatus.APPRAISAL,
        _api(_detail_path(False)),
        api_detail,
        DETAIL_EXPECTED,
        url_name="api-v1:review-submission",
    ),
    Action(
        "API POST forward",
        SubmissionStatus.SUBMITTED,
        _api(_detail_path(False, "forward"), lambda w: {"lock_version": _version(w), "comment": "Đạt"}),
        api_action,
        _own(DISTRICT, OFFICE),
        status_becomes(SubmissionStatus.APPRAISAL),
        url_name="api-v1:review-forward",
    ),
    Action(
        "API POST return",
        ROLE_STAGE,
        _api(_detail_path(False, "return"), _return_api),
        api_action,
        _own(DISTRICT, DEPARTMENT, OFFICE),
        status_becomes(SubmissionStatus.RETURNED),
        url_name="api-v1:review-return",
    ),
    Action(
        "API POST appraise",
        SubmissionStatus.APPRAISAL,
        _api(_detail_path(False, "appraise"), lambda w: {"number": CRITERION, "lock_version": _version(w)}),
        api_action,
        _own(DEPARTMENT, OFFICE),
        appraised,
        url_name="api-v1:review-appraise",
    ),
    Action(
        "API POST override",
        SubmissionStatus.APPRAISAL,
        _api(
            _detail_path(False, "override"),
            lambda w: {"criterion_number": CRITERION, "met": False, "reason": "Quy hoạch chưa được duyệt lại"},
        ),
        api_action,
        _own(DEPARTMENT, OFFICE),
        overridden,
        url_name="api-v1:review-override",
    ),
    Action(
        "API POST recognise",
        SubmissionStatus.RECOGNITION,
        _api(_detail_path(False, "recognise"), _recognise_data),
        api_action,
        _own(OFFICE),
        status_becomes(SubmissionStatus.RECOGNISED),
        url_name="api-v1:review-recognise",
    ),
    Action(
        "API POST publish",
        SubmissionStatus.RECOGNISED,
        _api(_detail_path(False, "publish"), lambda w: {"published": True}),
        api_action,
        _own(OFFICE),
        published,
        url_name="api-v1:review-publish",
    ),
    Action(
        "API POST appraise-many",
        SubmissionStatus.APPRAISAL,
        _api(lambda w: f"{REVIEW_API}appraise-many/", lambda w: {"number": CRITERION, "submissions": [w.pk]}),
        api_appraise_many,
        _own(DEPARTMENT, OFFICE),
        appraised,
        url_name="api-v1:review-appraise-many",
    ),
    Action(
        "API POST forward-many",
        SubmissionStatus.SUBMITTED,
        _api(lambda w: f"{REVIEW_API}forward-many/", lambda w: {"submissions": [w.pk], "comment": "Đạt"}),
        api_appraise_many,
        _own(DISTRICT, OFFICE),
        status_becomes(SubmissionStatus.APPRAISAL),
        url_name="api-v1:review-forward-many",
    ),
    Action(
        "API POST recognise-many",
        SubmissionStatus.RECOGNITION,
        _api(
            lambda w: f"{REVIEW_API}recognise-many/",
            lambda w: {"submissions": [w.pk], "decision_number": "123/QĐ-UBND", "decision_date": "20/11/2026"},
        ),
        api_appraise_many,
        _own(OFFICE),
        status_becomes(SubmissionStatus.RECOGNISED),
        url_name="api-v1:review-recognise-many",
    ),
    Action(
        "API POST publish-many",
        SubmissionStatus.RECOGNISED,
        _api(lambda w: f"{REVIEW_API}publish-many/", lambda w: {"submissions": [w.pk]}),
        api_appraise_many,
        _own(OFFICE),
        published,
        url_name="api-v1:review-publish-many",
    ),
]

ACTIONS = WEB_ACTIONS + API_ACTIONS


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
    assert outcome == expected, f"{cell}: expected {expected}, got {outcome} ({_describe(response)})"
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
