"""A producer's OCOP dossier, over HTTP as the producer uses it: start it in the open round from /ocop/ho-so/, fill the
self-assessment (SCORE items), upload evidence, submit; a second start is refused; whoever reads without filling
(the commune officer, the office) sees it read-only; another producer and another province's office never find it."""

import pytest

from cms.audit.models import AuditEntry
from cms.directory.models import Role
from submissions.errors import SubmissionError
from submissions.models import AuditAction, Evidence, IndicatorValue, Submission, SubmissionStatus
from submissions.ocop.dossiers import services
from tests.factories import commune, district, member, province, shared_layer
from tests.submissions.ocop.factories import (
    ProducerFactory,
    ProductFactory,
    ocop_version,
    producer_account,
    product_round,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@shared_layer
def ocop(area):
    """An open OCOP round of the area's province, two producers (each with an account and a product), and the
    office of another province."""
    version = ocop_version()
    round_ = product_round(area["province"], version, office=area["office"])
    producer = ProducerFactory(commune=area["communes"]["hoa_thuan"], name="Hợp tác xã Cà phê Hòa Thuận")
    other_producer = ProducerFactory(commune=area["communes"]["ea_wer"], name="Hợp tác xã Ea Wer")
    other_province = province("64", "Tỉnh Gia Lai")
    far_commune = commune(district(other_province, "622", "Huyện Chư Sê"), "23700", "Xã Ia Blang")
    return {
        "round": round_,
        "version": version,
        "producer": producer,
        "product": ProductFactory(producer=producer, name="Cà phê bột Hòa Thuận"),
        "account": producer_account(producer, username="htx_hoathuan"),
        "other_product": ProductFactory(producer=other_producer, name="Mật ong Ea Wer"),
        "other_account": producer_account(other_producer, username="htx_eawer"),
        "far_product": ProductFactory(producer=ProducerFactory(commune=far_commune), name="Sản phẩm tỉnh khác"),
        "far_office": member(Role.OFFICE_EDITOR, unit=other_province, username="vanphong_gialai"),
    }


def login(client, user):
    """Switch to ``user`` with a fresh session (no message queued for the previous user)."""
    client.logout()
    client.force_login(user)


def start(client, ocop, product=None):
    return client.post("/ocop/ho-so/bat-dau/", {"san_pham": (product or ocop["product"]).pk, "dot": ocop["round"].pk})


def dossier_of(ocop, product=None) -> Submission:
    return Submission.objects.get(round=ocop["round"], product=product or ocop["product"])


def test_producer_sees_its_products_against_the_open_round(client, ocop, django_assert_max_num_queries):
    login(client, ocop["account"])
    client.get("/ocop/ho-so/")  # warm the session and permission caches
    with django_assert_max_num_queries(12):
        response = client.get("/ocop/ho-so/")
    assert response.status_code == 200
    assert "Cà phê bột Hòa Thuận" in response.text
    assert ocop["round"].name in response.text
    assert "Nộp hồ sơ" in response.text
    assert "Mật ong Ea Wer" not in response.text  # another producer's product


def test_producer_starts_fills_uploads_and_submits_through_the_engine_form(client, ocop):
    login(client, ocop["account"])
    response = start(client, ocop)
    submission = dossier_of(ocop)
    assert response.status_code == 302 and response.url == f"/danh-gia/ho-so/{submission.pk}/muc-luc/"
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.unit == ocop["producer"].commune and submission.group == ""
    assert AuditEntry.objects.about(submission).filter(action=AuditAction.DOSSIER_STARTED).exists()

    listing = client.get("/ocop/ho-so/")
    assert "Tiếp tục hồ sơ" in listing.text
    contents = client.get(f"/danh-gia/ho-so/{submission.pk}/muc-luc/")
    assert "Cà phê bột Hòa Thuận – Hợp tác xã Cà phê Hòa Thuận" in contents.text

    form = client.get(f"/danh-gia/ho-so/{submission.pk}/")
    assert form.status_code == 200 and 'name="v_A"' in form.text
    upload = {"e_A": _pdf("giay-chung-nhan.pdf")}
    saved = client.post(
        f"/danh-gia/ho-so/{submission.pk}/",
        {"lock_version": submission.lock_version, "save": "1", "v_A": "32,5", "v_B": "20", "v_C": "30", **upload},
    )
    assert saved.status_code == 302
    values = dict(IndicatorValue.objects.filter(submission=submission).values_list("code", "raw"))
    assert values == {"A": "32,5", "B": "20", "C": "30"}
    submission.refresh_from_db()
    assert str(submission.points) == "82.50"  # the self-assessment: the points the producer gave itself
    assert Evidence.objects.filter(submission=submission, indicator_code="A").count() == 1

    checked = client.post(f"/danh-gia/ho-so/{submission.pk}/kiem-tra/", {"lock_version": submission.lock_version})
    assert checked.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED  # the office checks it: no district step


def test_a_score_above_its_maximum_is_kept_as_typed_and_flagged(client, ocop):
    login(client, ocop["account"])
    start(client, ocop)
    submission = dossier_of(ocop)
    response = client.post(
        f"/danh-gia/ho-so/{submission.pk}/", {"lock_version": submission.lock_version, "save": "1", "v_A": "45"}
    )
    assert response.status_code == 200
    assert 'value="45"' in response.text
    row = IndicatorValue.objects.get(submission=submission, code="A")
    assert row.raw == "45" and row.error


def test_a_second_dossier_of_the_same_product_is_refused(client, ocop):
    login(client, ocop["account"])
    start(client, ocop)
    again = start(client, ocop)
    assert again.status_code == 302 and again.url == "/ocop/ho-so/"
    assert "đã có hồ sơ trong đợt" in client.get("/ocop/ho-so/").text
    assert Submission.objects.filter(round=ocop["round"], product=ocop["product"]).count() == 1
    with pytest.raises(SubmissionError, match="đã có hồ sơ"):
        services.dossier_start(product=ocop["product"], round_=ocop["round"], user=ocop["account"])


def test_refusals_of_the_service(ocop, open_round, area):
    with pytest.raises(SubmissionError, match="đánh giá đơn vị hành chính"):
        services.dossier_start(product=ocop["product"], round_=open_round, user=ocop["account"])
    with pytest.raises(SubmissionError, match="Chỉ tài khoản của chủ thể"):
        services.dossier_start(product=ocop["product"], round_=ocop["round"], user=area["officers"]["hoa_thuan"])
    far_account = producer_account(ocop["far_product"].producer)
    with pytest.raises(SubmissionError, match="không thuộc phạm vi"):
        services.dossier_start(product=ocop["far_product"], round_=ocop["round"], user=far_account)
    closed = product_round(area["province"], ocop["version"], open_=False, name="Đợt OCOP chưa mở")
    with pytest.raises(SubmissionError, match="không mở nhận hồ sơ"):
        services.dossier_start(product=ocop["product"], round_=closed, user=ocop["account"])


def test_another_producers_product_cannot_be_started_or_opened(client, ocop):
    login(client, ocop["other_account"])
    assert start(client, ocop).status_code == 404
    login(client, ocop["account"])
    start(client, ocop)
    submission = dossier_of(ocop)
    login(client, ocop["other_account"])
    for url in (f"/danh-gia/ho-so/{submission.pk}/", f"/danh-gia/ho-so/{submission.pk}/muc-luc/"):
        assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/submissions/{submission.pk}/").status_code == 404


def test_commune_officer_reads_the_dossier_but_cannot_change_it(client, ocop, area):
    login(client, ocop["account"])
    start(client, ocop)
    submission = dossier_of(ocop)
    login(client, area["officers"]["hoa_thuan"])
    page = client.get(f"/danh-gia/ho-so/{submission.pk}/")
    assert page.status_code == 200
    assert "Cà phê bột Hòa Thuận" in page.text
    assert "Lưu và kiểm tra trước khi nộp" not in page.text  # read-only: no save or submit button
    posted = client.post(f"/danh-gia/ho-so/{submission.pk}/", {"lock_version": 0, "save": "1", "v_A": "40"})
    assert posted.status_code == 403
    assert not IndicatorValue.objects.filter(submission=submission, code="A", raw="40").exists()
    assert client.post(f"/danh-gia/ho-so/{submission.pk}/kiem-tra/", {"lock_version": 0}).status_code == 403
    api = client.get(f"/api/v1/submissions/{submission.pk}/")
    assert api.status_code == 200 and api.json()["editable"] is False
    patched = client.patch(
        f"/api/v1/submissions/{submission.pk}/values/",
        {"lock_version": 0, "values": {"A": "40"}},
        content_type="application/json",
    )
    assert patched.status_code == 403
    assert "Cà phê bột Hòa Thuận" in client.get("/ocop/ho-so/").text  # listed read-only
    assert "Nộp hồ sơ" not in client.get("/ocop/ho-so/").text
    # The commune's own list of forms to fill does not include the producer's dossier.
    assert "Cà phê bột Hòa Thuận" not in client.get("/danh-gia/").text


def test_another_provinces_office_never_finds_the_dossier(client, ocop, area):
    login(client, ocop["account"])
    start(client, ocop)
    submission = dossier_of(ocop)
    login(client, ocop["far_office"])
    assert client.get(f"/danh-gia/ho-so/{submission.pk}/").status_code == 404
    assert client.get(f"/xet-duyet/ho-so/{submission.pk}/").status_code == 404
    assert client.get(f"/api/v1/submissions/{submission.pk}/").status_code == 404
    assert "Cà phê bột Hòa Thuận" not in client.get("/ocop/ho-so/").text
    login(client, area["office"])
    assert client.get(f"/danh-gia/ho-so/{submission.pk}/").status_code == 200  # its own province's office reads it


def _pdf(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_producer_fills_and_submits_through_the_api(client, ocop, django_assert_max_num_queries):
    login(client, ocop["account"])
    start(client, ocop)
    submission = dossier_of(ocop)
    listing = client.get("/api/v1/submissions/")
    assert listing.status_code == 200
    row = next(item for item in listing.json()["results"] if item["id"] == submission.pk)
    assert row["subject_name"] == "Cà phê bột Hòa Thuận – Hợp tác xã Cà phê Hòa Thuận"
    assert row["product"] == {
        "id": ocop["product"].pk,
        "name": "Cà phê bột Hòa Thuận",
        "producer": ocop["producer"].name,
    }
    assert row["editable"] is True
    saved = client.patch(
        f"/api/v1/submissions/{submission.pk}/values/",
        {"lock_version": submission.lock_version, "values": {"A": "35", "B": "20", "C": "30"}},
        content_type="application/json",
    )
    assert saved.status_code == 200 and float(saved.json()["points"]) == 85
    evidence = client.post(
        f"/api/v1/submissions/{submission.pk}/evidence/", {"indicator_code": "B", "file": _pdf("nhan-hieu.pdf")}
    )
    assert evidence.status_code == 201
    submitted = client.post(
        f"/api/v1/submissions/{submission.pk}/submit/",
        {"lock_version": client.get(f"/api/v1/submissions/{submission.pk}/").json()["lock_version"]},
        content_type="application/json",
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == SubmissionStatus.SUBMITTED
