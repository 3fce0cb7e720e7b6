"""The pages people work on: the commune officer's (its consultations, every comment, publish, keep off, answer) and
the office's admin (list, open from a submission waiting for recognition, moderate, close, the summary), each role
as a non-superuser, in its own province and against another."""

import datetime

from django.utils import timezone

import pytest

from submissions.consultation.models import Comment, CommentStatus, Consultation, ConsultationStatus
from tests.submissions.consultation.factories import (
    SECRET_CONTACT,
    SECRET_NAME,
    CommentFactory,
    open_consultation,
    published_comment,
)

ADMIN = "/admin/submissions/consultation/"


@pytest.fixture
def consultation(consulted):
    return open_consultation(consulted["submission"], consulted["office"])


def _dmy(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


# --- the commune officer -----------------------------------------------------------------------------------------


def test_the_officer_lists_and_reads_the_comments_of_its_commune(client, consulted, consultation):
    CommentFactory(consultation=consultation, body="Ý kiến chờ duyệt")
    client.force_login(consulted["officer"])
    listing = client.get("/lay-y-kien/")
    assert listing.status_code == 200
    assert "1 ý kiến, 1 chờ duyệt, 0 đã công khai" in listing.text
    page = client.get(f"/lay-y-kien/{consultation.pk}/")
    assert page.status_code == 200
    assert "Ý kiến chờ duyệt" in page.text
    assert SECRET_NAME in page.text and SECRET_CONTACT in page.text  # the people who moderate see who wrote


@pytest.mark.parametrize("who", ["neighbour", "reviewer", "appraiser", "national", "other_office"])
def test_nobody_else_reads_the_commune_page_of_comments(client, consulted, consultation, who):
    client.force_login(consulted[who])
    assert client.get(f"/lay-y-kien/{consultation.pk}/").status_code == 404


def test_the_officer_publishes_and_answers_a_comment(client, consulted, consultation):
    comment = CommentFactory(consultation=consultation)
    client.force_login(consulted["officer"])
    back = f"/lay-y-kien/{consultation.pk}/"
    response = client.post(f"/lay-y-kien/y-kien/{comment.pk}/duyet/", {"decision": "approve", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    response = client.post(f"/lay-y-kien/y-kien/{comment.pk}/tra-loi/", {"answer": "Xã đã tiếp thu.", "next": back})
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED and comment.answer == "Xã đã tiếp thu."
    assert "Đã lưu câu trả lời của xã." in client.get(back).text


@pytest.mark.parametrize("who", ["neighbour", "reviewer", "appraiser", "national", "other_office"])
def test_nobody_else_moderates_or_answers(client, consulted, consultation, who):
    comment = published_comment(consultation)
    pending = CommentFactory(consultation=consultation)
    client.force_login(consulted[who])
    assert client.post(f"/lay-y-kien/y-kien/{pending.pk}/duyet/", {"decision": "approve"}).status_code == 404
    assert client.post(f"/lay-y-kien/y-kien/{comment.pk}/tra-loi/", {"answer": "Không"}).status_code == 404
    assert Comment.objects.filter(status=CommentStatus.PENDING).count() == 1
    assert not Comment.objects.exclude(answer="").exists()


def test_anonymous_is_sent_to_the_login(client, consultation):
    comment = CommentFactory(consultation=consultation)
    for response in (
        client.get("/lay-y-kien/"),
        client.get(f"/lay-y-kien/{consultation.pk}/"),
        client.post(f"/lay-y-kien/y-kien/{comment.pk}/duyet/", {"decision": "approve"}),
    ):
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_the_officer_list_runs_a_bounded_number_of_queries(
    client, consulted, consultation, django_assert_max_num_queries
):
    for _index in range(10):
        CommentFactory(consultation=consultation)
    client.force_login(consulted["officer"])
    with django_assert_max_num_queries(12):
        assert client.get("/lay-y-kien/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/lay-y-kien/{consultation.pk}/").status_code == 200


# --- the office's admin ------------------------------------------------------------------------------------------


def test_the_office_opens_a_consultation_from_the_review_page(client, consulted):
    submission = consulted["submission"]
    client.force_login(consulted["office"])
    review = client.get(f"/xet-duyet/ho-so/{submission.pk}/").text
    assert f"{ADMIN}mo/{submission.pk}/" in review
    form = client.get(f"{ADMIN}mo/{submission.pk}/")
    assert form.status_code == 200 and _dmy() in form.text
    refused = client.post(f"{ADMIN}mo/{submission.pk}/", {"opens_on": _dmy(5), "closes_on": _dmy(1)})
    assert refused.status_code == 200
    assert "Ngày kết thúc lấy ý kiến phải từ ngày bắt đầu trở về sau." in refused.text
    response = client.post(f"{ADMIN}mo/{submission.pk}/", {"opens_on": _dmy(), "closes_on": _dmy(20)})
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{ADMIN}{consultation.pk}/"
    assert consultation.closes_on == timezone.localdate() + datetime.timedelta(days=20)
    assert not consultation.show_values


def test_a_wrong_date_is_a_vietnamese_message(client, consulted):
    client.force_login(consulted["office"])
    response = client.post(f"{ADMIN}mo/{consulted['submission'].pk}/", {"opens_on": "31/02/2026", "closes_on": ""})
    assert response.status_code == 200
    assert "Ngày không đúng dạng dd/mm/yyyy." in response.text and "Nhập ngày kết thúc." in response.text
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("who", ["other_office", "reviewer"])
def test_no_other_office_opens_one(client, consulted, who):
    client.force_login(consulted[who])
    response = client.post(f"{ADMIN}mo/{consulted['submission'].pk}/", {"opens_on": _dmy(), "closes_on": _dmy(20)})
    assert response.status_code in (302, 403, 404)
    assert not Consultation.objects.exists()


def test_the_office_moderates_and_closes(client, consulted, consultation):
    comment = CommentFactory(consultation=consultation, body="Ý kiến cần duyệt")
    client.force_login(consulted["office"])
    listing = client.get(ADMIN)
    assert listing.status_code == 200 and "Xã Hòa Thuận" in listing.text
    assert '"ntm-consultations"' in client.get("/admin/").text  # the menu item (in the sidebar's JSON)
    detail = client.get(f"{ADMIN}{consultation.pk}/")
    assert "Ý kiến cần duyệt" in detail.text and "Tổng hợp đến lúc này" in detail.text
    back = f"{ADMIN}{consultation.pk}/"
    response = client.post(f"/lay-y-kien/y-kien/{comment.pk}/duyet/", {"decision": "reject", "next": back})
    assert response["Location"] == back
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    client.post(f"{ADMIN}{consultation.pk}/ket-thuc/")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED
    assert consultation.summary["comments_rejected"] == 1
    assert "Tổng hợp đã chốt" in client.get(back).text


@pytest.mark.parametrize("who", ["other_office", "officer", "reviewer", "national"])
def test_no_one_else_sees_or_closes_it_in_the_admin(client, consulted, consultation, who):
    client.force_login(consulted[who])
    assert client.get(f"{ADMIN}{consultation.pk}/").status_code in (302, 403, 404)
    assert client.post(f"{ADMIN}{consultation.pk}/ket-thuc/").status_code in (302, 403, 404)
    listing = client.get(ADMIN)
    assert listing.status_code != 200 or "Xã Hòa Thuận" not in listing.text
    home = client.get("/admin/")
    assert home.status_code != 200 or who == "other_office" or '"ntm-consultations"' not in home.text
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN


def test_the_admin_list_runs_a_bounded_number_of_queries(
    client, consulted, site, consultation, django_assert_max_num_queries
):
    for _index in range(5):
        CommentFactory(consultation=consultation)
    client.force_login(consulted["office"])
    with django_assert_max_num_queries(40):
        assert client.get(ADMIN).status_code == 200
    assert client.get(ADMIN, {"trang-thai": "closed"}).text.count("Xã Hòa Thuận") == 0
