"""The commune officer's form, driven over HTTP as the officer would use it."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cms.audit.models import AuditEntry
from criteria_pages import services as criteria_services
from criteria_pages.models import CriteriaIndexPage
from criteria_pages.spec import Comparison, CriterionSpec, IndicatorSpec, SetSpec, ValueType
from submissions import errors
from submissions.entry import services
from submissions.models import (
    AuditAction,
    CriterionResult,
    Evidence,
    IndicatorValue,
    Round,
    Submission,
    SubmissionStatus,
)
from submissions.rounds import services as round_services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submission_of(open_round, area, key="hoa_thuan"):
    return Submission.objects.get(round=open_round, unit=area["communes"][key])


def question_field(published_set):
    return "q_" + published_set["form_page"].sections[0].value["questions"][0].id


def post_data(submission, **values):
    data = {"lock_version": submission.lock_version, "save": "1"}
    data.update(values)
    return data


@pytest.fixture
def officer(client, area):
    client.force_login(area["officers"]["hoa_thuan"])
    return client


def test_opening_creates_one_submission_per_commune_in_scope(open_round, area):
    units = set(open_round.submissions.values_list("unit__name", flat=True))
    assert units == {"Xã Hòa Thuận", "Xã Ea Kly", "Xã Ea Wer"}  # the Thị trấn is outside "Xã"
    assert set(open_round.submissions.values_list("group", flat=True)) == {"TN"}


def test_officer_sees_their_form_with_the_target_for_their_region(officer, open_round, area):
    listing = officer.get("/danh-gia/")
    assert "Đánh giá năm 2026 — Xã Hòa Thuận" in listing.text
    assert "Xã Ea Kly" not in listing.text
    response = officer.get(f"/danh-gia/ho-so/{submission_of(open_round, area).pk}/")
    assert response.status_code == 200
    assert "Mức cần đạt: <strong>≥ 90 %</strong>" in response.text  # Tây Nguyên's target, not the common 100
    assert "Họ và tên người lập" in response.text


def test_draft_with_invalid_values_keeps_them_and_shows_errors(officer, open_round, area):
    submission = submission_of(open_round, area)
    response = officer.post(
        f"/danh-gia/ho-so/{submission.pk}/",
        post_data(submission, v_2_1="chín mươi", v_2_2="6,5", v_1_1="yes", n_2_1="Số liệu quý III"),
    )
    assert response.status_code == 200
    assert 'value="chín mươi"' in response.text
    assert "Đã lưu nháp, kể cả các giá trị chưa hợp lệ" in response.text
    stored = {row.code: row for row in IndicatorValue.objects.filter(submission=submission)}
    assert stored["2.1"].raw == "chín mươi" and stored["2.1"].status == "missing"
    assert stored["2.2"].raw == "6,5" and stored["2.2"].status == "met"
    assert stored["2.1"].note == "Số liệu quý III"
    # Reloading later shows exactly what was typed.
    assert 'value="chín mươi"' in officer.get(f"/danh-gia/ho-so/{submission.pk}/").text


def test_verdicts_are_stored_after_each_save(officer, open_round, area):
    submission = submission_of(open_round, area)
    officer.post(f"/danh-gia/ho-so/{submission.pk}/", post_data(submission, v_1_1="yes", v_2_1="92", v_2_2="5"))
    results = dict(CriterionResult.objects.filter(submission=submission).values_list("number", "met"))
    assert results == {1: True, 2: True, 10: False}
    submission.refresh_from_db()
    assert (submission.criteria_met, submission.standard_reached) == (2, False)
    page = officer.get(f"/danh-gia/ho-so/{submission.pk}/").text
    assert "Đạt 2/3 tiêu chí" in page


def test_submit_lists_exactly_what_is_missing(officer, open_round, area, published_set):
    submission = submission_of(open_round, area)
    response = officer.post(
        f"/danh-gia/ho-so/{submission.pk}/",
        post_data(submission, v_1_1="yes", v_2_1="95", v_2_2="", v_10_1="50", submit="1"),
    )
    assert response.status_code == 400
    missing = response.context["missing"]
    assert "Chỉ tiêu 2.2: chưa nhập giá trị" in missing
    assert any(item.startswith("Chỉ tiêu 1.1: cần ít nhất 1 tệp minh chứng") for item in missing)
    assert "Câu hỏi “Họ và tên người lập”: chưa trả lời" in missing
    assert len(missing) == 3
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DRAFT


def test_complete_form_with_evidence_is_submitted_and_becomes_read_only(officer, open_round, area, published_set):
    submission = submission_of(open_round, area)
    data = post_data(
        submission,
        v_1_1="yes",
        v_2_1="95",
        v_2_2="7",
        v_10_1="50",
        e_1_1=SimpleUploadedFile("Quyết định phê duyệt quy hoạch.pdf", PDF, content_type="application/pdf"),
        submit="1",
    )
    data[question_field(published_set)] = "Nguyễn Văn An"
    response = officer.post(f"/danh-gia/ho-so/{submission.pk}/", data)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.standard_reached
    evidence = Evidence.objects.get(submission=submission)
    assert evidence.original_name == "Quyết định phê duyệt quy hoạch.pdf"
    assert len(evidence.sha256) == 64 and evidence.content_type == "application/pdf"
    page = officer.get(f"/danh-gia/ho-so/{submission.pk}/").text
    assert "Nộp hồ sơ</button>" not in page
    assert 'name="v_2_1"' not in page
    refused = officer.post(f"/danh-gia/ho-so/{submission.pk}/", post_data(submission, v_2_1="10"))
    assert refused.status_code == 409
    assert IndicatorValue.objects.get(submission=submission, code="2.1").raw == "95"


def test_evidence_is_private_and_checked_by_content(officer, client, open_round, area):
    submission = submission_of(open_round, area)
    fake = SimpleUploadedFile("bao-cao.pdf", b"this is plain text, not a PDF", content_type="application/pdf")
    response = officer.post(f"/danh-gia/ho-so/{submission.pk}/", post_data(submission, e_1_1=fake))
    assert "không được nhận" in response.text
    assert not Evidence.objects.exists()

    submission.refresh_from_db()
    officer.post(
        f"/danh-gia/ho-so/{submission.pk}/",
        post_data(submission, e_1_1=SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf")),
    )
    evidence = Evidence.objects.get()
    assert not evidence.file.name.startswith("/")
    download = officer.get(f"/danh-gia/minh-chung/{evidence.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]

    client.force_login(area["officers"]["ea_kly"])
    assert client.get(f"/danh-gia/minh-chung/{evidence.pk}/").status_code == 404
    assert client.get(f"/danh-gia/ho-so/{submission.pk}/").status_code == 404
    client.logout()
    anonymous = client.get(f"/danh-gia/minh-chung/{evidence.pk}/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap/")


def test_evidence_over_the_size_limit_is_refused(officer, open_round, area, settings):
    settings.EVIDENCE_MAX_UPLOAD_SIZE = 10
    submission = submission_of(open_round, area)
    response = officer.post(
        f"/danh-gia/ho-so/{submission.pk}/",
        post_data(submission, e_1_1=SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf")),
    )
    assert "quá lớn" in response.text
    assert not Evidence.objects.exists()


def test_after_submission_evidence_cannot_be_deleted_only_replaced_and_recorded(open_round, area):
    submission = submission_of(open_round, area)
    officer = area["officers"]["hoa_thuan"]
    first = services.evidence_add(
        submission=submission, indicator_code="1.1", upload=SimpleUploadedFile("a.pdf", PDF), user=officer
    )
    Submission.objects.filter(pk=submission.pk).update(
        first_submitted_at="2026-11-20T08:00:00+07:00", status=SubmissionStatus.RETURNED
    )
    submission.refresh_from_db()
    with pytest.raises(errors.SubmissionError, match="không thể xoá"):
        services.evidence_delete(evidence=first, user=officer)
    second = services.evidence_add(
        submission=submission,
        indicator_code="1.1",
        upload=SimpleUploadedFile("b.pdf", PDF + b"%v2"),
        user=officer,
        replaces=first,
    )
    first.refresh_from_db()
    assert first.replaced_by == second
    entry = AuditEntry.objects.get(action=AuditAction.EVIDENCE_REPLACED)
    assert (entry.before["name"], entry.after["name"], entry.role) == ("a.pdf", "b.pdf", "commune_officer")


def test_second_save_from_another_tab_is_refused_and_keeps_input(officer, open_round, area):
    submission = submission_of(open_round, area)
    stale = submission.lock_version
    officer.post(f"/danh-gia/ho-so/{submission.pk}/", post_data(submission, v_2_1="91"))
    response = officer.post(
        f"/danh-gia/ho-so/{submission.pk}/", {"lock_version": stale, "save": "1", "v_2_1": "80", "v_2_2": "3"}
    )
    assert response.status_code == 409
    assert "vừa được lưu ở nơi khác" in response.text
    assert 'value="80"' in response.text
    assert IndicatorValue.objects.get(submission=submission, code="2.1").raw == "91"


def test_closed_round_refuses_changes(officer, open_round, area):
    submission = submission_of(open_round, area)
    round_services.round_close(round_=open_round, user=area["office"])
    response = officer.post(f"/danh-gia/ho-so/{submission.pk}/", post_data(submission, v_2_1="91"))
    assert response.status_code == 409
    assert not IndicatorValue.objects.filter(submission=submission).exists()
    with pytest.raises(errors.SubmissionError):
        services.submission_save(submission=submission, raws={"2.1": "91"}, user=area["officers"]["hoa_thuan"])


def test_anonymous_users_are_sent_to_log_in(client, open_round, area):
    response = client.get(f"/danh-gia/ho-so/{submission_of(open_round, area).pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")
    login = client.get(response["Location"])
    assert "Đăng nhập" in login.text


def test_saving_the_form_runs_a_bounded_number_of_queries(officer, open_round, area, django_assert_max_num_queries):
    submission = submission_of(open_round, area)
    officer.post(f"/danh-gia/ho-so/{submission.pk}/", post_data(submission, v_2_1="91"))
    submission.refresh_from_db()
    with django_assert_max_num_queries(40):
        response = officer.post(
            f"/danh-gia/ho-so/{submission.pk}/", post_data(submission, v_1_1="yes", v_2_1="92", v_2_2="8", v_10_1="60")
        )
    assert response.status_code == 302


def test_recompute_command_rebuilds_stored_verdicts(open_round, area):
    submission = submission_of(open_round, area)
    services.submission_save(submission=submission, raws={"2.1": "95", "2.2": "9"}, user=area["officers"]["hoa_thuan"])
    CriterionResult.objects.filter(submission=submission).update(met=False, status="not_met")
    out = io.StringIO()
    call_command("recompute_results", stdout=out)
    assert CriterionResult.objects.get(submission=submission, number=2).met
    assert "3" in out.getvalue()


def test_query_count_of_a_save_does_not_depend_on_the_number_of_indicators(client, area, published_set):
    """A 57-indicator form saves with the same number of queries as a 4-indicator one."""
    big = SetSpec(
        code="LON",
        name="Bộ 57 chỉ tiêu",
        criteria=tuple(
            CriterionSpec(
                number=number,
                name=f"Tiêu chí {number}",
                indicators=tuple(
                    IndicatorSpec(
                        code=f"{number}.{i}",
                        name=f"Chỉ tiêu {number}.{i}",
                        value_type=ValueType.PERCENTAGE,
                        comparison=Comparison.GTE,
                        target="80",
                    )
                    for i in range(1, 4)
                ),
            )
            for number in range(1, 20)
        ),
    )
    assert sum(len(c.indicators) for c in big.criteria) == 57
    _page, version = criteria_services.criteria_set_import(spec=big, parent=CriteriaIndexPage.objects.get())

    def save_count(criteria_version, values):
        round_ = Round.objects.create(
            name=f"Đợt {criteria_version.pk}",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
            criteria_version=criteria_version,
            scope_root=area["districts"]["krong_pac"],
            opens_on=datetime.date(2026, 11, 1),
            due_on=datetime.date(2026, 12, 1),
        )
        round_services.round_open(round_=round_)
        submission = Submission.objects.get(round=round_, unit=area["communes"]["hoa_thuan"])
        client.force_login(area["officers"]["hoa_thuan"])
        client.post(f"/danh-gia/ho-so/{submission.pk}/", post_data(submission, **values))  # first save creates rows
        submission.refresh_from_db()
        changed = dict.fromkeys(values, "99")
        with CaptureQueriesContext(connection) as queries:
            response = client.post(f"/danh-gia/ho-so/{submission.pk}/", post_data(submission, **changed))
        assert response.status_code == 302
        return len(queries)

    small = save_count(published_set["version"], {"v_2_1": "91", "v_2_2": "7", "v_10_1": "50"})
    large = save_count(version, dict.fromkeys((f"v_{n}_{i}" for n in range(1, 20) for i in range(1, 4)), "85"))
    assert large == small
    assert large <= 30
