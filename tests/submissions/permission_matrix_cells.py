"""The review permission matrix's cells (:mod:`tests.submissions.test_permission_matrix`): the roles and scopes, the
world's shape, the stages a cell brings the submission to, the snapshot of what an action may change, how an answer
is read, how a request is sent, and what an action is expected to change."""

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages

from cms.audit.models import AuditEntry
from cms.directory.models import Role
from criteria_pages.models import CriteriaSetVersion
from criteria_pages.spec import PreconditionSpec
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
from submissions.recognition.models import PreconditionResult
from submissions.review import flow as review

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


#: The recognition preconditions given to the round's set: a yes/no the construction department (so-xd, the own
#: department) confirms, and one the agriculture department (so-nnmt, the other department) confirms.
DEBT, SECURITY = "DK1", "DK2"
#: The stage where preconditions are confirmed or waived: the set has them, the submission is at appraisal.
PRECONDITIONS = "preconditions"


def preconditions_given(submission: Submission) -> None:
    """The round's frozen set version, given :data:`DEBT` and :data:`SECURITY` (as an office configures them in
    the set editor): their rows are made when a submission reaches appraisal."""
    version = submission.round.criteria_version
    spec = dataclasses.replace(
        version.set_spec,
        preconditions=(
            PreconditionSpec(code=DEBT, name="Không có nợ đọng xây dựng cơ bản", department="so-xd"),
            PreconditionSpec(code=SECURITY, name="Đạt chuẩn an toàn về an ninh, trật tự", department="so-nnmt"),
        ),
    )
    CriteriaSetVersion.objects.filter(pk=version.pk).update(spec=spec.to_dict())


def _with_preconditions(world: World) -> None:
    preconditions_given(world.fresh())


STAGES: dict[str, list[Callable[[World], None]]] = {
    PRECONDITIONS: [_with_preconditions, _forward],
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
        "preconditions": dict(PreconditionResult.objects.filter(submission=submission).values_list("code", "status")),
    }


# --- reading responses -----------------------------------------------------------------------------


def messages_of(response) -> list:
    return list(get_messages(response.wsgi_request))


def _redirected_to_login(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (location.startswith(settings.LOGIN_URL) or location.startswith("/admin/"))


def _refused(response) -> bool:
    return response.status_code in (401, 403, 404) or _redirected_to_login(response)


def describe(response) -> str:
    text = f"HTTP {response.status_code}"
    if response.get("Location"):
        text += f" -> {response['Location']}"
    if response.get("Content-Type", "").startswith("application/json"):
        text += f" {response.json()}"
    elif response.status_code == 302:
        text += f" messages={[str(m) for m in messages_of(response)]}"
    return text


def web_action(response, world: World) -> str:
    """A review page's POST: it redirects back with a success message, or refuses."""
    if _refused(response):
        return REFUSED
    if response.status_code == 302:
        levels = {message.level for message in messages_of(response)}
        texts = [str(message) for message in messages_of(response)]
        if message_levels.SUCCESS in levels and message_levels.ERROR not in levels:
            return ALLOWED
        if message_levels.ERROR in levels and message_levels.SUCCESS not in levels:
            if response["Location"].endswith("/xet-duyet/") or FORBIDDEN_MESSAGE in texts:
                return REFUSED  # appraise-many lists its refusals per commune and goes back to the queue
    return f"unexpected: {describe(response)}"


def api_action(response, world: World) -> str:
    if _refused(response):
        return REFUSED
    if response.status_code == 200:
        return ALLOWED
    return f"unexpected: {describe(response)}"


def api_appraise_many(response, world: World) -> str:
    """A bulk endpoint: allowed when the item was done, refused when it is listed as refused (or the call is)."""
    if _refused(response):
        return REFUSED
    if response.status_code == 200:
        return ALLOWED if response.json()["done"] else REFUSED
    return f"unexpected: {describe(response)}"


def _queue_outcome(pairs: list[tuple[int, int | None]], appraisals: bool, world: World) -> str:
    target = (world.pk, CRITERION if appraisals else None)
    return LISTED if target in pairs else UNLISTED


def web_queue(response, world: World) -> str:
    if _refused(response):
        return REFUSED
    if response.status_code != 200:
        return f"unexpected: {describe(response)}"
    appraisals = response.context["mode"] == "appraisals"
    pairs = [
        (row["submission"].pk, row["appraisal"].number if appraisals else None) for row in response.context["rows"]
    ]
    return _queue_outcome(pairs, appraisals, world)


def api_queue(response, world: World) -> str:
    if _refused(response):
        return REFUSED
    if response.status_code != 200:
        return f"unexpected: {describe(response)}"
    body = response.json()
    pairs = [(row["submission"], row["criterion_number"]) for row in body["rows"]]
    return _queue_outcome(pairs, body["mode"] == "appraisals", world)


def web_detail(response, world: World) -> str:
    if _refused(response):
        return REFUSED
    if response.status_code != 200:
        return f"unexpected: {describe(response)}"
    return ALLOWED if f"/danh-gia/minh-chung/{world.evidence.pk}/" in response.text else LIMITED


def api_detail(response, world: World) -> str:
    if _refused(response):
        return REFUSED
    if response.status_code != 200:
        return f"unexpected: {describe(response)}"
    return ALLOWED if world.evidence.pk in {item["id"] for item in response.json()["evidence"]} else LIMITED


def web_read(response, world: World) -> str:
    if _refused(response):
        return REFUSED
    return ALLOWED if response.status_code == 200 else f"unexpected: {describe(response)}"


def web_form_post(response, world: World) -> str:
    """The commune's form saves a draft and redirects back to itself."""
    if _refused(response):
        return REFUSED
    if response.status_code == 302 and response["Location"] == f"/danh-gia/ho-so/{world.pk}/":
        return ALLOWED
    return f"unexpected: {describe(response)}"


# --- requests ----------------------------------------------------------------------------------------

REVIEW_WEB = "/xet-duyet/"
REVIEW_API = "/api/v1/review/"


def web(path_of: Callable[[World], str], data_of: Callable[[World], dict] | None = None):
    def send(client, world: World):
        path = path_of(world)
        return client.get(path) if data_of is None else client.post(path, data_of(world))

    return send


def api(path_of: Callable[[World], str], data_of: Callable[[World], dict] | None = None):
    def send(client, world: World):
        path = path_of(world)
        if data_of is None:
            return client.get(path)
        return client.post(path, data_of(world), content_type="application/json")

    return send


def detail_path(web: bool, action: str = "") -> Callable[[World], str]:
    if web:
        return lambda world: f"{REVIEW_WEB}ho-so/{world.pk}/{action}"
    return lambda world: f"{REVIEW_API}submissions/{world.pk}/{action + '/' if action else ''}"


def version_of(world: World) -> int:
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


def precondition_becomes(code: str, status: str):
    return lambda before, after: before["preconditions"][code] != status and after["preconditions"][code] == status


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


def own(*roles: str, outcome: str = ALLOWED) -> dict:
    return {(role, OWN): outcome for role in roles}
