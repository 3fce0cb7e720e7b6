"""A return carries any number of item comments: five in one return over HTTP are all stored, all shown to the
commune and the reviewers, and all in the e-mail, whose link is built from the site's public address."""

from django.core import mail
from django.urls import reverse

import pytest

from cms.directory.models import Role
from submissions.models import ReturnedItem, Submission, SubmissionStatus
from tests.factories import district, member, province, shared_layer
from tests.submissions.words import assert_words_only, visible_text

BASE_URL = "https://ntm.daklak.gov.vn"
FIVE = [
    ("i:1.1", "Quyết định phê duyệt quy hoạch đã hết hạn"),
    ("c:2", "Số liệu giao thông chưa khớp báo cáo huyện"),
    ("i:2.1", "Tỷ lệ nhựa hóa thiếu biên bản nghiệm thu"),
    ("i:2.2", "Chiều dài đường thôn cần bản đồ kèm theo"),
    ("c:10", "Thu nhập bình quân chưa có xác nhận của thống kê"),
]


@pytest.fixture
def returned(flow, area, client, settings):
    """Krông Pắc's reviewer returns Hòa Thuận's submission with an overall comment and five item comments."""
    settings.PUBLIC_BASE_URL = BASE_URL
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"  # the development address must not leak into mail
    mail.outbox.clear()
    submission = flow["submission"]
    client.force_login(area["reviewer"])
    response = client.post(
        reverse("review:return", args=[submission.pk]),
        {
            "lock_version": submission.lock_version,
            "comment": "Bổ sung đủ hồ sơ trước ngày 10/12",
            "item_target": [target for target, _comment in FIVE],
            "item_comment": [comment for _target, comment in FIVE],
        },
    )
    assert response.status_code == 302
    return Submission.objects.get(pk=submission.pk)


def test_five_item_comments_are_all_stored(returned):
    assert returned.status == SubmissionStatus.RETURNED
    items = ReturnedItem.objects.filter(submission=returned)
    stored = {(item.criterion_number, item.indicator_code, item.comment) for item in items}
    assert stored == {
        (1, "1.1", FIVE[0][1]),
        (2, "", FIVE[1][1]),
        (2, "2.1", FIVE[2][1]),
        (2, "2.2", FIVE[3][1]),
        (10, "", FIVE[4][1]),
        (None, "", "Bổ sung đủ hồ sơ trước ngày 10/12"),
    }


def test_the_email_carries_every_comment_and_a_link_from_the_public_address(returned, area):
    (message,) = [m for m in mail.outbox if m.to == ["canbo_hoa_thuan@example.org"]]
    for _target, comment in FIVE:
        assert comment in message.body
    assert "- Tiêu chí 2. Giao thông: Số liệu giao thông chưa khớp báo cáo huyện" in message.body
    assert "- Chỉ tiêu 2.2. Số km đường thôn được cứng hóa: Chiều dài đường thôn cần bản đồ kèm theo" in message.body
    assert "- Ý kiến chung: Bổ sung đủ hồ sơ trước ngày 10/12" in message.body
    assert f"Mở hồ sơ: {BASE_URL}/danh-gia/ho-so/{returned.pk}/" in message.body
    assert "127.0.0.1" not in message.body and "testserver" not in message.body
    assert_words_only(message.body, "the return e-mail")


def test_the_commune_and_the_reviewer_see_every_comment(returned, area, client):
    client.force_login(area["officers"]["hoa_thuan"])
    form = visible_text(client.get(reverse("submissions:form", args=[returned.pk])).content.decode())
    client.force_login(area["reviewer"])
    page = visible_text(client.get(reverse("review:detail", args=[returned.pk])).content.decode())
    for _target, comment in FIVE:
        assert comment in form
        assert comment in page
    assert "Chỉ tiêu 2.2: Chiều dài đường thôn cần bản đồ kèm theo" in form
    # in the order the reviewer typed them, on both pages
    for text in (form, page):
        positions = [text.index(comment) for _target, comment in FIVE]
        assert positions == sorted(positions)


def test_the_form_offers_more_rows_without_javascript(flow, area, client):
    client.force_login(area["reviewer"])
    url = reverse("review:detail", args=[flow["submission"].pk])
    page = client.get(url).content.decode()
    assert page.count('name="item_comment"') == 5
    assert 'href="?y-kien=10#tra-lai"' in page and "Thêm ý kiến" in page
    more = client.get(url, {"y-kien": "10"}).content.decode()
    assert more.count('name="item_comment"') == 10
    assert 'href="?y-kien=15#tra-lai"' in more
    assert client.get(url, {"y-kien": "nhiều"}).content.decode().count('name="item_comment"') == 5
    assert client.get(url, {"y-kien": "100000"}).content.decode().count('name="item_comment"') == 200


def test_a_comment_without_an_item_is_kept_as_an_overall_comment(flow, area, client):
    submission = flow["submission"]
    client.force_login(area["reviewer"])
    response = client.post(
        reverse("review:return", args=[submission.pk]),
        {
            "lock_version": submission.lock_version,
            "item_target": ["", "i:2.1"],
            "item_comment": ["Thiếu chữ ký của chủ tịch xã", "Tỷ lệ chưa đúng"],
        },
    )
    assert response.status_code == 302
    assert set(ReturnedItem.objects.filter(submission=submission).values_list("indicator_code", "comment")) == {
        ("", "Thiếu chữ ký của chủ tịch xã"),
        ("2.1", "Tỷ lệ chưa đúng"),
    }


def test_without_the_public_address_no_development_address_is_sent(flow, area, client, settings):
    settings.PUBLIC_BASE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    mail.outbox.clear()
    submission = flow["submission"]
    client.force_login(area["reviewer"])
    client.post(
        reverse("review:return", args=[submission.pk]),
        {"lock_version": submission.lock_version, "item_target": ["c:1"], "item_comment": ["Thiếu quyết định"]},
    )
    (message,) = [m for m in mail.outbox if m.to == ["canbo_hoa_thuan@example.org"]]
    assert "Thiếu quyết định" in message.body
    assert "127.0.0.1" not in message.body


@shared_layer
def other_reviewer():
    """A district reviewer of another province."""
    dak_nong = province(code="67", name="Tỉnh Đắk Nông")
    return member(Role.DISTRICT_REVIEWER, unit=district(dak_nong, "660", "Huyện Cư Jút"), username="thamtra_67")


def test_a_reviewer_of_another_province_can_neither_read_nor_return(flow, other_reviewer, client):
    submission = flow["submission"]
    client.force_login(other_reviewer)
    assert client.get(reverse("review:detail", args=[submission.pk])).status_code == 404
    response = client.post(
        reverse("review:return", args=[submission.pk]),
        {"lock_version": submission.lock_version, "item_target": ["c:1"], "item_comment": ["Không được phép"]},
    )
    assert response.status_code == 404
    assert not ReturnedItem.objects.filter(submission=submission).exists()
