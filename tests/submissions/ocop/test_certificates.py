"""Certificates: the printable A4 page with its QR code (the producer its own, the office its province's; nobody
else finds it), the public check the QR code opens (the product's public page when the catalogue knows it, a plain
"valid until" page otherwise, 404 unless public), and revocation by the office with a reason."""

import datetime

import pytest

from cms.audit.models import AuditEntry
from submissions.errors import SubmissionError
from submissions.models import AuditAction
from submissions.ocop.certificates import certificate_revoke, products_recognise
from submissions.ocop.models import Certificate, CertificateStatus
from submissions.ocop.recognition.links import register_product_url_resolver, unregister_product_url_resolver
from submissions.ocop.recognition.qr import qr_svg
from submissions.review.bulk import submissions_publish
from tests.factories import shared_layer
from tests.submissions.ocop.recognition_world import closed_round, dossier


@shared_layer
def world(area):
    """The closed round, its 4-star and 3-star products recognised by decision 125/QĐ-UBND of 01/03/2026; the
    4-star one published."""
    world = closed_round(area)
    four, three = dossier(world, "Cà phê bột Hòa Thuận"), dossier(world, "Rượu cần Ea Wer")
    products_recognise(
        round_=world["round"],
        submissions=[four, three],
        user=area["office"],
        decision_number="125/QĐ-UBND",
        decision_date=datetime.date(2026, 3, 1),
    )
    submissions_publish(submissions=[dossier(world, "Cà phê bột Hòa Thuận")], user=area["office"])
    return {
        **world,
        "certificate": Certificate.objects.get(product__name="Cà phê bột Hòa Thuận"),
        "unpublished": Certificate.objects.get(product__name="Rượu cần Ea Wer"),
    }


def print_url(certificate):
    return f"/ocop/chung-nhan/{certificate.code}/in/"


def check_url(certificate):
    return f"/ocop/chung-nhan/{certificate.code}/"


def test_the_producer_prints_its_own_certificate_with_a_qr_code(client, world, django_assert_max_num_queries):
    certificate = world["certificate"]
    client.force_login(world["account"])
    client.get(print_url(certificate))
    with django_assert_max_num_queries(8):
        response = client.get(print_url(certificate))

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Cà phê bột Hòa Thuận",
        "Hợp tác xã Cà phê Hòa Thuận",
        "Xã Hòa Thuận",
        "★★★★",
        "Hạng 4 sao",
        "Số 125/QĐ-UBND ngày 01/03/2026",
        "Từ 01/03/2026 đến 28/02/2029",
    ):
        assert text in page, text
    target = f"http://testserver/ocop/chung-nhan/{certificate.code}/"
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert f"<desc>{target}</desc>" in svg and "<path" in svg
    assert qr_svg(target, title="Mã QR kiểm tra giấy chứng nhận") in page  # the code encodes exactly that address
    assert "ocop_certificate.css" in page  # the A4 print style
    assert "Thu hồi giấy chứng nhận" not in page  # the producer may not revoke


def test_the_qr_code_points_at_the_sites_public_address_when_it_is_set(client, world, settings):
    settings.PUBLIC_BASE_URL = "https://nongthonmoi.daklak.gov.vn"
    client.force_login(world["office"])
    page = client.get(print_url(world["certificate"])).content.decode()
    assert f"<desc>https://nongthonmoi.daklak.gov.vn/ocop/chung-nhan/{world['certificate'].code}/</desc>" in page
    assert "Thu hồi giấy chứng nhận" in page  # the office may revoke


@pytest.mark.parametrize(("who", "status"), [("office", 200), ("other_account", 404), ("far_office", 404)])
def test_only_the_producer_and_its_provinces_office_print_it(client, world, who, status):
    client.force_login(world[who])
    assert client.get(print_url(world["certificate"])).status_code == status


def test_a_council_member_and_anonymous_callers_do_not_print_it(client, world):
    assert client.get(print_url(world["certificate"])).status_code == 302  # to the login page
    client.force_login(world["member"])
    assert client.get(print_url(world["certificate"])).status_code == 404


def test_the_public_check_says_valid_until_when_no_catalogue_page_resolves(client, world):
    response = client.get(check_url(world["certificate"]))
    assert response.status_code == 200
    assert "Giấy chứng nhận hợp lệ: Cà phê bột Hòa Thuận còn hiệu lực đến 28/02/2029." in response.content.decode()
    assert "0912 345 678" not in response.content.decode()  # never the producer's contact


def test_the_public_check_opens_the_products_public_page_when_the_catalogue_knows_it(client, world):
    product_id = world["certificate"].product_id

    def resolver(product):
        return f"/san-pham-ocop/{product.pk}/" if product.pk == product_id else None

    register_product_url_resolver(resolver)
    try:
        response = client.get(check_url(world["certificate"]))
    finally:
        unregister_product_url_resolver(resolver)
    assert response.status_code == 302 and response["Location"] == f"/san-pham-ocop/{product_id}/"


def test_a_certificate_that_is_not_public_is_not_found(client, world):
    assert client.get(check_url(world["unpublished"])).status_code == 404  # recognised, not published
    assert client.get("/ocop/chung-nhan/00000000-0000-0000-0000-000000000000/").status_code == 404
    Certificate.objects.filter(pk=world["certificate"].pk).update(valid_until=datetime.date(2020, 1, 1))
    assert client.get(check_url(world["certificate"])).status_code == 404  # expired


def test_the_office_revokes_a_certificate_with_a_reason(client, world):
    certificate = world["certificate"]
    client.force_login(world["office"])

    response = client.post(f"/ocop/chung-nhan/{certificate.code}/thu-hoi/", {"reason": ""}, follow=True)
    assert "Thu hồi giấy chứng nhận phải có lý do." in response.content.decode()
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.CURRENT

    response = client.post(
        f"/ocop/chung-nhan/{certificate.code}/thu-hoi/", {"reason": "Sản phẩm không duy trì chất lượng."}, follow=True
    )

    assert "Đã thu hồi giấy chứng nhận của sản phẩm Cà phê bột Hòa Thuận." in response.content.decode()
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revoked_reason) == (
        CertificateStatus.REVOKED,
        "Sản phẩm không duy trì chất lượng.",
    )
    entry = AuditEntry.objects.get(action=AuditAction.CERTIFICATE_REVOKED)
    assert entry.comment == "Sản phẩm không duy trì chất lượng." and entry.actor == world["office"]
    assert client.get(check_url(certificate)).status_code == 404
    page = client.get(print_url(certificate)).content.decode()
    assert "Giấy chứng nhận này không còn hiệu lực: Đã thu hồi." in page
    with pytest.raises(SubmissionError, match="không còn hiệu lực"):
        certificate_revoke(certificate=certificate, user=world["office"], reason="Lần nữa")


@pytest.mark.parametrize(("who", "status"), [("account", 403), ("other_account", 404), ("far_office", 404)])
def test_nobody_else_revokes_it(client, world, who, status):
    client.force_login(world[who])
    response = client.post(f"/ocop/chung-nhan/{world['certificate'].code}/thu-hoi/", {"reason": "Không được"})
    assert response.status_code == status
    assert Certificate.objects.get(pk=world["certificate"].pk).status == CertificateStatus.CURRENT
