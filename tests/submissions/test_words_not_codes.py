"""Words, not codes: the review page (as each reviewer role), the commune's read-only form, the history (the
review page's, the admin's, its Excel file) and the return e-mail read as people say things — Có/Không,
Đạt/Chưa đạt, targets with comparison and unit, dates dd/mm/yyyy, role names, history as sentences — and never
show "yes", "no", "met", "not_met" or a Python dictionary."""

import datetime
import io

from django.core import mail
from django.urls import reverse

import openpyxl
import pytest

from cms.audit.history import history_url
from cms.directory.models import Role
from submissions.entry import services
from submissions.models import Submission, SubmissionStatus
from submissions.review import flow as review
from tests.factories import member, province, shared_layer
from tests.submissions.factories import fill_and_submit
from tests.submissions.words import assert_words_only, visible_text

BASE_URL = "https://ntm.daklak.gov.vn"
MAX_QUERIES = 16


@shared_layer
def ea_kly(flow, area, open_round):
    """Ea Kly's submission as the web form stores it: 1.1 answered with the form's "yes", 2.2 = 7,5 km;
    submitted, so it waits for Krông Pắc's district check."""
    submission = Submission.objects.get(round=open_round, unit=area["communes"]["ea_kly"])
    officer = area["officers"]["ea_kly"]
    officer.email = "canbo_ea_kly@example.org"
    officer.first_name, officer.last_name = "Trần Thị", "Bình"  # Vietnamese order (people.split_name)
    officer.save(update_fields=["email", "first_name", "last_name"])
    area["reviewer"].first_name, area["reviewer"].last_name = "Lê Văn", "Cường"
    area["reviewer"].save(update_fields=["first_name", "last_name"])
    return fill_and_submit(submission, officer, flow["question"], **{"1.1": "yes", "2.2": "7,5"})


def _page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


def _review_url(submission) -> str:
    return reverse("review:detail", args=[submission.pk])


def test_the_district_reviewer_reads_values_targets_and_verdicts_in_words(ea_kly, area, client):
    text = _page(client, area["reviewer"], _review_url(ea_kly))
    assert "1.1. Có quy hoạch chung xây dựng xã được phê duyệt Có = Có Đạt" in text
    assert "2.1. Tỷ lệ đường xã được nhựa hóa 95 % ≥ 90 % Đạt" in text  # Tây Nguyên's target, with its unit
    assert "2.2. Số km đường thôn được cứng hóa 7,5 km ≥ 5 km Đạt" in text
    assert "10.1. Thu nhập bình quân đầu người 50 triệu đồng/người/năm ≥ 48 triệu đồng/người/năm Đạt" in text
    assert "Trần Thị Bình (Cán bộ xã): Nộp hồ sơ — trạng thái: “Đã nộp, chờ huyện thẩm tra”." in text
    assert_words_only(text, "the district reviewer's review page")


def test_every_appraiser_sees_how_much_evidence_there_is_and_opens_only_their_own(
    ea_kly, area, flow, client, django_assert_max_num_queries
):
    review.review_forward(submission=ea_kly, user=area["reviewer"])
    evidence = ea_kly.evidence.get()
    link = reverse("submissions:evidence", args=[evidence.pk])

    client.force_login(flow["construction"])  # criterion 1 is theirs: the file is a link
    page = client.get(_review_url(ea_kly)).content.decode()
    assert link in page
    assert_words_only(visible_text(page), "the construction appraiser's review page")

    client.force_login(flow["agriculture"])  # criterion 1 is not theirs: its file is counted, not offered
    with django_assert_max_num_queries(MAX_QUERIES):  # 12 today: a fixed number, none per indicator or file
        page = client.get(_review_url(ea_kly)).content.decode()
    text = visible_text(page)
    assert link not in page
    assert "1 tệp (do sở, ngành phụ trách tiêu chí xem)" in text
    assert "Lê Văn Cường (Thẩm tra cấp huyện): Huyện thẩm tra, chuyển sở, ngành — trạng thái: từ" in text
    assert_words_only(text, "the agriculture appraiser's review page")
    assert client.get(link).status_code == 404


def test_the_office_reads_the_page_in_words_and_another_province_does_not_read_it(ea_kly, area, client):
    text = _page(client, area["office"], _review_url(ea_kly))
    assert "Đạt 3/3 tiêu chí · Đạt chuẩn" in text
    assert_words_only(text, "the office's review page")

    stranger = member(Role.OFFICE_EDITOR, unit=province(code="67", name="Tỉnh Đắk Nông"), username="vp_dak_nong")
    client.force_login(stranger)
    assert client.get(_review_url(ea_kly)).status_code == 404


def test_the_commune_reads_its_submitted_form_in_words(ea_kly, area, client):
    text = _page(client, area["officers"]["ea_kly"], reverse("submissions:form", args=[ea_kly.pk]))
    assert "Mức cần đạt: = Có" in text
    assert "Mức cần đạt: ≥ 90 %" in text
    assert "Đạt" in text and "7,5 km" in text
    assert "Nguyễn Văn An" in text  # the answer to the office's question
    assert_words_only(text, "the commune's read-only form")


def _through_the_whole_flow(submission, area, flow):
    """Return with two items, change 1.1 from Có to Không and resubmit, forward, override, appraise, recognise."""
    review.review_return(
        submission=submission,
        user=area["reviewer"],
        comment="Bổ sung quyết định",
        items=[{"indicator_code": "1.1", "comment": "Chưa có quyết định"}, {"criterion_number": 2, "comment": "Sai"}],
    )
    officer = area["officers"]["ea_kly"]
    services.submission_save(submission=submission, raws={"1.1": "no"}, user=officer)
    submission.refresh_from_db()
    review.submission_submit(submission=submission, user=officer, required_questions={})
    submission.refresh_from_db()
    review.review_forward(submission=submission, user=area["reviewer"], comment="Đủ hồ sơ")
    review.verdict_override(
        submission=submission, user=flow["construction"], indicator_code="2.1", status="not_met", reason="Ảnh cũ"
    )
    review.verdict_override(
        submission=submission, user=flow["agriculture"], criterion_number=10, met=False, reason="Số liệu năm trước"
    )
    for number, user in ((1, flow["construction"]), (2, flow["construction"]), (10, flow["agriculture"])):
        review.appraisal_decide(submission=Submission.objects.get(pk=submission.pk), number=number, user=user)
    submission = Submission.objects.get(pk=submission.pk)
    assert submission.status == SubmissionStatus.RECOGNITION
    review.recognise(
        submission=submission,
        user=area["office"],
        decision_number="12/QĐ-UBND",
        decision_date=datetime.date(2026, 12, 5),
    )
    return Submission.objects.get(pk=submission.pk)


SENTENCES = (
    "Lê Văn Cường (Thẩm tra cấp huyện): Trả lại để sửa — trạng thái: từ “Đã nộp, chờ huyện thẩm tra” thành "
    "“Bị trả lại”; Chỉ tiêu 1.1: “Chưa có quyết định”; Tiêu chí 2: “Sai”. Ý kiến: “Bổ sung quyết định”.",
    "Trần Thị Bình (Cán bộ xã): Sửa giá trị sau khi nộp — Chỉ tiêu 1.1: từ “Có” thành “Không”.",
    "(Thẩm định của sở, ngành): Điều chỉnh kết quả — Chỉ tiêu 2.1 (tính toán: Đạt): từ “không điều chỉnh” thành "
    "“Chưa đạt”. Ý kiến: “Ảnh cũ”.",
    "Tiêu chí 10 (tính toán: Đạt): từ “không điều chỉnh” thành “Chưa đạt”. Ý kiến: “Số liệu năm trước”.",
    "(Thẩm định của sở, ngành): Thẩm định tiêu chí — Tiêu chí 10: từ “Chờ thẩm định” thành “Đã thẩm định”.",
    "(Văn phòng Điều phối NTM): Công nhận — số quyết định: “12/QĐ-UBND”; ngày quyết định: “05/12/2026”; "
    "kết quả: “Chưa đạt chuẩn”.",
)


@pytest.mark.parametrize("reader", ["review page", "admin history", "history file"])
def test_the_history_reads_as_sentences(ea_kly, area, flow, client, reader):
    submission = _through_the_whole_flow(ea_kly, area, flow)
    client.force_login(area["office"])
    if reader == "review page":
        text = visible_text(client.get(_review_url(submission)).content.decode())
    elif reader == "admin history":
        text = visible_text(client.get(history_url(submission)).content.decode())
    else:
        response = client.get(reverse("review:history-export", args=[submission.pk]))
        rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[0] == ("Thời điểm", "Người", "Vai trò", "Thao tác", "Ý kiến", "Thay đổi")
        assert all(len(str(row[0])) == 16 and str(row[0])[2] == "/" for row in rows[1:])  # dd/mm/yyyy hh:mm
        text = "\n".join(" | ".join(str(cell) for cell in row if cell) for row in rows)
        assert "Văn phòng Điều phối NTM | Công nhận | số quyết định: “12/QĐ-UBND”" in text
        assert "Chỉ tiêu 1.1: từ “Có” thành “Không”" in text
        assert_words_only(text, "the history file")
        return
    if reader == "review page":
        for sentence in SENTENCES:
            assert sentence in text, sentence
    else:  # the admin's table: who, role, action, changes, comment in their own columns
        assert "Trần Thị Bình Cán bộ xã Sửa giá trị sau khi nộp Chỉ tiêu 1.1: từ “Có” thành “Không”" in text
        assert "Công nhận số quyết định: “12/QĐ-UBND” ngày quyết định: “05/12/2026”" in text
    assert_words_only(text, reader)


def test_the_return_email_lists_the_comments_in_words(ea_kly, area, client, settings):
    settings.PUBLIC_BASE_URL = BASE_URL
    mail.outbox.clear()
    client.force_login(area["reviewer"])
    response = client.post(
        reverse("review:return", args=[ea_kly.pk]),
        {
            "lock_version": ea_kly.lock_version,
            "comment": "Bổ sung chữ ký",
            "item_target": ["i:1.1", "c:10"],
            "item_comment": ["Quyết định đã hết hạn", "Thu nhập chưa khớp"],
        },
    )
    assert response.status_code == 302
    (message,) = [m for m in mail.outbox if "canbo_ea_kly@example.org" in m.to]
    assert message.subject == "[NTM] Hồ sơ bị trả lại để sửa"
    assert "- Ý kiến chung: Bổ sung chữ ký" in message.body
    assert "- Chỉ tiêu 1.1. Có quy hoạch chung xây dựng xã được phê duyệt: Quyết định đã hết hạn" in message.body
    assert "- Tiêu chí 10. Thu nhập: Thu nhập chưa khớp" in message.body
    assert "Người trả lại: Lê Văn Cường (Thẩm tra cấp huyện)" in message.body
    assert f"{BASE_URL}/danh-gia/ho-so/{ea_kly.pk}/" in message.body
    assert_words_only(message.body, "the return e-mail")
