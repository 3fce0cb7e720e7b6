"""Invitations and activation over HTTP: an appraiser invited by e-mail opens the link, reads the personal-data
notice, sets a password and is logged in (and can log in later); the link works once; a person without e-mail
activates with the printed letter's code; anyone resets a forgotten password."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

import pytest

from cms.audit.models import AuditEntry
from cms.directory.models import Department, Role
from cms.people.audit import PeopleAction
from cms.people.checks import public_base_url_check
from cms.people.models import Invitation
from tests.factories import PASSWORD

NEW_PASSWORD = "Lua-chin-vang-2026"
LINK = re.compile(r"https://ntm\.example\.gov\.vn(/kich-hoat/[^/\s]+/[^/\s]+/)")
RESET_LINK = re.compile(r"https://ntm\.example\.gov\.vn(/quen-mat-khau/[^/\s]+/[^/\s]+/)")
NOTICE = "Nghị định 13/2023/NĐ-CP"


def logged_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


@pytest.fixture
def office_client(area):
    client = Client()
    client.force_login(area["office"])
    return client


def invite_appraiser(office_client, email="thamdinh.xd@daklak.gov.vn"):
    response = office_client.post(
        "/admin/nguoi-dung/them/",
        {
            "full_name": "Trần Thị Thẩm Định",
            "email": email,
            "phone": "0262 3812 345",
            "role": "department_appraiser",
            "scope": "so-xd",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return get_user_model().objects.get(email=email)


def test_an_appraiser_invited_by_email_opens_the_link_sets_a_password_and_is_logged_in(area, office_client):
    person = invite_appraiser(office_client)
    assert person.memberships.get().department == Department.objects.get(code="so-xd", province=area["province"])
    assert not person.has_usable_password()
    message = mail.outbox[-1]
    assert message.to == ["thamdinh.xd@daklak.gov.vn"]
    assert "Kích hoạt tài khoản" in message.subject
    assert "Tên đăng nhập của bạn: tranthithamdinh" in message.body
    path = LINK.search(message.body).group(1)

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert NOTICE in page.text
    assert "họ và tên, e-mail, số điện thoại" in page.text
    assert "tranthithamdinh" in page.text

    done = visitor.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "accept_notice": "on"})
    assert done.status_code == 302
    assert logged_in_as(visitor) == person.pk
    landing = visitor.get(done["Location"])
    assert "Tài khoản đã kích hoạt" in landing.text
    assert 'href="/cong-viec/"' in landing.text
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert person.people_profile.privacy_accepted_at is not None
    actions = set(AuditEntry.objects.about(person).values_list("action", flat=True))
    assert {PeopleAction.ACCOUNT_CREATED, PeopleAction.INVITED, PeopleAction.ACTIVATED} <= actions

    # The link works once; the person logs in with the password they chose.
    again = Client().get(path)
    assert again.status_code == 404
    assert "Liên kết kích hoạt không dùng được" in again.text
    later = Client()
    response = later.post("/dang-nhap/", {"username": "tranthithamdinh", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(later) == person.pk


def test_the_notice_must_be_accepted_and_the_passwords_must_match_and_be_strong(area, office_client):
    invite_appraiser(office_client)
    path = LINK.search(mail.outbox[-1].body).group(1)
    visitor = Client()
    refused = visitor.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert refused.status_code == 400
    assert "Cần đồng ý với thông báo xử lý dữ liệu cá nhân" in refused.text
    mismatch = visitor.post(path, {"new_password1": NEW_PASSWORD, "new_password2": "khac", "accept_notice": "on"})
    assert "Hai mật khẩu không giống nhau." in mismatch.text
    weak = visitor.post(path, {"new_password1": "12345", "new_password2": "12345", "accept_notice": "on"})
    assert "Mật khẩu quá ngắn" in weak.text
    assert "This password" not in weak.text
    assert logged_in_as(visitor) is None
    assert visitor.get(path).status_code == 200  # nothing spent


def test_a_new_invitation_replaces_the_old_link_and_an_expired_link_is_refused(area, office_client):
    person = invite_appraiser(office_client)
    old = LINK.search(mail.outbox[-1].body).group(1)
    response = office_client.post(f"/admin/nguoi-dung/{person.pk}/moi/")
    assert response.status_code == 302
    new = LINK.search(mail.outbox[-1].body).group(1)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    Invitation.objects.filter(user=person).update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    assert Client().get(new).status_code == 404


def test_a_tampered_or_made_up_link_is_refused(area, office_client):
    person = invite_appraiser(office_client)
    path = LINK.search(mail.outbox[-1].body).group(1)
    assert Client().get(path[:-3] + "xx/").status_code == 404
    assert Client().get("/kich-hoat/Zm9v/abc-def/").status_code == 404
    assert Client().get("/kich-hoat/!!/abc/").status_code == 404
    person.is_active = False
    person.save()
    assert Client().get(path).status_code == 404


def test_a_person_without_email_activates_with_the_code_of_the_printed_letter(area, office_client):
    response = office_client.post(
        "/admin/nguoi-dung/them/",
        {"full_name": "Y Bhăm Niê", "email": "", "phone": "0905 111 222", "role": "commune_officer", "scope": "24401"},
    )
    assert response.status_code == 302
    person = get_user_model().objects.get(username="ybhamnie")
    letter = office_client.post(f"/admin/nguoi-dung/{person.pk}/thu-kich-hoat/")
    assert letter.status_code == 200
    assert "no-store" in letter["Cache-Control"]
    code = re.search(r'<td class="code">([A-Z2-9]{10})</td>', letter.text).group(1)
    assert "https://ntm.example.gov.vn/kich-hoat/ma/" in letter.text
    assert NOTICE in letter.text

    visitor = Client()
    form = {
        "username": "ybhamnie",
        "code": code,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
        "accept_notice": "on",
    }
    wrong = visitor.post("/kich-hoat/ma/", {**form, "code": "AAAAAAAAAA"})
    assert wrong.status_code == 400
    assert "Tên đăng nhập hoặc mã kích hoạt không đúng" in wrong.text
    assert 'value="ybhamnie"' in wrong.text  # what was typed stays
    done = visitor.post("/kich-hoat/ma/", {**form, "code": code.lower()})
    assert done.status_code == 302
    assert logged_in_as(visitor) == person.pk
    assert "Tài khoản đã kích hoạt" in visitor.get(done["Location"]).text
    assert Client().post("/kich-hoat/ma/", form).status_code == 400  # used once


def test_five_wrong_codes_cancel_the_letter(area, office_client):
    office_client.post(
        "/admin/nguoi-dung/them/",
        {"full_name": "Y Bhăm Niê", "email": "", "phone": "", "role": "commune_officer", "scope": "24401"},
    )
    person = get_user_model().objects.get(username="ybhamnie")
    letter = office_client.post(f"/admin/nguoi-dung/{person.pk}/thu-kich-hoat/")
    code = re.search(r'<td class="code">([A-Z2-9]{10})</td>', letter.text).group(1)
    form = {"username": "ybhamnie", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "accept_notice": "on"}
    for _attempt in range(5):
        Client().post("/kich-hoat/ma/", {**form, "code": "AAAAAAAAAA"})
    assert Client().post("/kich-hoat/ma/", {**form, "code": code}).status_code == 400
    assert Invitation.objects.get(user=person).cancelled_at is not None


def test_anyone_resets_a_forgotten_password_from_the_login_page(area):
    officer = area["officers"]["hoa_thuan"]
    login_page = Client().get("/dang-nhap/")
    assert 'href="/quen-mat-khau/"' in login_page.text
    assert "Quên mật khẩu?" in login_page.text
    visitor = Client()
    form = visitor.get("/quen-mat-khau/")
    assert form.status_code == 200
    assert "Quên mật khẩu" in form.text
    sent = visitor.post("/quen-mat-khau/", {"email": officer.email})
    assert sent.status_code == 302
    assert "Đã gửi hướng dẫn" in visitor.get(sent["Location"]).text
    message = mail.outbox[-1]
    assert message.subject == "[NTM] Đặt lại mật khẩu"
    path = RESET_LINK.search(message.body).group(1)
    page = visitor.get(path, follow=True)
    assert "Đặt mật khẩu mới" in page.text
    set_url = page.redirect_chain[-1][0]
    weak = visitor.post(set_url, {"new_password1": "123", "new_password2": "123"})
    assert "Mật khẩu quá ngắn" in weak.text
    done = visitor.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert "Đã đặt mật khẩu mới" in visitor.get(done["Location"]).text
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert not officer.check_password(PASSWORD)


def test_public_pages_are_in_vietnamese(area):
    for path in ("/quen-mat-khau/", "/kich-hoat/ma/", "/quen-mat-khau/da-gui/", "/quen-mat-khau/xong/"):
        text = re.sub(r"<[^>]+>", " ", Client().get(path).text)  # what a reader sees
        for english in ("Password", "password", "Email address", "Submit"):
            assert english not in text, (path, english)


def test_the_bootstrap_command_creates_a_provinces_first_office_editor(area):
    call_command("create_office_editor", "--province", "66", "--email", "vpdp@daklak.gov.vn", "--name", "Lê Văn Tỉnh")
    person = get_user_model().objects.get(email="vpdp@daklak.gov.vn")
    assert person.username == "levantinh"
    assert person.memberships.get().role == Role.OFFICE_EDITOR
    assert person.memberships.get().unit == area["province"]
    assert mail.outbox[-1].to == ["vpdp@daklak.gov.vn"]
    assert LINK.search(mail.outbox[-1].body)


def test_a_deployment_without_the_public_address_is_reported(settings):
    settings.PUBLIC_BASE_URL = ""
    assert [error.id for error in public_base_url_check()] == ["cms.people.E001"]
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    assert [error.id for error in public_base_url_check()] == ["cms.people.E001"]
    settings.PUBLIC_BASE_URL = "https://ntm.example.gov.vn"
    assert public_base_url_check() == []
