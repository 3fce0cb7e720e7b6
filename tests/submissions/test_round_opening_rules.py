"""Round opening that cannot go wrong, as the office editor meets it: unit types are picked among those of the
province and checked against the chosen scope, a scope with no unit is refused with its count, and a version
with criteria without indicators is refused naming them (form, open page, service, readiness)."""

import dataclasses
import datetime

from django.urls import reverse

import pytest

from cms.directory.models import Role
from criteria_pages import services as criteria_services
from criteria_pages.spec import CriterionSpec
from submissions.errors import SubmissionError
from submissions.models import Round, RoundKind, RoundStatus, Submission
from submissions.rounds import services as round_services
from submissions.rounds.readiness import Check, blocks_opening, round_readiness
from tests.criteria_pages.factories import criteria_index, round_spec
from tests.factories import commune, district, member, province

CREATE = "/admin/submissions/round/create/"
NAME = "Đánh giá sáu tháng đầu năm 2027"


def form_data(published_set, area, **overrides):
    data = {
        "name": NAME,
        "kind": RoundKind.SIX_MONTHLY,
        "period_start": "01/01/2027",
        "period_end": "30/06/2027",
        "criteria_version": published_set["version"].pk,
        "form_page": published_set["form_page"].pk,
        "scope_root": area["province"].pk,
        "scope_unit_types": ["Xã"],
        "opens_on": "01/07/2027",
        "due_on": "31/07/2027",
        "prefill_from": "",
    }
    data.update(overrides)
    return data


def draft_round(version, scope_root, *, unit_types="Xã") -> Round:
    return Round.objects.create(
        name=NAME,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 6, 30),
        criteria_version=version,
        scope_root=scope_root,
        scope_unit_types=unit_types,
        opens_on=datetime.date(2027, 7, 1),
        due_on=datetime.date(2027, 7, 31),
    )


def open_url(round_) -> str:
    return reverse("submissions_round_open", args=[round_.pk])


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def office(client, area):
    client.force_login(area["office"])
    return client


@pytest.fixture
def without_indicators(published_set):
    """The test set with a criterion 19 whose indicators the office has not entered yet (as the 2026–2030
    starter set has until the annex is typed in), published as its own version."""
    spec = round_spec()
    spec = dataclasses.replace(
        spec,
        code="THU_THIEU_CHI_TIEU",
        name="Bộ tiêu chí thiếu chỉ tiêu",
        criteria=(*spec.criteria, CriterionSpec(number=19, name="Quốc phòng và an ninh", department="so-xd")),
    )
    _page, version = criteria_services.criteria_set_import(spec=spec, parent=criteria_index())
    return version


# --- unit types: a choice among those present ---------------------------------------------------------------


def test_the_form_offers_the_unit_types_of_the_province_only(office, area, published_set):
    far = district(province("67", "Tỉnh Đắk Nông"), "660", "Huyện Cư Jút")
    commune(far, "24600", "Phường Nghĩa Đức", unit_type="Phường")
    page = office.get(CREATE)
    field = page.context["form"].fields["scope_unit_types"]
    assert list(field.choices) == [("Thị trấn", "Thị trấn"), ("Xã", "Xã")]
    assert 'type="checkbox" name="scope_unit_types" value="Xã"' in page.text
    assert "Phường" not in page.text


@pytest.mark.parametrize("typed", ["xã", "Phường", "Xa"])
def test_a_unit_type_not_in_the_province_is_refused_in_vietnamese_and_the_input_kept(
    office, area, published_set, typed
):
    response = office.post(CREATE, form_data(published_set, area, scope_unit_types=[typed]))
    assert response.status_code == 200
    assert response.context["form"].errors["scope_unit_types"] == [
        f"“{typed}” không phải một loại đơn vị cấp xã có trong tỉnh: hãy chọn trong danh sách."
    ]
    assert f'value="{NAME}"' in response.text
    assert not Round.objects.exists()


def test_a_type_the_chosen_district_lacks_is_refused_naming_the_types_it_has(office, area, published_set):
    buon_don = area["districts"]["buon_don"]
    response = office.post(
        CREATE, form_data(published_set, area, scope_root=buon_don.pk, scope_unit_types=["Thị trấn"])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["scope_unit_types"] == [
        "“Huyện Buôn Đôn” không có đơn vị loại “Thị trấn”. Các loại có trong phạm vi: Xã (1)."
    ]
    assert not Round.objects.exists()


def test_a_district_without_communes_is_refused_with_its_count(office, area, published_set):
    empty = district(area["province"], "653", "Huyện Lắk")
    response = office.post(CREATE, form_data(published_set, area, scope_root=empty.pk, scope_unit_types=[]))
    assert response.status_code == 200
    assert response.context["form"].errors["scope_root"] == [
        "“Huyện Lắk” có 0 đơn vị cấp xã: đợt sẽ không có hồ sơ nào. Hãy chọn phạm vi khác."
    ]
    assert not Round.objects.exists()


def test_chosen_types_are_kept_shown_again_and_opened(office, area, published_set):
    response = office.post(CREATE, form_data(published_set, area, scope_unit_types=["Xã", "Thị trấn"]))
    assert response.status_code == 302, response.context["form"].errors
    round_ = Round.objects.get()
    assert round_.scope_unit_types == "Thị trấn, Xã"
    edit = office.get(f"/admin/submissions/round/edit/{round_.pk}/")
    assert edit.context["form"].initial["scope_unit_types"] == ["Thị trấn", "Xã"]
    confirm = office.get(open_url(round_))
    assert confirm.context["preview"].scope_count == 4
    assert '<dd id="scope-count">4</dd>' in confirm.text
    assert round_services.round_open(round_=round_, user=area["office"]) == 4


def test_an_office_of_another_province_picks_among_its_own_types(client, area, published_set):
    dak_nong = province("67", "Tỉnh Đắk Nông")
    commune(district(dak_nong, "660", "Huyện Cư Jút"), "24600", "Phường Nghĩa Đức", unit_type="Phường")
    client.force_login(member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67"))
    field = client.get(CREATE).context["form"].fields["scope_unit_types"]
    assert list(field.choices) == [("Phường", "Phường")]


# --- a scope with no unit -------------------------------------------------------------------------------------


def test_a_round_whose_types_match_no_unit_is_not_opened_and_the_page_says_zero(office, area, published_set):
    """A round stored before the types were a choice ("xã" in lower case) opens nothing: refused, not 0 files."""
    round_ = draft_round(published_set["version"], area["province"], unit_types="xã")
    with pytest.raises(SubmissionError) as refused:
        round_services.round_open(round_=round_, user=area["office"])
    assert "có 0 đơn vị" in refused.value.message and "Tỉnh Đắk Lắk, loại đơn vị: xã" in refused.value.message

    page = office.get(open_url(round_))
    assert '<dd id="scope-count">0</dd>' in page.text
    assert 'id="opening-refused"' in page.text and "Chưa có đơn vị nào trong phạm vi đợt" in page.text
    assert '<button type="submit" class="button">Mở đợt</button>' not in page.text

    response = office.post(open_url(round_))
    assert response.status_code == 409
    assert any("có 0 đơn vị" in message for message in shown_messages(response))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT
    assert not Submission.objects.filter(round=round_).exists()


def test_the_empty_scope_blocks_in_the_readiness_checklist(area, published_set):
    round_ = draft_round(published_set["version"], area["province"], unit_types="Phường")
    items = {item.check: item for item in round_readiness(round_)}
    assert items[Check.UNITS].level == "blocking"
    assert "0 đơn vị" in items[Check.UNITS].sentence
    assert blocks_opening(list(items.values()))


# --- criteria without indicators -----------------------------------------------------------------------------


def test_a_version_with_criteria_without_indicators_is_refused_with_the_list(area, without_indicators):
    round_ = draft_round(without_indicators, area["province"])
    with pytest.raises(SubmissionError) as refused:
        round_services.round_open(round_=round_, user=area["office"])
    assert refused.value.details == ["Tiêu chí 19. Quốc phòng và an ninh"]
    assert "1 tiêu chí" in refused.value.message and "Tiêu chí 19. Quốc phòng và an ninh" in refused.value.message
    assert not Submission.objects.filter(round=round_).exists()

    line = {item.check: item for item in round_readiness(round_)}[Check.CRITERIA]
    assert (line.ok, line.level) == (False, "blocking")
    assert "1/4 tiêu chí" in line.sentence
    assert line.missing == ["Tiêu chí 19. Quốc phòng và an ninh"]
    assert line.url == reverse("wagtailadmin_pages:edit", args=[without_indicators.set_page_id])


def test_the_open_page_lists_them_and_offers_no_button(office, area, without_indicators):
    round_ = draft_round(without_indicators, area["province"])
    page = office.get(open_url(round_))
    refusal = page.text.split('id="opening-refused"')[1].split("</div>")[0]
    assert "Tiêu chí 19. Quốc phòng và an ninh" in refusal
    assert '<button type="submit" class="button">Mở đợt</button>' not in page.text

    response = office.post(open_url(round_))
    assert response.status_code == 409
    assert any("Tiêu chí 19. Quốc phòng và an ninh" in message for message in shown_messages(response))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT


def test_a_complete_version_opens_as_before(office, area, published_set):
    round_ = draft_round(published_set["version"], area["province"])
    page = office.get(open_url(round_))
    assert 'id="opening-refused"' not in page.text
    assert '<button type="submit" class="button">Mở đợt</button>' in page.text
    response = office.post(open_url(round_), follow=True)
    assert any("tạo 3 hồ sơ" in message for message in shown_messages(response))
