"""Two-factor authentication: office editors and superusers enrol a TOTP device and, when
``REQUIRE_TWO_FACTOR_FOR_STAFF`` is on, verify a code after the password before reaching the admin; commune
officers and reviewers are unaffected. Codes are computed here from the device's key, as an app would."""

import io
import runpy
from pathlib import Path

from django.core.management import call_command
from django.test import Client

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.audit.models import AuditEntry
from cms.security.models import SecurityAction
from cms.settings import base
from tests.factories import PASSWORD, UserFactory

VERIFY = "/xac-thuc-hai-buoc/"
ENROL = "/xac-thuc-hai-buoc/thiet-lap/"
ADMIN = "/admin/"


def code(device: TOTPDevice, *, ahead: int = 0) -> str:
    """The code an authenticator app shows for ``device`` now (``ahead``: that many 30-second steps later)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead):0{device.digits}d}"


def base_setting(name: str):
    """``name`` as ``cms/settings/base.py`` computes it from the current environment."""
    return runpy.run_path(str(Path(base.__file__)))[name]


def password_login(user) -> Client:
    client = Client()
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def required(settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri", is_superuser=True)


def test_office_editor_enrols_then_verifies_at_each_login(required, area):
    office = area["office"]
    client = password_login(office)

    # The password alone does not reach the admin: first the verification page, which sends a person
    # without a device to set one up.
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    response = client.get(response["Location"])
    assert response["Location"] == f"{ENROL}?next=%2Fadmin%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=office, confirmed=False)
    assert page.context["secret"] in page.text
    assert page.context["otpauth_uri"].startswith("otpauth://totp/NTM%3Avanphong?secret=")
    assert "<svg" in page.text
    assert "Thiết lập xác thực hai bước" in page.text
    assert client.get(page.request["PATH_INFO"]).context["secret"] == page.context["secret"]  # same secret on reload

    wrong = client.post(ENROL, {"token": "12345", "next": ADMIN})
    assert "Mã xác thực gồm 6 chữ số." in wrong.text
    response = client.post(ENROL, {"token": code(device), "next": ADMIN})
    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.about(office).filter(action=SecurityAction.TWO_FACTOR_ENROLLED).count() == 1

    # The next login asks for a code from the device, and only then opens the admin.
    client = password_login(office)
    response = client.get("/admin/pages/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Fpages%2F"
    assert "Xác thực hai bước" in client.get(response["Location"]).text
    response = client.post(VERIFY, {"token": code(device, ahead=1), "next": "/admin/pages/"})
    assert response["Location"] == "/admin/pages/"
    assert client.get(ADMIN).status_code == 200


def test_a_wrong_code_is_refused(required, area, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting between tries in this test
    office = area["office"]
    device = TOTPDevice.objects.create(user=office, name="TOTP", confirmed=True)
    client = password_login(office)
    right = code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn" in response.text
    assert client.get(ADMIN).status_code == 302
    assert client.post(VERIFY, {"token": right})["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_a_stolen_password_cannot_replace_the_device(required, area):
    office = area["office"]
    TOTPDevice.objects.create(user=office, name="TOTP", confirmed=True)
    client = password_login(office)
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=office, confirmed=False).exists()


def test_superusers_verify_too_and_the_api_refuses_an_unverified_session(required, superuser):
    client = password_login(superuser)
    assert client.get(ADMIN)["Location"].startswith(VERIFY)
    response = client.get("/api/v1/rounds/")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"
    assert response.json()["message"]
    # Logging out still works.
    assert client.post("/dang-xuat/").status_code == 302


def test_commune_officers_and_reviewers_are_unaffected(required, area):
    officer = Client()
    assert officer.post("/dang-nhap/", {"username": "canbo_hoa_thuan", "password": PASSWORD}).status_code == 302
    assert officer.get("/danh-gia/").status_code == 200
    assert officer.get(ENROL).status_code == 403  # two-factor is for office editors and superusers
    reviewer = password_login(area["reviewer"])
    assert reviewer.get(ADMIN).status_code == 200
    assert reviewer.get("/xet-duyet/").status_code == 200


def test_without_the_setting_staff_reach_the_admin_with_the_password_and_may_still_enrol(area, settings):
    assert settings.REQUIRE_TWO_FACTOR_FOR_STAFF is False  # the test settings, as dev
    client = password_login(area["office"])
    assert client.get(ADMIN).status_code == 200
    page = client.get(ENROL)
    assert page.status_code == 200
    assert f'"url": "{ENROL}"' in client.get(ADMIN).text  # the admin menu links to it


def test_it_is_required_unless_the_environment_says_otherwise(monkeypatch):
    """``base`` (and so ``production``) requires it by default; ``dev`` and ``test`` switch it off."""
    monkeypatch.delenv("REQUIRE_TWO_FACTOR_FOR_STAFF", raising=False)
    assert base_setting("REQUIRE_TWO_FACTOR_FOR_STAFF") is True
    monkeypatch.setenv("REQUIRE_TWO_FACTOR_FOR_STAFF", "false")
    assert base_setting("REQUIRE_TWO_FACTOR_FOR_STAFF") is False


def test_reset_removes_the_device_and_is_recorded(area):
    office = area["office"]
    TOTPDevice.objects.create(user=office, name="TOTP", confirmed=True)
    call_command("reset_two_factor", office.username, "--comment", "Mất điện thoại", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=office).exists()
    entry = AuditEntry.objects.about(office).get(action=SecurityAction.TWO_FACTOR_RESET)
    assert entry.comment == "Mất điện thoại"
