"""Creating the commune pages (service, command, demo) and what editors put on them."""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import CommandError, call_command

from wagtail.documents.models import Document
from wagtail.images.models import Image

import pytest
from PIL import Image as PILImage

from cms.directory.models import Unit, UnitLevel
from public_site import demo, services
from public_site.models import CommuneIndexPage, CommunePage, HomePage
from submissions.models import Submission
from tests.factories import EditionFactory, commune, district, province


def test_the_sections_exist_after_migrate(db):
    home = HomePage.objects.get()
    assert CommuneIndexPage.objects.child_of(home).get().url == "/xa/"
    assert home.get_children().live().filter(slug="tieu-chi").exists()


def test_ensure_creates_one_live_page_per_commune_and_is_idempotent(site, django_assert_max_num_queries):
    units = list(site["communes"].values())
    assert CommunePage.objects.count() == len(units)
    assert all(page.live for page in CommunePage.objects.all())
    with django_assert_max_num_queries(3):  # savepoint, one query, release
        assert services.commune_pages_ensure(units=units) == []
    assert CommunePage.objects.count() == len(units)


def test_ensure_skips_units_that_are_not_communes(site):
    assert services.commune_pages_ensure(units=[site["province"], site["districts"]["krong_pac"]]) == []


def test_slugs_stay_unique_for_communes_with_the_same_name(site):
    buon_don = site["districts"]["buon_don"]
    twin = commune(buon_don, "24311", "Xã Hòa Thuận")
    other_edition = EditionFactory(date=datetime.date(2025, 7, 1), tiers=2)
    triplet = commune(province(edition=other_edition), "24400", "Xã Hòa Thuận")
    created = services.commune_pages_ensure(units=[twin, triplet])
    assert {page.url for page in created} == {"/xa/xa-hoa-thuan-buon-don/", "/xa/xa-hoa-thuan-24400/"}
    assert {page.title for page in created} == {"Xã Hòa Thuận"}


def test_command_creates_pages_for_a_province_and_edition(area):
    other = province(code="67", name="Tỉnh Đắk Nông")
    commune(district(other, "660", "Huyện Cư Jút"), "24700", "Xã Đắk Wil")
    out = io.StringIO()
    call_command("create_commune_pages", "--province", "66", "--edition", "2025-03-01", stdout=out)
    assert "4 commune page(s) created" in out.getvalue()
    assert not CommunePage.objects.filter(unit__name="Xã Đắk Wil").exists()
    call_command("create_commune_pages", stdout=out)
    assert CommunePage.objects.get(unit__name="Xã Đắk Wil").url == "/xa/xa-dak-wil/"


def test_command_refuses_an_unknown_province_or_edition(area):
    with pytest.raises(CommandError):
        call_command("create_commune_pages", "--province", "99")
    with pytest.raises(CommandError):
        call_command("create_commune_pages", "--edition", "2020-01-01")


def test_demo_creates_pages_for_the_demo_province_and_publishes_nothing(area):
    created = demo.load()
    assert {page.unit_id for page in created} == set(
        Unit.objects.filter(level=UnitLevel.COMMUNE, path__startswith="66/").values_list("pk", flat=True)
    )
    assert HomePage.objects.get().province == area["province"]
    assert demo.load() == []
    assert not Submission.objects.filter(published=True).exists()


def png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), "green").save(buffer, "PNG")
    return buffer.getvalue()


def test_editors_add_text_photos_and_documents(client, site):
    image = Image.objects.create(title="Nhà văn hóa", file=ImageFile(io.BytesIO(png()), name="nha-van-hoa.png"))
    document = Document.objects.create(title="Quyết định 125", file=ContentFile(b"%PDF-1.4\n", name="qd-125.pdf"))
    page = site["pages"]["hoa_thuan"]
    page.body = [
        ("text", "<p>Xã có 12 thôn, buôn.</p>"),
        ("figure", {"image": {"image": image, "decorative": False, "alt_text": "Nhà văn hóa xã"}, "caption": "2026"}),
        ("document", {"document": document, "title": "", "description": "Công nhận đạt chuẩn"}),
    ]
    page.save_revision().publish()
    text = client.get("/xa/xa-hoa-thuan/").text
    assert "<p>Xã có 12 thôn, buôn.</p>" in text
    assert 'alt="Nhà văn hóa xã"' in text and "<figcaption>2026</figcaption>" in text
    assert f'href="{document.url}">Quyết định 125</a>' in text and "(PDF" in text


def test_office_editors_may_edit_commune_pages_and_add_photos_and_documents(client, site):
    client.force_login(site["office"])
    page = site["pages"]["hoa_thuan"]
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert client.get("/admin/images/multiple/add/").status_code == 200
    assert client.get("/admin/documents/multiple/add/").status_code == 200
    client.force_login(site["officers"]["hoa_thuan"])
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code in (302, 403)
