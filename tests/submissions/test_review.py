"""Review and recognition over the reviewers' pages, as each (non-superuser) role."""

import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

import openpyxl
import pytest

from cms.audit.models import AuditEntry
from cms.directory.models import Role
from cms.outbox.models import Notice
from submissions import errors
from submissions.entry import services
from submissions.models import (
    AppraisalStatus,
    AuditAction,
    CriterionAppraisal,
    CriterionResult,
    Round,
    Submission,
    SubmissionStatus,
)
from submissions.review import flow as review
from submissions.review import notifications
from submissions.rounds import services as round_services
from tests.factories import member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_submission_waits_for_its_district_and_the_district_is_told(flow, area, client):
    submission = flow["submission"]
    assert submission.status == SubmissionStatus.SUBMITTED
    assert any("thamtra@example.org" in message.to for message in mail.outbox)
    client.force_login(area["reviewer"])
    queue = client.get("/xet-duyet/")
    assert queue.status_code == 200
    assert [row["submission"].unit.name for row in queue.context["rows"]] == ["Xã Hòa Thuận"]


def test_return_with_comments_then_resubmit_comes_back_to_the_district(flow, area, client):
    submission = flow["submission"]
    client.force_login(area["reviewer"])
    response = client.post(
        f"/xet-duyet/ho-so/{submission.pk}/tra-lai/",
        {
            "lock_version": submission.lock_version,
            "comment": "Bổ sung số liệu giao thông",
            "item_target": ["i:2.1", ""],
            "item_comment": ["Tỷ lệ chưa khớp báo cáo huyện", ""],
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.returned_from) == (SubmissionStatus.RETURNED, SubmissionStatus.SUBMITTED)
    assert any("canbo_hoa_thuan@example.org" in message.to for message in mail.outbox)

    client.force_login(flow["officer"])
    page = client.get(f"/danh-gia/ho-so/{submission.pk}/")
    assert "Tỷ lệ chưa khớp báo cáo huyện" in page.text
    assert 'name="v_2_1"' in page.text  # editable again
    services.submission_save(submission=submission, raws={"2.1": "96"}, user=flow["officer"])
    submission.refresh_from_db()
    review.submission_submit(
        submission=submission, user=flow["officer"], required_questions={flow["question"]: "Họ và tên người lập"}
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    changes = AuditEntry.objects.about(submission).get(action=AuditAction.VALUE_CHANGED)
    assert (changes.before, changes.after) == ({"2.1": "95"}, {"2.1": "96"})


def test_departments_appraise_only_their_criteria_in_parallel(flow, area, client):
    submission = flow["submission"]
    review.review_forward(submission=submission, user=area["reviewer"])
    assert set(CriterionAppraisal.objects.filter(submission=submission).values_list("number", "department__code")) == {
        (1, "so-xd"),
        (2, "so-xd"),
        (10, "so-nnmt"),
    }
    client.force_login(flow["agriculture"])
    queue = client.get("/xet-duyet/")
    assert [(row["submission"].unit.name, row["appraisal"].number) for row in queue.context["rows"]] == [
        ("Xã Hòa Thuận", 10)
    ]
    refused = client.post(
        f"/xet-duyet/ho-so/{submission.pk}/tham-dinh/", {"number": "2", "lock_version": submission.lock_version}
    )
    assert refused.status_code == 302
    assert CriterionAppraisal.objects.get(submission=submission, number=2).status == AppraisalStatus.PENDING
    client.post(f"/xet-duyet/ho-so/{submission.pk}/tham-dinh/", {"number": "10", "comment": "Khớp số liệu thống kê"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPRAISAL

    client.force_login(flow["construction"])
    response = client.post(
        "/xet-duyet/tham-dinh-nhieu/", {"number": "1", "submission": [submission.pk], "next": "https://evil.example/"}
    )
    assert response["Location"] == "/xet-duyet/"
    client.post(f"/xet-duyet/ho-so/{submission.pk}/tham-dinh/", {"number": "2"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RECOGNITION
    assert any("vanphong@example.org" in message.to for message in mail.outbox)


def test_override_needs_a_reason_and_shows_next_to_the_computed_verdict(flow, area, client):
    submission = flow["submission"]
    review.review_forward(submission=submission, user=area["reviewer"])
    with pytest.raises(errors.SubmissionError, match="lý do"):
        review.verdict_override(
            submission=submission, user=flow["agriculture"], reason=" ", criterion_number=10, met=False
        )
    with pytest.raises(errors.SubmissionError):
        review.verdict_override(
            submission=submission, user=flow["agriculture"], reason="x", criterion_number=2, met=False
        )
    client.force_login(flow["agriculture"])
    client.post(
        f"/xet-duyet/ho-so/{submission.pk}/dieu-chinh/",
        {"target": "c:10", "verdict": "not_met", "reason": "Số liệu thu nhập chưa được Cục Thống kê xác nhận"},
    )
    result = CriterionResult.objects.get(submission=submission, number=10)
    assert (result.computed_met, result.override_met, result.met) == (True, False, False)
    submission.refresh_from_db()
    assert submission.criteria_met == 2
    page = client.get(f"/xet-duyet/ho-so/{submission.pk}/").text
    assert "Số liệu thu nhập chưa được Cục Thống kê xác nhận" in page
    assert AuditEntry.objects.about(submission).filter(action=AuditAction.OVERRIDDEN).exists()


def test_office_recognises_and_publishes_separately(flow, area, client):
    submission = flow["submission"]
    review.review_forward(submission=submission, user=area["reviewer"])
    for number, user in ((1, flow["construction"]), (2, flow["construction"]), (10, flow["agriculture"])):
        review.appraisal_decide(submission=submission, number=number, user=user)
    submission.refresh_from_db()
    client.force_login(area["office"])
    missing = client.post(f"/xet-duyet/ho-so/{submission.pk}/cong-nhan/", {"decision_number": "", "decision_date": ""})
    assert missing.status_code == 302
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.RECOGNITION
    client.post(
        f"/xet-duyet/ho-so/{submission.pk}/cong-nhan/",
        {
            "lock_version": submission.lock_version,
            "decision_number": "123/QĐ-UBND",
            "decision_date": "20/11/2026",
            "decision_document": SimpleUploadedFile("quyet-dinh.pdf", PDF),
        },
    )
    submission.refresh_from_db()
    assert (submission.status, submission.decision_number, submission.published) == (
        SubmissionStatus.RECOGNISED,
        "123/QĐ-UBND",
        False,
    )
    assert submission.standard_reached
    client.post(f"/xet-duyet/ho-so/{submission.pk}/cong-khai/", {"published": "1"})
    submission.refresh_from_db()
    assert submission.published


def test_two_reviewers_acting_at_once_one_wins_and_the_other_is_told(flow, area):
    submission = flow["submission"]
    stale = Submission.objects.get(pk=submission.pk)
    review.review_forward(submission=submission, user=area["reviewer"], expected_version=submission.lock_version)
    with pytest.raises(errors.ConflictError):
        review.review_return(submission=stale, user=area["office"], comment="Sai", expected_version=stale.lock_version)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.APPRAISAL


@pytest.mark.parametrize("who", ["officer", "other_district", "anonymous"])
def test_people_outside_the_scope_get_nothing(flow, area, client, who):
    submission = flow["submission"]
    if who == "officer":
        client.force_login(flow["officer"])
    elif who == "other_district":
        client.force_login(member(Role.DISTRICT_REVIEWER, unit=area["districts"]["buon_don"], username="buon_don"))
    response = client.get(f"/xet-duyet/ho-so/{submission.pk}/")
    assert response.status_code in (302, 404)
    if who == "anonymous":
        assert response["Location"].startswith("/dang-nhap/")
    action = client.post(f"/xet-duyet/ho-so/{submission.pk}/chuyen/", {})
    assert action.status_code in (302, 404)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SUBMITTED


def test_history_is_readable_and_exportable_by_reviewers_only(flow, area, client):
    submission = flow["submission"]
    review.review_return(submission=submission, user=area["reviewer"], comment="Thiếu chữ ký")
    client.force_login(area["reviewer"])
    response = client.get(f"/xet-duyet/ho-so/{submission.pk}/lich-su.xlsx")
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    actions = [row[3] for row in rows[1:]]
    assert actions[-2:] == ["Nộp hồ sơ", "Trả lại để sửa"]
    assert rows[-1][1] == "thamtra" and rows[-1][4] == "Thiếu chữ ký"
    client.force_login(area["officers"]["ea_kly"])
    assert client.get(f"/xet-duyet/ho-so/{submission.pk}/lich-su.xlsx").status_code == 404


def test_a_new_round_prefills_drafts_from_recognised_values(flow, area, open_round):
    submission = flow["submission"]
    review.review_forward(submission=submission, user=area["reviewer"])
    for number, user in ((1, flow["construction"]), (2, flow["construction"]), (10, flow["agriculture"])):
        review.appraisal_decide(submission=submission, number=number, user=user)
    submission.refresh_from_db()
    review.recognise(
        submission=submission, user=area["office"], decision_number="1/QĐ", decision_date=open_round.due_on
    )
    round_services.round_close(round_=open_round, user=area["office"])
    next_round = Round.objects.create(
        name="Đánh giá năm 2027",
        period_start=open_round.period_start,
        period_end=open_round.period_end,
        criteria_version=open_round.criteria_version,
        scope_root=area["province"],
        scope_unit_types="Xã",
        opens_on=open_round.opens_on,
        due_on=open_round.due_on,
        prefill_from=open_round,
    )
    round_services.round_open(round_=next_round, user=area["office"])
    prefilled = Submission.objects.get(round=next_round, unit=area["communes"]["hoa_thuan"])
    assert dict(prefilled.values.values_list("code", "raw")) == {"1.1": "có", "2.1": "95", "2.2": "7", "10.1": "50"}
    assert prefilled.status == SubmissionStatus.DRAFT and prefilled.criteria_met == 3
    untouched = Submission.objects.get(round=next_round, unit=area["communes"]["ea_kly"])
    assert not untouched.values.exists()


def test_each_person_told_gets_their_own_message_and_never_sees_the_others_address(flow, area):
    """Two district reviewers are told of the same submission: two messages, each to one address (an address is
    personal data, Decree 13/2023/NĐ-CP); a locked account is not written to."""
    second = member(Role.DISTRICT_REVIEWER, unit=area["districts"]["krong_pac"], username="thamtra_hai")
    locked = member(Role.DISTRICT_REVIEWER, unit=area["districts"]["krong_pac"], username="thamtra_khoa")
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    mail.outbox.clear()
    notifications.notify_next_actor(Submission.objects.select_related("unit", "round").get(pk=flow["submission"].pk))
    # thamtra was told when the commune submitted: the same event (cms.outbox) never tells anyone twice.
    assert sorted(tuple(message.to) for message in mail.outbox) == [(second.email,)]
    assert all(not message.cc and not message.bcc for message in mail.outbox)
    told = Notice.objects.filter(event__startswith=f"review:{flow['submission'].pk}:")
    assert sorted(told.values_list("recipient", flat=True)) == ["thamtra@example.org", second.email]
