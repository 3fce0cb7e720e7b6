"""The consultation as the public reads it, on the commune page and in the API: nothing before it opens; during and
after it, the appraised verdicts (values only when the office ticked them), never evidence, notes, names or
contacts; the comment form and its limits (Vietnamese messages, what was typed kept); the page cache showing a newly
approved comment at once."""

import datetime

from submissions.consultation import services
from submissions.consultation.models import Comment, CommentStatus, Consultation
from submissions.models import Submission, SubmissionStatus
from tests.submissions.consultation.factories import (
    EVIDENCE_MARK,
    NOTE_MARK,
    SECRET_CONTACT,
    SECRET_NAME,
    VALUE_SHOWN,
    CommentFactory,
    open_consultation,
    published_comment,
)
from tests.submissions.factories import result

OPEN_MARK = "Đang lấy ý kiến — chưa công nhận"
LIST_URL = "/api/v1/consultations/"
#: A commune page with its consultation (verdicts, values, comments, the survey's tag) on a cache miss.
PAGE_MAX_QUERIES = 30
LIST_MAX_QUERIES = 12


def _dmy(date: datetime.date) -> str:
    return date.strftime("%d/%m/%Y")


def _page(client, consulted, **params):
    response = client.get(consulted["page_url"], params)
    assert response.status_code == 200
    return response.text


def _never_private(text: str) -> None:
    for mark in (EVIDENCE_MARK, NOTE_MARK, SECRET_NAME, SECRET_CONTACT, "/danh-gia/minh-chung/"):
        assert mark not in text, mark


# --- before, during and after ---------------------------------------------------------------------------------------


def test_nothing_of_the_submission_is_public_before_the_consultation_opens(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"], starts_in=3, show_values=True)
    text = _page(client, consulted)
    assert "Lấy ý kiến người dân" not in text and "Giao thông" not in text and VALUE_SHOWN not in text
    assert client.get(LIST_URL).json()["count"] == 0
    assert client.get(f"{LIST_URL}{consultation.pk}/").status_code == 404
    assert client.post(f"{LIST_URL}{consultation.pk}/comments/", {"body": "Sớm"}).status_code == 404
    assert client.post(f"/lay-y-kien/{consultation.pk}/gop-y/", {"body": "Sớm"}).status_code == 404
    assert not Comment.objects.exists()


def test_during_the_consultation_the_page_shows_the_appraised_verdicts_only(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    text = _page(client, consulted)
    assert OPEN_MARK in text
    assert f"Thời gian lấy ý kiến: từ {_dmy(consultation.opens_on)} đến {_dmy(consultation.closes_on)}" in text
    section = text.split('id="lay-y-kien"')[1]
    assert "1. Quy hoạch" in section and "2. Giao thông" in section
    assert "✓ Đạt" in section and "✗ Chưa đạt" in section
    assert VALUE_SHOWN not in text  # no values: the office did not tick them
    _never_private(text)
    assert f'action="/lay-y-kien/{consultation.pk}/gop-y/"' in text
    assert "csrfmiddlewaretoken" not in section
    assert "Nghị định 13/2023/NĐ-CP" in section and "180 ngày" in section


def test_the_values_are_shown_only_when_the_office_ticks_them(client, consulted):
    open_consultation(consulted["submission"], consulted["office"], show_values=True)
    text = _page(client, consulted)
    assert VALUE_SHOWN in text
    _never_private(text)


def test_after_the_consultation_the_page_still_shows_it_without_the_form(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    published_comment(consultation, body="Ý kiến đã duyệt", answer="Trả lời của xã về đường")
    services.consultation_close(consultation=consultation, user=consulted["office"])
    text = _page(client, consulted)
    assert "Đã kết thúc lấy ý kiến — chưa công nhận" in text
    assert "Ý kiến đã duyệt" in text and "Trả lời của xã về đường" in text
    assert "gop-y" not in text
    _never_private(text)


def test_a_submission_sent_back_to_the_commune_disappears_again(client, consulted):
    open_consultation(consulted["submission"], consulted["office"])
    Submission.objects.filter(pk=consulted["submission"].pk).update(status=SubmissionStatus.RETURNED)
    text = _page(client, consulted)
    assert OPEN_MARK not in text and "Giao thông" not in text
    assert client.get(LIST_URL).json()["count"] == 0


def test_the_commune_page_runs_a_bounded_number_of_queries(client, consulted, django_assert_max_num_queries):
    consultation = open_consultation(consulted["submission"], consulted["office"], show_values=True)
    for index in range(15):
        published_comment(consultation, body=f"Ý kiến {index}", answer="Đã tiếp thu")
    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        text = _page(client, consulted)
    assert text.count("Đã tiếp thu") == 15


# --- the comment form on the page ----------------------------------------------------------------------------------


def _post(client, consultation, consulted, address="198.51.100.4", **data):
    body = {"body": "Đường thôn 3 chưa được cứng hóa", "next": consulted["page_url"], **data}
    return client.post(f"/lay-y-kien/{consultation.pk}/gop-y/", body, REMOTE_ADDR=address)


def test_a_comment_goes_back_to_the_page_with_thanks_and_waits_for_moderation(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    response = _post(client, consultation, consulted, author_name=SECRET_NAME, contact=SECRET_CONTACT)
    assert response.status_code == 302
    assert response["Location"] == f"{consulted['page_url']}?da-gui=1#lay-y-kien"
    comment = Comment.objects.get()
    assert (comment.status, comment.author_name, comment.contact) == (
        CommentStatus.PENDING,
        SECRET_NAME,
        SECRET_CONTACT,
    )
    text = client.get(response["Location"]).text
    assert "Cảm ơn bạn đã góp ý" in text
    assert "Đường thôn 3" not in text  # not published before moderation
    _never_private(text)


def test_the_sixth_comment_from_one_address_is_refused_on_the_page(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    for index in range(5):
        assert _post(client, consultation, consulted, body=f"Ý kiến {index}").status_code == 302
    response = _post(client, consultation, consulted, body="Ý kiến thứ sáu còn giữ nguyên")
    assert response.status_code == 429
    assert "Bạn đã gửi 5 ý kiến trong 60 phút vừa qua" in response.text
    assert "Ý kiến thứ sáu còn giữ nguyên" in response.text  # what was typed is kept
    assert Comment.objects.count() == 5
    assert _post(client, consultation, consulted, address="198.51.100.5").status_code == 302


def test_a_comment_over_the_length_limit_is_refused_on_the_page(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    response = _post(client, consultation, consulted, body="x" * 2001, contact="0912 345 678")
    assert response.status_code == 400
    assert "Ý kiến dài 2001 ký tự, quá giới hạn 2000 ký tự; hãy rút gọn rồi gửi lại." in response.text
    assert "x" * 2001 in response.text and "0912 345 678" in response.text
    assert not Comment.objects.exists()


def test_a_filled_honeypot_looks_accepted_but_stores_nothing(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    response = _post(client, consultation, consulted, website="http://spam.example")
    assert response.status_code == 302 and "da-gui=1" in response["Location"]
    assert not Comment.objects.exists()


def test_a_foreign_next_address_is_not_followed(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    response = _post(client, consultation, consulted, next="https://evil.example/")
    assert response.status_code == 200
    assert "Cảm ơn bạn đã góp ý" in response.text


def test_the_page_cache_shows_a_newly_approved_comment_at_once(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    comment = CommentFactory(consultation=consultation, body="Ý kiến vừa được duyệt")
    assert "Ý kiến vừa được duyệt" not in _page(client, consulted)
    assert client.get(consulted["page_url"]).get("X-Public-Cache") == "hit"
    services.comment_moderate(comment=comment, user=consulted["officer"], approved=True)
    response = client.get(consulted["page_url"])
    assert response.get("X-Public-Cache") != "hit"
    assert "Ý kiến vừa được duyệt" in response.text
    services.comment_answer(comment=comment, user=consulted["officer"], answer="Xã xin tiếp thu")
    assert "Xã xin tiếp thu" in client.get(consulted["page_url"]).text


# --- the API -------------------------------------------------------------------------------------------------------


def test_the_api_lists_public_consultations_with_published_comments_only(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    published_comment(consultation, body="Ý kiến công khai", answer="Trả lời")
    CommentFactory(consultation=consultation, body="Ý kiến chờ duyệt")
    CommentFactory(consultation=consultation, body="Ý kiến bị loại", status=CommentStatus.REJECTED)
    body = client.get(LIST_URL).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["unit"] == {"code": "24400", "name": "Xã Hòa Thuận"}
    assert (row["status"], row["recognised"], row["show_values"]) == ("open", False, False)
    assert [(c["number"], c["met"]) for c in row["criteria"]] == [(1, True), (2, False), (10, True)]
    assert all(c["indicators"] == [] for c in row["criteria"])
    assert [(c["body"], c["answer"]) for c in row["comments"]] == [("Ý kiến công khai", "Trả lời")]
    text = client.get(f"{LIST_URL}{consultation.pk}/").content.decode()
    assert "chờ duyệt" not in text and "bị loại" not in text
    _never_private(text)
    assert "author_name" not in text and "contact" not in text


def test_the_api_shows_values_when_ticked(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"], show_values=True)
    row = client.get(f"{LIST_URL}{consultation.pk}/").json()
    transport = next(c for c in row["criteria"] if c["number"] == 2)
    assert [i["code"] for i in transport["indicators"]] == ["2.1", "2.2"]
    assert transport["indicators"][1]["value"] == VALUE_SHOWN


def test_the_api_filters(client, consulted, site):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    other = result(
        consulted["round"], site["communes"]["ea_kly"], {1: True}, status=SubmissionStatus.RECOGNITION, published=False
    )
    closed = open_consultation(other, consulted["office"])
    services.consultation_close(consultation=closed, user=consulted["office"])

    def ids(query):
        return [row["id"] for row in client.get(LIST_URL, query).json()["results"]]

    assert set(ids({})) == {consultation.pk, closed.pk}
    assert ids({"status": "open"}) == [consultation.pk]
    assert ids({"status": "closed"}) == [closed.pk]
    assert ids({"unit": "24401"}) == [closed.pk]
    assert set(ids({"round": consulted["round"].pk})) == {consultation.pk, closed.pk}
    assert ids({"round": consulted["round"].pk + 999}) == []


def test_the_api_list_runs_a_bounded_number_of_queries(client, consulted, site, django_assert_max_num_queries):
    open_consultation(consulted["submission"], consulted["office"], show_values=True)
    for key in ("ea_kly", "ea_wer", "phuoc_an"):
        submission = result(
            consulted["round"], site["communes"][key], {1: True, 2: True}, status=SubmissionStatus.RECOGNITION
        )
        consultation = open_consultation(submission, consulted["office"], show_values=True)
        for _index in range(3):
            published_comment(consultation)
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        body = client.get(LIST_URL).json()
    assert body["count"] == 4


def _api_post(client, consultation, address="192.0.2.8", **data):
    return client.post(
        f"{LIST_URL}{consultation.pk}/comments/",
        {"body": "Góp ý qua API", **data},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_the_api_takes_comments_with_the_same_limits(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    for _index in range(5):
        assert _api_post(client, consultation).status_code == 201
    refused = _api_post(client, consultation)
    assert refused.status_code == 429
    assert refused.json()["message"].startswith("Bạn đã gửi 5 ý kiến trong 60 phút vừa qua")
    too_long = _api_post(client, consultation, address="192.0.2.9", body="y" * 2001)
    assert too_long.status_code == 400
    assert too_long.json()["fields"] == {
        "body": ["Ý kiến dài 2001 ký tự, quá giới hạn 2000 ký tự; hãy rút gọn rồi gửi lại."]
    }
    empty = _api_post(client, consultation, address="192.0.2.9", body="")
    assert empty.status_code == 400 and "body" in empty.json()["fields"]
    assert _api_post(client, consultation, address="192.0.2.9", website="x").status_code == 201
    assert Comment.objects.count() == 5


def test_the_api_refuses_comments_once_closed(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    services.consultation_close(consultation=consultation, user=consulted["office"])
    response = _api_post(client, consultation)
    assert response.status_code == 409
    assert response.json()["message"] == "Đợt lấy ý kiến này không còn nhận ý kiến."


def test_contacts_are_on_no_public_page_or_api_answer(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"], show_values=True)
    for status in CommentStatus.values:
        CommentFactory(consultation=consultation, status=status, answer="Trả lời")
    texts = [
        _page(client, consulted),
        _page(client, consulted, **{"da-gui": "1"}),
        client.get(LIST_URL).content.decode(),
        client.get(f"{LIST_URL}{consultation.pk}/").content.decode(),
        client.get("/api/v1/consultations/?status=open").content.decode(),
    ]
    for text in texts:
        _never_private(text)
    assert Consultation.objects.count() == 1


def test_the_schema_documents_the_consultations_api(client, db):
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert {"get"} <= set(paths["/api/v1/consultations/"])
    assert {"get"} <= set(paths["/api/v1/consultations/{id}/"])
    responses = paths["/api/v1/consultations/{id}/comments/"]["post"]["responses"]
    assert {"201", "400", "404", "409", "429"} <= set(responses)


def test_recognition_ends_the_consultation(client, consulted):
    consultation = open_consultation(consulted["submission"], consulted["office"])
    published_comment(consultation, body="Ý kiến trước khi công nhận")
    Submission.objects.filter(pk=consulted["submission"].pk).update(status=SubmissionStatus.RECOGNISED)
    text = _page(client, consulted)
    assert "Đã kết thúc lấy ý kiến" in text and OPEN_MARK not in text and "chưa công nhận" not in text
    assert "gop-y" not in text and "Ý kiến trước khi công nhận" in text
    assert _api_post(client, consultation).status_code == 409
    assert client.get(LIST_URL, {"status": "closed"}).json()["count"] == 1
