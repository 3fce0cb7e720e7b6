"""Every stored file, on the local disk and in a private S3-compatible bucket (a real moto server): evidence uploaded,
downloaded through the permission check, replaced, deleted, collected when orphaned; recognition decisions; Wagtail's
images, renditions and documents."""

import io

from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from wagtail.documents.models import Document
from wagtail.images.models import Image

import pytest
from PIL import Image as PillowImage

from cms.directory.models import Department, Role
from cms.storage import S3
from submissions.entry import services as entry_services
from submissions.models import Evidence, Submission, SubmissionStatus
from submissions.review import flow as review
from tests.factories import commune, district, member, province
from tests.submissions.factories import fill_and_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PDF_V2 = PDF + b"% ban sua lan 2\n"


def png_bytes(size=(40, 30), colour=(20, 120, 60)) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def submission(area, open_round):
    return Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])


@pytest.fixture
def elsewhere(area):
    """A second province with its district reviewer, office editor and a commune officer."""
    dak_nong = province(code="67", name="Tỉnh Đắk Nông")
    dak_mil = district(dak_nong, "663", "Huyện Đắk Mil")
    return {
        "reviewer": member(Role.DISTRICT_REVIEWER, unit=dak_mil, username="thamtra_67"),
        "office": member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67"),
        "officer": member(Role.COMMUNE_OFFICER, unit=commune(dak_mil, "24700", "Xã Đức Mạnh"), username="canbo_67"),
    }


def upload_through_the_form(client, submission, name="Biên bản nghiệm thu.pdf", content=PDF):
    return client.post(
        f"/danh-gia/ho-so/{submission.pk}/",
        {
            "lock_version": submission.lock_version,
            "save": "1",
            "e_1_1": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


def test_evidence_is_stored_in_the_private_place_and_downloads_after_the_check(
    files, client, area, submission, elsewhere
):
    client.force_login(area["officers"]["hoa_thuan"])
    assert upload_through_the_form(client, submission).status_code == 302
    evidence = Evidence.objects.get(submission=submission)

    # Really in the private place (the bucket's private prefix, or the private folder), nowhere in the media.
    assert files.stored("private") == {evidence.file.name}
    assert evidence.file.name.startswith(f"evidence/{submission.round_id}/{submission.pk}/")
    assert files.stored("media") == set()
    if files.backend == S3:
        acl = files.server.client().get_object_acl(
            Bucket=files.server.bucket, Key=f"{files.prefix}/private/{evidence.file.name}"
        )
        assert all("URI" not in grant["Grantee"] for grant in acl["Grants"])  # no AllUsers / AuthenticatedUsers

    response = client.get(f"/danh-gia/minh-chung/{evidence.pk}/")
    assert response.status_code == 200
    assert downloaded(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "Bi%C3%AAn%20b%E1%BA%A3n%20nghi%E1%BB%87m%20thu.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"

    # The district reviewer of Krông Pắc sees it; nobody of another commune or province does.
    client.force_login(area["reviewer"])
    assert downloaded(client.get(f"/danh-gia/minh-chung/{evidence.pk}/")) == PDF
    for outsider in (elsewhere["reviewer"], elsewhere["office"], elsewhere["officer"], area["officers"]["ea_kly"]):
        client.force_login(outsider)
        assert client.get(f"/danh-gia/minh-chung/{evidence.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/danh-gia/minh-chung/{evidence.pk}/").status_code == 302  # to the login page


def test_a_deleted_evidence_file_leaves_the_storage(files, client, area, submission):
    client.force_login(area["officers"]["hoa_thuan"])
    upload_through_the_form(client, submission)
    evidence = Evidence.objects.get(submission=submission)
    assert client.post(f"/danh-gia/minh-chung/{evidence.pk}/xoa/").status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert files.stored("private") == set()


def test_replaced_evidence_keeps_both_files_and_serves_each(files, client, area, submission):
    officer = area["officers"]["hoa_thuan"]
    question = "q_" + submission.round.form_page.sections[0].value["questions"][0].id
    submission = fill_and_submit(submission, officer, question)
    review.review_return(submission=submission, user=area["reviewer"], comment="Cần bản có dấu đỏ")
    submission.refresh_from_db()
    first = Evidence.objects.get(submission=submission)
    second = entry_services.evidence_add(
        submission=submission,
        indicator_code="1.1",
        upload=SimpleUploadedFile("qd-moi.pdf", PDF_V2),
        user=officer,
        replaces=first,
    )
    assert files.stored("private") == {first.file.name, second.file.name}
    client.force_login(officer)
    assert downloaded(client.get(f"/danh-gia/minh-chung/{first.pk}/")) == PDF
    assert downloaded(client.get(f"/danh-gia/minh-chung/{second.pk}/")) == PDF_V2


def test_orphan_files_are_removed_from_the_storage(files, area, submission):
    officer = area["officers"]["hoa_thuan"]
    kept = entry_services.evidence_add(
        submission=submission, indicator_code="1.1", upload=SimpleUploadedFile("a.pdf", PDF), user=officer
    )
    orphan = files.private.save(f"evidence/{submission.round_id}/{submission.pk}/bi-bo-lai.pdf", io.BytesIO(PDF))
    decision = files.private.save("decisions/quyet-dinh-mo-coi.pdf", io.BytesIO(PDF))

    call_command("remove_orphan_files", stdout=io.StringIO())  # younger than an hour: kept
    assert files.stored("private") == {kept.file.name, orphan, decision}

    output = io.StringIO()
    call_command("remove_orphan_files", "--older-than-minutes", "0", stdout=output)
    assert files.stored("private") == {kept.file.name}
    assert "2 tệp không thuộc hồ sơ nào: đã xoá." in output.getvalue()


def test_a_recognition_decision_is_stored_privately(files, client, area, submission):
    officer = area["officers"]["hoa_thuan"]
    question = "q_" + submission.round.form_page.sections[0].value["questions"][0].id
    submission = fill_and_submit(submission, officer, question)
    construction = member(Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-xd"), username="xd")
    agriculture = member(Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-nnmt"), username="nn")
    review.review_forward(submission=submission, user=area["reviewer"])
    for number, user in ((1, construction), (2, construction), (10, agriculture)):
        review.appraisal_decide(submission=submission, number=number, user=user)
    submission.refresh_from_db()
    client.force_login(area["office"])
    client.post(
        f"/xet-duyet/ho-so/{submission.pk}/cong-nhan/",
        {
            "lock_version": submission.lock_version,
            "decision_number": "45/QĐ-UBND",
            "decision_date": "25/11/2026",
            "decision_document": SimpleUploadedFile("Quyết định công nhận.pdf", PDF_V2),
        },
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RECOGNISED
    name = submission.decision_document.name
    assert name.startswith("decisions/")
    assert name in files.stored("private")
    assert files.private.open(name).read() == PDF_V2
    call_command("remove_orphan_files", "--older-than-minutes", "0", stdout=io.StringIO())
    assert name in files.stored("private")  # referenced: never collected


def test_wagtail_images_and_renditions_are_served_from_the_storage(files, client, db):
    image = Image.objects.create(title="Cổng làng", file=ImageFile(io.BytesIO(png_bytes()), name="cong-lang.png"))
    rendition = image.get_rendition("fill-20x20")
    assert {image.file.name, rendition.file.name} <= files.stored("media")
    assert rendition.url == f"/media/{rendition.file.name}"

    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert PillowImage.open(io.BytesIO(downloaded(response))).size == (20, 20)
    original = client.get(f"/media/{image.file.name}")
    assert downloaded(original) == png_bytes()

    # Two uploads with one name keep two files.
    other = Image.objects.create(
        title="Cổng làng 2", file=ImageFile(io.BytesIO(png_bytes(colour=(0, 0, 0))), name="cong-lang.png")
    )
    assert other.file.name != image.file.name
    assert client.get(f"/media/{image.file.name}").status_code == 200
    assert client.get("/media/images/khong-co.png").status_code == 404


def test_wagtail_documents_go_through_the_serve_view_only(files, client, db):
    document = Document.objects.create(
        title="Kế hoạch", file=SimpleUploadedFile("ke-hoach.pdf", PDF_V2, content_type="application/pdf")
    )
    assert document.file.name in files.stored("media")
    response = client.get(document.url)
    assert response.status_code == 200
    assert downloaded(response) == PDF_V2
    # Not through the media URL: a document's collection may be private, and only the serve view checks it.
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(f"/media/images/../{document.file.name}").status_code == 404
