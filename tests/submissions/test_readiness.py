"""Is a round ready? The office's checklist on the admin's home page and on the page that opens the round: units,
classification, commune officers, appraisers, the set's indicators, e-mail; each line with counts, the first
missing names and a link to where it is fixed, in a fixed number of queries."""

import dataclasses
import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

import pytest

from cms.directory.models import Classification, Department, Role
from criteria_pages import services as criteria_services
from criteria_pages.spec import CriterionSpec, IndicatorSpec
from submissions.models import Round, RoundStatus
from submissions.rounds.readiness import Check, blocks_opening, round_readiness
from tests.criteria_pages.factories import criteria_index, round_spec
from tests.factories import DepartmentFactory, commune, district, member, province

HOME = "/admin/"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def draft_round(version, scope_root, *, name="Đánh giá sáu tháng đầu năm 2027", status=RoundStatus.DRAFT) -> Round:
    return Round.objects.create(
        name=name,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 6, 30),
        criteria_version=version,
        scope_root=scope_root,
        scope_unit_types="Xã",
        opens_on=datetime.date(2027, 7, 1),
        due_on=datetime.date(2027, 7, 31),
        status=status,
    )


def by_check(round_) -> dict:
    return {
        item.check: item for item in round_readiness(Round.objects.select_related("criteria_version").get(pk=round_.pk))
    }


def classification_fix_url(code: str) -> str:
    """The classification import page preselecting ``code`` (the list of classifications until that page exists)."""
    try:
        return f"{reverse('directory_classification_import')}?classification={code}"
    except NoReverseMatch:
        return f"{reverse('directory_classification_modeladmin_index')}?classification={code}"


def people_fix_url() -> str:
    try:
        return reverse("people_import")
    except NoReverseMatch:
        return reverse("directory_membership_modeladmin_index")


@pytest.fixture
def round_(area, published_set):
    return draft_round(published_set["version"], area["province"])


@pytest.fixture
def appraisers(area):
    return [
        member(Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code=code), username=f"tham_dinh_{code}")
        for code in ("so-xd", "so-nnmt")
    ]


def test_the_small_province_is_ready_but_for_appraisers_and_unchecked_indicators(round_, published_set):
    items = by_check(round_)
    assert list(items) == [
        Check.UNITS,
        Check.CLASSIFICATION,
        Check.OFFICERS,
        Check.APPRAISERS,
        Check.CRITERIA,
        Check.INDICATORS,
        Check.EMAIL,
    ]
    assert items[Check.UNITS].ok and "3 đơn vị trong phạm vi" in items[Check.UNITS].sentence
    assert "Tỉnh Đắk Lắk, loại đơn vị: Xã" in items[Check.UNITS].sentence
    assert items[Check.CRITERIA].ok and "(3)" in items[Check.CRITERIA].sentence
    assert items[Check.UNITS].url == reverse("directory_unit_import")
    assert items[Check.CLASSIFICATION].ok
    assert items[Check.OFFICERS].ok and "(3)" in items[Check.OFFICERS].sentence
    appraisers = items[Check.APPRAISERS]
    assert not appraisers.ok and appraisers.level == "warning"
    assert "2/2 sở, ngành" in appraisers.sentence
    assert appraisers.missing == ["Sở Xây dựng", "Sở Nông nghiệp và Môi trường"]
    assert appraisers.url == people_fix_url()
    indicators = items[Check.INDICATORS]
    assert not indicators.ok and "4/4 chỉ tiêu" in indicators.sentence
    assert indicators.missing[0] == "1.1 Có quy hoạch chung xây dựng xã được phê duyệt"
    assert indicators.url == reverse("wagtailadmin_pages:edit", args=[published_set["page"].pk])
    assert items[Check.EMAIL].ok  # the tests' in-memory backend delivers (to the outbox)
    assert not blocks_opening(list(items.values()))


def test_appraisers_once_named_make_the_line_ok(round_, appraisers):
    assert by_check(round_)[Check.APPRAISERS].ok


def test_an_unclassified_commune_blocks_opening_and_links_to_the_classification_import(area, round_):
    commune(area["districts"]["buon_don"], "24311", "Xã Krông Na")
    items = by_check(round_)
    line = items[Check.CLASSIFICATION]
    name = Classification.objects.get(code="region").name
    assert (line.ok, line.level) == (False, "blocking")
    assert f"1/4 đơn vị trong phạm vi chưa có giá trị phân loại “{name}”" in line.sentence
    assert line.missing == ["Xã Krông Na (24311)"]
    assert line.url == classification_fix_url("region")
    assert blocks_opening(list(items.values()))
    # ... and has no commune officer either: a warning naming it, linking to the people import.
    officers = items[Check.OFFICERS]
    assert (officers.ok, officers.level, officers.missing) == (False, "warning", ["Xã Krông Na (24311)"])
    assert "1/4 đơn vị trong phạm vi chưa có cán bộ xã" in officers.sentence
    assert officers.url == people_fix_url()


def test_a_set_without_a_classification_has_nothing_to_classify(area):
    spec = dataclasses.replace(round_spec(), code="THU_CHUNG", name="Bộ tiêu chí chung", classification="")
    _page, version = criteria_services.criteria_set_import(spec=spec, parent=criteria_index())
    commune(area["districts"]["buon_don"], "24311", "Xã Krông Na")
    line = by_check(draft_round(version, area["province"]))[Check.CLASSIFICATION]
    assert line.ok and "không phụ thuộc phân loại" in line.sentence


def test_a_department_missing_from_the_province_is_named_by_its_code(area, appraisers):
    """The set names departments by code; each province has its own. Đắk Nông has a Sở Công Thương, Đắk Lắk not."""
    DepartmentFactory(code="so-ct", name="Sở Công Thương Đắk Nông", province=province("67", "Tỉnh Đắk Nông"))
    spec = round_spec()
    spec = dataclasses.replace(
        spec,
        code="THU_SO_MOI",
        name="Bộ có sở mới",
        criteria=(
            *spec.criteria,
            CriterionSpec(
                number=7,
                name="Cơ sở hạ tầng thương mại nông thôn",
                department="so-ct",
                indicators=(IndicatorSpec(code="7.1", name="Xã có chợ nông thôn", target="có"),),
            ),
        ),
    )
    _page, version = criteria_services.criteria_set_import(spec=spec, parent=criteria_index())
    line = by_check(draft_round(version, area["province"]))[Check.APPRAISERS]
    assert not line.ok and "1/3 sở, ngành" in line.sentence
    assert line.missing == ["mã “so-ct” (chưa có trong danh mục sở, ngành của tỉnh)"]
    assert line.url == reverse("directory_department_modeladmin_index")


def test_a_round_without_units_says_to_import_them(area, published_set):
    empty = province("67", "Tỉnh Đắk Nông")
    items = by_check(draft_round(published_set["version"], empty))
    assert not items[Check.UNITS].ok and "Chưa có đơn vị nào" in items[Check.UNITS].sentence
    assert items[Check.UNITS].level == "blocking" and blocks_opening(list(items.values()))
    assert items[Check.UNITS].url == reverse("directory_unit_import")
    assert not items[Check.OFFICERS].ok


@pytest.mark.parametrize(
    ("backend", "host", "expected"),
    [
        ("django.core.mail.backends.console.EmailBackend", "localhost", (False, "EMAIL_BACKEND")),
        ("django.core.mail.backends.dummy.EmailBackend", "mail.example.gov.vn", (False, "EMAIL_BACKEND")),
        ("django.core.mail.backends.smtp.EmailBackend", "localhost", (False, "EMAIL_HOST")),
        ("django.core.mail.backends.smtp.EmailBackend", "mail.example.gov.vn", (True, "Đã cấu hình thư điện tử")),
        (LOCMEM, "localhost", (True, "Đã cấu hình thư điện tử")),
    ],
)
def test_email_is_configured_when_mail_leaves_the_server(round_, settings, backend, host, expected):
    settings.EMAIL_BACKEND, settings.EMAIL_HOST = backend, host
    line = by_check(round_)[Check.EMAIL]
    ok, says = expected
    assert line.ok is ok and says in line.sentence
    assert not line.blocks_opening


def test_the_checklist_runs_a_fixed_number_of_queries_whatever_the_number_of_units(area, round_):
    def queries() -> int:
        fresh = Round.objects.select_related("criteria_version", "scope_root").get(pk=round_.pk)
        with CaptureQueriesContext(connection) as captured:
            round_readiness(fresh)
        return len(captured)

    bigger = district(area["province"], "649", "Huyện Cư M'gar")
    commune(bigger, "246100", "Xã Thử đầu tiên")  # unclassified and without an officer: the lines name it
    small = queries()
    for index in range(40):
        commune(bigger, f"2460{index:02d}", f"Xã Thử {index:02d}")
    assert queries() == small <= 10


# --- where the office sees it --------------------------------------------------------------------------------


def test_the_office_dashboard_shows_each_draft_and_open_rounds_checklist(
    client, area, round_, open_round, django_assert_max_num_queries
):
    commune(area["districts"]["buon_don"], "24311", "Xã Krông Na")
    draft_round(round_.criteria_version, area["province"], name="Đợt đã đóng", status=RoundStatus.CLOSED)
    client.force_login(area["office"])
    with django_assert_max_num_queries(60):
        home = client.get(HOME)
    assert home.status_code == 200
    assert "Chuẩn bị đợt đánh giá" in home.text
    assert round_.name in home.text and open_round.name in home.text
    assert "Đợt đã đóng" not in home.text
    assert "Xã Krông Na (24311)" in home.text
    assert f'href="{reverse("submissions_round_open", args=[round_.pk])}"' in home.text  # the draft can be opened


def test_reviewers_and_other_provinces_see_no_checklist(client, area, round_):
    client.force_login(area["reviewer"])
    assert "Chuẩn bị đợt đánh giá" not in client.get(HOME).text
    dak_nong = province("67", "Tỉnh Đắk Nông")
    client.force_login(member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67"))
    home = client.get(HOME)
    assert home.status_code == 200 and round_.name not in home.text


def test_the_open_page_shows_the_same_checklist(client, area, round_):
    client.force_login(area["office"])
    page = client.get(reverse("submissions_round_open", args=[round_.pk]))
    assert [item.check for item in page.context["preview"].readiness] == list(by_check(round_))
    assert 'id="round-readiness"' in page.text
    assert "Kiểm tra trước khi mở đợt" in page.text
    assert "chưa có cán bộ thẩm định" in page.text
