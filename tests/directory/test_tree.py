import datetime

import pytest

from cms.directory import selectors
from cms.directory.models import UnitLevel, UnitSuccession
from tests.factories import EditionFactory, commune, district, province


@pytest.fixture
def tree(db):
    dak_lak = province()
    buon_don = district(dak_lak, "648", "Huyện Buôn Đôn")
    krong_pac = district(dak_lak, "652", "Huyện Krông Pắc")
    communes = [
        commune(buon_don, "24310", "Xã Ea Wer"),
        commune(buon_don, "24313", "Xã Ea Huar"),
        commune(krong_pac, "24400", "Xã Hòa Thuận"),
        commune(krong_pac, "24401", "Thị trấn Phước An", unit_type="Thị trấn"),
    ]
    other = province(code="67", name="Tỉnh Đắk Nông")
    commune(district(other, "660", "Huyện Cư Jút"), "24600", "Xã Tâm Thắng")
    return dak_lak, buon_don, krong_pac, communes


def test_all_communes_of_a_province(tree):
    dak_lak, _buon_don, _krong_pac, communes = tree
    found = selectors.units_within(dak_lak, level=UnitLevel.COMMUNE)
    assert sorted(found.values_list("code", flat=True)) == sorted(unit.code for unit in communes)


def test_all_communes_of_a_district(tree):
    _dak_lak, buon_don, _krong_pac, _communes = tree
    assert list(selectors.units_within(buon_don).values_list("name", flat=True)) == ["Xã Ea Wer", "Xã Ea Huar"]


def test_a_subtree_never_leaks_into_another_edition(tree):
    dak_lak = tree[0]
    later = EditionFactory(date=datetime.date(2025, 7, 1), tiers=2)
    new_dak_lak = province(edition=later)
    commune(new_dak_lak, "24400", "Xã Hòa Thuận")
    assert selectors.units_within(dak_lak, level=UnitLevel.COMMUNE).count() == 4
    assert selectors.units_within(new_dak_lak).count() == 1


def test_search_ignores_diacritics_and_case(tree):
    queryset = selectors.units_with_details()
    assert [unit.name for unit in selectors.units_search(queryset, "hoa thuan")] == ["Xã Hòa Thuận"]
    assert [unit.name for unit in selectors.units_search(queryset, "PHƯỚC an")] == ["Thị trấn Phước An"]
    assert [unit.code for unit in selectors.units_search(queryset, "24310")] == ["24310"]


def test_history_follows_a_commune_across_the_reform(tree):
    _dak_lak, _buon_don, krong_pac, communes = tree
    later = EditionFactory(date=datetime.date(2025, 7, 1), tiers=2)
    merged = commune(province(edition=later), "24400", "Xã Hòa Thuận Mới")
    UnitSuccession.objects.create(successor=merged, predecessor=communes[2], kind="full")
    UnitSuccession.objects.create(successor=merged, predecessor=communes[3], kind="partial")
    assert [unit.name for unit in selectors.unit_history(merged)] == ["Xã Hòa Thuận", "Thị trấn Phước An"]
    assert list(communes[2].merged_into.all()) == [merged]
    assert krong_pac.children.count() == 2
