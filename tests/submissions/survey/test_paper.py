"""The commune officer enters the tally of paper surveys with the scanned forms: own commune only, checked like
evidence, audited, refused once recognised; the scans are private (served through a permission check)."""

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from cms.audit.models import AuditEntry
from cms.directory.models import Department, Role
from submissions.audit import history_in_words
from submissions.consultation.models import PaperTally, PaperTallyFile
from submissions.models import AuditAction, Submission, SubmissionStatus
from tests.factories import member
from tests.submissions.factories import PDF

LIST = "/lay-y-kien/phieu-giay/"


def edit_url(submission) -> str:
    return f"{LIST}{submission.pk}/"


def file_url(item) -> str:
    return f"{LIST}tep/{item.pk}/"


def scan(name: str = "phieu-thon-1.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def officer(area):
    return area["officers"]["hoa_thuan"]


@pytest.fixture
def entered(consulted, officer, client):
    """Hòa Thuận's officer entered 100 forms, 90 satisfied, with one scan."""
    client.force_login(officer)
    response = client.post(
        edit_url(consulted["submission"]),
        {"respondents": "100", "satisfied": "90", "note": "Thôn 1–5", "files": [scan()]},
    )
    assert response.status_code == 302
    client.logout()
    return PaperTally.objects.get(submission=consulted["submission"])


def test_the_officer_enters_the_tally_with_scans(consulted, officer, client, entered):
    assert (entered.respondents, entered.satisfied, entered.note, entered.entered_by) == (100, 90, "Thôn 1–5", officer)
    item = PaperTallyFile.objects.get(tally=entered)
    assert (item.original_name, item.content_type) == ("phieu-thon-1.pdf", "application/pdf")
    entry = AuditEntry.objects.about(consulted["submission"]).get(action=AuditAction.PAPER_TALLY_ENTERED)
    assert entry.actor == officer
    assert entry.after["respondents"] == 100 and entry.after["files"] == ["phieu-thon-1.pdf"]
    client.force_login(officer)
    page = client.get(edit_url(consulted["submission"])).content.decode()
    assert "90,00 %" in page and "phieu-thon-1.pdf" in page


def test_a_correction_is_audited_with_before(consulted, officer, client, entered):
    client.force_login(officer)
    response = client.post(edit_url(consulted["submission"]), {"respondents": "120", "satisfied": "100"})
    assert response.status_code == 302
    entered.refresh_from_db()
    assert (entered.respondents, entered.satisfied) == (120, 100)
    entries = AuditEntry.objects.about(consulted["submission"]).filter(action=AuditAction.PAPER_TALLY_ENTERED)
    assert entries.count() == 2
    assert entries.order_by("-pk").first().before["respondents"] == 100


def test_more_satisfied_than_respondents_is_refused(consulted, officer, client):
    client.force_login(officer)
    response = client.post(edit_url(consulted["submission"]), {"respondents": "10", "satisfied": "11"})
    assert response.status_code == 400
    assert "Số phiếu hài lòng không thể lớn hơn số phiếu thu về (10)." in response.content.decode()
    assert not PaperTally.objects.exists()


def test_a_file_that_is_not_a_scan_is_refused_and_nothing_saved(consulted, officer, client):
    client.force_login(officer)
    response = client.post(
        edit_url(consulted["submission"]),
        {"respondents": "10", "satisfied": "9", "files": [scan("phieu.pdf", b"MZ not a pdf at all")]},
    )
    assert response.status_code == 400
    assert "không được nhận" in response.content.decode()
    assert not PaperTally.objects.exists() and not PaperTallyFile.objects.exists()


def test_refused_once_recognised(consulted, officer, client, entered):
    Submission.objects.filter(pk=consulted["submission"].pk).update(status=SubmissionStatus.RECOGNISED)
    client.force_login(officer)
    page = client.get(edit_url(consulted["submission"]))
    assert page.status_code == 200 and 'id="paper-tally-form"' not in page.content.decode()
    response = client.post(edit_url(consulted["submission"]), {"respondents": "5", "satisfied": "5"})
    assert response.status_code == 409
    assert "Hồ sơ đã được công nhận" in response.content.decode()
    entered.refresh_from_db()
    assert entered.respondents == 100
    item = PaperTallyFile.objects.get()
    client.post(f"{file_url(item)}xoa/")
    assert PaperTallyFile.objects.filter(pk=item.pk).exists()


def test_the_officer_deletes_a_scan_before_recognition(consulted, officer, client, entered):
    item = PaperTallyFile.objects.get()
    client.force_login(officer)
    assert client.post(f"{file_url(item)}xoa/").status_code == 302
    assert not PaperTallyFile.objects.exists()


def test_another_commune_is_not_reached(consulted, area, client, entered):
    for user in (area["officers"]["ea_kly"], area["office"], area["reviewer"], consulted["other_office"]):
        client.force_login(user)
        assert client.get(edit_url(consulted["submission"])).status_code == 404
        assert client.post(edit_url(consulted["submission"]), {"respondents": "1", "satisfied": "1"}).status_code == 404
    entered.refresh_from_db()
    assert entered.respondents == 100


def test_the_list_shows_own_submissions(area, client, entered, django_assert_max_num_queries):
    client.force_login(area["officers"]["hoa_thuan"])
    with django_assert_max_num_queries(12):
        text = client.get(LIST).content.decode()
    assert "Xã Hòa Thuận" in text and "90/100 phiếu hài lòng" in text
    assert "Xã Ea Kly" not in text
    client.force_login(area["officers"]["ea_kly"])
    text = client.get(LIST).content.decode()
    assert "Xã Ea Kly" in text and "Xã Hòa Thuận" not in text


@pytest.mark.parametrize(
    "case",
    [
        ("officer", True),  # its commune
        ("reviewer", True),  # Krông Pắc's district reviewer
        ("office", True),  # the province's office
        ("ea_wer", False),  # an officer of a commune in another district
        ("ea_kly", False),  # an officer of another commune in the same district
        ("other_office", False),  # another province's office
        ("national", False),  # never evidence files
    ],
)
def test_scans_are_private(consulted, area, client, entered, case):
    who, allowed = case
    users = {
        "officer": area["officers"]["hoa_thuan"],
        "reviewer": area["reviewer"],
        "office": area["office"],
        "ea_wer": area["officers"]["ea_wer"],
        "ea_kly": area["officers"]["ea_kly"],
        "other_office": consulted["other_office"],
        "national": consulted["national"],
    }
    item = PaperTallyFile.objects.get()
    client.force_login(users[who])
    response = client.get(file_url(item))
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert b"".join(response.streaming_content) == PDF
        assert response["Cache-Control"] == "private, no-store"


def test_anonymous_is_sent_to_log_in(consulted, client, entered):
    item = PaperTallyFile.objects.get()
    for url in (LIST, edit_url(consulted["submission"]), file_url(item)):
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_department_appraiser_is_refused(consulted, client, entered):
    appraiser = member(Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-xd"))
    client.force_login(appraiser)
    assert client.get(file_url(PaperTallyFile.objects.get())).status_code == 404


def test_the_history_reads_in_words(consulted, entered):
    [words] = [row for row in history_in_words(consulted["submission"]) if "phiếu khảo sát giấy" in str(row.action)]
    assert "số phiếu giấy thu về: “100”" in words.changes
    assert "số phiếu hài lòng: “90”" in words.changes
    assert "phiếu giấy đã quét: “phieu-thon-1.pdf”" in words.changes
