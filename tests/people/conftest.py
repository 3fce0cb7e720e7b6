"""Fixtures of the people tests: links in e-mails point at the public address, and a second province."""

import pytest

from cms.directory.models import Role
from tests.factories import DepartmentFactory, commune, district, member, province

PUBLIC_BASE_URL = "https://ntm.example.gov.vn"


@pytest.fixture(autouse=True)
def _public_base_url(settings):
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL


@pytest.fixture
def dak_nong(db):
    """Đắk Nông (67): a district, a commune, its own so-xd and its office editor."""
    unit = province(code="67", name="Tỉnh Đắk Nông")
    dak_mil = district(unit, "660", "Huyện Đắk Mil")
    dak_nia = commune(dak_mil, "24611", "Xã Đắk Nia")
    department = DepartmentFactory(code="so-xd", name="Sở Xây dựng Đắk Nông", province=unit)
    office = member(Role.OFFICE_EDITOR, unit=unit, username="vanphong_67")
    officer = member(Role.COMMUNE_OFFICER, unit=dak_nia, username="canbo_67")
    return {
        "province": unit,
        "district": dak_mil,
        "commune": dak_nia,
        "department": department,
        "office": office,
        "officer": officer,
    }
