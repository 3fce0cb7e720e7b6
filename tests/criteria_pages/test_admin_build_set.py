"""An office editor (not a superuser) builds, publishes and revises a set through the admin's own forms."""

import dataclasses
import datetime

from wagtail.models import Page

import pytest

from cms.directory.models import Role
from criteria_pages.models import CriteriaIndexPage, CriteriaSetPage, CriteriaSetVersion, CriterionPage
from criteria_pages.selectors import diff_specs
from criteria_pages.spec import Comparison, EvidenceSpec, ValueType
from tests.criteria_pages.factories import criterion_form, indicator_form, round_spec, set_form
from tests.factories import DepartmentFactory, district, member, province


@pytest.fixture
def office(client, db):
    client.force_login(member(Role.OFFICE_EDITOR, unit=province(), username="office"))
    return client


def test_office_editor_builds_publishes_and_revises_a_set(office):
    index = CriteriaIndexPage.objects.get()
    construction = DepartmentFactory(code="so-xd", name="Sở Xây dựng")

    response = office.post(f"/admin/pages/add/criteria_pages/criteriasetpage/{index.pk}/", set_form())
    assert response.status_code == 302, response.context["form"].errors
    set_page = CriteriaSetPage.objects.get(code="THU_NGHIEM")
    assert not set_page.live  # a set without criteria is not published: it stays a draft until it has some

    response = office.post(
        f"/admin/pages/add/criteria_pages/criterionpage/{set_page.pk}/",
        criterion_form(
            2,
            "Giao thông",
            construction,
            [indicator_form("2.1", "Tỷ lệ đường xã được nhựa hóa", "100", tn_target="90")],
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    criterion = CriterionPage.objects.get(number=2)

    # Publishing the set freezes what is live now.
    response = office.post(f"/admin/pages/{set_page.pk}/edit/", set_form())
    assert response.status_code == 302
    version = CriteriaSetVersion.objects.filter(set_page=set_page).order_by("-number").first()
    indicator = version.set_spec.criteria[0].indicators[0]
    assert (indicator.code, indicator.target, indicator.targets) == ("2.1", "100", {"TN": "90"})
    assert version.set_spec.criteria[0].department == "so-xd"
    frozen_number, frozen_spec = version.number, version.spec

    # Editing afterwards creates the next version and leaves the frozen one alone.
    response = office.post(
        f"/admin/pages/{criterion.pk}/edit/",
        criterion_form(
            2,
            "Giao thông",
            construction,
            [
                indicator_form(
                    "2.1", "Tỷ lệ đường xã được nhựa hóa", "100", tn_target="95", id=criterion.indicators.get().pk
                )
            ],
            initial_indicators=1,
        ),
    )
    assert response.status_code == 302
    assert criterion.indicators.count() == 1
    office.post(f"/admin/pages/{set_page.pk}/edit/", set_form())
    latest = CriteriaSetVersion.objects.filter(set_page=set_page).order_by("-number").first()
    assert latest.number == frozen_number + 1
    assert CriteriaSetVersion.objects.get(set_page=set_page, number=frozen_number).spec == frozen_spec

    # Publishing again with no change does not create an empty version.
    office.post(f"/admin/pages/{set_page.pk}/edit/", set_form())
    assert CriteriaSetVersion.objects.filter(set_page=set_page).order_by("-number").first().number == latest.number

    # The admin shows exactly what changed between the two versions.
    response = office.get(f"/admin/criteria/sets/{set_page.pk}/versions/", {"from": frozen_number, "to": latest.number})
    assert response.status_code == 200
    changes = [(c.where, c.before, c.after) for c in response.context["changes"]]
    assert changes == [("Tiêu chí 2 › Chỉ tiêu 2.1", "TN: ≥ 90 %", "TN: ≥ 95 %")]  # targets read as words


def test_invalid_indicator_keeps_what_the_editor_typed(office):
    index = CriteriaIndexPage.objects.get()
    office.post(f"/admin/pages/add/criteria_pages/criteriasetpage/{index.pk}/", set_form())
    set_page = CriteriaSetPage.objects.get(code="THU_NGHIEM")
    response = office.post(
        f"/admin/pages/add/criteria_pages/criterionpage/{set_page.pk}/",
        criterion_form(
            3,
            "Thủy lợi và phòng, chống thiên tai",
            DepartmentFactory(),
            [indicator_form("3.1", "Mức độ đáp ứng yêu cầu tưới tiêu", "", value_type="choice", choices="")],
        ),
    )
    assert response.status_code == 200
    assert not CriterionPage.objects.filter(number=3).exists()
    assert "Mức độ đáp ứng yêu cầu tưới tiêu" in response.text
    assert "Kiểu “Chọn một mức” cần ít nhất một mức." in response.text


def test_duplicate_indicator_codes_are_refused(office):
    index = CriteriaIndexPage.objects.get()
    office.post(f"/admin/pages/add/criteria_pages/criteriasetpage/{index.pk}/", set_form())
    set_page = CriteriaSetPage.objects.get(code="THU_NGHIEM")
    response = office.post(
        f"/admin/pages/add/criteria_pages/criterionpage/{set_page.pk}/",
        criterion_form(
            2,
            "Giao thông",
            DepartmentFactory(),
            [indicator_form("2.1", "Đường xã", "100"), indicator_form("2.1", "Đường thôn", "90")],
        ),
    )
    assert response.status_code == 200
    assert "Mã chỉ tiêu 2.1 bị trùng" in response.text
    assert not CriterionPage.objects.exists()


def test_reviewer_cannot_add_or_edit_sets(client, db):
    dak_lak = province()
    client.force_login(member(Role.DISTRICT_REVIEWER, unit=district(dak_lak, "652", "Huyện Krông Pắc")))
    index = CriteriaIndexPage.objects.get()
    response = client.post(f"/admin/pages/add/criteria_pages/criteriasetpage/{index.pk}/", set_form())
    assert response.status_code in (302, 403)
    assert not CriteriaSetPage.objects.exists()
    assert Page.objects.filter(depth__gt=3).count() == 0


def test_the_comparison_of_two_versions_reads_in_words():
    """What an office reads between two versions: the comparison sign, the value type's name, Có/Không, the
    evidence rule and dates — never "gte", "percentage", "True" or a dataclass."""
    before = round_spec()
    indicator = before.criteria[0].indicators[0]
    changed = dataclasses.replace(
        indicator,
        comparison=Comparison.LTE,
        value_type=ValueType.PERCENTAGE,
        verified=not indicator.verified,
        evidence=EvidenceSpec(description="Biên bản kiểm tra", required=True, min_files=2),
    )
    after = dataclasses.replace(
        before,
        valid_from=datetime.date(2026, 2, 15),
        criteria=[dataclasses.replace(before.criteria[0], indicators=[changed, *before.criteria[0].indicators[1:]])]
        + list(before.criteria[1:]),
    )
    text = " | ".join(f"{c.field}: {c.before} → {c.after}" for c in diff_specs(before, after))
    assert "15/02/2026" in text
    assert "≤" in text and "Tỷ lệ (%)" in text
    assert "Bắt buộc, ít nhất 2 tệp (Biên bản kiểm tra)" in text
    assert "Có" in text and "Không" in text
    for code in ("gte", "lte", "percentage", "True", "False", "EvidenceSpec", "required="):
        assert code not in text
