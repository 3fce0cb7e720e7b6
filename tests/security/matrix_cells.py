"""How the attacker matrix (:mod:`tests.security.test_attacker_matrix`) describes a route and reads an answer: the
outcomes of a cell, a route's requests and who may send them, and the helpers its registry is written with."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages

from tests.security.matrix_world import ANONYMOUS, APPRAISAL, DEPARTMENT, DISTRICT, OFFICE, OFFICER, ROLES, Side, World

ALLOWED, REFUSED, PUBLIC = "allowed", "refused", "public"
NATIONAL_READER_EXPORTS = "the central office exports any round: a job of its own, nobody's data changes"
FORBIDDEN_MESSAGE = "Bạn không có quyền thực hiện thao tác này với hồ sơ này."


# --- reading responses -----------------------------------------------------------------------------------


def _messages(response) -> list:
    request = getattr(response, "wsgi_request", None)
    return list(get_messages(request)) if request is not None else []


def _to_login_or_admin_home(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location == "/admin/" or location.startswith("/admin/login/") or location.startswith(settings.LOGIN_URL)
    )


def _forbidden_message(response) -> bool:
    if response.status_code != 302:
        return False
    messages = _messages(response)
    levels = {message.level for message in messages}
    texts = {str(message) for message in messages}
    return message_levels.SUCCESS not in levels and FORBIDDEN_MESSAGE in texts


def outcome(response) -> str:
    if response.status_code in (401, 403, 404) or _to_login_or_admin_home(response) or _forbidden_message(response):
        return REFUSED
    if response.status_code in (200, 201, 202, 204) or (response.status_code == 302 and response.get("Location")):
        return ALLOWED
    return f"unexpected: {describe(response)}"


def content_of(response) -> bytes:
    """The body of an answer, streamed ones too (a streamed body is read once, then kept on the response)."""
    if not response.streaming:
        return response.content
    if not hasattr(response, "matrix_content"):
        response.matrix_content = b"".join(response.streaming_content)
    return response.matrix_content


def parsed(response):
    """The body as the checks of public answers read it: JSON decoded, anything else as text."""
    body = content_of(response)
    if response.get("Content-Type", "").startswith("application/json"):
        return json.loads(body)
    return body.decode("utf-8-sig")


def describe(response) -> str:
    text = f"HTTP {response.status_code}"
    if response.get("Location"):
        text += f" -> {response['Location']}"
    if response.get("Content-Type", "").startswith("application/json"):
        text += f" {content_of(response)[:300]!r}"
    elif response.status_code == 302:
        text += f" messages={[str(m) for m in _messages(response)]}"
    return text


# --- the registry ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    method: str  # GET, POST, PATCH
    path: Callable[[World, Side], str]
    body: Callable[[World, Side], dict] | None = None
    stage: str = APPRAISAL
    json: bool = False
    multipart: bool = False
    #: who may send this request in the own province, when it differs from its route's ``own``
    own: dict | None = None
    #: why the central office's national reader may send this write (it changes no data of anyone else)
    national_reader_may: str = ""


@dataclass(frozen=True)
class Route:
    pattern: str
    requests: tuple[Request, ...]
    own: dict = field(default_factory=dict)  # role -> ALLOWED/REFUSED/None (None: not asserted here)
    other: str = REFUSED  # REFUSED, or PUBLIC for public reads (what anonymous sees)
    national: str = ""  # why the object has no province (own cells only)
    #: for PUBLIC reads answered differently from anonymous, and for what anonymous reads in the own province:
    #: the answer (JSON decoded, else text) shows nothing unpublished
    public_only: Callable[[dict | str], bool] | None = None

    def own_rights(self, request: Request) -> dict:
        return (request.own if request.own is not None else self.own) or {}


def rights(allowed=(), refused=(), unasserted=()) -> dict:
    return {
        **dict.fromkeys(allowed, ALLOWED),
        **dict.fromkeys(refused, REFUSED),
        **dict.fromkeys(unasserted, None),
    }


ONLY_OFFICE = rights(allowed=(OFFICE,), refused=(DISTRICT, DEPARTMENT, OFFICER, ANONYMOUS))
ONLY_OFFICER = rights(allowed=(OFFICER,), refused=(OFFICE, DISTRICT, DEPARTMENT, ANONYMOUS))
NOBODY = rights(refused=ROLES)
EVERYONE = rights(allowed=ROLES)
REVIEW_MATRIX = dict.fromkeys(ROLES)  # own and other scope of the province: tests/submissions/test_permission_matrix.py


def get(path, stage=APPRAISAL, **kwargs) -> Request:
    return Request("GET", path, stage=stage, **kwargs)


def post(path, body=lambda w, s: {}, stage=APPRAISAL, **kwargs) -> Request:
    return Request("POST", path, body, stage=stage, **kwargs)


def json_post(path, body, stage=APPRAISAL, **kwargs) -> Request:
    return Request("POST", path, body, stage=stage, json=True, **kwargs)
