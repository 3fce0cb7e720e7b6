"""Bar 4 of issue 16: who may do what in OCOP. Every role × every OCOP page and API endpoint, one test per cell, named
like ``member_x-POST sheet submit``.

The roles, all non-superusers: producer A (the product's own producer) and producer B (another producer of the same
province), a member of council X (which scores the product) and of council Y (another council of the same round),
the chair of X, the officer of the product's commune, the office of the province, the office of another province,
and anonymous. Before its request a cell brings the objects, with the services, to the stage where the action is
possible for its owner, so that a refusal can only be about permission. Expected answers:

- ``OK``: a success (200, or the redirect a page gives after its action, with no error message);
- ``NOT_FOUND``: the object is reached by id and the caller may not see it (its existence is never revealed);
- ``FORBIDDEN``: the caller sees the object but may not take the action;
- ``LOGIN``: anonymous on a page that is not public (the login page; the API's 401);

and every refused write leaves OCOP's tables and the audit trail as they were. The blind-scoring cells read the
other members' sheets before and after the caller's own sheet is submitted (web and API).

The world (:func:`ocop_matrix`) is built once for the module; each cell runs in its own savepoint.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from cms.audit.models import AuditEntry
from cms.directory.models import Role
from cms.directory.products import services as product_services
from cms.directory.products.models import Producer, Product, ProductPhoto
from submissions.entry import services as entry_services
from submissions.models import Submission
from submissions.ocop import scoring
from submissions.ocop.certificates import products_recognise
from submissions.ocop.dossiers.services import dossier_start
from submissions.ocop.models import Certificate, Council, CouncilEntry, CouncilMember, MemberScore, MemberSheet
from submissions.review import bulk
from tests.factories import member, province, shared_layer
from tests.security.matrix_world import _png
from tests.submissions.factories import PDF
from tests.submissions.ocop.factories import (
    ProducerFactory,
    ProductFactory,
    council_with,
    dossiers,
    ocop_version,
    producer_account,
    product_round,
    scored,
)

PRODUCER_A, PRODUCER_B, MEMBER_X, MEMBER_Y, CHAIR_X, OFFICER, OFFICE, OFFICE_OTHER, ANONYMOUS = (
    "producer_a",
    "producer_b",
    "member_x",
    "member_y",
    "chair_x",
    "officer",
    "office",
    "office_other",
    "anonymous",
)
ROLES = (PRODUCER_A, PRODUCER_B, MEMBER_X, MEMBER_Y, CHAIR_X, OFFICER, OFFICE, OFFICE_OTHER, ANONYMOUS)
OK, NOT_FOUND, FORBIDDEN, LOGIN = "ok", "404", "403", "login"


@pytest.fixture(autouse=True)
def _no_background_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


# --- the world ----------------------------------------------------------------------------------------------------


@shared_layer
def ocop_matrix(area) -> dict:
    """Đắk Lắk's open OCOP round. Producer A (Hòa Thuận) has: a product scored by council X (with a private photo),
    a recognised product with a published certificate and one waiting for recognition (both of council Z, closed),
    a draft dossier with an evidence file, and a product without a dossier. Producer B (Ea Kly) has a product scored
    by council Y and a submitted dossier no council has yet. Councils X (chair + two members), Y (two members), Z."""
    office = area["office"]
    dak_lak = area["province"]
    round_ = product_round(dak_lak, ocop_version(), office=office)
    producer_a = ProducerFactory(commune=area["communes"]["hoa_thuan"], name="Hợp tác xã Mật ong Hòa Thuận")
    producer_b = ProducerFactory(commune=area["communes"]["ea_kly"], name="Hợp tác xã Cà phê Ea Kly")
    users = {
        PRODUCER_A: producer_account(producer_a, username="chu_the_a"),
        PRODUCER_B: producer_account(producer_b, username="chu_the_b"),
        OFFICER: area["officers"]["hoa_thuan"],
        OFFICE: office,
        OFFICE_OTHER: member(Role.OFFICE_EDITOR, unit=province(code="67", name="Tỉnh Đắk Nông"), username="vp_67"),
        ANONYMOUS: None,
    }
    names = ("Mật ong hoa cà phê", "Mật ong rừng", "Mật ong hoa nhãn", "Phấn hoa", "Sáp ong")
    scoring_, certified, waiting, drafted, new = (ProductFactory(producer=producer_a, name=name) for name in names)
    in_y, unassigned = (ProductFactory(producer=producer_b, name=name) for name in ("Cà phê rang", "Cà phê hạt"))
    product_services.product_photo_add(
        product=scoring_, user=office, upload=SimpleUploadedFile("mat-ong.png", _png(), content_type="image/png")
    )
    d_x, d_cert, d_wait, d_y, _unassigned = dossiers(round_, [scoring_, certified, waiting, in_y, unassigned])
    draft = dossier_start(product=drafted, round_=round_, user=users[PRODUCER_A])
    evidence = entry_services.evidence_add(
        submission=draft, indicator_code="A", upload=SimpleUploadedFile("hop-dong.pdf", PDF), user=users[PRODUCER_A]
    )

    def seated(*usernames):
        return [member(Role.COUNCIL_MEMBER, unit=dak_lak, username=username) for username in usernames]

    x_people, y_people = seated("chu_tich_x", "thanh_vien_x", "thanh_vien_x2"), seated("chu_tich_y", "thanh_vien_y")
    users.update({CHAIR_X: x_people[0], MEMBER_X: x_people[1], MEMBER_Y: y_people[1]})
    council_x = council_with(round_, province=dak_lak, users=x_people, name="Hội đồng X")
    council_y = council_with(round_, province=dak_lak, users=y_people, name="Hội đồng Y")
    scoring.entries_assign(council=council_x, submissions=[d_x], user=office)
    scoring.entries_assign(council=council_y, submissions=[d_y], user=office)
    z_people = seated("chu_tich_z", "thanh_vien_z", "thanh_vien_z2")
    council_z = council_with(round_, province=dak_lak, users=z_people, name="Hội đồng Z")
    scored(council_z, {d_cert: (Decimal(80),) * 3, d_wait: (Decimal(75),) * 3}, office=office)
    scoring.council_close(council=council_z, user=z_people[0])
    certified_dossier = Submission.objects.get(pk=d_cert.pk)
    products_recognise(
        round_=round_,
        submissions=[certified_dossier],
        user=office,
        decision_number="15/QĐ-UBND",
        decision_date=datetime.date(2026, 11, 25),
    )
    bulk.submissions_publish(submissions=[Submission.objects.get(pk=d_cert.pk)], user=office)
    return {
        "users": users,
        "round": round_.pk,
        "producer_a": producer_a.pk,
        "product": scoring_.pk,
        "photo": ProductPhoto.objects.get(product=scoring_).pk,
        "certified": certified.pk,
        "certificate": Certificate.objects.get(product=certified).code,
        "waiting": d_wait.pk,
        "draft": draft.pk,
        "evidence": evidence.pk,
        "new": new.pk,
        "x": council_x.pk,
        "unassigned": _unassigned.pk,
        "x_sheets": {
            role: MemberSheet.objects.get(entry__council=council_x, member__user=users[role]).pk
            for role in (CHAIR_X, MEMBER_X)
        },
        "x2": x_people[2].pk,
        "unseated": member(Role.COUNCIL_MEMBER, unit=dak_lak, username="chua_cu").pk,
    }


# --- stages: what a cell needs before its request ---------------------------------------------------------------

SCORES = {"A": "30", "B": "20", "C": "25"}


def _sheet(w, role) -> MemberSheet:
    return MemberSheet.objects.select_related("member", "entry__council").get(pk=w["x_sheets"][role])


def _fill(w, role, *, submit: bool) -> None:
    user = w["users"][role]
    scoring.sheet_save(sheet=_sheet(w, role), raws=SCORES, user=user)
    if submit:
        scoring.sheet_submit(sheet=_sheet(w, role), user=user)


def filled(w) -> None:
    """Member X typed its whole sheet (not yet submitted)."""
    _fill(w, MEMBER_X, submit=False)


def member_submitted(w) -> None:
    _fill(w, MEMBER_X, submit=True)


def chair_submitted(w) -> None:
    """The chair submitted its sheet; member X has typed its own but not submitted it."""
    _fill(w, CHAIR_X, submit=True)
    _fill(w, MEMBER_X, submit=False)


def both_submitted(w) -> None:
    _fill(w, CHAIR_X, submit=True)
    _fill(w, MEMBER_X, submit=True)


def all_submitted(w) -> None:
    """Every member of council X submitted: the chair may close."""
    both_submitted(w)
    third = MemberSheet.objects.select_related("member", "entry__council").get(
        entry__council_id=w["x"], member__user_id=w["x2"]
    )
    user = third.member.user
    scoring.sheet_save(sheet=third, raws=SCORES, user=user)
    scoring.sheet_submit(
        sheet=MemberSheet.objects.select_related("member", "entry__council").get(pk=third.pk), user=user
    )


# --- the actions ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    method: str
    path: Callable[[dict], str]
    body: Callable[[dict], dict] | None = None
    api: bool = False
    stage: Callable[[dict], None] | None = None
    #: reads the answer of an allowed cell: what a user would notice (blind scoring)
    check: Callable[[object, dict], bool] | None = None


def _version(w, role=MEMBER_X) -> int:
    return _sheet(w, role).lock_version


def _web_scores(w) -> dict:
    return {f"s_{code}": raw for code, raw in SCORES.items()} | {"lock_version": _version(w)}


def _others_section(response) -> str:
    text = response.content.decode()
    start = text.find('id="others"')
    return text[start : text.find("</div>", start)] if start >= 0 else ""


def _chair_shown(response, w) -> bool:
    return "chu_tich_x" in _others_section(response)


def _chair_hidden(response, w) -> bool:
    return 'id="blind-note"' in response.content.decode() and "chu_tich_x" not in _others_section(response)


def _api_others(response) -> list:
    return response.json()["others"]


def _product(suffix=""):
    return lambda w: f"/ocop/san-pham/{w['product']}/{suffix}"


def _producer(suffix=""):
    return lambda w: f"/ocop/chu-the/{w['producer_a']}/{suffix}"


def _council(suffix=""):
    return lambda w: f"/ocop/hoi-dong/{w['x']}/{suffix}"


def _sheet_path(suffix="", api=False):
    if api:
        return lambda w: f"/api/v1/ocop/sheets/{w['x_sheets'][MEMBER_X]}/{suffix}"
    return lambda w: f"/ocop/hoi-dong/phieu-cham/{w['x_sheets'][MEMBER_X]}/{suffix}"


def _producer_body(w) -> dict:
    producer = Producer.objects.get(pk=w["producer_a"])
    return {
        "name": producer.name + " (đổi tên)",
        "kind": producer.kind,
        "registration_number": producer.registration_number,
        "commune": producer.commune_id,
        "address": "Thôn 3",
        "representative": producer.representative,
        "phone": producer.phone,
        "email": producer.email,
    }


def _product_body(w) -> dict:
    product = Product.objects.get(pk=w["product"])
    return {"producer": product.producer_id, "name": "Mật ong hoa cà phê loại 1", "group": product.group_id}


ACTIONS = [
    # products and producers
    Action("GET product detail", "GET", _product()),
    Action("GET product edit", "GET", _product("sua/")),
    Action("POST product edit", "POST", _product("sua/"), _product_body),
    Action(
        "POST product photo upload",
        "POST",
        _product("anh/"),
        lambda w: {"file": SimpleUploadedFile("them.png", _png(), content_type="image/png"), "caption": "Nhãn chai"},
    ),
    Action("GET product photo download", "GET", lambda w: f"/ocop/san-pham/anh/{w['photo']}/"),
    Action("GET producer detail", "GET", _producer()),
    Action("GET producer edit", "GET", _producer("sua/")),
    Action("POST producer edit", "POST", _producer("sua/"), _producer_body),
    Action(
        "POST producer account",
        "POST",
        _producer("tai-khoan/"),
        lambda w: {"full_name": "Lê Thị Chủ Thể", "username": "chu_the_a_moi"},
    ),
    # the producer's dossiers
    Action(
        "POST dossier start",
        "POST",
        lambda w: "/ocop/ho-so/bat-dau/",
        lambda w: {"san_pham": w["new"], "dot": w["round"]},
    ),
    Action("GET dossier form", "GET", lambda w: reverse("submissions:contents", kwargs={"pk": w["draft"]})),
    Action(
        "GET dossier evidence download", "GET", lambda w: reverse("submissions:evidence", kwargs={"pk": w["evidence"]})
    ),
    # councils
    Action("GET council page", "GET", _council()),
    Action("GET council API", "GET", lambda w: f"/api/v1/ocop/councils/{w['x']}/", api=True),
    Action(
        "GET council dossier",
        "GET",
        lambda w: f"/ocop/hoi-dong/ho-so/{CouncilEntry.objects.get(council_id=w['x']).pk}/",
    ),
    Action(
        "POST council member add",
        "POST",
        _council("thanh-vien/"),
        lambda w: {"user": w["unseated"], "position": "Ủy viên"},
    ),
    Action("GET assignment", "GET", _council("giao-ho-so/")),
    Action("POST assignment", "POST", _council("giao-ho-so/"), lambda w: {"submissions": [w["unassigned"]]}),
    # member X's own sheet
    Action("GET sheet", "GET", _sheet_path()),
    Action("POST sheet save", "POST", _sheet_path(), _web_scores),
    Action("POST sheet submit", "POST", _sheet_path("nop/"), lambda w: {"lock_version": _version(w)}, stage=filled),
    Action(
        "POST sheet reopen",
        "POST",
        _sheet_path("mo-lai/"),
        lambda w: {"lock_version": _version(w)},
        stage=member_submitted,
    ),
    Action("GET sheet API", "GET", _sheet_path(api=True), api=True),
    Action(
        "PUT sheet API",
        "PUT",
        _sheet_path(api=True),
        lambda w: {"values": SCORES, "lock_version": _version(w)},
        api=True,
    ),
    Action(
        "POST sheet API submit",
        "POST",
        _sheet_path("submit/", api=True),
        lambda w: {"lock_version": _version(w)},
        api=True,
        stage=filled,
    ),
    Action(
        "POST sheet API reopen",
        "POST",
        _sheet_path("reopen/", api=True),
        lambda w: {"lock_version": _version(w)},
        api=True,
        stage=member_submitted,
    ),
    # the chair's sheet, by id: another member's sheet is never reachable
    Action("GET chair's sheet", "GET", lambda w: f"/ocop/hoi-dong/phieu-cham/{w['x_sheets'][CHAIR_X]}/"),
    # closing the scoring
    Action("GET close", "GET", _council("ket-thuc/"), stage=all_submitted),
    Action("POST close", "POST", _council("ket-thuc/"), stage=all_submitted),
    Action(
        "POST close API",
        "POST",
        lambda w: f"/api/v1/ocop/councils/{w['x']}/close/",
        lambda w: {},
        api=True,
        stage=all_submitted,
    ),
    # recognition and certificates
    Action("GET recognition screen", "GET", lambda w: f"/ocop/cong-nhan/{w['round']}/"),
    Action(
        "POST recognition decision",
        "POST",
        lambda w: f"/ocop/cong-nhan/{w['round']}/quyet-dinh/",
        lambda w: {"submission": [w["waiting"]], "number": "20/QĐ-UBND", "date": "01/12/2026"},
    ),
    Action("GET certificate print", "GET", lambda w: f"/ocop/chung-nhan/{w['certificate']}/in/"),
    Action(
        "POST certificate revoke",
        "POST",
        lambda w: f"/ocop/chung-nhan/{w['certificate']}/thu-hoi/",
        lambda w: {"reason": "Chủ thể ngừng sản xuất sản phẩm."},
    ),
    Action("GET certificate check", "GET", lambda w: f"/ocop/chung-nhan/{w['certificate']}/"),
    Action("GET catalogue API", "GET", lambda w: f"/api/v1/ocop/products/{w['certified']}/", api=True),
]

#: Blind scoring: the chair's submitted sheet, seen from member X's own sheet before and after its own submit.
BLIND = [
    Action("GET sheet, others before own submit", "GET", _sheet_path(), stage=chair_submitted, check=_chair_hidden),
    Action("GET sheet, others after own submit", "GET", _sheet_path(), stage=both_submitted, check=_chair_shown),
    Action(
        "GET sheet API, others before own submit",
        "GET",
        _sheet_path(api=True),
        api=True,
        stage=chair_submitted,
        check=lambda response, w: _api_others(response) == [],
    ),
    Action(
        "GET sheet API, others after own submit",
        "GET",
        _sheet_path(api=True),
        api=True,
        stage=both_submitted,
        check=lambda response, w: (
            [(o["member"]["is_chair"], Decimal(str(o["total"]))) for o in _api_others(response)]
            == [(True, Decimal(75))]
        ),
    ),
]

# --- the expected answers ----------------------------------------------------------------------------------------

MANAGED = {PRODUCER_A: OK, OFFICER: OK, OFFICE: OK}  # the product's and producer's managers; others 404
COUNCIL_SEEN = {MEMBER_X: OK, CHAIR_X: OK, OFFICE: OK}  # council X is seen by its members and the office
COUNCIL_MANAGED = {MEMBER_X: FORBIDDEN, CHAIR_X: FORBIDDEN, OFFICE: OK}  # the office's actions on council X
OWN_SHEET = {MEMBER_X: OK}
CHAIR_CLOSES = {CHAIR_X: OK, MEMBER_X: FORBIDDEN, OFFICE: FORBIDDEN}
ONLY_OFFICE = {OFFICE: OK}
EVERYONE = dict.fromkeys(ROLES, OK)

EXPECTED: dict[str, dict] = {
    "GET product detail": MANAGED,
    "GET product edit": MANAGED,
    "POST product edit": MANAGED,
    "POST product photo upload": MANAGED,
    "GET product photo download": MANAGED,
    "GET producer detail": MANAGED,
    "GET producer edit": MANAGED,
    "POST producer edit": MANAGED,
    # logins are given by the commune's officer and the office: the producer sees itself, but may not
    "POST producer account": {PRODUCER_A: FORBIDDEN, OFFICER: OK, OFFICE: OK},
    # only the producer's own accounts start its dossiers (the product is looked up among theirs)
    "POST dossier start": {PRODUCER_A: OK, OFFICER: FORBIDDEN, OFFICE: FORBIDDEN},
    # the commune's officer and the office read the producer's dossiers (read-only)
    "GET dossier form": MANAGED,
    "GET dossier evidence download": MANAGED,
    "GET council page": COUNCIL_SEEN,
    "GET council API": COUNCIL_SEEN,
    "GET council dossier": COUNCIL_SEEN,
    "POST council member add": COUNCIL_MANAGED,
    "GET assignment": COUNCIL_MANAGED,
    "POST assignment": COUNCIL_MANAGED,
    "GET sheet": OWN_SHEET,
    "POST sheet save": OWN_SHEET,
    "POST sheet submit": OWN_SHEET,
    "POST sheet reopen": OWN_SHEET,
    "GET sheet API": OWN_SHEET,
    "PUT sheet API": OWN_SHEET,
    "POST sheet API submit": OWN_SHEET,
    "POST sheet API reopen": OWN_SHEET,
    "GET chair's sheet": {CHAIR_X: OK},
    "GET close": CHAIR_CLOSES,
    "POST close": CHAIR_CLOSES,
    "POST close API": CHAIR_CLOSES,
    "GET recognition screen": ONLY_OFFICE,
    "POST recognition decision": ONLY_OFFICE,
    "GET certificate print": {PRODUCER_A: OK, OFFICE: OK},
    # the producer prints its own certificate but only the office revokes it
    "POST certificate revoke": {PRODUCER_A: FORBIDDEN, OFFICE: OK},
    "GET certificate check": EVERYONE,
    "GET catalogue API": EVERYONE,
}
PUBLIC = {"GET certificate check", "GET catalogue API"}


def expected(action: Action, role: str) -> str:
    if action.check is not None:
        return OK
    rights = EXPECTED[action.name]
    if role in rights:
        return rights[role]
    if role == ANONYMOUS and action.name not in PUBLIC:
        return LOGIN
    return NOT_FOUND


CELLS = [pytest.param(role, action, id=f"{role}-{action.name}") for action in ACTIONS for role in ROLES] + [
    pytest.param(MEMBER_X, action, id=f"{MEMBER_X}-{action.name}") for action in BLIND
]


# --- reading an answer ---------------------------------------------------------------------------------------------


def _error_messages(response) -> list[str]:
    request = getattr(response, "wsgi_request", None)
    if request is None:
        return []
    return [str(m) for m in get_messages(request) if m.level >= message_levels.ERROR]


def outcome(response, action: Action) -> str:
    status = response.status_code
    location = response.get("Location", "")
    if status == 302 and location.startswith(settings.LOGIN_URL):
        return LOGIN
    if action.api and status == 401:
        return LOGIN
    if status == 404:
        return NOT_FOUND
    if status == 403:
        return FORBIDDEN
    if status in (200, 201, 204) or (status == 302 and location and not _error_messages(response)):
        return OK
    return f"HTTP {status} {location} {_error_messages(response)} {response.content[:300]!r}"


def fingerprint() -> dict:
    models = (Producer, Product, ProductPhoto, Submission, Council, CouncilMember, CouncilEntry, MemberSheet)
    rows = {
        model._meta.label: sorted(model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]))
        for model in models
    }
    rows["scores"] = sorted(MemberScore.objects.values_list("sheet_id", "code", "raw"))
    rows["certificates"] = sorted(Certificate.objects.values_list("pk", "status"))
    rows["audit"] = AuditEntry.objects.count()
    return rows


def send(client, action: Action, w: dict):
    path = action.path(w)
    if action.method == "GET":
        return client.get(path)
    body = action.body(w) if action.body else {}
    if action.api:
        return client.generic(action.method, path, json.dumps(body), content_type="application/json")
    return client.post(path, body)


@pytest.mark.parametrize(("role", "action"), CELLS)
def test_ocop_permission_matrix(client, ocop_matrix, role, action):
    w = ocop_matrix
    if action.stage is not None:
        action.stage(w)
    user = w["users"][role]
    if user is not None:
        client.force_login(user)
    writes = action.method != "GET"
    before = fingerprint() if writes else None

    response = send(client, action, w)

    want = expected(action, role)
    got = outcome(response, action)
    assert got == want, f"{role} {action.name}: expected {want}, got {got}"
    if action.check is not None:
        assert action.check(response, w), f"{role} {action.name}: the answer shows the wrong sheets"
    if writes and want != OK:
        assert fingerprint() == before, f"{role} {action.name}: refused, but something changed"
    if writes and want == OK:
        assert fingerprint() != before, f"{role} {action.name}: allowed, but nothing changed"
