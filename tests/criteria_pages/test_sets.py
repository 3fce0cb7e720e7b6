"""Sets imported as pages: versions, the read-only API, the form page and its preview, read access."""

import datetime
from decimal import Decimal

import pytest

from cms.directory.models import Role
from criteria_pages import services
from criteria_pages.models import CriteriaIndexPage, CriteriaSetVersion
from criteria_pages.spec import (
    Comparison,
    CriterionSpec,
    EvidenceSpec,
    IndicatorSpec,
    SetSpec,
    ValueType,
)
from tests.criteria_pages.factories import EvaluationFormPageFactory, question_section
from tests.factories import DepartmentFactory, commune, district, member, province, shared_layer


def small_spec(*, target="100", name="Bộ tiêu chí thử") -> SetSpec:
    return SetSpec(
        code="THU",
        name=name,
        legal_basis="Quyết định 318/QĐ-TTg",
        decision_date=datetime.date(2022, 3, 8),
        classification="region",
        criteria=(
            CriterionSpec(
                number=2,
                name="Giao thông",
                department="so-xd",
                indicators=(
                    IndicatorSpec(
                        code="2.1",
                        name="Tỷ lệ đường xã được nhựa hóa hoặc bê tông hóa",
                        value_type=ValueType.PERCENTAGE,
                        comparison=Comparison.GTE,
                        target=target,
                        targets={"TN": "90"},
                        unit="%",
                        evidence=EvidenceSpec(description="Báo cáo", required=True, min_files=1),
                    ),
                    IndicatorSpec(
                        code="2.2",
                        name="Đường thôn được cứng hóa",
                        value_type=ValueType.BOOLEAN,
                        target="có",
                        department="so-gtvt",
                    ),
                ),
            ),
            CriterionSpec(number=8, name="Thông tin và Truyền thông", department="so-xd"),
        ),
    )


@shared_layer
def imported():
    """:func:`small_spec` imported as pages and frozen (version 1), built once for the module."""
    DepartmentFactory(code="so-xd", name="Sở Xây dựng")
    DepartmentFactory(code="so-gtvt", name="Sở Giao thông vận tải")
    index = CriteriaIndexPage.objects.get()
    page, version = services.criteria_set_import(spec=small_spec(), parent=index)
    return page, version


def test_import_builds_pages_and_freezes_an_identical_version(imported):
    page, version = imported
    assert version.number == 1
    assert version.set_spec == small_spec()
    assert [child.specific.number for child in page.get_children()] == [2, 8]


def test_reimport_with_a_change_adds_a_version_and_keeps_the_old(imported):
    page, first = imported
    _page, second = services.criteria_set_import(spec=small_spec(target="95"), parent=CriteriaIndexPage.objects.get())
    assert (first.number, second.number) == (1, 2)
    assert CriteriaSetVersion.objects.get(pk=first.pk).set_spec == small_spec()
    assert second.set_spec.criteria[0].indicators[0].target == "95"
    _page, same = services.criteria_set_import(spec=small_spec(target="95"), parent=CriteriaIndexPage.objects.get())
    assert same.pk == second.pk


def test_api_lists_sets_with_criteria_and_indicators(client, imported, django_assert_max_num_queries):
    page, version = imported
    listing = client.get("/api/v1/criteria-sets/").json()
    assert listing["count"] == 1
    assert listing["results"][0]["code"] == "THU"
    assert listing["results"][0]["version"] == 1
    with django_assert_max_num_queries(4):
        body = client.get(f"/api/v1/criteria-sets/{page.pk}/").json()
    assert body["legal_basis"] == "Quyết định 318/QĐ-TTg"
    criterion = body["criteria"][0]
    assert criterion["department"] == {"code": "so-xd", "name": "Sở Xây dựng"}
    indicator = criterion["indicators"][0]
    assert (indicator["code"], indicator["value_type"], indicator["unit"], indicator["comparison"]) == (
        "2.1",
        "percentage",
        "%",
        "gte",
    )
    assert indicator["targets"] == {"common": "100", "TN": "90"}
    assert criterion["indicators"][1]["department"] == "so-gtvt"


def test_api_hides_unpublished_sets(client, imported):
    page, _version = imported
    page.unpublish()
    assert client.get("/api/v1/criteria-sets/").json()["count"] == 0
    response = client.get(f"/api/v1/criteria-sets/{page.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_pages_api_exposes_set_pages(client, imported):
    body = client.get("/api/v2/pages/", {"type": "criteria_pages.CriteriaSetPage", "fields": "code"}).json()
    assert [item["code"] for item in body["items"]] == ["THU"]


@pytest.fixture
def form_page(imported):
    page, _version = imported
    return EvaluationFormPageFactory(
        title="Biểu mẫu tự đánh giá",
        slug="bieu-mau",
        criteria_set=page,
        sections=[question_section("Họ và tên người lập", title="Thông tin người lập biểu")],
    )


def test_preview_has_a_mode_per_group_showing_its_targets(form_page):
    assert [mode for mode, _label in form_page.preview_modes] == [
        "",
        "TDMNPB",
        "DBSH",
        "BTB",
        "DHNTB",
        "TN",
        "DNB",
        "DBSCL",
    ]
    common = form_page.make_preview_request(preview_mode="")
    assert common.status_code == 200
    assert "Mức cần đạt: <strong>≥ 100 %</strong>" in common.rendered_content
    tay_nguyen = form_page.make_preview_request(preview_mode="TN").rendered_content
    assert "Mức cần đạt: <strong>≥ 90 %</strong>" in tay_nguyen
    assert "Tây Nguyên" in tay_nguyen
    assert "Họ và tên người lập" in tay_nguyen
    assert "bắt buộc, ít nhất 1 tệp" in tay_nguyen


def test_generated_form_validates_values_by_type(form_page):
    form = form_page.build_form(data={"v_2_1": "120", "v_2_2": "yes"})
    assert not form.is_valid()
    assert "v_2_1" in form.errors
    question = "q_" + form_page.sections[0].value["questions"][0].id
    ok = form_page.build_form(data={"v_2_1": "95,5", "v_2_2": "yes", question: "Nguyễn Văn A"})
    assert ok.is_valid(), ok.errors
    assert ok.values() == {"2.1": Decimal("95.5"), "2.2": True}


@pytest.mark.parametrize("role", [Role.DISTRICT_REVIEWER, Role.DEPARTMENT_APPRAISER])
def test_reviewers_read_versions_but_cannot_edit(client, imported, role):
    page, _version = imported
    if role == Role.DEPARTMENT_APPRAISER:
        scope = {"department": DepartmentFactory()}
    else:
        scope = {"unit": district(province(), "652", "Huyện Krông Pắc")}
    client.force_login(member(role, **scope))
    assert client.get(f"/admin/criteria/sets/{page.pk}/versions/").status_code == 200
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_commune_officer_cannot_read_versions_in_the_admin(client, imported):
    page, _version = imported
    hoa_thuan = commune(district(province(), "652", "Huyện Krông Pắc"), "24400", "Xã Hòa Thuận")
    client.force_login(member(Role.COMMUNE_OFFICER, unit=hoa_thuan))
    response = client.get(f"/admin/criteria/sets/{page.pk}/versions/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_public_set_page_warns_about_unverified_indicators(client, imported):
    page, _version = imported
    response = client.get(page.url)
    assert response.status_code == 200
    assert "2 chỉ tiêu chưa được đối chiếu với văn bản quyết định" in response.text
