"""OCOP product sets in the criteria pages: an office (not a superuser) builds one in the set editor (scored items
need their maximum, publishing needs the score rule and star bands), the generated form reads a score of 0..max
("12,5" too), the words say "Tối đa 40 điểm", and the public page of the illustrative set reads sensibly."""

import dataclasses
from decimal import Decimal

from wagtail.test.utils.form_data import inline_formset

import pytest

from cms.directory.models import Role
from criteria_pages import services, starter
from criteria_pages.forms import EvaluationForm
from criteria_pages.models import CriteriaIndexPage, CriteriaSetPage, CriteriaSetVersion, CriterionPage
from criteria_pages.spec import ScoreBand, SetLevel, StandardRule, ValueType
from criteria_pages.targets import indicator_target_problems
from criteria_pages.wording import target_words, value_words
from tests.criteria_pages.factories import criteria_index, criterion_form, indicator_form, set_form
from tests.factories import DepartmentFactory, member, province

BANDS_WITH_STARS = [
    {"label": f"{stars} sao", "min_points": str(minimum), "stars": str(stars)}
    for stars, minimum in ((5, 90), (4, 70), (3, 50), (2, 30), (1, 0))
]
SCORING = {
    "score_average": "mean",
    "score_decimals": "2",
    "score_rounding": "half_up",
    "score_gap": "10",
    "certificate_months": "36",
    "reminder_days": "90",
    "min_recognised_stars": "3",
    "national_stars": "5",
    "bands_verified": "",
    "bands_source": "QĐ 1048/QĐ-TTg (2019), chưa đối chiếu",
}


def product_set_form(**overrides):
    data = {
        "title": "Bộ tiêu chí OCOP thử nghiệm",
        "slug": "bo-ocop-thu",
        "code": "OCOP_THU",
        "level": SetLevel.PRODUCT,
        "classification": "",
        "standard_rule": StandardRule.SCORE,
        "standard_min": "50",
        "bands": inline_formset(BANDS_WITH_STARS),
        **SCORING,
    }
    data.update(overrides)
    return set_form(**data)


def saved_bands(set_page, *, stars: bool = True):
    """The set's band rows as its editor posts them back (ids kept), with or without their stars."""
    rows = [
        {**band, "id": row.pk, "stars": band["stars"] if stars else ""}
        for band, row in zip(BANDS_WITH_STARS, set_page.bands.order_by("sort_order"), strict=True)
    ]
    return inline_formset(rows, initial=len(rows))


def score_item(code, name, points, **overrides):
    return indicator_form(
        code,
        name,
        "",
        value_type=ValueType.SCORE,
        unit="điểm",
        evidence_required="",
        evidence_min_files="0",
        points=points,
        **overrides,
    )


@pytest.fixture
def office(client, db):
    client.force_login(member(Role.OFFICE_EDITOR, unit=province(), username="office"))
    return client


def test_office_builds_a_product_set_with_scored_items_and_star_bands(office):
    index = CriteriaIndexPage.objects.get()
    response = office.post(f"/admin/pages/add/criteria_pages/criteriasetpage/{index.pk}/", product_set_form())
    assert response.status_code == 302, response.context["form"].errors
    set_page = CriteriaSetPage.objects.get(code="OCOP_THU")
    department = DepartmentFactory()

    # A scored item without its maximum is refused, in words, keeping what was typed.
    response = office.post(
        f"/admin/pages/add/criteria_pages/criterionpage/{set_page.pk}/",
        criterion_form(1, "Sản phẩm và sức mạnh cộng đồng", department, [score_item("A1", "Tổ chức sản xuất", "")]),
    )
    assert response.status_code == 200
    assert "Chỉ tiêu kiểu “Điểm chấm” cần điểm tối đa (lớn hơn 0)" in response.text
    assert "Tổ chức sản xuất" in response.text
    assert not CriterionPage.objects.filter(number=1).exists()

    # With it, no target is asked for: the criterion is published.
    response = office.post(
        f"/admin/pages/add/criteria_pages/criterionpage/{set_page.pk}/",
        criterion_form(1, "Sản phẩm và sức mạnh cộng đồng", department, [score_item("A1", "Tổ chức sản xuất", "40")]),
    )
    assert response.status_code == 302, response.context["form"].formsets["indicators"].errors

    # Publishing with bands that give no stars is refused with a clear message.
    response = office.post(
        f"/admin/pages/{set_page.pk}/edit/", product_set_form(bands=saved_bands(set_page, stars=False))
    )
    assert response.status_code == 200
    assert "Khung xếp hạng cần ghi số sao của từng hạng." in response.text
    assert not CriteriaSetVersion.objects.filter(set_page=set_page).exists()

    # The editor warns that the bands are not verified.
    editor = office.get(f"/admin/pages/{set_page.pk}/edit/")
    assert "Khung điểm xếp hạng sao chưa được đối chiếu với văn bản quyết định" in editor.text
    assert "Chấm điểm OCOP" in editor.text

    response = office.post(f"/admin/pages/{set_page.pk}/edit/", product_set_form(bands=saved_bands(set_page)))
    assert response.status_code == 302
    frozen = CriteriaSetVersion.objects.get(set_page=set_page).set_spec
    assert frozen.level == SetLevel.PRODUCT
    assert [band.stars for band in frozen.bands] == [5, 4, 3, 2, 1]
    assert frozen.scoring.bands_verified is False and frozen.scoring.min_recognised_stars == 3
    item = frozen.criteria[0].indicators[0]
    assert (item.value_type, item.points, item.target) == (ValueType.SCORE, Decimal(40), "")


def test_a_product_set_scored_on_criteria_is_refused(office):
    index = CriteriaIndexPage.objects.get()
    response = office.post(
        f"/admin/pages/add/criteria_pages/criteriasetpage/{index.pk}/", product_set_form(standard_rule="all")
    )
    assert response.status_code == 200
    assert "Tổng điểm đạt ngưỡng" in response.text
    assert not CriteriaSetPage.objects.filter(code="OCOP_THU").exists()


@pytest.fixture(scope="module")
def ocop_spec():
    return starter.illustrative_ocop_set()


def test_the_illustrative_set_has_parts_a_b_c_and_the_2019_bands(ocop_spec):
    parts = {criterion.group: sum(i.points for i in criterion.indicators) for criterion in ocop_spec.criteria}
    assert parts == {"Phần A": 40, "Phần B": 25, "Phần C": 35}
    assert [len(criterion.indicators) for criterion in ocop_spec.criteria] == [3, 2, 3]
    assert all(i.value_type == ValueType.SCORE and not i.verified for _c, i in ocop_spec.indicators())
    assert all("minh họa" in i.source_text and "Phụ lục III" in i.source_text for _c, i in ocop_spec.indicators())
    assert ocop_spec.bands == tuple(
        ScoreBand(f"{stars} sao", Decimal(minimum), stars)
        for stars, minimum in ((5, 90), (4, 70), (3, 50), (2, 30), (1, 0))
    )
    assert (ocop_spec.level, ocop_spec.standard_rule, ocop_spec.standard_min) == ("product", "score", Decimal(50))
    assert ocop_spec.is_illustrative and not ocop_spec.scoring.bands_verified
    assert "1048/QĐ-TTg" in ocop_spec.scoring.bands_source


def test_a_score_field_takes_0_to_its_maximum_with_a_decimal_comma(ocop_spec):
    item = ocop_spec.criteria[0].indicators[0]  # A1, at most 15 points
    assert item.points == 15
    form = EvaluationForm(spec=ocop_spec, data={"v_A1": "12,5", "v_A2": "15", "v_B1": "16", "v_C1": "-1"})
    field = form.fields["v_A1"]
    assert field.help_text.startswith("Tối đa 15 điểm")
    assert field.widget.attrs["inputmode"] == "decimal"
    assert not form.is_valid()
    assert form.cleaned_data["v_A1"] == Decimal("12.5")
    assert form.cleaned_data["v_A2"] == Decimal(15)
    assert form.errors["v_B1"] == ["Điểm phải từ 0 đến 15."]
    assert form.errors["v_C1"] == ["Điểm phải từ 0 đến 15."]
    assert "v_A3" not in form.errors  # empty: not scored yet, not an error
    form = EvaluationForm(spec=ocop_spec, data={"v_A1": "12,5", "v_A2": "abc"})
    assert not form.is_valid() and "v_A2" in form.errors and form.data["v_A2"] == "abc"


def test_a_scored_item_reads_its_maximum_and_needs_no_target(ocop_spec):
    item = ocop_spec.criteria[0].indicators[0]
    assert target_words(item) == "Tối đa 15 điểm"
    assert target_words(dataclasses.replace(item, points=Decimal(40))) == "Tối đa 40 điểm"
    assert value_words(item, "12,5") == "12,5 điểm"
    assert indicator_target_problems(item, classification="", groups=None) == []
    assert indicator_target_problems(dataclasses.replace(item, target="10"), classification="", groups=None) == []


@pytest.mark.django_db
def test_the_public_page_of_a_product_set_reads_its_parts_and_star_bands(client):
    name, content = starter.illustrative_ocop_file()
    report = services.criteria_set_import_file(data=content, filename=name, parent=criteria_index())
    assert report.ok, report.problems
    page = client.get(report.page.url)
    assert page.status_code == 200
    text = page.text
    assert "Phần A: Sản phẩm và sức mạnh cộng đồng" in text and "Tối đa 40 điểm" in text
    assert "Phần B: Khả năng tiếp thị" in text and "Tối đa 25 điểm" in text
    assert "Tối đa 35 điểm" in text
    for line in (
        "5 sao: từ 90 điểm",
        "4 sao: từ 70 điểm",
        "3 sao: từ 50 điểm",
        "2 sao: từ 30 điểm",
        "1 sao: từ 0 điểm",
    ):
        assert line in text
    assert "Khung điểm xếp hạng sao chưa được đối chiếu với văn bản quyết định" in text
    assert "Bộ tiêu chí minh họa" in text
    assert "score" not in text.lower().replace("score-bands", "")  # codes never show
    criterion = CriterionPage.objects.child_of(report.page).get(number=1)
    assert "Tối đa 15 điểm" in client.get(criterion.url).text
