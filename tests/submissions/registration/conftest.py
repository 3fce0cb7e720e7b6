"""The registration's fixtures: an open period of the small province (``area``, Đắk Lắk 66), a second province
(Đắk Nông 67) with its own office, officer and period, a national reader and a department appraiser."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest

from cms.directory.models import Department, Role
from submissions.registration import services
from submissions.titles.models import Title
from tests.factories import commune, member, province
from tests.submissions.factories import PDF


def pdf(name: str = "ke-hoach.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def title(unit, kind: str, year: int, **kwargs) -> Title:
    """A title held by ``unit`` since 1 June of ``year`` (imported: no round needed)."""
    return Title.objects.create(
        unit=unit,
        kind=kind,
        source="import",
        set_name="Bộ tiêu chí thử",
        decision_number=f"{unit.code}/QĐ-UBND",
        decision_date=datetime.date(year, 6, 1),
        **kwargs,
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def period(area, today):
    return services.period_open(
        province=area["province"],
        name="Đăng ký danh hiệu năm 2026",
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=25),
        user=area["office"],
    )


@pytest.fixture
def other(area, today):
    dak_nong = province(code="67", name="Tỉnh Đắk Nông")
    dak_nia = commune(dak_nong, "24611", "Xã Đắk Nia")
    department = Department.objects.get(code="so-xd")
    return {
        "province": dak_nong,
        "commune": dak_nia,
        "office": member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67"),
        "officer": member(Role.COMMUNE_OFFICER, unit=dak_nia, username="canbo_67"),
        "national": member(Role.NATIONAL_READER, username="trung_uong"),
        "appraiser": member(Role.DEPARTMENT_APPRAISER, department=department, username="so_xd"),
        "period": services.period_open(
            province=dak_nong,
            name="Đăng ký của Đắk Nông",
            opens_on=today - datetime.timedelta(days=1),
            closes_on=today + datetime.timedelta(days=10),
        ),
    }
