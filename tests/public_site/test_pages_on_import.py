"""Importing a unit list creates the public pages of the site's province's communes."""

import datetime

import pytest

from cms.directory import services
from public_site.models import CommunePage, HomePage
from tests.factories import province

HEADER = (
    "province_code,province_name,province_type,district_code,district_name,district_type,"
    "commune_code,commune_name,commune_type,region"
)


@pytest.mark.django_db
def test_unit_import_creates_commune_pages_for_the_sites_province(django_capture_on_commit_callbacks):
    home = HomePage.objects.get()
    home.province = province()
    home.save()
    rows = [
        "66,Tỉnh Đắk Lắk,Tỉnh,652,Huyện Krông Pắc,Huyện,24400,Xã Hòa Thuận,Xã,TN",
        "66,Tỉnh Đắk Lắk,Tỉnh,652,Huyện Krông Pắc,Huyện,24401,Xã Ea Kly,Xã,TN",
        "67,Tỉnh Đắk Nông,Tỉnh,660,Huyện Cư Jút,Huyện,24600,Xã Tâm Thắng,Xã,TN",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        report = services.units_import(
            data="\n".join([HEADER, *rows]).encode(), filename="units.csv", edition_date=datetime.date(2025, 3, 1)
        )
    assert report.ok
    assert sorted(CommunePage.objects.values_list("title", flat=True)) == ["Xã Ea Kly", "Xã Hòa Thuận"]
