"""Lockout of one account from one address: ten wrong passwords lock that account from that address (on the
product's login page and on Wagtail's), the same account still logs in from elsewhere, the lock is an audit
entry, and the office unlocks it — only for people of its own province."""

from django.conf import settings
from django.test import Client

import pytest
from axes.models import AccessAttempt

from cms.audit.models import AuditEntry
from cms.directory.models import Role
from cms.security.access import unlockable_usernames
from cms.security.models import SecurityAction
from tests.factories import PASSWORD, UserFactory, commune, district, member, province

LOGIN = "/dang-nhap/"
ADMIN_LOGIN = "/admin/login/"
LOCKED_LOGINS = "/admin/security/locked-logins/"
UNLOCK = "/admin/security/locked-logins/unlock/"
OFFICE_ADDRESS = "203.0.113.10"
HOME_ADDRESS = "198.51.100.20"
LOCKED_TEXT = "đã bị tạm khóa đăng nhập từ địa chỉ của bạn"


def attempt(client, url, username, password, address, **headers):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def fail_until_locked(client, url, username, address):
    """The configured number of wrong passwords; every answer before the last is the ordinary refusal."""
    responses = [attempt(client, url, username, "sai-mat-khau", address) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    return responses[-1]


def assert_denied(response):
    """Wagtail's admin refuses with a redirect to the dashboard and a message."""
    assert response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def locked_usernames(client) -> list[str]:
    """The accounts the locked logins page lists for the client's user."""
    response = client.get(LOCKED_LOGINS)
    assert response.status_code == 200
    return [row.username for row in response.context["locked"]]


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def officer(area):
    return area["officers"]["hoa_thuan"]


@pytest.fixture
def other_office(db):
    """The office editor of another province."""
    return member(Role.OFFICE_EDITOR, unit=province(code="67", name="Tỉnh Đắk Nông"), username="vanphong_daknong")


def test_the_limit_is_ten_by_default_and_counts_account_and_address_together():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"  # shared by every process


def test_ten_wrong_passwords_lock_the_account_from_that_address_only(officer):
    client = Client()
    locked = fail_until_locked(client, LOGIN, officer.username, OFFICE_ADDRESS)
    assert locked.status_code == 429
    assert LOCKED_TEXT in locked.text

    # The right password is now refused from that address, with the Vietnamese message on the login page ...
    refused = attempt(client, LOGIN, officer.username, PASSWORD, OFFICE_ADDRESS)
    assert refused.status_code == 429
    assert LOCKED_TEXT in refused.text
    assert "Văn phòng Điều phối NTM" in refused.text
    assert '<form method="post" class="login-form">' in refused.text
    assert not logged_in(client)
    # ... and a made-up X-Forwarded-For changes nothing (no trusted proxy is configured).
    spoofed = attempt(client, LOGIN, officer.username, PASSWORD, OFFICE_ADDRESS, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert spoofed.status_code == 429
    assert not logged_in(client)

    # The same account logs in from another address: nobody can lock an officer out everywhere.
    elsewhere = Client()
    response = attempt(elsewhere, LOGIN, officer.username, PASSWORD, HOME_ADDRESS)
    assert response.status_code == 302
    assert logged_in(elsewhere)

    # Another account logs in from the locked address.
    colleague = Client()
    assert attempt(colleague, LOGIN, "canbo_ea_kly", PASSWORD, OFFICE_ADDRESS).status_code == 302


def test_the_lock_is_one_audit_entry_about_the_account(officer):
    client = Client()
    fail_until_locked(client, LOGIN, officer.username, OFFICE_ADDRESS)
    for _ in range(3):  # refused while locked: not counted, not recorded again
        attempt(client, LOGIN, officer.username, PASSWORD, OFFICE_ADDRESS)
    entries = AuditEntry.objects.about(officer).filter(action=SecurityAction.LOGIN_LOCKED)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.after == {"ip_address": OFFICE_ADDRESS, "failures": 10}
    assert OFFICE_ADDRESS in entry.comment
    assert entry.get_action_display() == "Khóa đăng nhập sau nhiều lần sai mật khẩu"


def test_nine_failures_then_the_right_password_log_in_and_start_the_count_again(officer):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, LOGIN, officer.username, "sai-mat-khau", OFFICE_ADDRESS)
    assert attempt(client, LOGIN, officer.username, PASSWORD, OFFICE_ADDRESS).status_code == 302
    assert not AccessAttempt.objects.filter(username=officer.username).exists()


def test_wagtail_admin_login_is_protected_too(area):
    office = area["office"]
    client = Client()
    locked = fail_until_locked(client, ADMIN_LOGIN, office.username, OFFICE_ADDRESS)
    assert locked.status_code == 429
    refused = attempt(client, ADMIN_LOGIN, office.username, PASSWORD, OFFICE_ADDRESS)
    assert refused.status_code == 429
    assert LOCKED_TEXT in refused.text
    assert "login-form" in refused.text  # Wagtail's own login page, with the message in place of its error
    assert not logged_in(client)
    elsewhere = Client()
    assert attempt(elsewhere, ADMIN_LOGIN, office.username, PASSWORD, HOME_ADDRESS).status_code == 302


def test_the_office_unlocks_its_officer_and_another_province_cannot(area, officer, other_office):
    fail_until_locked(Client(), LOGIN, officer.username, OFFICE_ADDRESS)

    stranger = Client()
    stranger.force_login(other_office)
    assert locked_usernames(stranger) == []
    assert_denied(stranger.post(UNLOCK, {"username": officer.username, "ip_address": OFFICE_ADDRESS}))
    assert AccessAttempt.objects.filter(username=officer.username).exists()
    assert attempt(Client(), LOGIN, officer.username, PASSWORD, OFFICE_ADDRESS).status_code == 429

    office = Client()
    office.force_login(area["office"])
    listing = office.get(LOCKED_LOGINS)
    assert listing.status_code == 200
    assert officer.username in listing.text
    assert OFFICE_ADDRESS in listing.text
    response = office.post(UNLOCK, {"username": officer.username, "ip_address": OFFICE_ADDRESS})
    assert response.status_code == 302
    assert locked_usernames(office) == []

    unlocked = AuditEntry.objects.about(officer).get(action=SecurityAction.LOGIN_UNLOCKED)
    assert unlocked.actor == area["office"]
    assert unlocked.role == Role.OFFICE_EDITOR
    client = Client()
    assert attempt(client, LOGIN, officer.username, PASSWORD, OFFICE_ADDRESS).status_code == 302
    assert logged_in(client)


def test_people_without_the_office_role_see_no_locked_logins(area, officer):
    fail_until_locked(Client(), LOGIN, officer.username, OFFICE_ADDRESS)
    reviewer = Client()
    reviewer.force_login(area["reviewer"])
    assert_denied(reviewer.get(LOCKED_LOGINS))
    assert_denied(reviewer.post(UNLOCK, {"username": officer.username, "ip_address": OFFICE_ADDRESS}))
    assert AccessAttempt.objects.filter(username=officer.username).exists()


def test_office_editors_unlock_only_people_whose_memberships_all_lie_in_their_province(area, other_office):
    office = area["office"]
    far_commune = commune(district(other_office.memberships.get().unit, "660", "Huyện Cư Jút"), "24600", "Xã Tâm Thắng")
    both = member(Role.COMMUNE_OFFICER, unit=area["communes"]["ea_wer"], username="hai_tinh")
    member(Role.COMMUNE_OFFICER, unit=far_commune, username="hai_tinh")
    admin = UserFactory(username="quantri", is_superuser=True)
    bare = UserFactory(username="khong_vai_tro")
    names = ["canbo_hoa_thuan", "thamtra", "vanphong", both.username, admin.username, bare.username, "khong_ton_tai"]
    assert unlockable_usernames(office, names) == {"canbo_hoa_thuan", "thamtra", "vanphong"}
    assert unlockable_usernames(other_office, names) == set()
    assert unlockable_usernames(admin, names) == set(names)
    assert unlockable_usernames(area["reviewer"], names) == set()


def test_a_superuser_unlocks_anyone(area, other_office):
    fail_until_locked(Client(), LOGIN, other_office.username, OFFICE_ADDRESS)
    admin = Client()
    admin.force_login(UserFactory(username="quantri", is_superuser=True))
    assert other_office.username in admin.get(LOCKED_LOGINS).text
    assert admin.post(UNLOCK, {"username": other_office.username, "ip_address": OFFICE_ADDRESS}).status_code == 302
    assert attempt(Client(), LOGIN, other_office.username, PASSWORD, OFFICE_ADDRESS).status_code == 302
