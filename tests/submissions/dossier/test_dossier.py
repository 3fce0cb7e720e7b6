"""The recognition dossier: Hòa Thuận's submission taken through the review to recognition (appraisals by two
departments, a closed consultation with comments, online and paper satisfaction answers, three preconditions with an
evidence file, the decision document), its zip downloaded by the office over HTTP, opened, and each file checked —
the report cell by cell against a fresh export and the stored results, the documents paragraph by paragraph — and who
may download it, per role, in its own province and another."""

import dataclasses
import datetime
import io
import zipfile
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import docx
import openpyxl
import pytest

from cms.directory.models import Department, Role
from criteria_pages.models import CriteriaSetVersion
from criteria_pages.spec import FigureSource, PreconditionKind, PreconditionSpec
from submissions.consultation.models import (
    Comment,
    CommentStatus,
    Consultation,
    ConsultationStatus,
    PaperTally,
    PaperTallyFile,
    SatisfactionSurvey,
    SurveyQuestion,
    SurveyResponse,
)
from submissions.consultation.rates import satisfaction_rate
from submissions.consultation.selectors import summary_build
from submissions.models import CriterionResult, Submission, SubmissionStatus
from submissions.recognition import dossier
from submissions.recognition.models import PreconditionEvidence, PreconditionResult, PreconditionStatus
from submissions.reports.exports import export_unit
from submissions.review import flow as review
from tests.factories import commune, district, member, province
from tests.submissions.factories import PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
CONTACT = "0912 345 678"
AUTHOR = "Trần Thị Bình"
PUBLISHED_BODY = "Đường liên thôn 3 còn lầy lội mùa mưa."
ANSWER = "Xã đã đưa vào kế hoạch cứng hóa năm 2027."
SECOND_BODY = "Đề nghị công khai thêm số liệu thu nhập."
REJECTED_BODY = "Nội dung quảng cáo không liên quan."
QUESTION = "Ông/bà có hài lòng với kết quả xây dựng nông thôn mới của xã không?"
WAIVER = "Công an tỉnh đã có văn bản xác nhận riêng, nộp kèm hồ sơ giấy."


def as_user(client, user):
    client.force_login(user)
    return client


def url(submission) -> str:
    return f"/xet-duyet/cong-nhan/{submission.pk}/ho-so.zip"


def read_book(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def cells(book: openpyxl.Workbook) -> dict[str, list[tuple]]:
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def read_document(content: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(content))


def document_text(document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def person(user) -> str:
    return user.get_full_name() or user.get_username()


def with_preconditions(submission: Submission) -> None:
    """The round's frozen set version, given three preconditions (as an office configures them in the set editor)."""
    version = submission.round.criteria_version
    spec = dataclasses.replace(
        version.set_spec,
        preconditions=(
            PreconditionSpec(
                code="DK1",
                name="Không có nợ đọng xây dựng cơ bản",
                department="so-xd",
                evidence="Văn bản xác nhận không nợ đọng",
                legal_basis="Quyết định 18/2022/QĐ-TTg, Điều 5",
            ),
            PreconditionSpec(
                code="DK2",
                name="Tỷ lệ người dân hài lòng",
                kind=PreconditionKind.FIGURE,
                source=FigureSource.SATISFACTION,
                threshold=Decimal("90"),
                unit="%",
            ),
            PreconditionSpec(code="DK3", name="Đạt chuẩn an toàn về an ninh, trật tự", department="so-nnmt"),
        ),
    )
    CriteriaSetVersion.objects.filter(pk=version.pk).update(spec=spec.to_dict())


def store(field_owner, field_name: str, name: str, content: bytes) -> None:
    getattr(field_owner, field_name).save(name, ContentFile(content), save=True)


@pytest.fixture
def recognised(flow, area):
    """Hòa Thuận's submission recognised: the district forwards it, the construction department appraises criteria 1
    and 2 and agriculture criterion 10, the consultation ran and was closed (two comments published, one answered,
    one rejected; twelve online answers, eleven satisfied), the commune entered 47 satisfied of 50 paper surveys with
    a scan, DK1 was confirmed with a file, DK2 is the satisfaction rate, DK3 was waived; the decision uploaded."""
    submission = flow["submission"]
    office = area["office"]
    with_preconditions(submission)
    review.review_forward(submission=Submission.objects.get(pk=submission.pk), user=area["reviewer"])
    for number, user, comment in (
        (1, flow["construction"], "Quy hoạch đã được phê duyệt."),
        (2, flow["construction"], "Đường xã đạt tỷ lệ nhựa hóa."),
        (10, flow["agriculture"], "Thu nhập bình quân đạt."),
    ):
        review.appraisal_decide(
            submission=Submission.objects.get(pk=submission.pk), number=number, user=user, comment=comment
        )
    submission = Submission.objects.get(pk=submission.pk)
    assert submission.status == SubmissionStatus.RECOGNITION

    consultation = Consultation.objects.create(
        submission=submission,
        opens_on=timezone.localdate() - datetime.timedelta(days=14),
        closes_on=timezone.localdate(),
        opened_by=office,
    )
    Comment.objects.create(
        consultation=consultation,
        body=PUBLISHED_BODY,
        author_name=AUTHOR,
        contact=CONTACT,
        status=CommentStatus.APPROVED,
        answer=ANSWER,
        answered_at=timezone.now(),
    )
    Comment.objects.create(consultation=consultation, body=SECOND_BODY, status=CommentStatus.APPROVED)
    Comment.objects.create(
        consultation=consultation, body=REJECTED_BODY, contact=CONTACT, status=CommentStatus.REJECTED
    )
    survey = SatisfactionSurvey.objects.create(round=submission.round)
    question = SurveyQuestion.objects.create(
        survey=survey,
        text=QUESTION,
        choices="Rất hài lòng\nHài lòng\nChưa hài lòng",
        satisfied_choices="Rất hài lòng\nHài lòng",
    )
    answers = ["Rất hài lòng"] * 4 + ["Hài lòng"] * 7 + ["Chưa hài lòng"]
    for answer in answers:
        SurveyResponse.objects.create(
            consultation=consultation, answers={str(question.pk): answer}, satisfied=answer != "Chưa hài lòng"
        )
    tally = PaperTally.objects.create(
        submission=submission, respondents=50, satisfied=47, note="Phiếu thu tại 5 thôn.", entered_by=flow["officer"]
    )
    scan = PaperTallyFile(
        tally=tally, original_name="Phiếu khảo sát thôn 1.png", content_type="image/png", size=len(PNG)
    )
    scan.file.save("phieu.png", ContentFile(PNG), save=True)
    Consultation.objects.filter(pk=consultation.pk).update(
        status=ConsultationStatus.CLOSED, closed_at=timezone.now(), closed_by=office
    )
    consultation.refresh_from_db()
    Consultation.objects.filter(pk=consultation.pk).update(summary=summary_build(consultation))

    now = timezone.now()
    confirmed, _ = PreconditionResult.objects.update_or_create(
        submission=submission,
        code="DK1",
        defaults={
            "department": Department.objects.get(code="so-xd"),
            "status": PreconditionStatus.MET,
            "note": "Không còn nợ đọng.",
            "confirmed_by": flow["construction"],
            "confirmed_at": now,
        },
    )
    evidence = PreconditionEvidence(
        result=confirmed, original_name="Xác nhận không nợ đọng XDCB.pdf", content_type="application/pdf", size=len(PDF)
    )
    evidence.file.save("xac-nhan.pdf", ContentFile(PDF), save=True)
    PreconditionResult.objects.update_or_create(
        submission=submission,
        code="DK3",
        defaults={
            "department": Department.objects.get(code="so-nnmt"),
            "status": PreconditionStatus.WAIVED,
            "waiver_reason": WAIVER,
            "waived_by": office,
            "waived_at": now,
        },
    )
    review.recognise(
        submission=Submission.objects.get(pk=submission.pk),
        user=office,
        decision_number="123/QĐ-UBND",
        decision_date=datetime.date(2026, 11, 25),
        document=SimpleUploadedFile("Quyết định 123.pdf", PDF + b"decision"),
    )
    return {"submission": Submission.objects.get(pk=submission.pk), "question": question, "tally": tally}


@pytest.fixture
def dossier_zip(client, area, recognised) -> zipfile.ZipFile:
    response = as_user(client, area["office"]).get(url(recognised["submission"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="Ho-so-cong-nhan_Xa-Hoa-Thuan_Danh-gia-nam-2026.zip"' in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


EXPECTED_NAMES = [
    "00_Muc-luc.xlsx",
    "01_Bao-cao-ket-qua_Xa-Hoa-Thuan.xlsx",
    "02_Bien-ban-tham-dinh_01_So-Xay-dung.docx",
    "02_Bien-ban-tham-dinh_02_So-Nong-nghiep-va-Moi-truong.docx",
    "03_Tong-hop-lay-y-kien.docx",
    "04_Ket-qua-khao-sat-hai-long.xlsx",
    "04_Phieu-khao-sat-giay/01_Phieu-khao-sat-thon-1.png",
    "05_Dieu-kien-cong-nhan.xlsx",
    "05_Minh-chung-dieu-kien/DK1_01_Xac-nhan-khong-no-dong-XDCB.pdf",
    "06_Quyet-dinh-cong-nhan.pdf",
]


def test_every_file_is_named_in_vietnamese_and_listed_in_the_index(dossier_zip):
    assert sorted(dossier_zip.namelist()) == EXPECTED_NAMES
    assert dossier_zip.testzip() is None
    assert all(name.isascii() for name in dossier_zip.namelist())  # the same names in every unzip tool

    index = cells(read_book(dossier_zip.read("00_Muc-luc.xlsx")))["Mục lục"]
    assert index[0][0] == "Hồ sơ đề nghị xét công nhận: Xã Hòa Thuận – Đánh giá năm 2026"
    assert index[3] == ("STT", "Tên tệp", "Nội dung")
    listed = index[4:]
    assert [row[1] for row in listed] == EXPECTED_NAMES
    assert [row[0] for row in listed] == list(range(1, len(EXPECTED_NAMES) + 1))
    descriptions = {row[1]: row[2] for row in listed}
    assert all(descriptions.values())
    assert descriptions["02_Bien-ban-tham-dinh_01_So-Xay-dung.docx"] == (
        "Biên bản thẩm định của Sở Xây dựng (tiêu chí 1, 2)"
    )
    assert descriptions["06_Quyet-dinh-cong-nhan.pdf"] == "Quyết định công nhận số 123/QĐ-UBND ngày 25/11/2026"


def test_the_report_is_the_unit_report_cell_by_cell_and_matches_the_results(dossier_zip, recognised):
    submission = recognised["submission"]
    filed = cells(read_book(dossier_zip.read("01_Bao-cao-ket-qua_Xa-Hoa-Thuan.xlsx")))
    assert filed == cells(read_book(export_unit(submission)))

    facts = dict(filed["Tổng hợp"][3:])
    results = {row.number: row for row in CriterionResult.objects.filter(submission=submission)}
    assert facts["Đơn vị"] == "Xã Hòa Thuận"
    assert facts["Trạng thái hồ sơ"] == "Đã công nhận"
    assert facts["Số tiêu chí đạt"] == submission.criteria_met == sum(row.met for row in results.values())
    assert facts["Số tiêu chí của bộ"] == 3
    assert facts["Số quyết định công nhận"] == "123/QĐ-UBND"
    assert facts["Đạt chuẩn"] == ("Đạt" if submission.effective_standard else "Chưa đạt")
    criteria = filed["Tiêu chí"][1:]
    assert [row[0] for row in criteria] == [1, 2, 10]
    for row in criteria:
        assert row[3] == ("Đạt" if results[row[0]].met else "Chưa đạt")
        assert (row[4], row[5]) == (results[row[0]].met_count, results[row[0]].applicable_count)
        assert row[7] == "Đã thẩm định"


def test_each_department_has_its_appraisal_record_to_sign(dossier_zip, recognised, flow):
    submission = recognised["submission"]
    results = {row.number: row for row in CriterionResult.objects.filter(submission=submission)}
    record = read_document(dossier_zip.read("02_Bien-ban-tham-dinh_01_So-Xay-dung.docx"))
    text = document_text(record)
    assert "SỞ XÂY DỰNG" in text
    assert "BIÊN BẢN THẨM ĐỊNH KẾT QUẢ THỰC HIỆN TIÊU CHÍ" in text
    assert "Đơn vị được thẩm định: Xã Hòa Thuận" in text
    grid = next(table for table in record.tables if table.rows[0].cells[0].text == "Tiêu chí")
    rows = table_rows(grid)
    assert rows[0][:5] == ["Tiêu chí", "Tên tiêu chí", "Kết quả", "Chỉ tiêu đạt", "Thẩm định"]
    assert [row[0] for row in rows[1:]] == ["1", "2"]  # only the department's own criteria
    first, second = rows[1:]
    assert first[1:3] == ["Quy hoạch", "Đạt" if results[1].met else "Chưa đạt"]
    assert first[4:7] == ["Đã thẩm định", "Quy hoạch đã được phê duyệt.", person(flow["construction"])]
    assert second[5] == "Đường xã đạt tỷ lệ nhựa hóa."
    assert first[7].startswith(timezone.localdate().strftime("%d/%m/%Y"))
    signature = record.tables[-1]
    assert "NGƯỜI THẨM ĐỊNH" in signature.rows[0].cells[0].text
    assert "(Ký, ghi rõ họ tên)" in signature.rows[0].cells[0].text
    assert person(flow["construction"]) in signature.rows[0].cells[0].text
    assert "THỦ TRƯỞNG ĐƠN VỊ" in signature.rows[0].cells[1].text

    agriculture = document_text(
        read_document(dossier_zip.read("02_Bien-ban-tham-dinh_02_So-Nong-nghiep-va-Moi-truong.docx"))
    )
    assert "Thu nhập bình quân đạt." in agriculture
    assert "Quy hoạch đã được phê duyệt." not in agriculture


def test_the_consultation_summary_has_counts_comments_and_answers_never_contacts(dossier_zip):
    document = read_document(dossier_zip.read("03_Tong-hop-lay-y-kien.docx"))
    text = document_text(document)
    assert "BÁO CÁO TỔNG HỢP Ý KIẾN CỦA NGƯỜI DÂN" in text
    today = timezone.localdate()
    start = (today - datetime.timedelta(days=14)).strftime("%d/%m/%Y")
    assert f"Thời gian lấy ý kiến: từ ngày {start} đến ngày {today:%d/%m/%Y}" in text
    counts = dict(row for row in table_rows(document.tables[1])[1:])
    assert counts["Số ý kiến nhận được"] == "3"
    assert counts["Số ý kiến được công khai"] == "2"
    assert counts["Số ý kiến không công khai"] == "1"
    assert counts["Số phiếu khảo sát trực tuyến"] == "12"
    assert counts["Số phiếu khảo sát giấy"] == "50"
    comments = table_rows(document.tables[2])
    assert comments[0] == ["STT", "Ngày gửi", "Ý kiến", "Trả lời của xã", "Ngày trả lời"]
    assert [row[2:4] for row in comments[1:]] == [[PUBLISHED_BODY, ANSWER], [SECOND_BODY, "—"]]
    assert "Chưa kết thúc lấy ý kiến" not in text  # closed: the frozen summary
    for private in (REJECTED_BODY, CONTACT, AUTHOR):
        assert private not in text


def test_the_satisfaction_results_show_both_parts_and_the_rate(dossier_zip, recognised):
    sheets = cells(read_book(dossier_zip.read("04_Ket-qua-khao-sat-hai-long.xlsx")))
    rate = satisfaction_rate(recognised["submission"])
    summary = {row[0]: row[1:] for row in sheets["Tổng hợp"][1:]}
    assert summary["Phiếu trực tuyến"] == (12, 11, float(Decimal("91.67")))
    assert summary["Phiếu giấy"] == (50, 47, 94)
    assert (rate.online_respondents, rate.paper_respondents) == (12, 50)
    assert summary["Tỷ lệ hài lòng chung"][2] == float(rate.rate)
    assert summary["Tỷ lệ hài lòng chung"][2] == pytest.approx(58 * 100 / 62, abs=0.01)  # pooled by default
    assert summary["Cách tính"][0] == "Gộp mọi phiếu (trực tuyến và giấy)"
    by_choice = {row[1]: row for row in sheets["Theo câu hỏi"][1:]}
    assert by_choice["Rất hài lòng"] == (QUESTION, "Rất hài lòng", 4, "Có")
    assert by_choice["Hài lòng"][2:] == (7, "Có")
    assert by_choice["Chưa hài lòng"][2:] == (1, "Không")
    assert dossier_zip.read("04_Phieu-khao-sat-giay/01_Phieu-khao-sat-thon-1.png") == PNG


def test_the_preconditions_with_their_evidence_and_the_decision(dossier_zip, flow, area):
    rows = cells(read_book(dossier_zip.read("05_Dieu-kien-cong-nhan.xlsx")))["Điều kiện công nhận"]
    header = rows[0]
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert list(by_code) == ["DK1", "DK2", "DK3"]
    assert by_code["DK1"]["Kết quả"] == "Đạt"
    assert by_code["DK1"]["Sở, ngành xác nhận"] == "Sở Xây dựng"
    assert by_code["DK1"]["Người xác nhận"] == person(flow["construction"])
    assert by_code["DK1"]["Căn cứ pháp lý"] == "Quyết định 18/2022/QĐ-TTg, Điều 5"
    assert by_code["DK1"]["Minh chứng (tệp trong hồ sơ)"] == (
        "05_Minh-chung-dieu-kien/DK1_01_Xac-nhan-khong-no-dong-XDCB.pdf"
    )
    assert by_code["DK2"]["Kết quả"] == "Đạt"  # 58 of 62 residents satisfied: 93,55 % ≥ 90 %
    assert by_code["DK2"]["Ngưỡng"] == "≥ 90 %"
    assert by_code["DK2"]["Số liệu"] == "93,55 %"
    assert by_code["DK3"]["Kết quả"] == "Miễn (có lý do)"
    assert by_code["DK3"]["Lý do miễn"] == WAIVER
    assert by_code["DK3"]["Người miễn"] == person(area["office"])
    assert dossier_zip.read("05_Minh-chung-dieu-kien/DK1_01_Xac-nhan-khong-no-dong-XDCB.pdf") == PDF
    assert dossier_zip.read("06_Quyet-dinh-cong-nhan.pdf") == PDF + b"decision"


def test_a_dossier_before_the_decision_and_without_a_consultation(area, flow):
    """Waiting for recognition, before any consultation: no decision, no consultation document; the rest is there."""
    submission = flow["submission"]
    review.review_forward(submission=Submission.objects.get(pk=submission.pk), user=area["reviewer"])
    for number, user in ((1, flow["construction"]), (2, flow["construction"]), (10, flow["agriculture"])):
        review.appraisal_decide(submission=Submission.objects.get(pk=submission.pk), number=number, user=user)
    name, content = dossier.dossier_build(submission=Submission.objects.get(pk=submission.pk), user=area["office"])
    assert name == "Ho-so-cong-nhan_Xa-Hoa-Thuan_Danh-gia-nam-2026.zip"
    names = sorted(zipfile.ZipFile(io.BytesIO(content)).namelist())
    assert names == [
        "00_Muc-luc.xlsx",
        "01_Bao-cao-ket-qua_Xa-Hoa-Thuan.xlsx",
        "02_Bien-ban-tham-dinh_01_So-Xay-dung.docx",
        "02_Bien-ban-tham-dinh_02_So-Nong-nghiep-va-Moi-truong.docx",
        "04_Ket-qua-khao-sat-hai-long.xlsx",
    ]


def test_a_stored_file_gone_missing_is_listed_as_missing(recognised, area):
    submission = recognised["submission"]
    submission.decision_document.storage.delete(submission.decision_document.name)
    _name, content = dossier.dossier_build(submission=submission, user=area["office"])
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert "06_Quyet-dinh-cong-nhan.pdf" not in archive.namelist()
    index = {row[1]: row[2] for row in cells(read_book(archive.read("00_Muc-luc.xlsx")))["Mục lục"][4:]}
    assert index["06_Quyet-dinh-cong-nhan.pdf"].startswith("KHÔNG CÓ TRONG HỒ SƠ: không đọc được tệp đã lưu")


def test_names_keep_vietnamese_words_without_diacritics():
    assert dossier.ascii_words("Xã Đắk Liêng – Thôn 3/4") == "Xa-Dak-Lieng-Thon-3-4"
    assert dossier.ascii_words("") == ""


# --- who may download it ---------------------------------------------------------------------------------------


@pytest.fixture
def others(area, django_user_model):
    dak_nong = province("67", "Tỉnh Đắk Nông")
    return {
        "other_office": member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_dak_nong"),
        "other_officer": member(
            Role.COMMUNE_OFFICER,
            unit=commune(district(dak_nong, "660", "Huyện Cư Jút"), "24700", "Xã Ea Pô"),
            username="canbo_ea_po",
        ),
        "national": member(Role.NATIONAL_READER, username="trung_uong"),
        "superuser": django_user_model.objects.create_superuser("quantri", "quantri@example.org", "x"),
    }


def test_who_may_download_the_dossier(client, area, flow, recognised, others):
    submission = recognised["submission"]
    expected = [
        (area["office"], 200),
        (others["superuser"], 200),
        (others["other_office"], 404),
        (others["other_officer"], 404),
        (others["national"], 403),  # reads the numbers, never the evidence files a dossier holds
        (flow["officer"], 403),
        (area["reviewer"], 403),
        (flow["construction"], 403),
    ]
    for user, status in expected:
        client.logout()
        response = as_user(client, user).get(url(submission))
        assert response.status_code == status, user.username
    client.logout()
    response = client.get(url(submission))
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)
    assert as_user(client, area["office"]).post(url(submission)).status_code == 405


def test_the_dossier_waits_for_the_appraisal(client, area, flow):
    response = as_user(client, area["office"]).get(url(flow["submission"]), follow=True)
    assert response.redirect_chain[-1][0] == f"/xet-duyet/ho-so/{flow['submission'].pk}/"
    assert "chỉ lập được khi hồ sơ đã được các sở, ngành thẩm định xong" in response.content.decode()


def test_the_review_page_offers_the_dossier_to_the_office_only(
    client, area, flow, recognised, django_assert_max_num_queries
):
    submission = recognised["submission"]
    page = as_user(client, area["office"]).get(f"/xet-duyet/ho-so/{submission.pk}/").content.decode()
    assert url(submission) in page
    client.logout()
    page = as_user(client, flow["construction"]).get(f"/xet-duyet/ho-so/{submission.pk}/").content.decode()
    assert url(submission) not in page
    client.logout()
    as_user(client, area["office"])
    with django_assert_max_num_queries(35):
        response = client.get(url(submission))
        b"".join(response.streaming_content)
