"""Shared setup of the titles tests: a second province beside the small one of ``tests/conftest.py`` (``area``),
with its office, and the people of every role who must not manage Đắk Lắk's titles."""

import io

import openpyxl

from cms.directory.models import Department, Role
from tests.factories import commune, member, province, shared_layer


@shared_layer
def people(area):
    """Đắk Nông (67) with one commune and its office; Đắk Lắk's construction appraiser; the national reader."""
    dak_nong = province(code="67", name="Tỉnh Đắk Nông")
    dak_nia = commune(dak_nong, "24611", "Xã Đắk Nia")
    return {
        "other_province": dak_nong,
        "other_commune": dak_nia,
        "other_office": member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67"),
        "appraiser": member(
            Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-xd"), username="so_xd"
        ),
        "national": member(Role.NATIONAL_READER, username="trung_uong"),
    }


def xlsx(rows: list[list]) -> bytes:
    """A workbook whose first sheet holds ``rows`` (the first is the header)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
