"""The e-mail telling a commune its submission was returned links to the contents screen, where officers land from
their list too: it lists the reviewer's comments, each a link to the step that holds its indicator or criterion."""

from django.core import mail
from django.urls import reverse

import pytest

from tests.submissions.words import visible_text

BASE_URL = "https://ntm.daklak.gov.vn"


@pytest.fixture
def returned(flow, area, client, settings):
    """Krông Pắc's reviewer returns Hòa Thuận's submission with a comment on indicator 2.1 and on criterion 10."""
    settings.PUBLIC_BASE_URL = BASE_URL
    mail.outbox.clear()
    submission = flow["submission"]
    client.force_login(area["reviewer"])
    response = client.post(
        reverse("review:return", args=[submission.pk]),
        {
            "lock_version": submission.lock_version,
            "comment": "",
            "item_target": ["i:2.1", "c:10"],
            "item_comment": ["Thiếu biên bản nghiệm thu", "Chưa có xác nhận của thống kê"],
        },
    )
    assert response.status_code == 302
    return submission


def test_the_return_email_opens_the_contents_screen_with_each_comment_linked_to_its_step(returned, area, client):
    contents = f"/danh-gia/ho-so/{returned.pk}/muc-luc/"
    (message,) = [m for m in mail.outbox if m.to == ["canbo_hoa_thuan@example.org"]]
    assert f"Mở hồ sơ: {BASE_URL}{contents}\n" in message.body + "\n"

    client.force_login(area["officers"]["hoa_thuan"])
    page = client.get(contents)
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "Cần sửa theo ý kiến trả lại" in text
    assert "Chỉ tiêu 2.1: Thiếu biên bản nghiệm thu" in text
    assert "Tiêu chí 10: Chưa có xác nhận của thống kê" in text
    step = f"/danh-gia/ho-so/{returned.pk}/tieu-chi"
    assert f'href="{step}/2/#chi-tieu-v_2_1"' in page.text
    assert f'href="{step}/3/#tieu-chi-10"' in page.text
