"""The public OCOP catalogue (issue 16): a page per recognised and published product, created automatically from
the review flow's signals; filters and a diacritic-insensitive search; nothing unrecognised, unpublished, below
three stars or revoked ever shown; no producer contact, no point and no council name on any public response."""

import datetime
import io
import re
from decimal import Decimal

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

import pytest
from PIL import Image as PILImage

from cms.directory.products.models import ProductPhoto
from public_site import services
from public_site.models import HomePage
from public_site.products import ProductIndexPage, ProductPage
from submissions.models import Submission, SubmissionStatus
from submissions.ocop.certificates import certificate_revoke, products_recognise
from submissions.ocop.models import Certificate
from submissions.ocop.scoring import council_close
from submissions.review.bulk import submissions_publish
from tests.factories import shared_layer
from tests.submissions.ocop.factories import (
    ProducerFactory,
    ProductFactory,
    council_with,
    dossiers,
    group,
    ocop_version,
    product_round,
    scored,
)

PHONE, EMAIL, REPRESENTATIVE, ADDRESS = "0987 654 321", "bimat@htx.example.vn", "Trần Thị Liên Hệ", "Số 9 đường Kín"
COUNCIL = "Hội đồng Chấm Kín"
DECISION_DATE = datetime.date(2026, 10, 15)
#: key: (name, group code, producer key, member totals, recognised, published)
PRODUCTS = {
    "nuoc_mam": ("Nước mắm cá cơm Hòa Thuận", "tp-thit-thuy-san-trung-sua", "thuy_san", (76.37, 76.37, 76.37)),
    "ca_phe": ("Cà phê bột Ea Kly", "do-uong", "ca_phe", (55.11, 55.11, 55.11)),
    "mat_ong": ("Mật ong hoa cà phê", "tp-mat-ong-nong-san-khac", "ca_phe", (81.23, 81.23, 81.23)),
    "unpublished": ("Bánh tráng chưa công bố", "do-uong", "thuy_san", (60.47, 60.47, 60.47)),
    "two_star": ("Rượu hai sao", "do-uong", "thuy_san", (40.59, 40.59, 40.59)),
    "revoked": ("Trà bị thu hồi", "do-uong", "ca_phe", (66.71, 66.71, 66.71)),
}
#: Queries of a page of the catalogue (filters and the list), whatever the number of products.
QUERIES = 10
HIDDEN = ("unpublished", "two_star", "revoked")
SHOWN = ("nuoc_mam", "ca_phe", "mat_ong")
#: Strings that must never reach a public response: contacts, council points (as typed or shown), the council.
SECRETS = [PHONE, EMAIL, REPRESENTATIVE, ADDRESS, COUNCIL] + [
    text
    for key in PRODUCTS
    for total in PRODUCTS[key][3][:1]
    for text in (f"{total:.2f}", f"{total:.2f}".replace(".", ","))
]


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), (200, 120, 20)).save(buffer, format="PNG")
    return buffer.getvalue()


def _refresh(submissions):
    return list(Submission.objects.filter(pk__in=[s.pk for s in submissions]).select_related("product"))


@shared_layer
def catalogue(site):
    """An OCOP round of the province scored by a council, recognised and published through the services, with the
    catalogue's pages created by the signals (the commits' callbacks run)."""
    province, office, communes = site["province"], site["office"], site["communes"]
    producers = {
        "thuy_san": ProducerFactory(
            name="Hợp tác xã Thủy sản Hòa Thuận",
            commune=communes["hoa_thuan"],
            phone=PHONE,
            email=EMAIL,
            representative=REPRESENTATIVE,
            address=ADDRESS,
        ),
        "ca_phe": ProducerFactory(
            name="Hợp tác xã Cà phê Ea Kly",
            commune=communes["ea_kly"],
            phone=PHONE,
            email=EMAIL,
            representative=REPRESENTATIVE,
            address=ADDRESS,
        ),
    }
    products = {
        key: ProductFactory(name=name, group=group(code), producer=producers[producer])
        for key, (name, code, producer, _totals) in PRODUCTS.items()
    }
    photo = ProductPhoto(product=products["nuoc_mam"], caption="Chai nước mắm", original_name="chai.png")
    photo.file.save("chai.png", ContentFile(png_bytes()), save=False)
    photo.save()
    round_ = product_round(province, ocop_version(), office=office)
    council = council_with(round_, province=province, name=COUNCIL)
    rows = {submission.product_id: submission for submission in dossiers(round_, list(products.values()))}
    by_key = {key: rows[product.pk] for key, product in products.items()}
    scored(council, {by_key[key]: tuple(Decimal(str(t)) for t in PRODUCTS[key][3]) for key in PRODUCTS}, office=office)
    council_close(council=council, user=council.members.get(is_chair=True).user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        _decision, outcomes = products_recognise(
            round_=round_,
            submissions=_refresh(by_key.values()),
            user=office,
            decision_number="125/QĐ-UBND",
            decision_date=DECISION_DATE,
        )
    refused = {outcome.submission.product_id for outcome in outcomes if outcome.result != "done"}
    assert refused == {products["two_star"].pk}
    with TestCase.captureOnCommitCallbacks(execute=True):
        submissions_publish(
            submissions=_refresh([by_key[key] for key in ("nuoc_mam", "ca_phe", "mat_ong", "revoked")]), user=office
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate_revoke(
            certificate=Certificate.objects.get(product=products["revoked"]), user=office, reason="Vi phạm chất lượng"
        )
    return {**site, "products": products, "producers": producers, "round": round_, "submissions": by_key}


def get(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, url
    return response


def names_in(text: str) -> set[str]:
    return {name for key, (name, *_rest) in PRODUCTS.items() if name in text}


def test_pages_appear_automatically_only_for_public_products(catalogue):
    pages = {page.product_id: page for page in ProductPage.objects.all()}
    products = catalogue["products"]
    assert {key for key in PRODUCTS if products[key].pk in pages and pages[products[key].pk].live} == set(SHOWN)
    # recognised-but-unpublished and 2 stars: no page at all; revoked: its page taken down
    assert products["unpublished"].pk not in pages and products["two_star"].pk not in pages
    assert not pages[products["revoked"].pk].live
    index = ProductIndexPage.objects.get()
    assert index.get_parent().specific_class is HomePage and index.url_path.endswith("/san-pham/")
    # the producer's private photo copied once into the page's gallery (a Wagtail image)
    page = pages[products["nuoc_mam"].pk]
    assert [photo.caption for photo in page.photos.all()] == ["Chai nước mắm"]
    services.product_pages_sync()
    assert page.photos.count() == 1


def test_catalogue_lists_public_products_with_stars_group_producer_commune(client, catalogue):
    html = get(client, "/san-pham/").text
    assert names_in(html) == {PRODUCTS[key][0] for key in SHOWN}
    assert '<span class="visually-hidden">4 sao</span>' in html
    assert "★★★★" in html and "Đồ uống" in html and "Hợp tác xã Cà phê Ea Kly" in html and "Xã Hòa Thuận" in html
    assert "Thực phẩm" in html and "3 sản phẩm" in html
    assert "<img" in html  # the first photo of the water sauce


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "nuoc mam"}, {"nuoc_mam"}),
        ({"q": "NƯỚC MẮM"}, {"nuoc_mam"}),
        ({"q": "ca phe"}, {"ca_phe", "mat_ong"}),  # "Mật ong hoa cà phê" and "Cà phê bột"
        ({"q": "ea kly"}, {"ca_phe", "mat_ong"}),  # the producer's name
        ({"q": "banh trang"}, set()),  # recognised, never published
        ({"q": "tra"}, set()),  # revoked
        ({"sao": "4"}, {"nuoc_mam", "mat_ong"}),
        ({"sao": "3"}, {"ca_phe"}),
        ({"sao": "2"}, {"nuoc_mam", "ca_phe", "mat_ong"}),  # not a choice: ignored
        ({"nhom": "thuc-pham"}, {"nuoc_mam", "mat_ong"}),
        ({"nhom": "do-uong"}, {"ca_phe"}),
        ({"nhom": "thuc-pham", "phan-nhom": "tp-mat-ong-nong-san-khac"}, {"mat_ong"}),
        ({"phan-nhom": "tp-thit-thuy-san-trung-sua"}, {"nuoc_mam"}),
        ({"nhom": "khong-co"}, {"nuoc_mam", "ca_phe", "mat_ong"}),
        ({"sao": "abc", "xa": "x"}, {"nuoc_mam", "ca_phe", "mat_ong"}),
    ],
)
def test_filters_and_folded_search(client, catalogue, params, expected):
    html = get(client, "/san-pham/", **params).text
    assert names_in(html) == {PRODUCTS[key][0] for key in expected}


def test_commune_filter(client, catalogue):
    ea_kly = catalogue["communes"]["ea_kly"]
    html = get(client, "/san-pham/", xa=str(ea_kly.pk)).text
    assert names_in(html) == {PRODUCTS["ca_phe"][0], PRODUCTS["mat_ong"][0]}
    assert f'<option value="{ea_kly.pk}" selected>Xã Ea Kly</option>' in html


def test_product_page_shows_public_facts_only(client, catalogue):
    page = ProductPage.objects.get(product=catalogue["products"]["nuoc_mam"])
    html = get(client, page.url).text
    assert "Nước mắm cá cơm Hòa Thuận" in html and '<span class="visually-hidden">4 sao</span>' in html
    assert "Hợp tác xã Thủy sản Hòa Thuận" in html and "(Hợp tác xã)" in html
    assert "Thực phẩm – Thực phẩm tươi sống – Thịt, thủy sản, trứng, sữa tươi" in html
    assert '<a href="/xa/xa-hoa-thuan/">Xã Hòa Thuận</a>' in html
    assert "Còn hiệu lực đến 14/10/2029" in html and "Số 125/QĐ-UBND ngày 15/10/2026" in html
    assert "Chai nước mắm" in html


def test_hidden_products_have_no_page_anywhere(client, catalogue):
    revoked = ProductPage.objects.get(product=catalogue["products"]["revoked"])
    assert get(client, revoked.url_path.removeprefix(HomePage.objects.get().url_path[:-1]), status=404)
    sitemap = get(client, "/sitemap.xml").text
    api = get(client, "/api/v2/pages/", type="public_site.ProductPage", fields="catalogue,intro").json()
    search = [page.title for page in Page.objects.live().search("thu hồi")]
    assert search == []
    shown = {ProductPage.objects.get(product=catalogue["products"][key]).url_path for key in SHOWN}
    assert {item["title"] for item in api["items"]} == {PRODUCTS[key][0] for key in SHOWN}
    assert all(path.split("/", 2)[2] in sitemap for path in shown)
    assert "tra-bi-thu-hoi" not in sitemap
    facts = {item["title"]: item["catalogue"] for item in api["items"]}
    assert facts["Mật ong hoa cà phê"] == {
        "name": "Mật ong hoa cà phê",
        "stars": 4,
        "group": "Thực phẩm",
        "subgroup": "Thực phẩm thô, sơ chế – Mật ong, mật khác và nông sản thực phẩm khác",
        "producer": "Hợp tác xã Cà phê Ea Kly",
        "producer_kind": "Hợp tác xã",
        "commune": "Xã Ea Kly",
        "valid_until": "2029-10-14",
        "decision_number": "125/QĐ-UBND",
        "decision_date": "2026-10-15",
    }


def test_no_contact_point_or_council_on_any_public_response(client, catalogue):
    pages = list(ProductPage.objects.live())
    urls = ["/san-pham/", "/san-pham/?q=ca+phe&sao=4", "/sitemap.xml", "/"] + [page.url for page in pages]
    bodies = [get(client, url).text for url in urls]
    bodies.append(get(client, "/api/v2/pages/", type="public_site.ProductPage", fields="*").text)
    for page in pages:
        bodies.append(get(client, f"/api/v2/pages/{page.pk}/").text)
    for body in bodies:
        for secret in SECRETS:
            assert secret not in body
        assert not re.search(r"\b(phone|email|points|score|representative)\b", body)


def test_unpublishing_expiry_and_republishing_follow_the_certificates(client, catalogue):
    products, office = catalogue["products"], catalogue["office"]
    water = Submission.objects.get(product=products["nuoc_mam"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        submissions_publish(submissions=[water], user=office, published=False)
    page = ProductPage.objects.get(product=products["nuoc_mam"])
    assert not page.live
    cache.clear()
    assert PRODUCTS["nuoc_mam"][0] not in get(client, "/san-pham/").text
    with TestCase.captureOnCommitCallbacks(execute=True):
        submissions_publish(submissions=[Submission.objects.get(pk=water.pk)], user=office)
    page.refresh_from_db()
    assert page.live and page.photos.count() == 1  # the same page, its photos not copied again
    # the daily command: every certificate past its validity takes its page down
    call_command("sync_ocop_pages", ngay="2029-10-15", stdout=io.StringIO())
    assert not ProductPage.objects.live().exists()
    assert get(client, page.url_path.removeprefix(HomePage.objects.get().url_path[:-1]), status=404)


def test_catalogue_refreshes_on_publication(client, catalogue):
    """The cached catalogue is replaced when a product's page appears (the page cache's tokens)."""
    assert "3 sản phẩm" in get(client, "/san-pham/").text
    assert get(client, "/san-pham/").headers.get("X-Public-Cache") is not None
    assert '<a href="/san-pham/">Xem 3 sản phẩm OCOP được công nhận</a>' in get(client, "/").text
    office = catalogue["office"]
    unpublished = Submission.objects.get(product=catalogue["products"]["unpublished"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        submissions_publish(submissions=[unpublished], user=office)
    assert "4 sản phẩm" in get(client, "/san-pham/").text
    assert "Xem 4 sản phẩm OCOP được công nhận" in get(client, "/").text


def test_catalogue_query_count_does_not_grow_with_products(client, catalogue, django_assert_max_num_queries):
    get(client, "/san-pham/", sao="4")  # routing and renditions warmed up
    reset_queries()  # the layer's queries filled the log: counting starts from an empty one
    with CaptureQueriesContext(connection) as few:
        get(client, "/san-pham/", sao="4")
    first = len(few)  # read now: the log is emptied by the next request
    assert first <= QUERIES
    index = ProductIndexPage.objects.get()
    producer = catalogue["producers"]["ca_phe"]
    round_ = catalogue["round"]
    more = [ProductFactory(name=f"Sản phẩm thêm {i}", producer=producer, group=group()) for i in range(6)]
    rows = dossiers(round_, more, status=SubmissionStatus.RECOGNISED)
    Submission.objects.filter(pk__in=[row.pk for row in rows]).update(published=True, stars=4)
    decision = Certificate.objects.first().decision
    Certificate.objects.bulk_create(
        Certificate(
            submission=row,
            product=row.product,
            stars=4,
            decision=decision,
            valid_from=DECISION_DATE,
            valid_until=datetime.date(2029, 10, 14),
        )
        for row in rows
    )
    services.product_pages_sync()
    assert ProductPage.objects.child_of(index).live().count() == 9
    cache.clear()
    get(client, "/san-pham/", sao="4")
    reset_queries()
    with django_assert_max_num_queries(first):
        html = get(client, "/san-pham/", sao="4").text
    assert "8 sản phẩm" in html


def test_certificate_qr_leads_to_the_product_page(client, catalogue):
    certificate = Certificate.objects.get(product=catalogue["products"]["mat_ong"])
    page = ProductPage.objects.get(product=catalogue["products"]["mat_ong"])
    response = get(client, f"/ocop/chung-nhan/{certificate.code}/", status=302)
    assert response.headers["Location"] == page.url
    revoked = Certificate.objects.get(product=catalogue["products"]["revoked"])
    get(client, f"/ocop/chung-nhan/{revoked.code}/", status=404)
