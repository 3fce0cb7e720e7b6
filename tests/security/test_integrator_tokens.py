"""Integrators' API tokens: an office editor creates them in the admin (the key shown once, stored hashed), lists
them with their last use and revokes them — only in their own province. A token authenticates the API as its
own account: without a role it reads what anonymous callers read and may not write; with a role it does what
that role does in its scope, and nothing elsewhere. Wrong, revoked and expired keys get a JSON 401."""

import datetime
import hashlib
import io
import json
import re

from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from cms import errors
from cms.audit.models import AuditEntry
from cms.directory.models import Membership, Role
from cms.security import services
from cms.security.models import Integrator, IntegratorToken, SecurityAction
from submissions.models import Submission
from tests.factories import PASSWORD, DepartmentFactory, UserFactory, commune, district, member, province, shared_layer

TOKENS = "/admin/security/api-tokens/"
NEW = "/admin/security/api-tokens/new/"
ROUNDS = "/api/v1/rounds/"
SUBMISSIONS = "/api/v1/submissions/"
KEY = re.compile(r"ntm_[a-z0-9]{8}_[A-Za-z0-9_-]{40}")


def revoke_url(token: IntegratorToken) -> str:
    return f"{TOKENS}{token.pk}/revoke/"


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def call(key: str, path: str, method: str = "get", keyword: str = "Token", body: dict | None = None):
    client = Client()
    kwargs = {"headers": {"authorization": f"{keyword} {key}"}}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(path, **kwargs)


def issue(province_unit, *, user=None, role="", unit=None, department=None, read_only=True, name="Máy chủ chính"):
    return services.integrator_token_create(
        province=province_unit,
        integrator_name="Cổng dữ liệu mở của tỉnh",
        name=name,
        role=role,
        unit=unit,
        department=department,
        read_only=read_only,
        user=user,
    )


def form_data(province_unit, **fields) -> dict:
    return {
        "province": province_unit.pk,
        "integrator": "Cổng dữ liệu mở của tỉnh",
        "name": "Máy chủ chính",
        "role": "",
        "unit_code": "",
        "department": "",
        "read_only": "on",
        "expires_on": "",
        **fields,
    }


@shared_layer
def dak_nong(area):
    """A second province in the same install (Đắk Nông, 67): a commune, a department and its office editor."""
    unit = province(code="67", name="Tỉnh Đắk Nông")
    dak_mil = district(unit, "660", "Huyện Đắk Mil")
    return {
        "province": unit,
        "commune": commune(dak_mil, "24611", "Xã Đắk Nia"),
        "department": DepartmentFactory(code="so-xd", name="Sở Xây dựng Đắk Nông", province=unit),
        "office": member(Role.OFFICE_EDITOR, unit=unit, username="vanphong_67"),
    }


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


# --- creation in the admin: shown once, stored hashed -------------------------------------------------------


def test_office_editor_creates_a_token_and_sees_its_key_once(area):
    office = area["office"]
    client = as_user(office)
    assert f'"url": "{TOKENS}"' in client.get("/admin/").text  # the admin menu links to the page

    response = client.post(NEW, form_data(area["province"], name="Máy chủ chính"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = KEY.search(response.text).group(0)
    assert "Mã chỉ hiện một lần này" in response.text
    token = IntegratorToken.objects.get()
    assert token.integrator.name == "Cổng dữ liệu mở của tỉnh"
    assert token.integrator.province == area["province"]
    assert token.created_by == office
    assert key.startswith(f"ntm_{token.prefix}_")
    # Stored hashed: the database holds the SHA-256 of the key, never the key or its secret part.
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    secret = key.split("_", 2)[2]  # the secret itself may hold "_" (URL-safe base64)
    stored = [
        json.dumps(list(IntegratorToken.objects.values_list()), default=str),
        json.dumps(list(AuditEntry.objects.values_list("comment", "before", "after")), default=str),
        json.dumps([session.get_decoded() for session in Session.objects.all()], default=str),
    ]
    assert not any(secret in text for text in stored)
    # Never shown again: the list names the token by its prefix only.
    listing = client.get(TOKENS)
    assert token.prefix in listing.text
    assert secret not in listing.text
    assert "Cổng dữ liệu mở của tỉnh" in listing.text
    assert "Không có (dữ liệu công khai)" in listing.text
    assert "Chưa dùng" in listing.text
    assert f"{timezone.localdate():%d/%m/%Y}, bởi" in listing.text
    entry = AuditEntry.objects.about(token).get()
    assert entry.action == SecurityAction.API_TOKEN_CREATED
    assert entry.actor == office
    assert entry.role == Role.OFFICE_EDITOR
    assert entry.after["tiền tố"] == token.prefix


def test_a_failed_form_keeps_the_input_and_says_why_in_vietnamese(area, dak_nong):
    client = as_user(area["office"])
    data = form_data(area["province"], integrator="Phần mềm xã", role=Role.COMMUNE_OFFICER, unit_code="")
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert "Vai trò này cần mã của một đơn vị trong tỉnh." in response.text
    assert 'value="Phần mềm xã"' in response.text

    other_commune = client.post(NEW, {**data, "unit_code": dak_nong["commune"].code})
    assert "Tỉnh này không có đơn vị mã 24611." in other_commune.text
    district_code = client.post(NEW, {**data, "unit_code": "652"})
    assert "không phải đơn vị cấp xã" in district_code.text
    writing_without_role = client.post(NEW, form_data(area["province"], read_only=""))
    assert "Mã không có vai trò chỉ được đọc dữ liệu." in writing_without_role.text
    past = client.post(NEW, form_data(area["province"], expires_on="01/01/2020"))
    assert "Ngày hết hạn không được trước hôm nay." in past.text
    other_province = client.post(NEW, form_data(dak_nong["province"]))
    assert "province" in other_province.context["form"].errors
    assert not IntegratorToken.objects.exists()


def test_a_superuser_creates_a_department_token_in_any_province_with_an_expiry(area, dak_nong):
    client = as_user(UserFactory(username="quantri", is_superuser=True))
    department = dak_nong["department"]
    data = form_data(
        dak_nong["province"],
        integrator="Phần mềm Sở Xây dựng",
        role=Role.DEPARTMENT_APPRAISER,
        department=department.pk,
        expires_on="31/12/2099",
    )
    form = client.get(NEW)
    assert "Sở Xây dựng Đắk Nông (Tỉnh Đắk Nông)" in form.text  # departments named with their province

    response = client.post(NEW, data)

    assert response.status_code == 200
    assert KEY.search(response.text)
    assert "Hết ngày 31/12/2099" in response.text
    token = IntegratorToken.objects.get()
    assert (token.integrator.province, token.role, token.department) == (
        dak_nong["province"],
        Role.DEPARTMENT_APPRAISER,
        department,
    )
    assert token.last_day == datetime.date(2099, 12, 31)
    assert Membership.objects.get(user=token.account).department == department
    assert "Hết ngày 31/12/2099" in client.get(TOKENS).text


def test_the_service_refuses_a_scope_outside_what_the_office_manages(area, dak_nong):
    with pytest.raises(errors.DomainError) as refused:
        issue(dak_nong["province"], user=area["office"])
    assert refused.value.code == "forbidden"
    with pytest.raises(errors.DomainError):
        issue(area["province"], user=area["office"], role=Role.COMMUNE_OFFICER, unit=dak_nong["commune"])
    with pytest.raises(errors.DomainError):
        issue(area["province"], user=area["office"], role=Role.DEPARTMENT_APPRAISER, department=dak_nong["department"])
    assert not IntegratorToken.objects.exists()


# --- the API with a token ----------------------------------------------------------------------------------


def queries(key: str | None, path: str) -> int:
    headers = {"authorization": f"Token {key}"} if key else {}
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(path, headers=headers).status_code == 200
    return len(captured)


def test_a_token_without_role_reads_public_data_records_its_use_and_may_not_write(area, open_round):
    created = issue(area["province"], user=area["office"])
    anonymous = Client().get(ROUNDS)

    response = call(created.key, ROUNDS)
    assert response.status_code == 200
    assert response.json() == anonymous.json()  # what an anonymous caller reads, nothing more
    assert call(created.key, SUBMISSIONS).json()["count"] == 0  # no submission is public through this list
    token = IntegratorToken.objects.get()
    first_use = token.last_used_at
    assert first_use is not None
    assert call(created.key, ROUNDS, keyword="Bearer").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first_use  # written at most once a minute
    # The key costs one query (found by its prefix), its account's memberships one more: no write per call.
    assert queries(created.key, ROUNDS) == queries(None, ROUNDS) + 2

    submission = Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])
    refused = call(created.key, f"{SUBMISSIONS}{submission.pk}/submit/", "post", body={"lock_version": 0})
    assert refused.status_code == 403
    assert refused.json() == {
        "message": "Mã truy cập API này chỉ được đọc dữ liệu (GET); hãy nhờ Văn phòng Điều phối NTM cấp mã được ghi.",
        "code": "read_only_token",
    }
    listing = as_user(area["office"]).get(TOKENS)
    assert timezone.localtime(first_use).strftime("%d/%m/%Y %H:%M") in listing.text


def test_the_last_use_is_written_again_after_a_minute(area):
    created = issue(area["province"])
    token = created.token
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    IntegratorToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    assert call(created.key, ROUNDS).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > long_ago + datetime.timedelta(minutes=4)


def test_a_commune_token_does_what_the_commune_officer_does_in_its_commune_only(area, open_round):
    created = issue(
        area["province"],
        user=area["office"],
        role=Role.COMMUNE_OFFICER,
        unit=area["communes"]["hoa_thuan"],
        read_only=False,
        name="Phần mềm một cửa của xã",
    )
    own = Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])
    other = Submission.objects.get(round=open_round, unit=area["communes"]["ea_kly"])

    listed = call(created.key, SUBMISSIONS).json()
    assert [item["unit"]["code"] for item in listed["results"]] == ["24400"]
    saved = call(
        created.key, f"{SUBMISSIONS}{own.pk}/values/", "patch", body={"lock_version": 0, "values": {"2.1": "96"}}
    )
    assert saved.status_code == 200, saved.content
    assert own.values.get(code="2.1").raw == "96"
    elsewhere = call(
        created.key, f"{SUBMISSIONS}{other.pk}/values/", "patch", body={"lock_version": 0, "values": {"2.1": "96"}}
    )
    assert elsewhere.status_code == 404
    assert not other.values.exists()
    # The membership behind the token is an ordinary one, of the token's own account.
    membership = Membership.objects.get(user=created.token.account)
    assert (membership.role, membership.unit) == (Role.COMMUNE_OFFICER, area["communes"]["hoa_thuan"])


def test_a_read_only_office_token_reads_the_province_but_writes_nothing(area, open_round):
    created = issue(area["province"], user=area["office"], role=Role.OFFICE_EDITOR)
    assert created.token.unit == area["province"]
    body = call(created.key, SUBMISSIONS).json()
    assert body["count"] == Submission.objects.filter(round=open_round).count() > 0
    summary = call(created.key, f"{ROUNDS}{open_round.pk}/summary/?basis=all")
    assert summary.status_code == 200
    own = Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])
    refused = call(created.key, f"/api/v1/review/submissions/{own.pk}/publish/", "post", body={"published": True})
    assert refused.status_code == 403
    assert refused.json()["code"] == "read_only_token"


def test_wrong_revoked_and_expired_keys_get_a_json_401_in_vietnamese(area):
    created = issue(area["province"], user=area["office"])
    wrong = call(created.key[:-4] + "abcd", ROUNDS)
    assert wrong.status_code == 401
    assert wrong.json() == {"message": "Mã truy cập API không đúng.", "code": "invalid_token"}
    assert wrong["WWW-Authenticate"].startswith("Token")
    assert call("0123456789abcdef0123456789abcdef01234567", ROUNDS).json()["code"] == "invalid_token"  # DRF's old kind
    assert Client().get(ROUNDS, headers={"authorization": "Token"}).status_code == 401

    IntegratorToken.objects.filter(pk=created.token.pk).update(expires_at=timezone.now() - datetime.timedelta(hours=1))
    expired = call(created.key, ROUNDS)
    assert expired.status_code == 401
    assert expired.json() == {"message": "Mã truy cập API này đã hết hạn.", "code": "token_expired"}

    services.integrator_token_revoke(token=created.token, user=area["office"])
    revoked = call(created.key, ROUNDS)
    assert revoked.status_code == 401
    assert revoked.json() == {"message": "Mã truy cập API này đã bị thu hồi.", "code": "token_revoked"}


def test_each_token_is_throttled_on_its_own(area, settings):
    settings.API_TOKEN_THROTTLE = "2/minute"
    first, second = issue(area["province"]), issue(area["province"], name="Máy chủ dự phòng")
    assert [call(first.key, ROUNDS).status_code for _ in range(3)] == [200, 200, 429]
    assert call(first.key, ROUNDS).json()["code"] == "throttled"
    assert call(second.key, ROUNDS).status_code == 200


# --- revocation ------------------------------------------------------------------------------------------------


def test_office_editor_revokes_a_token_after_confirming(area, open_round):
    office = area["office"]
    created = issue(area["province"], user=office, role=Role.COMMUNE_OFFICER, unit=area["communes"]["ea_wer"])
    client = as_user(office)
    confirmation = client.get(revoke_url(created.token))
    assert confirmation.status_code == 200
    assert "Không hoàn tác được" in confirmation.text
    assert IntegratorToken.objects.get().revoked_at is None  # a GET changes nothing

    response = client.post(revoke_url(created.token), {"comment": "Máy chủ xã đã thay"})

    assert response.status_code == 302
    token = IntegratorToken.objects.select_related("account").get()
    assert token.revoked_at is not None
    assert token.revoked_by == office
    assert not token.account.is_active
    assert not Membership.objects.filter(user=token.account).exists()  # the role is taken back
    entry = AuditEntry.objects.about(token).get(action=SecurityAction.API_TOKEN_REVOKED)
    assert (entry.actor, entry.comment) == (office, "Máy chủ xã đã thay")
    listing = client.get(TOKENS)
    assert f"Đã thu hồi ngày {timezone.localdate():%d/%m/%Y}" in listing.text
    assert call(created.key, SUBMISSIONS).status_code == 401
    again = client.post(revoke_url(token), follow=True)
    assert "Mã truy cập này đã bị thu hồi." in again.text


# --- two provinces in one install ---------------------------------------------------------------------------


def test_an_office_editor_neither_sees_nor_revokes_another_provinces_tokens(area, dak_nong):
    theirs = issue(dak_nong["province"], user=dak_nong["office"], name="Cổng Đắk Nông")
    ours = issue(area["province"], user=area["office"], name="Cổng Đắk Lắk")
    client = as_user(area["office"])

    listing = client.get(TOKENS)
    assert ours.token.prefix in listing.text
    assert theirs.token.prefix not in listing.text
    assert "Cổng Đắk Nông" not in listing.text
    assert client.get(revoke_url(theirs.token)).status_code == 404
    assert client.post(revoke_url(theirs.token)).status_code == 404
    assert client.get(f"/admin/nhat-ky/security/integratortoken/{theirs.token.pk}/").status_code == 404
    assert IntegratorToken.objects.get(pk=theirs.token.pk).revoked_at is None
    # ... and the other office the same way round.
    other = as_user(dak_nong["office"])
    assert ours.token.prefix not in other.get(TOKENS).text
    assert other.post(revoke_url(ours.token)).status_code == 404
    assert other.get(f"/admin/nhat-ky/security/integratortoken/{theirs.token.pk}/").status_code == 200


def test_a_province_token_with_a_role_reaches_nothing_of_the_other_province(area, dak_nong, open_round):
    created = issue(dak_nong["province"], user=dak_nong["office"], role=Role.OFFICE_EDITOR)
    own_province = Submission.objects.filter(round=open_round).first()
    assert call(created.key, f"{SUBMISSIONS}{own_province.pk}/").status_code == 404
    assert call(created.key, SUBMISSIONS).json()["count"] == 0


def test_a_superuser_sees_every_province_and_other_roles_see_no_token_page(area, dak_nong):
    issue(dak_nong["province"], user=dak_nong["office"], name="Cổng Đắk Nông")
    issue(area["province"], user=area["office"], name="Cổng Đắk Lắk")
    superuser = UserFactory(username="quantri", is_superuser=True)
    listing = as_user(superuser).get(TOKENS)
    assert listing.status_code == 200
    assert all(token.prefix in listing.text for token in IntegratorToken.objects.all())
    assert "Tỉnh Đắk Nông" in listing.text

    national = member(Role.NATIONAL_READER, username="trunguong")
    for person in (area["reviewer"], area["officers"]["hoa_thuan"], national):
        client = as_user(person)
        for response in (client.get(TOKENS), client.get(NEW), client.post(NEW, form_data(area["province"]))):
            assert response.status_code in (302, 403)
            assert response.status_code == 403 or response["Location"].startswith(("/admin/", "/dang-nhap/"))
    assert f'"url": "{TOKENS}"' not in as_user(area["reviewer"]).get("/admin/").text
    assert IntegratorToken.objects.count() == 2


def test_the_token_list_takes_a_fixed_number_of_queries(area, open_round, django_assert_max_num_queries):
    office = area["office"]
    department = DepartmentFactory(code="so-tc", name="Sở Tài chính", province=area["province"])
    for index in range(4):
        issue(area["province"], user=office, name=f"Máy chủ {index}")
        issue(
            area["province"],
            user=office,
            role=Role.COMMUNE_OFFICER,
            unit=area["communes"]["ea_kly"],
            name=f"Xã {index}",
        )
        services.integrator_token_create(
            province=area["province"],
            integrator_name=f"Phần mềm sở {index}",
            name="Máy chủ",
            role=Role.DEPARTMENT_APPRAISER,
            department=department,
            user=office,
        )
    client = as_user(office)
    # The admin's own (session, user, menu with its counts: the queue, failed e-mail notices, …) and one for the tokens.
    with django_assert_max_num_queries(14):
        response = client.get(TOKENS)
    assert response.text.count('<tr id="token-') == 12


# --- integrator accounts and the operator's command -------------------------------------------------------------


def test_a_token_account_cannot_log_in_even_with_a_password(area):
    account = issue(area["province"], user=area["office"]).token.account
    assert not account.has_usable_password()
    account.set_password(PASSWORD)
    account.save()
    response = Client().post("/dang-nhap/", {"username": account.username, "password": PASSWORD})
    assert response.status_code == 200  # the login page again
    assert "_auth_user_id" not in response.wsgi_request.session


def test_operators_create_a_token_from_the_command_line(area):
    out = io.StringIO()
    call_command(
        "create_integrator_token",
        "--province=66",
        "--integrator=Phần mềm một cửa",
        "--name=Xã Hòa Thuận",
        "--role=commune_officer",
        "--scope=24400",
        "--write",
        "--expires=31/12/2099",
        stdout=out,
    )
    key = KEY.search(out.getvalue()).group(0)
    token = IntegratorToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert (token.role, token.unit, token.read_only) == (Role.COMMUNE_OFFICER, area["communes"]["hoa_thuan"], False)
    assert timezone.localtime(token.expires_at).date() == datetime.date(2100, 1, 1)
    assert Integrator.objects.get().province == area["province"]
    assert call(key, SUBMISSIONS).status_code == 200
    with pytest.raises(Exception, match="Không có tỉnh mã 99"):
        call_command("create_integrator_token", "--province=99", "--integrator=X", "--name=Y", stdout=io.StringIO())
