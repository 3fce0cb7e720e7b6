"""The preconditions panel (``/xet-duyet/cong-nhan/``), its evidence downloads and the review API, for every role as
a non-superuser, in its own province and against the other one."""

import datetime
import json

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from cms.audit.models import AuditEntry
from submissions.models import AuditAction, Submission, SubmissionStatus
from submissions.recognition import services
from submissions.recognition.models import PreconditionEvidence, PreconditionResult
from submissions.titles.models import Title, TitleSource
from tests.submissions.factories import PDF

PANEL = "/xet-duyet/cong-nhan/ho-so/{pk}/dieu-kien/"
API = "/api/v1/review/submissions/{pk}/"


def panel(submission) -> str:
    return PANEL.format(pk=submission.pk)


def status(submission, code) -> str:
    return PreconditionResult.objects.get(submission=submission, code=code).status


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


@pytest.fixture
def people(preconditions_world, area):
    world = preconditions_world
    return {
        "office": area["office"],
        "appraiser": world["appraiser"],
        "agriculture": world["agriculture_appraiser"],
        "other_appraiser": world["other_appraiser"],
        "other_office": world["other_office"],
        "reviewer": area["reviewer"],
        "officer": area["officers"]["hoa_thuan"],
        "other_officer": area["officers"]["ea_wer"],
        "national": world["national"],
    }


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("office", (True, True, True, True)),
        ("appraiser", (True, True, False, False)),  # so-xd of Đắk Lắk: its own precondition only
        ("agriculture", (True, False, True, False)),
        ("reviewer", (True, False, False, False)),  # Krông Pắc covers Hòa Thuận
        ("officer", (True, False, False, False)),  # reads their own commune's
        ("national", (True, False, False, False)),  # reads every province, changes nothing
        ("other_appraiser", (False, False, False, False)),  # so-xd of Đắk Nông
        ("other_office", (False, False, False, False)),
        ("other_officer", (False, False, False, False)),  # Ea Wer's officer
    ],
)
def test_who_reads_confirms_and_waives(client, preconditions_world, people, who, may):
    """``may``: (reads the panel, confirms DK1 of so-xd, enters DK2 of so-nnmt, waives)."""
    reads, confirms_dk1, confirms_dk2, waives = may
    submission = preconditions_world["submissions"]["hoa_thuan"]
    client.force_login(people[who])

    page = client.get(panel(submission))
    assert page.status_code == (200 if reads else 404)
    if reads:
        assert "Không có nợ đọng xây dựng cơ bản" in page.text
        assert ("dieu-kien/DK1/xac-nhan/" in page.text) is confirms_dk1
        assert ("dieu-kien/DK2/xac-nhan/" in page.text) is confirms_dk2
        assert ("dieu-kien/DK4/mien/" in page.text) is waives

    pdf = SimpleUploadedFile("xac-nhan.pdf", PDF, content_type="application/pdf")
    response = client.post(f"{panel(submission)}DK1/xac-nhan/", {"met": "yes", "files": [pdf]})
    assert response.status_code == (302 if reads else 404)
    client.post(f"{panel(submission)}DK2/xac-nhan/", {"value": "2,5"})
    client.post(f"{panel(submission)}DK4/mien/", {"reason": "Xã mới sáp nhập"})
    services.preconditions_ensure(submission=submission)
    assert (status(submission, "DK1") == "met") is confirms_dk1
    assert (status(submission, "DK2") == "met") is confirms_dk2
    assert (status(submission, "DK4") == "waived") is waives


def test_bad_input_is_refused_in_vietnamese(client, preconditions_world, area):
    submission = preconditions_world["submissions"]["hoa_thuan"]
    client.force_login(area["office"])

    response = client.post(f"{panel(submission)}DK2/xac-nhan/", {"value": "hai phần trăm"}, follow=True)
    assert response.status_code == 200
    assert "Hãy nhập một số, ví dụ 15,5." in response.text
    response = client.post(f"{panel(submission)}DK4/mien/", {"reason": ""}, follow=True)
    assert "Miễn điều kiện phải có lý do." in response.text
    response = client.post(f"{panel(submission)}DK1/xac-nhan/", {"met": "yes"}, follow=True)
    assert "Cần tệp minh chứng: Văn bản xác nhận của Sở Xây dựng." in response.text
    assert client.post(f"{panel(submission)}DK9/xac-nhan/", {"met": "yes"}).status_code == 404
    assert status(submission, "DK1") == status(submission, "DK2") == "pending"


def test_evidence_is_served_only_through_the_check(client, preconditions_world, people):
    submission = preconditions_world["submissions"]["hoa_thuan"]
    services.precondition_confirm(
        submission=submission,
        code="DK1",
        user=people["appraiser"],
        met=True,
        files=[SimpleUploadedFile("Xác nhận nợ đọng.pdf", PDF, content_type="application/pdf")],
    )
    evidence = PreconditionEvidence.objects.get()
    url = f"/xet-duyet/cong-nhan/minh-chung/{evidence.pk}/"

    for who in ("office", "appraiser", "officer", "reviewer"):
        client.force_login(people[who])
        response = client.get(url)
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content) == PDF
        assert response["Cache-Control"] == "private, no-store"
    for who in ("agriculture", "other_appraiser", "other_office", "other_officer", "national"):
        client.force_login(people[who])
        assert client.get(url).status_code == 404, who
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_review_detail_and_confirmation_show_the_preconditions_and_the_waiver(client, preconditions_world, area):
    world = preconditions_world
    submission = world["submissions"]["hoa_thuan"]
    for code in ("DK1", "DK2", "DK3"):
        services.precondition_waive(submission=submission, code=code, user=area["office"], reason=f"Lý do miễn {code}")
    Title.objects.create(
        unit=submission.unit,
        kind="xa_ntm",
        source=TitleSource.IMPORT,
        decision_number="12/QĐ-UBND",
        decision_date=datetime.date(2021, 6, 1),
    )
    client.force_login(area["office"])

    detail = client.get(f"/xet-duyet/ho-so/{submission.pk}/")
    assert detail.status_code == 200
    assert "Lý do miễn DK2" in detail.text and panel(submission) in detail.text
    confirm = client.get(f"/xet-duyet/ho-so/{submission.pk}/cong-nhan/")
    assert confirm.status_code == 200
    assert "Xác nhận công nhận" in confirm.text and "Lý do miễn DK1" in confirm.text
    assert "Đạt" in confirm.text and "Miễn (có lý do)" in confirm.text

    # Blocked: the confirmation page sends the office back to the detail with the reason.
    services.precondition_confirm(submission=submission, code="DK1", user=world["appraiser"], met=False)
    blocked = client.get(f"/xet-duyet/ho-so/{submission.pk}/cong-nhan/", follow=True)
    assert "Chưa đạt điều kiện DK1. Không có nợ đọng xây dựng cơ bản." in blocked.text
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.RECOGNITION


def test_the_panel_runs_a_bounded_number_of_queries(client, preconditions_world, area, django_assert_max_num_queries):
    submission = preconditions_world["submissions"]["hoa_thuan"]
    client.force_login(area["office"])
    client.get(panel(submission))  # makes the rows
    with django_assert_max_num_queries(20):
        assert client.get(panel(submission)).status_code == 200


# --- API ---------------------------------------------------------------------------------------------------------


def post_json(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_the_review_api_lists_confirms_and_waives(client, preconditions_world, people):
    submission = preconditions_world["submissions"]["hoa_thuan"]
    base = API.format(pk=submission.pk)
    client.force_login(people["office"])

    detail = client.get(base).json()
    assert [row["code"] for row in detail["preconditions"]] == ["DK1", "DK2", "DK3", "DK4"]
    assert detail["preconditions"][1]["threshold"] == 3 and detail["preconditions"][1]["threshold_text"] == "≤ 3 %"

    missing_file = post_json(client, f"{base}preconditions/DK1/confirm/", {"met": True})
    assert missing_file.status_code == 400
    assert missing_file.json()["message"].startswith("Cần tệp minh chứng")
    with_file = client.post(
        f"{base}preconditions/DK1/confirm/",
        {"met": "true", "files": [SimpleUploadedFile("xn.pdf", PDF, content_type="application/pdf")]},
    )
    assert with_file.status_code == 200, with_file.json()
    dk1 = with_file.json()[0]
    assert dk1["status"] == "met" and dk1["evidence"][0]["original_name"] == "xn.pdf"

    figure = post_json(client, f"{base}preconditions/DK2/confirm/", {"value": "2.75"})
    assert figure.status_code == 200 and figure.json()[1]["value"] == 2.75 and figure.json()[1]["status"] == "met"
    live = post_json(client, f"{base}preconditions/DK3/confirm/", {"value": 95})
    assert live.status_code == 400 and "hệ thống tự kiểm tra" in live.json()["message"]

    no_reason = post_json(client, f"{base}preconditions/DK4/waive/", {"reason": ""})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    waived = post_json(client, f"{base}preconditions/DK4/waive/", {"reason": "Kế thừa danh hiệu sau sáp nhập"})
    assert waived.status_code == 200
    assert (
        waived.json()[3]["status"] == "waived" and waived.json()[3]["waiver_reason"] == "Kế thừa danh hiệu sau sáp nhập"
    )


def test_the_api_refuses_outside_the_callers_scope(client, preconditions_world, people):
    submission = preconditions_world["submissions"]["hoa_thuan"]
    base = API.format(pk=submission.pk)

    client.force_login(people["appraiser"])
    forbidden = post_json(client, f"{base}preconditions/DK4/waive/", {"reason": "Lý do"})
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
    other_department = post_json(client, f"{base}preconditions/DK2/confirm/", {"value": 1})
    assert other_department.status_code == 403
    assert client.get(f"{base}preconditions/").status_code == 200

    for who in ("other_office", "other_appraiser"):
        client.force_login(people[who])
        assert client.get(f"{base}preconditions/").status_code == 404
        response = post_json(client, f"{base}preconditions/DK1/confirm/", {"met": False})
        assert response.status_code == 404 and "message" in response.json()
    changes = (AuditAction.PRECONDITION_CONFIRMED, AuditAction.PRECONDITION_WAIVED)
    assert not AuditEntry.objects.filter(action__in=changes).exists()


def test_each_department_sees_the_preconditions_waiting_for_it(
    client, preconditions_world, people, django_assert_max_num_queries
):
    world = preconditions_world
    client.force_login(people["appraiser"])

    with django_assert_max_num_queries(12):
        page = client.get("/xet-duyet/cong-nhan/")
    assert page.status_code == 200
    rows = [(row.submission.unit.name, row.result.code) for row in page.context["rows"]]
    assert rows == [("Xã Ea Kly", "DK1"), ("Xã Hòa Thuận", "DK1")]  # not Đắk Nông's, not so-nnmt's

    services.precondition_confirm(
        submission=world["submissions"]["hoa_thuan"], code="DK1", user=people["appraiser"], met=False
    )
    assert [row.result.code for row in client.get("/xet-duyet/cong-nhan/").context["rows"]] == ["DK1"]

    client.force_login(people["other_appraiser"])
    assert [
        (row.submission.unit.name, row.result.code) for row in client.get("/xet-duyet/cong-nhan/").context["rows"]
    ] == [("Xã Đắk Lao", "DK1")]
    client.force_login(people["office"])
    office_rows = {
        (row.submission.unit.name, row.result.code) for row in client.get("/xet-duyet/cong-nhan/").context["rows"]
    }
    assert office_rows == {("Xã Ea Kly", "DK1"), ("Xã Ea Kly", "DK2"), ("Xã Hòa Thuận", "DK2")}
    client.force_login(people["officer"])
    assert client.get("/xet-duyet/cong-nhan/").context["rows"] == []
