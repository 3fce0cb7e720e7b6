"""The plan's dashboard and xlsx: registered (approved) vs reached, by title and by district (three tiers) or by
province (two tiers); the same figures on the page and in the file (read back with openpyxl)."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone

import openpyxl
import pytest

from criteria_pages.spec import TitleKind
from submissions.registration import exports, selectors, services
from submissions.registration.models import Registration
from tests.factories import EditionFactory, commune, province

from .conftest import title

ADMIN = "/admin/submissions/registration/"


def approved(period, unit, kind, year, office) -> Registration:
    registration = services.registration_submit(period=period, unit=unit, kind=kind, target_year=year)
    return services.registration_approve(registration=registration, user=office)


@pytest.fixture
def year():
    return timezone.localdate().year + 1


@pytest.fixture
def plan_data(area, period, year):
    """Krông Pắc: three communes registered for NTM in ``year`` (one reached it that year, one has no title, one
    was recognised the year after), the district itself for huyện NTM (reached). Buôn Đôn: Ea Wer for nâng cao
    (recognised, then revoked: not reached) and for NTM (waiting: not counted). One approved for the next year."""
    communes, office = area["communes"], area["office"]
    for key in ("hoa_thuan", "ea_kly", "phuoc_an"):
        approved(period, communes[key], TitleKind.XA_NTM, year, office)
    approved(period, area["districts"]["krong_pac"], TitleKind.HUYEN_NTM, year, office)
    approved(period, communes["ea_wer"], TitleKind.XA_NTM_NANG_CAO, year, office)
    services.registration_submit(period=period, unit=communes["ea_wer"], kind=TitleKind.XA_NTM, target_year=year)
    approved(period, communes["hoa_thuan"], TitleKind.XA_NTM_NANG_CAO, year + 1, office)
    title(communes["hoa_thuan"], TitleKind.XA_NTM, year)
    title(communes["phuoc_an"], TitleKind.XA_NTM, year + 1)
    title(area["districts"]["krong_pac"], TitleKind.HUYEN_NTM, year)
    title(communes["ea_wer"], TitleKind.XA_NTM_NANG_CAO, year, revoked_on=datetime.date(year, 12, 1))
    return area


def figures(row) -> list[tuple]:
    return [(cell.registered, cell.reached, cell.percent) for cell in row.cells]


def test_the_plan_by_district(plan_data, year, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        plan = selectors.registration_plan(province=plan_data["province"], year=year)
    assert plan.by_district
    assert [code for code, _label in plan.kinds] == list(TitleKind.values)
    buon_don, krong_pac = plan.rows
    assert (buon_don.name, krong_pac.name) == ("Huyện Buôn Đôn", "Huyện Krông Pắc")
    zero = None
    assert figures(buon_don) == [(0, 0, zero), (1, 0, 0), (0, 0, zero), (0, 0, zero), (0, 0, zero)]
    assert figures(krong_pac)[0] == (3, 1, Decimal("33.33"))
    assert figures(krong_pac)[3] == (1, 1, 100)
    assert figures(plan.total)[:2] == [(3, 1, Decimal("33.33")), (1, 0, 0)]
    next_year = selectors.registration_plan(province=plan_data["province"], year=year + 1)
    assert figures(next_year.total)[1] == (1, 0, 0)


def test_the_xlsx_holds_the_same_figures_cell_by_cell(plan_data, year):
    plan = selectors.registration_plan(province=plan_data["province"], year=year)
    sheet = openpyxl.load_workbook(io.BytesIO(exports.export_plan(plan))).active
    assert sheet["A1"].value == f"Kế hoạch đạt danh hiệu năm {year} – Tỉnh Đắk Lắk"
    assert sheet["A3"].value == "Đăng ký đã duyệt: 5 lượt; đã đạt: 2 (40,00%)"  # decimal comma, for reading
    assert sheet["B5"].value == "Xã đạt chuẩn nông thôn mới" and sheet["K5"].value == "Huyện đạt chuẩn nông thôn mới"
    assert [sheet.cell(6, col).value for col in range(2, 5)] == ["Đăng ký", "Đã đạt", "Tỷ lệ (%)"]
    assert [sheet.cell(row, 1).value for row in (7, 8, 9)] == ["Huyện Buôn Đôn", "Huyện Krông Pắc", "Toàn tỉnh"]
    for row_index, row in zip((7, 8, 9), [*plan.rows, plan.total], strict=True):
        for index, cell in enumerate(row.cells):
            first = 2 + index * 3
            assert sheet.cell(row_index, first).value == cell.registered
            assert sheet.cell(row_index, first + 1).value == cell.reached
            shown = sheet.cell(row_index, first + 2)
            assert shown.value == (float(cell.percent) if cell.percent is not None else None)
    assert sheet["D8"].value == 33.33 and sheet["D8"].number_format == "0.00"
    assert sheet["M8"].value == 100


def test_two_tiers_the_plan_is_by_province(area, today):
    edition = EditionFactory(date=datetime.date(2025, 7, 1), tiers=2)
    new_province = province(code="66", name="Tỉnh Đắk Lắk", edition=edition)
    ea_ktur = commune(new_province, "24384", "Xã Ea Ktur", edition=edition)
    period = services.period_open(
        province=new_province, name="Đăng ký 2026", opens_on=today, closes_on=today + datetime.timedelta(days=3)
    )
    approved(period, ea_ktur, TitleKind.XA_NTM, today.year, area["office"])
    title(ea_ktur, TitleKind.XA_NTM, today.year)
    plan = selectors.registration_plan(province=new_province, year=today.year)
    assert not plan.by_district
    assert [code for code, _label in plan.kinds] == [
        TitleKind.XA_NTM,
        TitleKind.XA_NTM_NANG_CAO,
        TitleKind.XA_NTM_KIEU_MAU,
    ]
    (row,) = plan.rows
    assert row.name == "Tỉnh Đắk Lắk" and figures(row)[0] == (1, 1, 100)
    sheet = openpyxl.load_workbook(io.BytesIO(exports.export_plan(plan))).active
    assert [sheet.cell(7, col).value for col in range(1, 5)] == ["Tỉnh Đắk Lắk", 1, 1, 100]
    assert sheet.cell(8, 1).value is None  # no total row under the province's own


def test_the_office_reads_its_dashboard_and_downloads_the_xlsx(plan_data, year, client, django_assert_max_num_queries):
    client.force_login(plan_data["office"])
    with django_assert_max_num_queries(26):  # Wagtail's admin page itself takes about 19
        page = client.get(f"{ADMIN}ke-hoach/", {"year": year})
    text = page.content.decode()
    assert page.status_code == 200 and "Huyện Krông Pắc" in text and "33,33%" in text
    response = client.get(f"{ADMIN}ke-hoach/xlsx/", {"year": year})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="ke-hoach-dang-ky-danh-hieu-66-{year}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["B8"].value == 3 and sheet["C8"].value == 1


def test_another_provinces_office_cannot_read_the_plan_the_national_reader_can(plan_data, other, year, client):
    dak_lak = plan_data["province"].pk
    client.force_login(other["office"])
    assert client.get(f"{ADMIN}ke-hoach/", {"province": dak_lak}).status_code == 404
    assert client.get(f"{ADMIN}ke-hoach/xlsx/", {"province": dak_lak}).status_code == 404
    assert "Huyện Krông Pắc" not in client.get(f"{ADMIN}ke-hoach/").content.decode()
    client.force_login(other["national"])
    page = client.get(f"{ADMIN}ke-hoach/", {"province": dak_lak, "year": year})
    assert page.status_code == 200 and "Huyện Krông Pắc" in page.content.decode()
