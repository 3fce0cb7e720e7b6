"""Residents answer the satisfaction survey online, without an account, only while the consultation is open: one
response per submit, required questions enforced in Vietnamese keeping what was chosen, a honeypot, a limit per
address, and the page's caches told (``results_changed``)."""

import datetime
import re

from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import timezone

import pytest

from submissions import access
from submissions.consultation import selectors, services, survey
from submissions.consultation.models import Consultation, ConsultationStatus, SurveyQuestion, SurveyResponse
from submissions.errors import SubmissionError
from submissions.models import Submission, SubmissionStatus
from submissions.signals import results_changed

PAGE = "/xa-hoa-thuan/"


def answer_url(consultation) -> str:
    return f"/lay-y-kien/{consultation.pk}/khao-sat/"


def field(question) -> str:
    return f"cau_{question.pk}"


@pytest.fixture
def csrf_client():
    """A client that enforces CSRF like a browser would: the form has no token (its page is cached)."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def optional_question(consulted):
    """A second question, optional and not rated (no satisfied choices)."""
    return SurveyQuestion.objects.create(
        survey=consulted["survey"],
        sort_order=1,
        text="Ông/Bà biết thông tin qua đâu?",
        choices="Loa\nMạng",
        required=False,
    )


def test_a_satisfied_answer_is_stored_and_goes_back_to_the_page(consulted, csrf_client):
    sent = []

    def receiver(sender, unit_ids, **kwargs):
        sent.append(unit_ids)

    results_changed.connect(receiver)
    try:
        response = csrf_client.post(
            answer_url(consulted["consultation"]), {field(consulted["question"]): "Hài lòng", "next": PAGE}
        )
    finally:
        results_changed.disconnect(receiver)
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?da-khao-sat=1#khao-sat"
    stored = SurveyResponse.objects.get()
    assert stored.consultation == consulted["consultation"]
    assert stored.answers == {str(consulted["question"].pk): "Hài lòng"}
    assert stored.satisfied is True
    assert len(stored.address_hash) == 64 and "127.0.0.1" not in stored.address_hash
    assert stored.address_hash == services.address_hash("127.0.0.1")  # the keyed hash comments keep, one rule
    assert sent == [[consulted["submission"].unit_id]]


def test_an_unsatisfied_answer(consulted, csrf_client):
    csrf_client.post(answer_url(consulted["consultation"]), {field(consulted["question"]): "Chưa hài lòng"})
    assert SurveyResponse.objects.get().satisfied is False


def test_next_outside_the_site_is_ignored(consulted, client):
    response = client.post(
        answer_url(consulted["consultation"]),
        {field(consulted["question"]): "Hài lòng", "next": "https://example.com/x"},
    )
    assert response["Location"] == f"{answer_url(consulted['consultation'])}?da-khao-sat=1#khao-sat"


def test_required_question_left_blank_keeps_what_was_chosen(consulted, client, optional_question):
    response = client.post(answer_url(consulted["consultation"]), {field(optional_question): "Mạng", "next": PAGE})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Câu hỏi này bắt buộc: hãy chọn một mức trả lời." in text
    assert re.search(r'value="Mạng"[^>]*checked', text)
    assert not re.search(r'value="Loa"[^>]*checked', text)
    assert f'name="next" value="{PAGE}"' in text
    assert SurveyResponse.objects.count() == 0


def test_an_answer_not_among_the_choices_is_refused(consulted, client):
    response = client.post(answer_url(consulted["consultation"]), {field(consulted["question"]): "Tuyệt vời"})
    assert response.status_code == 400
    assert "Hãy chọn một trong các mức trả lời đã cho." in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_an_optional_question_left_blank_does_not_decide(consulted, client, optional_question):
    rated = SurveyQuestion.objects.create(
        survey=consulted["survey"],
        sort_order=2,
        text="Ông/Bà có hài lòng với đường giao thông?",
        choices="Có\nKhông",
        satisfied_choices="Có",
        required=False,
    )
    client.post(answer_url(consulted["consultation"]), {field(consulted["question"]): "Rất hài lòng"})
    client.post(
        answer_url(consulted["consultation"]), {field(consulted["question"]): "Rất hài lòng", field(rated): "Không"}
    )
    assert list(SurveyResponse.objects.order_by("pk").values_list("satisfied", flat=True)) == [True, False]


def test_the_honeypot_stores_nothing(consulted, client):
    response = client.post(
        answer_url(consulted["consultation"]),
        {field(consulted["question"]): "Hài lòng", "trang_web": "http://spam.example", "next": PAGE},
    )
    assert response.status_code == 302
    assert SurveyResponse.objects.count() == 0


def test_limit_per_address(consulted, client, settings):
    settings.SURVEY_ANSWERS_PER_ADDRESS = 3
    data = {field(consulted["question"]): "Hài lòng"}
    url = answer_url(consulted["consultation"])
    for _ in range(3):
        assert client.post(url, data, REMOTE_ADDR="10.1.1.1").status_code == 302
    refused = client.post(url, data, REMOTE_ADDR="10.1.1.1")
    assert refused.status_code == 429
    assert "Đã nhận rất nhiều phiếu từ cùng một địa chỉ mạng" in refused.content.decode()
    assert client.post(url, data, REMOTE_ADDR="10.1.1.2").status_code == 302
    assert SurveyResponse.objects.count() == 4


def test_the_default_limit_allows_a_shared_mobile_address(consulted, client):
    data = {field(consulted["question"]): "Hài lòng"}
    url = answer_url(consulted["consultation"])
    statuses = [client.post(url, data, REMOTE_ADDR="10.2.2.2").status_code for _ in range(survey.answers_per_address())]
    assert statuses == [302] * 20
    assert client.post(url, data, REMOTE_ADDR="10.2.2.2").status_code == 429


def test_the_window_ends(consulted, client, settings):
    settings.SURVEY_ANSWERS_PER_ADDRESS = 1
    data = {field(consulted["question"]): "Hài lòng"}
    url = answer_url(consulted["consultation"])
    assert client.post(url, data).status_code == 302
    SurveyResponse.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    assert client.post(url, data).status_code == 302


def test_closed_consultation_takes_no_answer(consulted, client):
    Consultation.objects.filter(pk=consulted["consultation"].pk).update(status=ConsultationStatus.CLOSED)
    response = client.post(answer_url(consulted["consultation"]), {field(consulted["question"]): "Hài lòng"})
    assert response.status_code == 409
    assert "Đợt lấy ý kiến đã kết thúc" in response.content.decode()
    assert client.get(answer_url(consulted["consultation"])).status_code == 404
    assert SurveyResponse.objects.count() == 0


def test_recognition_ends_the_survey_though_the_office_left_it_open(consulted, client):
    """The consultation's state is one rule (:func:`selectors.state_of`): recognised, it takes no answer, even
    within its period and never closed by the office."""
    Submission.objects.filter(pk=consulted["submission"].pk).update(status=SubmissionStatus.RECOGNISED)
    consultation = Consultation.objects.get(pk=consulted["consultation"].pk)
    assert consultation.status == ConsultationStatus.OPEN
    assert selectors.state_of(consultation) == selectors.State.CLOSED
    assert not access.consultation_takes_answers(consultation)
    response = client.post(answer_url(consultation), {field(consulted["question"]): "Hài lòng"})
    assert response.status_code == 409
    assert "Đợt lấy ý kiến đã kết thúc" in response.content.decode()
    assert SurveyResponse.objects.count() == 0
    with pytest.raises(SubmissionError):
        survey.response_record(consultation=consultation, answers={str(consulted["question"].pk): "Hài lòng"})
    assert "không nhận thêm phiếu khảo sát" in render_tag(consultation)


def test_period_over_or_not_begun(consulted, client):
    today = timezone.localdate()
    data = {field(consulted["question"]): "Hài lòng"}
    for opens_on, closes_on in (
        (today - datetime.timedelta(days=9), today - datetime.timedelta(days=1)),
        (today + datetime.timedelta(days=1), today + datetime.timedelta(days=9)),
    ):
        Consultation.objects.filter(pk=consulted["consultation"].pk).update(opens_on=opens_on, closes_on=closes_on)
        assert client.get(answer_url(consulted["consultation"])).status_code == 404
        assert client.post(answer_url(consulted["consultation"]), data).status_code == 409
    assert client.get(answer_url(consulted["consultation"]) + "?da-khao-sat=1").status_code == 404  # not begun
    assert SurveyResponse.objects.count() == 0


def test_absent_consultation(consulted, client):
    assert client.get("/lay-y-kien/999999/khao-sat/").status_code == 404
    assert client.post("/lay-y-kien/999999/khao-sat/", {}).status_code == 404


def test_its_own_page(consulted, client):
    response = client.get(answer_url(consulted["consultation"]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Ông/Bà có hài lòng với kết quả xây dựng nông thôn mới của xã?" in text
    assert text.count('type="radio"') == 3
    assert "csrfmiddlewaretoken" not in text
    assert "Xã Hòa Thuận" in text


# --- the inclusion tag on the commune's public page --------------------------------------------------------------


def render_tag(consultation, query: str = "") -> str:
    request = RequestFactory().get(PAGE + query)
    return Template("{% load survey_tags %}{% consultation_survey consultation %}").render(
        Context({"consultation": consultation, "request": request})
    )


def test_the_tag_shows_the_form_while_open(consulted):
    text = render_tag(consulted["consultation"])
    assert 'id="khao-sat"' in text
    assert f'action="{answer_url(consulted["consultation"])}"' in text
    assert f'name="next" value="{PAGE}"' in text
    assert text.count('type="radio"') == 3
    assert 'name="trang_web"' in text
    assert "csrfmiddlewaretoken" not in text
    assert "Cảm ơn" not in text


def test_the_tag_thanks_and_shows_counts(consulted):
    SurveyResponse.objects.create(consultation=consulted["consultation"], answers={}, satisfied=True)
    SurveyResponse.objects.create(consultation=consulted["consultation"], answers={}, satisfied=False)
    text = render_tag(consulted["consultation"], "?da-khao-sat=1")
    assert "Cảm ơn Ông/Bà đã trả lời phiếu khảo sát." in text
    assert "50,00 %" in text


def test_the_tag_hides_the_form_when_closed(consulted):
    Consultation.objects.filter(pk=consulted["consultation"].pk).update(status=ConsultationStatus.CLOSED)
    consulted["consultation"].refresh_from_db()
    text = render_tag(consulted["consultation"])
    assert 'type="radio"' not in text and "<form" not in text
    assert "không nhận thêm phiếu khảo sát" in text


def test_the_tag_shows_nothing_before_opening_or_without_consultation(consulted):
    assert render_tag(None).strip() == ""
    Consultation.objects.filter(pk=consulted["consultation"].pk).update(
        opens_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    consulted["consultation"].refresh_from_db()
    assert render_tag(consulted["consultation"]).strip() == ""


def test_the_tag_takes_the_public_view_too(consulted):
    class PublicView:
        consultation = consulted["consultation"]

    assert 'type="radio"' in render_tag(PublicView())


def test_on_the_commune_page_and_back(consulted, site, client):
    """The whole way over HTTP: the commune's public page carries the form; answering comes back to it, thanked."""
    page_url = site["pages"]["hoa_thuan"].url
    page = client.get(page_url)
    text = page.content.decode()
    assert page.status_code == 200
    assert f'action="{answer_url(consulted["consultation"])}"' in text
    assert "csrfmiddlewaretoken" not in text.split('id="khao-sat"')[1]
    response = client.post(
        answer_url(consulted["consultation"]), {field(consulted["question"]): "Rất hài lòng", "next": page_url}
    )
    assert response["Location"] == f"{page_url}?da-khao-sat=1#khao-sat"
    thanked = client.get(response["Location"].split("#")[0]).content.decode()
    assert "Cảm ơn Ông/Bà đã trả lời phiếu khảo sát." in thanked
    assert "100,00 %" in thanked
