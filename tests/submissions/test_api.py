"""The rounds and submissions API, used as an integrator would: JSON in, JSON out, same rules as the web form."""

import datetime

from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from cms.directory.models import Role
from cms.security import services as security_services
from submissions.models import Evidence, IndicatorValue, Round, RoundKind, Submission
from submissions.rounds import services as round_services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROUNDS = "/api/v1/rounds/"
SUBMISSIONS = "/api/v1/submissions/"


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Evidence goes to a temporary folder, not the project's private media."""
    monkeypatch.setattr(Evidence._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path))


@pytest.fixture
def officer(client, area):
    client.force_login(area["officers"]["hoa_thuan"])
    return client


def submission_of(open_round, area, key="hoa_thuan") -> Submission:
    return Submission.objects.get(round=open_round, unit=area["communes"][key])


def url(submission, action="") -> str:
    return f"{SUBMISSIONS}{submission.pk}/{action + '/' if action else ''}"


def patch(client, submission, **body):
    return client.patch(url(submission, "values"), body, content_type="application/json")


def upload(client, submission, name="Quyết định phê duyệt.pdf", content=PDF, code="1.1", **extra):
    return client.post(
        url(submission, "evidence"), {"indicator_code": code, "file": SimpleUploadedFile(name, content), **extra}
    )


def test_rounds_are_public_and_drafts_only_for_office_editors(client, open_round, published_set, area):
    draft = Round.objects.create(
        name="Đánh giá sáu tháng đầu năm 2027",
        kind=RoundKind.SIX_MONTHLY,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 6, 30),
        criteria_version=published_set["version"],
        opens_on=datetime.date(2027, 6, 1),
        due_on=datetime.date(2027, 7, 15),
    )
    draft.scope_units.set([area["communes"]["hoa_thuan"], area["communes"]["ea_wer"]])

    body = client.get(ROUNDS).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    assert body["results"][0] == {
        "id": open_round.pk,
        "name": "Đánh giá năm 2026",
        "kind": "yearly",
        "status": "open",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "opens_on": "2026-11-01",
        "due_on": "2026-12-15",
        "criteria_set": {
            "id": published_set["page"].pk,
            "code": "THU_DOT",
            "name": "Bộ tiêu chí thử cho đợt",
            "version": published_set["version"].number,
        },
        "scope": {"root": {"code": "66", "name": "Tỉnh Đắk Lắk"}, "unit_types": ["Xã"], "unit_codes": []},
    }
    assert client.get(f"{ROUNDS}{open_round.pk}/").json()["name"] == "Đánh giá năm 2026"
    hidden = client.get(f"{ROUNDS}{draft.pk}/")
    assert hidden.status_code == 404
    assert hidden.json() == {"message": "Không tìm thấy đợt đánh giá này.", "code": "not_found"}

    client.force_login(area["office"])
    assert client.get(ROUNDS).json()["count"] == 2
    scope = client.get(f"{ROUNDS}{draft.pk}/").json()["scope"]
    assert scope == {"root": None, "unit_types": ["Xã"], "unit_codes": ["24310", "24400"]}


def test_anonymous_callers_get_a_json_error_for_submissions(client, open_round, area):
    for response in (
        client.get(SUBMISSIONS),
        client.get(url(submission_of(open_round, area))),
        patch(client, submission_of(open_round, area), lock_version=0, values={"2.1": "95"}),
    ):
        assert response.status_code in (401, 403)
        assert response.json() == {
            "message": "Cần đăng nhập (phiên hoặc token) để dùng API này.",
            "code": "not_authenticated",
        }
    assert IndicatorValue.objects.count() == 0


def test_officer_lists_only_their_own_submissions(officer, open_round, area):
    body = officer.get(SUBMISSIONS).json()
    assert body["count"] == 1
    own = submission_of(open_round, area)
    assert body["results"][0] == {
        "id": own.pk,
        "round": open_round.pk,
        "unit": {"code": "24400", "name": "Xã Hòa Thuận"},
        "status": "draft",
        "lock_version": 0,
        "criteria_met": 0,
        "criteria_applicable": 0,
        "standard_reached": False,
        "submitted_at": None,
        "editable": True,
    }
    assert officer.get(SUBMISSIONS, {"round": open_round.pk}).json()["count"] == 1
    assert officer.get(SUBMISSIONS, {"round": open_round.pk + 1000}).json()["count"] == 0
    bad = officer.get(SUBMISSIONS, {"round": "năm nay"})
    assert bad.status_code == 400
    assert bad.json()["fields"] == {"round": ["Mã đợt phải là một số nguyên."]}


def test_token_authentication_works_like_the_session(client, open_round, area):
    token = security_services.integrator_token_create(
        province=area["province"],
        integrator_name="Phần mềm của xã Ea Wer",
        name="Máy chủ xã",
        role=Role.COMMUNE_OFFICER,
        unit=area["communes"]["ea_wer"],
    )
    body = client.get(SUBMISSIONS, headers={"authorization": f"Token {token.key}"}).json()
    assert [item["unit"]["code"] for item in body["results"]] == ["24310"]


def test_another_communes_submission_is_not_found_for_every_verb(officer, open_round, area):
    other = submission_of(open_round, area, "ea_kly")
    responses = [
        officer.get(url(other)),
        patch(officer, other, lock_version=0, values={"2.1": "95"}),
        upload(officer, other),
        officer.post(url(other, "submit"), {"lock_version": 0}, content_type="application/json"),
    ]
    for response in responses:
        assert response.status_code == 404
        assert response.json() == {"message": "Không tìm thấy hồ sơ này.", "code": "not_found"}
    other.refresh_from_db()
    assert other.lock_version == 0
    assert not other.values.exists()
    assert not Evidence.objects.exists()


def test_reviewer_reads_their_districts_submissions_but_cannot_change_them(client, open_round, area):
    client.force_login(area["reviewer"])
    codes = [item["unit"]["code"] for item in client.get(SUBMISSIONS).json()["results"]]
    assert sorted(codes) == ["24400", "24401"]
    submission = submission_of(open_round, area)
    assert client.get(url(submission)).json()["editable"] is False
    refused = patch(client, submission, lock_version=0, values={"2.1": "95"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert client.get(url(submission_of(open_round, area, "ea_wer"))).status_code == 404


def test_detail_shows_values_verdicts_questions_and_what_is_missing(officer, open_round, area, published_set):
    submission = submission_of(open_round, area)
    body = officer.get(url(submission)).json()
    assert body["values"] == [] and body["evidence"] == []
    question = published_set["form_page"].sections[0].value["questions"][0]
    assert body["questions"] == [
        {
            "key": f"q_{question.id}",
            "label": "Họ và tên người lập",
            "kind": "short_text",
            "required": True,
            "section": "Người lập biểu",
        }
    ]
    assert "Chỉ tiêu 2.1: chưa nhập giá trị" in body["missing"]
    assert "Câu hỏi “Họ và tên người lập”: chưa trả lời" in body["missing"]

    saved = patch(officer, submission, lock_version=0, values={"2.1": "95,5", "2.2": "4"}, notes={"2.2": "Ước tính"})
    assert saved.status_code == 200
    values = {row["code"]: row for row in saved.json()["values"]}
    # Đắk Lắk is in the Tây Nguyên region: 2.1 must reach 90, not 100.
    assert values["2.1"] == {
        "code": "2.1",
        "criterion_number": 2,
        "raw": "95,5",
        "note": "",
        "status": "met",
        "target": "90",
        "error": "",
    }
    assert (values["2.2"]["status"], values["2.2"]["note"]) == ("not_met", "Ước tính")
    criteria = {row["number"]: row for row in saved.json()["criteria"]}
    assert criteria[2] == {"number": 2, "status": "not_met", "met": False}


def test_invalid_value_is_kept_and_reported(officer, open_round, area):
    submission = submission_of(open_round, area)
    response = patch(officer, submission, lock_version=0, values={"2.1": "chín mươi", "2.2": 6})
    assert response.status_code == 200
    body = response.json()
    assert body["lock_version"] == 1
    assert body["errors"] == {"2.1": "Hãy nhập một số, ví dụ 15,5."}
    values = {row["code"]: row for row in body["values"]}
    assert (values["2.1"]["raw"], values["2.1"]["status"]) == ("chín mươi", "missing")
    assert (values["2.2"]["raw"], values["2.2"]["status"]) == ("6", "met")
    assert "Chỉ tiêu 2.1: giá trị không hợp lệ" in body["missing"]
    assert IndicatorValue.objects.get(submission=submission, code="2.1").raw == "chín mươi"

    # A partial update leaves the other values alone.
    again = patch(officer, submission, lock_version=1, values={"2.1": "92"}).json()
    assert {row["code"]: row["raw"] for row in again["values"]}["2.2"] == "6"
    assert again["errors"] == {}


def test_unknown_indicator_codes_and_question_keys_are_refused_with_fields(officer, open_round, area):
    submission = submission_of(open_round, area)
    response = patch(officer, submission, lock_version=0, values={"2.1": "95", "9.9": "1"}, answers={"q_x": "?"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"] == "Dữ liệu gửi lên không hợp lệ."
    assert body["fields"] == {
        "values": {"9.9": ["Không có chỉ tiêu 9.9 trong bộ tiêu chí."]},
        "answers": {"q_x": ["Không có câu hỏi q_x trong biểu mẫu."]},
    }
    submission.refresh_from_db()
    assert submission.lock_version == 0
    assert not submission.values.exists()


def test_stale_lock_version_is_a_conflict_and_changes_nothing(officer, open_round, area):
    submission = submission_of(open_round, area)
    assert patch(officer, submission, lock_version=0, values={"2.1": "95"}).status_code == 200
    stale = patch(officer, submission, lock_version=0, values={"2.1": "50"})
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "conflict"
    assert "Hồ sơ vừa được lưu ở nơi khác (canbo_hoa_thuan" in body["message"]
    assert IndicatorValue.objects.get(submission=submission, code="2.1").raw == "95"
    assert officer.get(url(submission)).json()["lock_version"] == 1


def test_submit_without_the_required_evidence_lists_it(officer, open_round, area, published_set):
    submission = submission_of(open_round, area)
    question = officer.get(url(submission)).json()["questions"][0]["key"]
    values = {"1.1": True, "2.1": "95", "2.2": "6", "10.1": "50"}
    assert (
        patch(officer, submission, lock_version=0, values=values, answers={question: "Nguyễn Văn A"}).status_code == 200
    )
    response = officer.post(url(submission, "submit"), {"lock_version": 1}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "message": "Hồ sơ chưa đủ để nộp.",
        "code": "incomplete",
        "missing": ["Chỉ tiêu 1.1: cần ít nhất 1 tệp minh chứng (Quyết định phê duyệt)"],
    }
    submission.refresh_from_db()
    assert submission.status == "draft"


def test_submit_is_refused_while_a_stored_value_cannot_be_read(officer, open_round, area):
    submission = submission_of(open_round, area)
    patch(officer, submission, lock_version=0, values={"1.1": "có", "2.1": "95 phần trăm", "2.2": "6", "10.1": "50"})
    response = officer.post(url(submission, "submit"), {"lock_version": 1}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"] == {"values": {"2.1": ["Hãy nhập một số, ví dụ 15,5."]}}
    submission.refresh_from_db()
    assert (submission.status, submission.lock_version) == ("draft", 1)


def test_upload_answer_and_submit_then_the_submission_is_locked(officer, open_round, area):
    submission = submission_of(open_round, area)
    values = {"1.1": "có", "2.1": "95", "2.2": "6", "10.1": "50"}
    assert patch(officer, submission, lock_version=0, values=values).status_code == 200

    uploaded = upload(officer, submission)
    assert uploaded.status_code == 201
    evidence = uploaded.json()
    stored = Evidence.objects.get()
    assert evidence["id"] == stored.pk
    assert evidence["indicator_code"] == "1.1"
    assert evidence["original_name"] == "Quyết định phê duyệt.pdf"
    assert (evidence["size"], evidence["content_type"]) == (len(PDF), "application/pdf")
    assert evidence["sha256"] == stored.sha256
    assert evidence["download_url"] == "http://testserver" + reverse("submissions:evidence", args=[stored.pk])
    assert evidence["lock_version"] == 2
    assert officer.get(evidence["download_url"]).status_code == 200

    detail = officer.get(url(submission)).json()
    assert [item["id"] for item in detail["evidence"]] == [stored.pk]
    assert detail["missing"] == ["Câu hỏi “Họ và tên người lập”: chưa trả lời"]
    question = detail["questions"][0]["key"]
    assert patch(officer, submission, lock_version=2, answers={question: "Nguyễn Văn A"}).status_code == 200

    submitted = officer.post(url(submission, "submit"), {"lock_version": 3}, content_type="application/json")
    assert submitted.status_code == 200
    body = submitted.json()
    assert (body["status"], body["editable"], body["missing"]) == ("submitted", False, [])
    assert body["submitted_at"]
    assert body["answers"] == {question: "Nguyễn Văn A"}

    refused = patch(officer, submission, lock_version=body["lock_version"], values={"2.1": "10"})
    assert refused.status_code == 409
    assert refused.json() == {
        "message": "Hồ sơ đã nộp: chỉ xem, không sửa được cho đến khi bị trả lại.",
        "code": "locked",
    }
    assert upload(officer, submission).status_code == 409
    assert IndicatorValue.objects.get(submission=submission, code="2.1").raw == "95"


def test_a_text_file_named_pdf_is_refused(officer, open_round, area):
    submission = submission_of(open_round, area)
    response = upload(officer, submission, name="bao-cao.pdf", content=b"this is plain text, not a PDF")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"].startswith("Tệp “bao-cao.pdf” không được nhận")
    assert body["fields"] == {"file": [body["message"]]}
    assert not Evidence.objects.exists()

    unknown = upload(officer, submission, code="7.7")
    assert unknown.status_code == 400
    assert unknown.json()["fields"] == {"indicator_code": ["Không có chỉ tiêu 7.7 trong bộ tiêu chí."]}


def test_replacing_evidence_keeps_only_the_new_file_current(officer, open_round, area):
    submission = submission_of(open_round, area)
    first = upload(officer, submission, name="a.pdf").json()
    second = upload(officer, submission, name="b.pdf", content=PDF + b"%v2", replaces=first["id"])
    assert second.status_code == 201
    assert [item["original_name"] for item in officer.get(url(submission)).json()["evidence"]] == ["b.pdf"]
    again = upload(officer, submission, name="c.pdf", replaces=first["id"])
    assert again.status_code == 400
    assert again.json()["fields"] == {"replaces": ["Chỉ thay được minh chứng hiện hành của hồ sơ này."]}


def test_closed_round_refuses_changes(officer, open_round, area):
    round_services.round_close(round_=open_round, user=area["office"])
    submission = submission_of(open_round, area)
    response = patch(officer, submission, lock_version=0, values={"2.1": "95"})
    assert response.status_code == 409
    assert response.json() == {"message": "Đợt đánh giá đã đóng: không thể thay đổi hồ sơ.", "code": "locked"}
    assert (
        officer.post(url(submission, "submit"), {"lock_version": 0}, content_type="application/json").json()["code"]
        == "locked"
    )
    assert not submission.values.exists()
    assert officer.get(url(submission)).json()["editable"] is False


def test_detail_runs_a_bounded_number_of_queries(officer, open_round, area, django_assert_max_num_queries):
    submission = submission_of(open_round, area)
    patch(officer, submission, lock_version=0, values={"1.1": "có", "2.1": "95", "2.2": "6", "10.1": "50"})
    upload(officer, submission)
    upload(officer, submission, code="2.1")
    with django_assert_max_num_queries(10):  # one more query per indicator would make it 14
        response = officer.get(url(submission))
    assert len(response.json()["values"]) == 4
    with django_assert_max_num_queries(6):
        assert officer.get(SUBMISSIONS).status_code == 200
    with django_assert_max_num_queries(7):
        assert officer.get(ROUNDS).status_code == 200


def test_schema_documents_the_submission_endpoints(client, db):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/rounds/",
        "/api/v1/rounds/{id}/",
        "/api/v1/submissions/",
        "/api/v1/submissions/{id}/",
        "/api/v1/submissions/{id}/values/",
        "/api/v1/submissions/{id}/evidence/",
        "/api/v1/submissions/{id}/submit/",
    ):
        assert path in schema["paths"], path
    assert (
        "multipart/form-data" in schema["paths"]["/api/v1/submissions/{id}/evidence/"]["post"]["requestBody"]["content"]
    )
