"""The office recognises a round's products over HTTP (/ocop/cong-nhan/<round>/): the council's ranking with stars,
flag and spread; one decision (number, date dd/mm/yyyy, optional PDF) for the ticked products, each with a
certificate valid 36 months less a day; refusals in Vietnamese (below 3 stars, five stars go to the national
level); the national decision recorded for five stars; publishing; other provinces and other roles find nothing."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from cms.audit.models import AuditEntry
from submissions.models import AuditAction, SubmissionStatus
from submissions.ocop.models import Certificate, CertificateStatus, RecognitionDecision, RecognitionLevel
from tests.factories import shared_layer
from tests.submissions.ocop.recognition_world import closed_round, dossier

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@shared_layer
def world(area):
    """A closed council's round: products at 4, 3, 2, 5 and 3 (flagged) stars."""
    return closed_round(area)


def url(world, action=""):
    return f"/ocop/cong-nhan/{world['round'].pk}/{action}"


def recognise(client, world, names, *, number="125/QĐ-UBND", date="01/03/2026", follow=False, **extra):
    ids = [dossier(world, name).pk for name in names]
    data = {"submission": ids, "number": number, "date": date, **extra}
    return client.post(url(world, "quyet-dinh/"), data, follow=follow)


def test_the_office_sees_the_round_ranked_by_council_score(client, world, django_assert_max_num_queries):
    client.force_login(world["office"])
    client.get(url(world))  # warm the session and permission caches
    with django_assert_max_num_queries(10):
        response = client.get(url(world))
    assert response.status_code == 200
    page = response.content.decode()
    waiting = page[page.index('id="waiting"') : page.index('id="national"')]
    ranked = ["Cà phê bột Hòa Thuận", "Rượu cần Ea Wer", "Mật ong Hòa Thuận", "Bánh tráng Hòa Thuận"]
    assert sorted(ranked, key=waiting.index) == ranked  # 75.00, 60.67, 55.00, 40.00
    assert "75,00" in waiting or "75.00" in waiting
    assert "★★★★" in waiting and "4 sao" in waiting
    assert "18,00" in waiting or "18.00" in waiting  # the flagged product's spread
    assert "Chưa đạt 3 sao" in waiting  # the 2-star product cannot be ticked
    assert waiting.count('name="submission"') == 3
    national = page[page.index('id="national"') : page.index('id="recognised"')]
    assert "Tiêu sọ Ea Wer" in national and "Tiêu sọ Ea Wer" not in waiting


def test_one_decision_recognises_the_ticked_products_and_issues_their_certificates(client, world):
    client.force_login(world["office"])
    names = ["Cà phê bột Hòa Thuận", "Mật ong Hòa Thuận", "Rượu cần Ea Wer"]

    response = recognise(client, world, names, document=SimpleUploadedFile("qd-125.pdf", PDF, "application/pdf"))

    assert response.status_code == 302
    decision = RecognitionDecision.objects.get()
    assert (decision.level, decision.number, decision.date) == (
        RecognitionLevel.PROVINCE,
        "125/QĐ-UBND",
        datetime.date(2026, 3, 1),
    )
    assert decision.issuer == world["round"].scope_root and decision.document.name.endswith(".pdf")
    certificates = Certificate.objects.filter(decision=decision).select_related("product")
    assert sorted((c.product.name, c.stars) for c in certificates) == sorted(
        [("Cà phê bột Hòa Thuận", 4), ("Mật ong Hòa Thuận", 3), ("Rượu cần Ea Wer", 3)]
    )
    # 36 months less a day: 01/03/2026 → 28/02/2029.
    assert {(c.valid_from, c.valid_until, c.status) for c in certificates} == {
        (datetime.date(2026, 3, 1), datetime.date(2029, 2, 28), CertificateStatus.CURRENT)
    }
    for name in names:
        assert dossier(world, name).status == SubmissionStatus.RECOGNISED
    page = client.get(url(world)).content.decode()
    assert "Đã công nhận 3 sản phẩm theo quyết định số 125/QĐ-UBND ngày 01/03/2026" in page
    recognised = page[page.index('id="recognised"') :]
    assert "01/03/2026 – 28/02/2029" in recognised and "In giấy chứng nhận" in recognised


def test_a_product_below_three_stars_is_refused_with_its_reason(client, world):
    client.force_login(world["office"])

    response = recognise(client, world, ["Bánh tráng Hòa Thuận"], number="130/QĐ-UBND")

    assert response.status_code == 200  # nothing recognised: the page again, with what was typed
    page = response.content.decode()
    assert "Bánh tráng Hòa Thuận – Hợp tác xã Cà phê Hòa Thuận: Sản phẩm chưa đạt 3 sao, không được công nhận." in page
    assert 'value="130/QĐ-UBND"' in page
    assert not RecognitionDecision.objects.exists()
    assert dossier(world, "Bánh tráng Hòa Thuận").status == SubmissionStatus.RECOGNITION

    # Ticked with a product that passes: that one is recognised, the other refused by name.
    response = recognise(client, world, ["Bánh tráng Hòa Thuận", "Mật ong Hòa Thuận"], follow=True)
    page = response.content.decode()
    assert "Đã công nhận 1 sản phẩm" in page
    assert "Bánh tráng Hòa Thuận – Hợp tác xã Cà phê Hòa Thuận: Sản phẩm chưa đạt 3 sao" in page
    assert Certificate.objects.get().product.name == "Mật ong Hòa Thuận"


def test_five_stars_are_refused_by_the_province_then_recorded_nationally(client, world):
    client.force_login(world["office"])

    page = recognise(client, world, ["Tiêu sọ Ea Wer"]).content.decode()

    assert "Tiêu sọ Ea Wer – Hợp tác xã Ea Wer: Sản phẩm 5 sao do Trung ương công nhận" in page
    assert not Certificate.objects.exists()

    five = dossier(world, "Tiêu sọ Ea Wer")
    response = client.post(
        url(world, "trung-uong/"), {"submission": [five.pk], "tw-number": "88/QĐ-BNN", "tw-date": "20/04/2026"}
    )

    assert response.status_code == 302
    certificate = Certificate.objects.select_related("decision").get()
    assert (certificate.stars, certificate.decision.level, certificate.decision.issuer) == (
        5,
        RecognitionLevel.NATIONAL,
        None,
    )
    assert certificate.valid_until == datetime.date(2029, 4, 19)
    assert dossier(world, "Tiêu sọ Ea Wer").status == SubmissionStatus.RECOGNISED
    assert AuditEntry.objects.filter(action=AuditAction.NATIONAL_RECOGNISED).count() == 1


def test_the_national_form_takes_only_five_star_proposals(client, world):
    client.force_login(world["office"])
    four = dossier(world, "Cà phê bột Hòa Thuận")

    response = client.post(
        url(world, "trung-uong/"), {"submission": [four.pk], "tw-number": "88/QĐ-BNN", "tw-date": "20/04/2026"}
    )

    assert response.status_code == 200
    assert "Không tìm thấy hồ sơ" not in response.content.decode()
    assert "Chỉ ghi nhận quyết định Trung ương cho sản phẩm được đề nghị 5 sao." in response.content.decode()
    assert not RecognitionDecision.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "31/02/2026"}, "Ngày quyết định phải viết dạng dd/mm/yyyy"),
        ({"number": ""}, "Hãy nhập số quyết định."),
        ({"submission": []}, "Chưa chọn sản phẩm nào."),
        (
            {"document": SimpleUploadedFile("qd.pdf", b"MZ not a pdf", "application/pdf")},
            "Văn bản quyết định phải là tệp PDF.",
        ),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(client, world, data, message):
    client.force_login(world["office"])
    four = dossier(world, "Cà phê bột Hòa Thuận")
    post = {"submission": [four.pk], "number": "125/QĐ-UBND", "date": "01/03/2026", **data}

    response = client.post(url(world, "quyet-dinh/"), post)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    if post["number"]:
        assert f'value="{post["number"]}"' in page
    if post["submission"]:
        assert f'value="{four.pk}" aria-label="Cà phê bột Hòa Thuận" checked' in page
    assert not RecognitionDecision.objects.exists()


def test_publishing_puts_the_recognised_products_in_public(client, world):
    client.force_login(world["office"])
    recognise(client, world, ["Cà phê bột Hòa Thuận", "Mật ong Hòa Thuận"])
    four, three = dossier(world, "Cà phê bột Hòa Thuận"), dossier(world, "Mật ong Hòa Thuận")
    assert not Certificate.objects.public().exists()

    response = client.post(url(world, "cong-khai/"), {"submission": [four.pk], "published": "1"}, follow=True)

    assert "Đã công khai 1 sản phẩm." in response.content.decode()
    assert list(Certificate.objects.public().values_list("product__name", flat=True)) == ["Cà phê bột Hòa Thuận"]
    assert AuditEntry.objects.filter(action=AuditAction.PUBLISHED).count() == 1
    three.refresh_from_db()
    assert not three.published

    # A dossier still waiting (or of nobody's list) is not found among the recognised ones.
    waiting = dossier(world, "Bánh tráng Hòa Thuận")
    page = client.post(url(world, "cong-khai/"), {"submission": [waiting.pk]}, follow=True).content.decode()
    assert f"Không tìm thấy hồ sơ {waiting.pk}" in page


def test_the_round_list_leads_the_office_to_its_rounds(client, world, django_assert_max_num_queries):
    client.force_login(world["office"])
    client.get("/ocop/cong-nhan/")
    with django_assert_max_num_queries(8):
        response = client.get("/ocop/cong-nhan/")
    assert world["round"].name in response.content.decode()
    client.force_login(world["far_office"])
    assert world["round"].name not in client.get("/ocop/cong-nhan/").content.decode()
    client.force_login(world["account"])
    assert client.get("/ocop/cong-nhan/").status_code == 404


@pytest.mark.parametrize("who", ["far_office", "account", "member"])
def test_nobody_but_the_province_office_finds_the_screen(client, world, who):
    client.force_login(world[who])
    four = dossier(world, "Cà phê bột Hòa Thuận")
    data = {"submission": [four.pk], "number": "1/QĐ", "date": "01/03/2026", "tw-number": "1", "tw-date": "01/03/2026"}

    assert client.get(url(world)).status_code == 404
    for action in ("quyet-dinh/", "trung-uong/", "cong-khai/"):
        assert client.post(url(world, action), data).status_code == 404
    assert not RecognitionDecision.objects.exists()
    assert dossier(world, "Cà phê bột Hòa Thuận").status == SubmissionStatus.RECOGNITION


def test_anonymous_callers_are_sent_to_log_in(client, world):
    response = client.get(url(world))
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")
    assert client.post(url(world, "quyet-dinh/"), {"number": "1", "date": "01/03/2026"}).status_code == 302
    assert not RecognitionDecision.objects.exists()
