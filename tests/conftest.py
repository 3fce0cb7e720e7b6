"""Fixtures of the whole suite: a clean language and Wagtail site cache per test, the driver of the shared layers
(data built once per test module, see :func:`tests.factories.shared_layer`), and the small province the
submissions and public-site tests share: its units and people (``area``), its public pages (``site``), a
published criteria set with its form (``published_set``) and an open round (``open_round``)."""

import datetime

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.utils import translation

from wagtail.models import Site

import pytest

from cms.directory.models import Role
from criteria_pages import services as criteria_services
from public_site import services as public_services
from public_site.models import CommunePage
from submissions.models import Round, RoundKind
from submissions.rounds import services as round_services
from tests.criteria_pages.factories import EvaluationFormPageFactory, criteria_index, question_section, round_spec
from tests.factories import (
    DepartmentFactory,
    LayerStack,
    UnitClassificationFactory,
    commune,
    district,
    member,
    province,
    region,
    shared_layer,
)
from tests.public_site.factories import HomePageFactory


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Vietnamese: a request in English must not leak into the next test."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(scope="module", autouse=True)
def _shared_layer_stack(django_db_blocker):
    """The shared layers built for this module, rolled back after its last test."""
    stack = LayerStack(django_db_blocker)
    yield stack
    stack.clear()


@pytest.fixture(autouse=True)
def _shared_layers(request, _shared_layer_stack, _default_language):
    """Build (or roll back) the shared layers this test uses, before its own transaction starts; their values,
    copied for this test, by name."""
    return _shared_layer_stack.values_for(request)


@pytest.fixture
def _shared_layer_mails(_shared_layer_stack, _shared_layers, db):
    """The mails sent while the layers were built, back in the outbox (the test's set-up empties it)."""
    mail.outbox.extend(_shared_layer_stack.mails())


@pytest.fixture(autouse=True)
def _empty_shared_cache(_shared_layers):
    """The local-memory cache outlives a test's rollback: cached pages and statistics (and their version tokens)
    would otherwise describe rows the previous test rolled back (SQLite even gives their ids to new rows)."""
    cache.clear()


@pytest.fixture(autouse=True)
def _clear_wagtail_site_cache(_shared_layers):
    """Wagtail caches the Site per request/process; a test that creates one must not leak it."""
    Site.clear_site_root_paths_cache()
    yield
    Site.clear_site_root_paths_cache()


# --- the small province --------------------------------------------------------------------------------------


@shared_layer
def area():
    """Đắk Lắk (region TN) with two districts and four communes (one a town), the construction and agriculture
    departments, one officer per rural commune, the office editor and Krông Pắc's district reviewer."""
    DepartmentFactory(code="so-xd", name="Sở Xây dựng")
    DepartmentFactory(code="so-nnmt", name="Sở Nông nghiệp và Môi trường")
    dak_lak = province()
    krong_pac = district(dak_lak, "652", "Huyện Krông Pắc")
    buon_don = district(dak_lak, "648", "Huyện Buôn Đôn")
    communes = {
        "hoa_thuan": commune(krong_pac, "24400", "Xã Hòa Thuận"),
        "ea_kly": commune(krong_pac, "24401", "Xã Ea Kly"),
        "ea_wer": commune(buon_don, "24310", "Xã Ea Wer"),
        "phuoc_an": commune(krong_pac, "24402", "Thị trấn Phước An", unit_type="Thị trấn"),
    }
    tay_nguyen = region("TN")
    for unit in communes.values():
        UnitClassificationFactory(unit=unit, value=tay_nguyen)
    officers = {
        key: member(Role.COMMUNE_OFFICER, unit=unit, username=f"canbo_{key}")
        for key, unit in communes.items()
        if key != "phuoc_an"
    }
    office = member(Role.OFFICE_EDITOR, unit=dak_lak, username="vanphong")
    reviewer = member(Role.DISTRICT_REVIEWER, unit=krong_pac, username="thamtra")
    return {
        "province": dak_lak,
        "districts": {"krong_pac": krong_pac, "buon_don": buon_don},
        "communes": communes,
        "officers": officers,
        "office": office,
        "reviewer": reviewer,
    }


@shared_layer
def site(area):
    """The home page set to the province, with one page per commune."""
    home = HomePageFactory(province=area["province"])
    public_services.commune_pages_ensure(units=area["communes"].values())
    return {
        **area,
        "home": home,
        "pages": {key: CommunePage.objects.get(unit=unit) for key, unit in area["communes"].items()},
    }


@shared_layer
def published_set(area):
    """:func:`round_spec`'s set, imported and published (version 1), and its evaluation form with one required
    question (the preparer's name)."""
    page, version = criteria_services.criteria_set_import(spec=round_spec(), parent=criteria_index())
    form_page = EvaluationFormPageFactory(
        title="Biểu mẫu đánh giá thử",
        slug="bieu-mau-thu",
        criteria_set=page,
        sections=[question_section("Họ và tên người lập")],
    )
    return {"page": page, "version": version, "form_page": form_page}


@shared_layer
def open_round(area, published_set):
    """A yearly round for the rural communes (Xã) of the province, opened."""
    round_ = Round.objects.create(
        name="Đánh giá năm 2026",
        kind=RoundKind.YEARLY,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        criteria_version=published_set["version"],
        form_page=published_set["form_page"],
        scope_root=area["province"],
        scope_unit_types="Xã",
        opens_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 12, 15),
    )
    round_services.round_open(round_=round_, user=area["office"])
    return round_
