"""The office sees the e-mails that could not be sent, in Wagtail's admin ("Thư thông báo"): those of its own
province only, with the reason in words and dates dd/mm/yyyy; it sends a failed one again. Another province's
office sees none of them and cannot send them; a commune officer has no such page."""

import json
import re

from django.core import mail
from django.test import Client
from django.utils import timezone

import pytest

from cms.directory.models import Role
from cms.outbox.models import Notice, NoticeKind, NoticeStatus
from cms.people import services as people_services
from tests.factories import member, province
from tests.outbox.queue import DEAD

PAGE = "/admin/thu-thong-bao/"


def sidebar(client) -> str:
    """The admin's sidebar menu as its JSON props say it (Wagtail renders it with JavaScript)."""
    html = client.get("/admin/").content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    return json.dumps(json.loads(props.group(1)), ensure_ascii=False)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def failed_invitation(area, settings):
    """An invitation e-mail to Hòa Thuận's officer that the mail server never accepted."""
    settings.EMAIL_BACKEND = DEAD
    settings.OUTBOX_RETRY_MINUTES = [1, 5]
    officer = area["officers"]["hoa_thuan"]
    people_services.invitation_email_send(person=officer, base_url="https://ntm.example.gov.vn")
    return Notice.objects.get(recipient=officer.email)


def test_the_office_sees_its_provinces_failed_notice_with_the_reason_in_words(area, failed_invitation):
    office = _client(area["office"])

    page = office.get(PAGE).content.decode()
    menu = sidebar(office)

    assert failed_invitation.kind == NoticeKind.INVITATION
    assert failed_invitation.recipient in page
    assert "Không gửi được" in page and "Mời kích hoạt tài khoản" in page
    assert "Không kết nối được máy chủ thư" in page
    created = timezone.localtime(failed_invitation.created_at).strftime("%d/%m/%Y %H:%M")
    assert created in page
    assert "Thư không gửi được (1)" in menu
    assert re.search(r"<td>3</td>", page)  # three attempts


def test_the_status_filter_lists_only_that_status(area, failed_invitation):
    office = _client(area["office"])

    assert failed_invitation.recipient in office.get(PAGE, {"status": NoticeStatus.FAILED}).content.decode()
    assert failed_invitation.recipient not in office.get(PAGE, {"status": NoticeStatus.SENT}).content.decode()


def test_the_office_sends_a_failed_notice_again(area, failed_invitation, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    office = _client(area["office"])

    response = office.post(f"{PAGE}{failed_invitation.pk}/gui-lai/", follow=True)

    failed_invitation.refresh_from_db()
    assert failed_invitation.status == NoticeStatus.SENT
    assert [message.to for message in mail.outbox] == [[failed_invitation.recipient]]
    assert "Đã xếp thư gửi lại" in response.content.decode()
    assert "Thư không gửi được" not in sidebar(office)
    assert "Thư thông báo" in sidebar(office)


def test_another_provinces_office_sees_nothing_and_cannot_send_it_again(area, failed_invitation):
    hanoi = member(Role.OFFICE_EDITOR, unit=province(code="01", name="Thành phố Hà Nội"), username="vanphong_hn")
    other = _client(hanoi)

    page = other.get(PAGE).content.decode()

    assert failed_invitation.recipient not in page
    assert "Không có thư nào." in page
    assert "Thư không gửi được" not in sidebar(other)
    assert other.post(f"{PAGE}{failed_invitation.pk}/gui-lai/").status_code == 404
    failed_invitation.refresh_from_db()
    assert failed_invitation.status == NoticeStatus.FAILED


def test_a_commune_officer_has_no_outbox(area, failed_invitation):
    officer = _client(area["officers"]["ea_kly"])

    assert officer.get(PAGE).status_code in (302, 403)
    assert officer.post(f"{PAGE}{failed_invitation.pk}/gui-lai/").status_code in (302, 403)


def test_the_list_takes_a_fixed_number_of_queries(area, failed_invitation, django_assert_max_num_queries):
    office = _client(area["office"])
    office.get(PAGE)
    with django_assert_max_num_queries(20):
        office.get(PAGE)
