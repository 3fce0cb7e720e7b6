"""An OCOP dossier through the review flow: submitted to the office (no district check), returned by the office to the
producer with items, fixed and resubmitted; never forwarded to departments; the producer is told, never the commune's
officers; a council's closed result survives a recompute. Unit rounds keep their own path (their tests)."""

import datetime
from decimal import Decimal
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest

from cms.directory.models import Role
from submissions.entry import services
from submissions.errors import SubmissionError
from submissions.models import Round, Submission, SubmissionStatus
from submissions.ocop.dossiers import services as dossier_services
from submissions.ocop.scoring import council_close
from submissions.review import bulk, notifications
from submissions.review import flow as review
from submissions.rounds.readiness import Check, round_readiness
from tests.factories import member, shared_layer
from tests.submissions.ocop.factories import (
    ProducerFactory,
    ProductFactory,
    council_with,
    ocop_version,
    producer_account,
    product_round,
    scored,
)


@shared_layer
def product_flow(area):
    """A dossier of a Hòa Thuận producer, filled (A 30, B 20, C 25) and submitted by the producer's account."""
    version = ocop_version()
    round_ = product_round(area["province"], version, office=area["office"])
    producer = ProducerFactory(commune=area["communes"]["hoa_thuan"], name="Hợp tác xã Cà phê Hòa Thuận")
    account = producer_account(producer, username="htx_hoathuan")
    product = ProductFactory(producer=producer, name="Cà phê bột Hòa Thuận")
    submission = dossier_services.dossier_start(product=product, round_=round_, user=account)
    services.submission_save(submission=submission, raws={"A": "30", "B": "20", "C": "25"}, user=account)
    submission.refresh_from_db()
    review.submission_submit(submission=submission, user=account)
    return {"round": round_, "producer": producer, "account": account, "product": product, "submission": submission}


def fresh(product_flow) -> Submission:
    return Submission.objects.select_related("product__producer", "unit").get(pk=product_flow["submission"].pk)


def test_submitted_dossier_waits_for_the_office_not_the_district(product_flow, area, client):
    submission = fresh(product_flow)
    assert submission.status == SubmissionStatus.SUBMITTED
    told = {address for message in mail.outbox for address in message.to}
    assert "vanphong@example.org" in told and "thamtra@example.org" not in told
    assert any(message.subject.startswith("[OCOP]") for message in mail.outbox)
    client.force_login(area["reviewer"])  # Krông Pắc's district reviewer: no OCOP step
    assert client.get(f"/xet-duyet/ho-so/{submission.pk}/").status_code == 404
    assert "Cà phê bột Hòa Thuận" not in client.get("/xet-duyet/?status=submitted").text
    with pytest.raises(SubmissionError):
        review.review_return(submission=submission, user=area["reviewer"], comment="Thiếu giấy tờ")


def test_office_queue_shows_product_and_producer(product_flow, area, client, django_assert_max_num_queries):
    client.force_login(area["office"])
    client.get("/xet-duyet/?status=submitted")
    with django_assert_max_num_queries(25):
        page = client.get("/xet-duyet/?status=submitted")
    assert "Cà phê bột Hòa Thuận – Hợp tác xã Cà phê Hòa Thuận" in page.text
    api = client.get("/api/v1/review/queue/?status=submitted")
    assert api.status_code == 200
    rows = api.json()["rows"]
    assert rows[0]["subject_name"] == "Cà phê bột Hòa Thuận – Hợp tác xã Cà phê Hòa Thuận"
    assert rows[0]["product"]["producer"] == "Hợp tác xã Cà phê Hòa Thuận"


def test_forward_to_departments_is_refused_for_a_product(product_flow, area):
    submission = fresh(product_flow)
    with pytest.raises(SubmissionError, match="hội đồng"):
        review.review_forward(submission=submission, user=area["office"])
    outcomes = bulk.submissions_forward(submissions=[submission], user=area["office"])
    assert [outcome.done for outcome in outcomes] == [False]
    assert fresh(product_flow).status == SubmissionStatus.SUBMITTED


def test_office_returns_the_dossier_and_the_producer_fixes_and_resubmits(product_flow, area, client):
    submission = fresh(product_flow)
    mail.outbox.clear()
    client.force_login(area["office"])
    detail = client.get(f"/xet-duyet/ho-so/{submission.pk}/")
    assert detail.status_code == 200 and "Cà phê bột Hòa Thuận" in detail.text
    response = client.post(
        f"/xet-duyet/ho-so/{submission.pk}/tra-lai/",
        {
            "lock_version": submission.lock_version,
            "comment": "Bổ sung giấy chứng nhận an toàn thực phẩm",
            "item_target": ["i:C"],
            "item_comment": ["Điểm phần C chưa khớp hồ sơ"],
        },
    )
    assert response.status_code == 302
    submission = fresh(product_flow)
    assert (submission.status, submission.returned_from) == (SubmissionStatus.RETURNED, SubmissionStatus.SUBMITTED)
    told = {address for message in mail.outbox for address in message.to}
    assert product_flow["account"].email in told
    assert not told & {"canbo_hoa_thuan@example.org", "thamtra@example.org"}  # not the commune, not the district

    client.force_login(product_flow["account"])
    page = client.get(f"/danh-gia/ho-so/{submission.pk}/")
    assert "Điểm phần C chưa khớp hồ sơ" in page.text and "Lưu nháp" in page.text
    saved = client.post(
        f"/danh-gia/ho-so/{submission.pk}/",
        {"lock_version": submission.lock_version, "save": "1", "v_A": "30", "v_B": "20", "v_C": "22"},
    )
    assert saved.status_code == 302
    submission = fresh(product_flow)
    resubmitted = client.post(f"/danh-gia/ho-so/{submission.pk}/kiem-tra/", {"lock_version": submission.lock_version})
    assert resubmitted.status_code == 302
    submission = fresh(product_flow)
    assert submission.status == SubmissionStatus.SUBMITTED and submission.points == Decimal("72.00")


def test_a_commune_officer_cannot_return_or_submit_a_dossier(product_flow, area):
    submission = fresh(product_flow)
    with pytest.raises(SubmissionError):
        review.review_return(submission=submission, user=area["officers"]["hoa_thuan"], comment="Sửa")


def test_recognition_and_fillers_notices_go_to_the_producer(product_flow, area):
    submission = fresh(product_flow)
    fillers = notifications.fillers_by_submission([submission])
    assert fillers[submission.pk] == [product_flow["account"]]
    other = ProducerFactory(commune=area["communes"]["hoa_thuan"])
    producer_account(other)
    assert notifications.fillers_of(submission) == [product_flow["account"]]


def test_a_closed_councils_result_survives_a_recompute(product_flow, area):
    submission = fresh(product_flow)
    council = council_with(product_flow["round"], province=area["province"])
    scored(council, {submission: (Decimal("71"), Decimal("72"), Decimal("73"))}, office=area["office"])
    council_close(council=council, user=council.members.get(is_chair=True).user)
    submission = fresh(product_flow)
    assert (submission.points, submission.stars, submission.standard_reached) == (Decimal("72.00"), 4, True)
    services.results_refresh(submission=submission)
    services.results_recompute(round_=product_flow["round"])
    submission = fresh(product_flow)
    assert (submission.points, submission.stars, submission.standard_reached) == (Decimal("72.00"), 4, True)
    assert submission.band == "4 sao"


def test_before_the_council_closes_a_recompute_keeps_the_self_assessment(product_flow):
    submission = fresh(product_flow)
    services.results_refresh(submission=submission)
    assert fresh(product_flow).points == Decimal("75.00")


def test_a_producers_draft_reminds_the_producer_and_a_waiting_dossier_the_office(product_flow, area):
    second = ProductFactory(producer=product_flow["producer"], name="Cà phê hạt rang Hòa Thuận")
    dossier_services.dossier_start(product=second, round_=product_flow["round"], user=product_flow["account"])
    Submission.objects.filter(pk=product_flow["submission"].pk).update(
        stage_entered_at=timezone.now() - datetime.timedelta(days=30)
    )
    mail.outbox.clear()
    call_command("send_reminders", date="2026-09-28", due_days=3, stdout=StringIO())  # the round is due 30/09/2026
    to_producer = [message for message in mail.outbox if product_flow["account"].email in message.to]
    assert len(to_producer) == 1
    assert to_producer[0].subject == "[OCOP] Nhắc hạn nộp hồ sơ đánh giá"
    assert "Cà phê hạt rang Hòa Thuận – Hợp tác xã Cà phê Hòa Thuận" in to_producer[0].body
    assert not [message for message in mail.outbox if "canbo_hoa_thuan@example.org" in message.to]
    to_office = [message for message in mail.outbox if "vanphong@example.org" in message.to]
    assert to_office and "Cà phê bột Hòa Thuận" in to_office[0].body
    assert not [message for message in mail.outbox if "thamtra@example.org" in message.to]


def test_my_work_leads_a_producer_to_its_dossiers_and_products(product_flow, client):
    client.force_login(product_flow["account"])
    page = client.get("/cong-viec/")
    assert page.status_code == 200
    assert 'href="/ocop/ho-so/"' in page.text and 'href="/ocop/san-pham/"' in page.text
    assert "Cà phê bột Hòa Thuận – Hợp tác xã Cà phê Hòa Thuận" in page.text  # its dossier


def test_my_work_leads_a_council_member_to_the_councils(area, client):
    council_member = member(Role.COUNCIL_MEMBER, unit=area["province"], username="hoidong_1")
    client.force_login(council_member)
    response = client.get("/cong-viec/")
    assert response.status_code == 302 and response.url == "/ocop/hoi-dong/"


def test_readiness_of_a_product_round_asks_for_a_council_with_a_chair(product_flow, area):
    round_ = Round.objects.select_related("criteria_version").get(pk=product_flow["round"].pk)
    items = {item.check: item for item in round_readiness(round_)}
    assert Check.OFFICERS not in items and Check.CLASSIFICATION not in items
    assert not items[Check.COUNCILS].ok and not items[Check.COUNCILS].blocks_opening
    assert "chưa có hội đồng" in items[Check.COUNCILS].sentence
    council_with(round_, province=area["province"])
    items = {item.check: item for item in round_readiness(round_)}
    assert items[Check.COUNCILS].ok


def test_the_round_page_lists_dossiers_by_product_and_producer(product_flow, area, client):
    client.force_login(area["office"])
    page = client.get(f"/admin/submissions/round/inspect/{product_flow['round'].pk}/")
    assert page.status_code == 200
    assert "Hồ sơ sản phẩm OCOP" in page.text
    assert "Cà phê bột Hòa Thuận – Hợp tác xã Cà phê Hòa Thuận" in page.text
