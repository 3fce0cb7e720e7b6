"""Whole sets in and out through the admin and the commands, as an office editor."""

import io
import json

from django.core.management import CommandError, call_command

import openpyxl
import pytest

from cms.directory.models import Role
from criteria_pages import services, starter
from criteria_pages.models import CriteriaIndexPage, CriteriaSetPage, CriteriaSetVersion
from tests.factories import DepartmentFactory, district, member, province

DEMO_DEPARTMENTS = [
    "so-nnmt", "so-xd", "so-ct", "so-gddt", "so-yt", "so-vhttdl", "so-khcn", "so-tc", "so-nv", "so-tp", "ca-tinh",
    "bchqs-tinh",
]  # fmt: skip


@pytest.fixture
def departments(db):
    for code in DEMO_DEPARTMENTS:
        DepartmentFactory(code=code, name=f"Sở {code}")


@pytest.fixture
def office(client, departments):
    client.force_login(member(Role.OFFICE_EDITOR, unit=province(), username="office"))
    return client


def upload(content: bytes, name: str):
    file = io.BytesIO(content)
    file.name = name
    return file


@pytest.mark.parametrize(
    "spec_builder", [starter.national_2021_2025, starter.national_2026_2030, starter.illustrative_demo_set]
)
def test_starter_sets_round_trip_through_the_admin(office, spec_builder):
    spec = spec_builder()
    page, _version = services.criteria_set_import(spec=spec, parent=CriteriaIndexPage.objects.get())
    for fmt in ("xlsx", "json"):
        exported = office.get(f"/admin/criteria/sets/{page.pk}/export.{fmt}")
        assert exported.status_code == 200
        CriteriaSetPage.objects.filter(pk=page.pk).update(code=f"{spec.code}_OLD")  # import must create anew
        response = office.post("/admin/criteria/import/", {"file": upload(exported.content, f"set.{fmt}")})
        assert response.status_code == 302, response.context.get("problems")
        reimported = CriteriaSetPage.objects.get(code=spec.code)
        assert reimported.pk != page.pk
        assert reimported.latest_version.set_spec == spec
        CriteriaSetPage.objects.filter(pk=reimported.pk).update(code=f"{spec.code}_{fmt}")
        CriteriaSetPage.objects.filter(pk=page.pk).update(code=spec.code)


def test_broken_workbook_lists_every_problem_and_imports_nothing(office):
    spec = starter.illustrative_demo_set()
    page, _version = services.criteria_set_import(spec=spec, parent=CriteriaIndexPage.objects.get())
    workbook = openpyxl.load_workbook(io.BytesIO(office.get(f"/admin/criteria/sets/{page.pk}/export.xlsx").content))
    sheet = workbook["Chỉ tiêu"]
    header = [cell.value for cell in sheet[2]]
    sheet.cell(row=3, column=header.index("department") + 1, value="so-khong-co")
    sheet.cell(row=4, column=header.index("value_type") + 1, value="kiểu lạ")
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = CriteriaSetVersion.objects.count()
    response = office.post("/admin/criteria/import/", {"file": upload(buffer.getvalue(), "bo.xlsx")})
    assert response.status_code == 400
    places = {(p.sheet, p.row, p.column) for p in response.context["problems"]}
    assert ("Chỉ tiêu", 3, "department") in places
    assert ("Chỉ tiêu", 4, "value_type") in places
    assert "so-khong-co" in response.text
    assert CriteriaSetVersion.objects.count() == before


def test_json_that_is_not_utf8_is_reported(office):
    response = office.post("/admin/criteria/import/", {"file": upload('{"name": "Bộ"}'.encode("utf-16"), "bo.json")})
    assert response.status_code == 400
    assert "UTF-8" in response.text


def test_blank_template_downloads_with_one_target_column_per_region(office):
    response = office.get("/admin/criteria/sets/0/export.xlsx", {"classification": "region"})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    codes = [cell.value for cell in workbook["Chỉ tiêu"][2]]
    assert [code for code in codes if str(code).startswith("mức:")] == [
        "mức: TDMNPB", "mức: DBSH", "mức: BTB", "mức: DHNTB", "mức: TN", "mức: DNB", "mức: DBSCL",
    ]  # fmt: skip
    assert office.get("/admin/criteria/sets/0/export.pdf").status_code == 404


def test_only_office_editors_import(client, departments):
    client.force_login(member(Role.DISTRICT_REVIEWER, unit=district(province(), "652", "Huyện Krông Pắc")))
    spec_json = json.dumps(starter.national_2026_2030().to_dict(), ensure_ascii=False).encode()
    response = client.post("/admin/criteria/import/", {"file": upload(spec_json, "bo.json")})
    assert response.status_code in (302, 403)
    assert not CriteriaSetPage.objects.exists()


def test_commands_export_and_import(departments, tmp_path):
    services.criteria_set_import(spec=starter.national_2026_2030(), parent=CriteriaIndexPage.objects.get())
    target = tmp_path / "bo-2026.json"
    call_command("export_criteria_set", "XA_NTM_2026_2030", "--output", str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["name"].startswith("Bộ tiêu chí quốc gia")
    broken = tmp_path / "broken.json"
    data = json.loads(target.read_text(encoding="utf-8"))
    data["criteria"][0]["department"] = "so-khong-co"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_criteria_set", str(broken))
    call_command("import_criteria_set", str(target), stdout=io.StringIO())
    assert CriteriaSetPage.objects.get(code="XA_NTM_2026_2030").versions.count() == 1
