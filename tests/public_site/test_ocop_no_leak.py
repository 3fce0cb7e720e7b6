"""Nothing unrecognised, no member's score and no producer contact detail reaches a public page or an anonymous API
response (issue 16's bar 5).

One OCOP round of the small province holds a product in every state: a draft, a submitted dossier, one a council
is scoring, one closed at 2 stars, a five-star proposal waiting for the national decision, one recognised but not
published, one recognised, published and then revoked, and one recognised and published, the only one the public
may see. The hidden products' names carry ``KINDAO``; so do the councils, the members, a second producer and an
unpublished decision. Every member total (and every hidden council score) is distinctive, e.g. 87,31: "87,31" and
"87.31" are looked for. Both producers have a phone, an e-mail, a representative and an address the public must
never read. An anonymous visitor then crawls every public door: the home page, the commune pages, the catalogue
(every filter and searches), every product page that exists, the OCOP products API (list, filters and the detail
of every product), the round's API (list, detail, summary, results), Wagtail's pages API (with ``fields=*`` and
its search), the site search, the sitemap and the certificates' QR check.
"""

import datetime
import html
import io
import json
import re
from decimal import Decimal
from urllib.parse import quote, quote_plus

from django.core.files.base import ContentFile
from django.test import Client, TestCase
from django.utils.text import slugify

import pytest
from PIL import Image as PILImage

from cms.directory.models import Role
from cms.directory.products.models import ProductPhoto
from cms.directory.text import search_fold
from public_site.products import ProductPage
from submissions.models import Submission, SubmissionStatus
from submissions.ocop.certificates import certificate_revoke, products_recognise
from submissions.ocop.models import Certificate, CouncilEntry
from submissions.ocop.scoring import council_close
from submissions.review.bulk import submissions_publish
from tests.factories import shared_layer
from tests.submissions.ocop.councils_world import named
from tests.submissions.ocop.factories import (
    ProducerFactory,
    ProductFactory,
    council_with,
    dossiers,
    group,
    ocop_version,
    product_round,
    scored,
    split,
)

MARK = "KINDAO"
PHONE, EMAIL, REPRESENTATIVE, ADDRESS = "0977 531 864", "lienhe.kin@htx.example.vn", "Hoàng Thị Bí Mật", "Số 13 hẻm Kín"
DECIDED_ON = datetime.date(2026, 10, 20)
PUBLIC_NAME = "Trà mãng cầu Công Khai"
#: key: (product name, group code, producer key, the members' totals or None when no council scores it)
PRODUCTS = {
    "draft": (f"Mứt gừng {MARK} nháp", "do-uong", "shown", None),
    "submitted": (f"Bánh pía {MARK} chờ duyệt", "do-uong", "hidden", None),
    "scoring": (f"Rượu sim {MARK} đang chấm", "do-uong", "hidden", ("87.31", "85.09", "86.47")),
    "two_star": (f"Nấm rơm {MARK} hai sao", "tp-mat-ong-nong-san-khac", "shown", ("41.17", "41.17", "41.17")),
    "national": (f"Yến sào {MARK} chờ trung ương", "duoc-lieu", "hidden", ("93.77", "94.13", "92.89")),
    "unpublished": (f"Mắc ca {MARK} chưa công khai", "do-uong", "shown", ("66.29", "64.83", "65.71")),
    "revoked": (f"Chè {MARK} thu hồi", "do-uong", "shown", ("81.53", "80.27", "82.61")),
    "published": (PUBLIC_NAME, "do-uong", "shown", ("72.43", "73.57", "74.19")),
}
HIDDEN = [key for key in PRODUCTS if key != "published"]
#: The dossiers of the council that closed (the others: not scored, or still being scored).
CLOSED = ["two_star", "national", "unpublished", "revoked", "published"]
#: The hidden products' council scores (mean, half up): 2★ 41.17, national 93.60, unpublished 65.61, revoked 81.47
#: (the published one: 73.40, 4 stars).
COUNCIL_SCORES = ("41.17", "93.60", "93.6", "65.61", "81.47")
#: A self-assessment typed into a draft and a submitted dossier.
SELF_POINTS = "38.29"


def number_forms(text: str) -> tuple[str, str]:
    """A number as an API writes it and as a Vietnamese page does."""
    return text, text.replace(".", ",")


SECRETS = [PHONE, EMAIL, REPRESENTATIVE, ADDRESS, "Bí Mật", "Hẻm Kín"] + [
    form
    for number in (
        [total for *_rest, totals in PRODUCTS.values() if totals for total in totals]
        + list(COUNCIL_SCORES)
        + [SELF_POINTS]
        + [str(points) for points in split(Decimal("87.31")).values()]
    )
    for form in number_forms(number)
]


@shared_layer
def world(site):
    """The round with a product in every state, built through the services (the commits' callbacks run, so the
    catalogue's pages are created and taken down as they are in production)."""
    province, office, communes = site["province"], site["office"], site["communes"]
    contact = {"phone": PHONE, "email": EMAIL, "representative": REPRESENTATIVE, "address": ADDRESS}
    producers = {
        "shown": ProducerFactory(name="Hợp tác xã Trà Hòa Thuận", commune=communes["hoa_thuan"], **contact),
        "hidden": ProducerFactory(name=f"Hợp tác xã {MARK} Ea Kly", commune=communes["ea_kly"], **contact),
    }
    products = {
        key: ProductFactory(name=name, group=group(code), producer=producers[producer])
        for key, (name, code, producer, _totals) in PRODUCTS.items()
    }
    for key, caption in (
        ("published", "Hộp trà mãng cầu"),
        ("unpublished", f"Ảnh {MARK} mắc ca"),
        ("revoked", f"Ảnh {MARK} chè"),
    ):
        photo = ProductPhoto(product=products[key], caption=caption, original_name=f"{slugify(caption)}.png")
        photo.file.save(f"{slugify(caption)}.png", ContentFile(png_bytes()), save=False)
        photo.save()
    round_ = product_round(province, ocop_version(), office=office)
    by_key = {row.product_id: row for row in dossiers(round_, [products["submitted"]] + _scored(products))}
    by_key = {key: by_key[product.pk] for key, product in products.items() if product.pk in by_key}
    (by_key["draft"],) = dossiers(round_, [products["draft"]], status=SubmissionStatus.DRAFT)
    Submission.objects.filter(pk__in=[by_key["draft"].pk, by_key["submitted"].pk]).update(points=Decimal(SELF_POINTS))

    def members(prefix: str):
        return [
            named(Role.COUNCIL_MEMBER, unit=province, username=f"{prefix}_{n}", full_name=f"Giám Khảo {MARK} {n}")
            for n in range(3)
        ]

    scoring = council_with(round_, province=province, users=members("dang_cham"), name=f"Hội đồng {MARK} đang chấm")
    scored(scoring, {by_key["scoring"]: _totals("scoring")}, office=office)  # sheets submitted, never closed
    closing = council_with(round_, province=province, users=members("da_cham"), name=f"Hội đồng {MARK} đã chấm")
    scored(closing, {by_key[key]: _totals(key) for key in CLOSED}, office=office)
    council_close(council=closing, user=closing.members.get(is_chair=True).user)
    stars = dict(Submission.objects.filter(round=round_).values_list("product_id", "stars"))
    assert [stars[products[key].pk] for key in CLOSED] == [2, 5, 3, 4, 4]

    with TestCase.captureOnCommitCallbacks(execute=True):
        products_recognise(
            round_=round_,
            submissions=_fresh(by_key, "unpublished"),
            user=office,
            decision_number=f"77/QĐ-{MARK}",
            decision_date=DECIDED_ON,
        )
        products_recognise(
            round_=round_,
            submissions=_fresh(by_key, "revoked", "published"),
            user=office,
            decision_number="125/QĐ-UBND",
            decision_date=DECIDED_ON,
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        submissions_publish(submissions=_fresh(by_key, "revoked", "published"), user=office)
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate_revoke(
            certificate=Certificate.objects.get(product=products["revoked"]), user=office, reason=f"Vi phạm {MARK}"
        )
    states = dict(Submission.objects.filter(round=round_).values_list("product_id", "status"))
    assert {key: states[product.pk] for key, product in products.items()} == {
        "draft": SubmissionStatus.DRAFT,
        "submitted": SubmissionStatus.SUBMITTED,
        "scoring": SubmissionStatus.SCORING,
        "two_star": SubmissionStatus.RECOGNITION,
        "national": SubmissionStatus.RECOGNITION,
        "unpublished": SubmissionStatus.RECOGNISED,
        "revoked": SubmissionStatus.RECOGNISED,
        "published": SubmissionStatus.RECOGNISED,
    }
    assert CouncilEntry.objects.get(submission=by_key["national"]).proposed_national_at is not None
    return {**site, "round": round_, "products": products, "producers": producers, "submissions": by_key}


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), (120, 160, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _scored(products) -> list:
    return [products[key] for key in PRODUCTS if PRODUCTS[key][3]]


def _totals(key: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(total) for total in PRODUCTS[key][3])


def _fresh(by_key, *keys) -> list[Submission]:
    return list(Submission.objects.filter(pk__in=[by_key[key].pk for key in keys]).select_related("product"))


# --- the crawl ------------------------------------------------------------------------------------------------


#: A time of day with its fraction of a second (the APIs' timestamps): "…:41.172" is no score of 41.17.
TIME = re.compile(r"\d{2}:\d{2}:\d{2}\.\d+")


def clean(text: str, where: str) -> None:
    """Nothing hidden in ``text``: no hidden name (nor its slug or folded form), no score, no contact."""
    text = TIME.sub("", text)
    assert MARK.lower() not in text.lower(), where
    for secret in SECRETS:
        assert secret not in text, (where, secret)
    for key in HIDDEN:
        name = PRODUCTS[key][0]
        assert search_fold(name) not in text.lower() and slugify(name) not in text, (where, key)


def without_echo(text: str, params: dict) -> str:
    """``text`` without what the visitor typed (a search box shows the query back: not a leak)."""
    for value in map(str, params.values()):
        for form in {value, html.escape(value), quote_plus(value), quote(value), json.dumps(value)[1:-1]}:
            text = text.replace(form, "")
    return text


def fetch(url: str, params=None, *, status: int | tuple = 200) -> str:
    params = params or {}
    response = Client().get(url, params)
    allowed = status if isinstance(status, tuple) else (status,)
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    text = body.decode("utf-8-sig")
    assert response.status_code in allowed, (url, params, response.status_code, text[:500])
    clean(without_echo(text, params), f"{url} {params}")
    return text


def public_page():
    return ProductPage.objects.get(product__name=PUBLIC_NAME)


def test_home_commune_pages_and_the_sitemap(world):
    home = fetch("/")
    assert "Xem 1 sản phẩm OCOP được công nhận" in home
    for page in world["pages"].values():
        fetch(page.url)
    sitemap = fetch("/sitemap.xml")
    assert public_page().url in sitemap


def catalogue_queries(world) -> list[dict]:
    groups = {PRODUCTS[key][1] for key in PRODUCTS} | {"thuc-pham"}
    searches = [MARK, MARK.lower(), "ca phe", "tra", "hop tac xa", "Ea Kly", PHONE, "87,31"]
    searches += [search_fold(PRODUCTS[key][0]) for key in HIDDEN] + [PRODUCTS[key][0] for key in HIDDEN]
    return (
        [{}]
        + [{"sao": stars} for stars in ("1", "2", "3", "4", "5")]
        + [{"nhom": code} for code in groups]
        + [{"phan-nhom": code} for code in groups]
        + [{"xa": str(unit.pk)} for unit in world["communes"].values()]
        + [{"q": text} for text in searches]
        + [{"q": "tra", "sao": "4", "nhom": "do-uong", "xa": str(world["communes"]["hoa_thuan"].pk)}]
    )


def test_the_catalogue_with_every_filter_and_search_shows_the_published_product_only(world):
    for params in catalogue_queries(world):
        html = fetch("/san-pham/", params)
        if not params or params in ({"sao": "4"}, {"nhom": "do-uong"}, {"q": "tra"}):
            assert PUBLIC_NAME in html, params
            assert "1 sản phẩm" in html and "Hợp tác xã Trà Hòa Thuận" in html and "Xã Hòa Thuận" in html
    assert PUBLIC_NAME not in fetch("/san-pham/", {"sao": "3"})


def test_only_the_published_products_page_exists(world):
    pages = list(ProductPage.objects.select_related("product"))
    assert {page.product.name for page in pages if page.live} == {PUBLIC_NAME}
    for page in pages:  # the revoked product's page was taken down: 404 at its address
        fetch(page.url_path.removeprefix(world["home"].url_path[:-1]), status=200 if page.live else 404)
    html = fetch(public_page().url)
    assert PUBLIC_NAME in html and '<span class="visually-hidden">4 sao</span>' in html
    assert "Hợp tác xã Trà Hòa Thuận" in html and "Xã Hòa Thuận" in html and "Còn hiệu lực đến 19/10/2029" in html
    assert "Hộp trà mãng cầu" in html  # its photo, copied into the page's gallery
    for photo in ProductPhoto.objects.all():  # the producers' own photos stay private, even the published one's
        fetch(f"/ocop/san-pham/anh/{photo.pk}/", status=302)
    for key in HIDDEN:  # no page at the address a page of theirs would have
        fetch(f"/san-pham/{slugify(PRODUCTS[key][0])}/", status=404)


def test_the_products_api_lists_the_published_product_and_hides_the_others(world):
    products = world["products"]
    for params in [
        {},
        {"status": "all"},
        {"stars": "4"},
        {"stars": "3"},
        {"stars": "5"},
        {"stars": "2"},
        {"q": "kindao"},
    ] + [{"group": code} for code in ("do-uong", "duoc-lieu", "thuc-pham")]:
        body = json.loads(fetch("/api/v1/ocop/products/", params))
        names = {row["name"] for row in body["results"]}
        assert names <= {PUBLIC_NAME}, params
        for row in body["results"]:
            assert "score" not in row and "council" not in row and "published" not in row
    assert {row["name"] for row in json.loads(fetch("/api/v1/ocop/products/"))["results"]} == {PUBLIC_NAME}
    for commune in world["communes"].values():
        fetch("/api/v1/ocop/products/", {"commune": commune.code})
    for producer in world["producers"].values():
        fetch("/api/v1/ocop/products/", {"producer": producer.pk})
    fetch("/api/v1/ocop/products/", {"round": world["round"].pk})
    for key, product in products.items():
        body = fetch(f"/api/v1/ocop/products/{product.pk}/", status=200 if key == "published" else 404)
        if key == "published":
            assert json.loads(body)["name"] == PUBLIC_NAME


def test_the_rounds_api_summary_and_results(world):
    """The round's public numbers count, and its public results list, the published product only: not the revoked
    one (its certificate withdrawn, its page taken down), nor anything unrecognised; no score of any kind."""
    round_ = world["round"]
    fetch("/api/v1/rounds/")
    fetch(f"/api/v1/rounds/{round_.pk}/")
    results = json.loads(fetch(f"/api/v1/rounds/{round_.pk}/results/"))
    assert [row["product_name"] for row in results["results"]] == [PUBLIC_NAME]
    for row in results["results"]:
        assert not {"score", "points", "council", "spread"} & set(row), row
    summary = json.loads(fetch(f"/api/v1/rounds/{round_.pk}/summary/"))
    assert (summary["products_recognised"], summary["products_by_stars"]) == (1, {"5": 0, "4": 1, "3": 0}), summary
    for basis in ("all", "submitted"):
        fetch(f"/api/v1/rounds/{round_.pk}/summary/", {"basis": basis}, status=(400, 401, 403))
        fetch(f"/api/v1/rounds/{round_.pk}/results/", {"basis": basis}, status=(400, 401, 403))


def test_the_rounds_open_data_and_the_units_api(world):
    round_ = world["round"]
    for suffix in ("open-data.csv", "open-data.json"):
        fetch(f"/api/v1/rounds/{round_.pk}/{suffix}", status=(200, 404))
    fetch("/api/v1/units/", {"parent": world["province"].code})
    for commune in world["communes"].values():
        fetch(f"/api/v1/units/{commune.code}/")


def test_wagtail_pages_api_and_search(world):
    body = json.loads(fetch("/api/v2/pages/", {"type": "public_site.ProductPage", "fields": "*"}))
    assert [item["title"] for item in body["items"]] == [PUBLIC_NAME]
    fetch("/api/v2/pages/", {"fields": "*", "limit": "20"})
    for page in ProductPage.objects.all():
        fetch(f"/api/v2/pages/{page.pk}/", status=200 if page.live else 404)
    for text in (MARK, "kindao", "tra", "che", "mac ca", PUBLIC_NAME):
        fetch("/api/v2/pages/", {"search": text, "fields": "*"}, status=(200, 400))
        fetch("/tim-kiem/", {"q": text})


def test_certificates_check_and_the_private_screens(world):
    for certificate in Certificate.objects.select_related("product"):
        public = certificate.product.name == PUBLIC_NAME
        response = Client().get(f"/ocop/chung-nhan/{certificate.code}/")
        assert response.status_code == (302 if public else 404), certificate.product.name
        clean(response.content.decode(), "check")
        if public:
            assert response["Location"] == public_page().url
        fetch(f"/ocop/chung-nhan/{certificate.code}/in/", status=302)  # printing needs a login
    submission = world["submissions"]["scoring"]
    entry = CouncilEntry.objects.get(submission=submission)
    sheet = entry.sheets.first()
    for url in (
        "/ocop/chu-the/",
        f"/ocop/chu-the/{world['producers']['hidden'].pk}/",
        f"/ocop/san-pham/{world['products']['scoring'].pk}/",
        "/ocop/ho-so/",
        f"/ocop/hoi-dong/{entry.council_id}/",
        f"/ocop/hoi-dong/phieu-cham/{sheet.pk}/",
        f"/ocop/cong-nhan/{world['round'].pk}/",
        f"/danh-gia/ho-so/{submission.pk}/",
    ):
        fetch(url, status=302)
    for url in (
        "/api/v1/ocop/councils/",
        f"/api/v1/ocop/councils/{entry.council_id}/",
        f"/api/v1/ocop/sheets/{sheet.pk}/",
        "/api/v1/submissions/",
        f"/api/v1/submissions/{submission.pk}/",
    ):
        fetch(url, status=(401, 403, 404))


@pytest.mark.parametrize("key", HIDDEN)
def test_each_hidden_product_is_found_nowhere_by_its_name(world, key):
    """The name, searched in the catalogue, the API and the site search, finds nothing."""
    name = PRODUCTS[key][0]
    for text in (name, search_fold(name)):
        assert "Không có sản phẩm nào phù hợp." in fetch("/san-pham/", {"q": text})
        assert json.loads(fetch("/api/v1/ocop/products/", {"q": text}))["count"] == 0
        fetch("/tim-kiem/", {"q": text})
