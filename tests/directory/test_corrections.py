"""Corrections of an official list are data: imported from a file, applied once in place, audited, and never undone
by a later import of the list as published (Xã Ia Mơ, Gia Lai: 23737 → 23938 in the 2025-07-01 list)."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

import pytest

from cms.audit.models import AuditEntry
from cms.directory import corrections, demo, services
from cms.directory.models import (
    ClassificationValue,
    Membership,
    Role,
    Unit,
    UnitClassification,
    UnitCodeCorrection,
    UnitSuccession,
)
from tests.factories import UserFactory, commune, member, shared_layer

THREE, TWO = datetime.date(2025, 3, 1), datetime.date(2025, 7, 1)
PAGE = "/admin/directory/unit-corrections/"
SHIPPED = corrections.SHIPPED_DIR / "2025-07-01.csv"
HEADER = "edition,old_code,new_code,legal_basis,note"
THREE_LEVEL = (
    "province_code,province_name,province_type,district_code,district_name,district_type,"
    "commune_code,commune_name,commune_type,region\n"
    "64,Tỉnh Gia Lai,Tỉnh,627,Huyện Chư Păh,Huyện,23737,Xã Ia Mơ Nông,Xã,TN\n"
    "64,Tỉnh Gia Lai,Tỉnh,632,Huyện Chư Prông,Huyện,23938,Xã Ia Mơ,Xã,TN\n"
)
TWO_LEVEL = (
    "province_code,province_name,commune_code,commune_name,commune_type,region,merged_from\n"
    "52,Tỉnh Gia Lai,23734,Xã Ia Ly,Xã,TN,23737:full\n"
    "52,Tỉnh Gia Lai,23737,Xã Ia Mơ,Xã,TN,23938:full\n"
    "66,Tỉnh Đắk Lắk,24400,Xã Hòa Thuận,Xã,TN,\n"
)
VILLAGES = "code,name,type,level,parent_code\n2373701,Thôn Một,Thôn,village,23737\n"


def import_csv(text: str, date=TWO, filename="units.csv"):
    report = services.units_import(data=text.encode("utf-8"), filename=filename, edition_date=date)
    assert report.ok, report.problems
    return report


def correct(*lines: str, actor=None):
    data = ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")
    return corrections.corrections_import(data=data, filename="dinh-chinh.csv", actor=actor)


@shared_layer
def gia_lai():
    """Both lists for Gia Lai as published, a village under Xã Ia Mơ, and what people attached to it."""
    import_csv(THREE_LEVEL, date=THREE)
    import_csv(TWO_LEVEL)
    import_csv(VILLAGES)
    ia_mo = Unit.objects.get(edition__date=TWO, code="23737")
    officer = member(Role.COMMUNE_OFFICER, unit=ia_mo, username="canbo_iamo")
    group_3 = ClassificationValue.objects.get(classification__code="commune_group", code="NHOM_3")
    UnitClassification.objects.create(unit=ia_mo, classification=group_3.classification, value=group_3)
    return {"ia_mo": ia_mo.pk, "officer": officer.pk}


def test_the_shipped_correction_renames_the_unit_in_place_and_keeps_everything_attached(gia_lai):
    output = io.StringIO()
    call_command("import_unit_corrections", stdout=output)  # the files shipped in data/corrections/
    assert "23737 -> 23938 applied to Xã Ia Mơ (23938)" in output.getvalue()

    ia_mo = Unit.objects.get(pk=gia_lai["ia_mo"])
    assert (ia_mo.code, ia_mo.path, ia_mo.name) == ("23938", "52/23938/", "Xã Ia Mơ")
    assert Unit.objects.get(edition__date=TWO, code="2373701").path == "52/23938/2373701/"
    assert Membership.objects.get(user_id=gia_lai["officer"]).unit_id == ia_mo.pk
    assert "commune_group: NHOM_3" in ia_mo.classification_summary
    assert list(ia_mo.merged_from.values_list("code", "name")) == [("23938", "Xã Ia Mơ")]
    # Xã Ia Ly's predecessor is the old Xã Ia Mơ Nông, whose code 23737 is right in the old list.
    ia_ly = Unit.objects.get(edition__date=TWO, code="23734")
    assert list(ia_ly.merged_from.values_list("name", flat=True)) == ["Xã Ia Mơ Nông"]

    recorded = UnitCodeCorrection.objects.get()
    assert (recorded.edition_date, recorded.old_code, recorded.new_code, recorded.unit_id) == (
        TWO,
        "23737",
        "23938",
        ia_mo.pk,
    )
    assert recorded.legal_basis == "Quyết định 19/2025/QĐ-TTg; danh mục ĐVHC của Cục Thống kê"
    entry = AuditEntry.objects.about(ia_mo).get(action="unit_code_corrected")
    assert entry.get_action_display() == "Đính chính mã đơn vị"
    assert (entry.before, entry.after["mã"]) == ({"mã": "23737"}, "23938")
    assert "19/2025/QĐ-TTg" in entry.after["căn cứ pháp lý"]


def test_applying_again_changes_nothing(gia_lai):
    first = corrections.corrections_apply_shipped()
    entries = AuditEntry.objects.count()
    (again,) = corrections.corrections_apply_shipped()
    assert [len(report.applied) for report in first] == [1]
    assert (again.ok, again.applied, again.recorded, again.unchanged) == (True, [], [], 1)
    assert AuditEntry.objects.count() == entries
    assert UnitCodeCorrection.objects.count() == 1


def test_reimporting_the_list_as_published_does_not_bring_the_old_code_back(gia_lai):
    corrections.corrections_apply_shipped()
    units = Unit.objects.count()
    again = import_csv(TWO_LEVEL)
    assert (again.corrected, again.created.total()) == (1, 0)
    villages = import_csv(VILLAGES)  # villages filed under the published code follow the corrected unit
    assert villages.corrected == 0 and villages.unchanged.total() == 1
    assert Unit.objects.count() == units
    assert not Unit.objects.filter(edition__date=TWO, code="23737").exists()
    assert Unit.objects.get(edition__date=TWO, code="2373701").parent_id == gia_lai["ia_mo"]
    assert Unit.objects.get(pk=gia_lai["ia_mo"]).merged_from.get().code == "23938"


def test_both_codes_present_is_a_problem_and_nothing_is_recorded(gia_lai):
    ia_mo = Unit.objects.get(pk=gia_lai["ia_mo"])
    commune(ia_mo.parent, "23938", "Xã Trùng Mã")
    report = correct(
        "2025-07-01,24400,24401,Quyết định thử,",
        '2025-07-01,23737,23938,"Quyết định 19/2025/QĐ-TTg",',
    )
    assert not report.ok
    assert [(problem.row, problem.column) for problem in report.problems] == [(3, "new_code")]
    assert "Xã Trùng Mã" in report.problems[0].message
    assert not UnitCodeCorrection.objects.exists()
    assert Unit.objects.filter(edition__date=TWO, code="24400").exists()
    assert Unit.objects.get(pk=ia_mo.pk).code == "23737"


def test_a_new_code_already_present_is_recorded_without_changing_any_unit(gia_lai):
    report = correct("2025-07-01,99999,23734,Công văn thử,Mã cũ chưa từng nhập")
    assert report.ok and report.applied == [] and len(report.recorded) == 1
    assert report.recorded[0].unit.code == "23734"
    assert AuditEntry.objects.about(report.recorded[0]).get().get_action_display() == "Ghi nhận đính chính mã đơn vị"
    # A later file naming the unit by its published (wrong) code reaches the right unit.
    import_csv("code,name,type,level,parent_code\n2373401,Thôn Hai,Thôn,village,99999\n")
    assert Unit.objects.get(edition__date=TWO, code="2373401").parent.code == "23734"


def test_every_bad_row_is_reported_with_its_row(db):
    report = correct(
        "2025-07-01,23737,23938,,",
        "1/7/25,23737,23938,Căn cứ,",
        "2025-07-01,23737,23737,Căn cứ,",
        "2025-07-01,24400,24401,Căn cứ,",
        "01/07/2025,24400,24402,Căn cứ,",
    )
    assert {(problem.row, problem.column) for problem in report.problems} == {
        (2, "legal_basis"),
        (3, "edition"),
        (4, "new_code"),
        (6, "old_code"),
    }
    assert not UnitCodeCorrection.objects.exists()
    missing = corrections.corrections_import(data=b"edition,old_code\n", filename="x.csv")
    assert {problem.column for problem in missing.problems} == {"new_code", "legal_basis"}


def test_a_correction_recorded_before_its_list_applies_when_the_list_is_imported(db):
    (report,) = corrections.corrections_apply_shipped()
    assert report.ok and len(report.recorded) == 1 and report.recorded[0].unit is None
    import_csv(THREE_LEVEL, date=THREE)
    imported = import_csv(TWO_LEVEL)
    assert imported.corrected == 1
    assert set(Unit.objects.filter(edition__date=TWO).values_list("code", flat=True)) == {
        "52",
        "66",
        "23734",
        "23938",
        "24400",
    }
    assert UnitSuccession.objects.get(successor__code="23938").predecessor.name == "Xã Ia Mơ"


def test_the_demo_loader_applies_the_shipped_corrections(db):
    demo.load()
    assert UnitCodeCorrection.objects.get().new_code == "23938"  # recorded: the demo has no two-level list
    assert not Unit.objects.filter(code__in=["23737", "23938"]).exists()


def test_the_command_reports_problems_and_fails(db, tmp_path):
    bad = tmp_path / "dinh-chinh.csv"
    bad.write_text(f"{HEADER}\n2025-07-01,23737,,Căn cứ,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was recorded"):
        call_command("import_unit_corrections", str(bad), stderr=io.StringIO())
    assert not UnitCodeCorrection.objects.exists()


def test_only_a_superuser_corrects_the_national_list_in_the_admin(client, gia_lai):
    ia_mo = Unit.objects.get(pk=gia_lai["ia_mo"])
    upload = {"file": SimpleUploadedFile(SHIPPED.name, SHIPPED.read_bytes())}
    for role, unit in ((Role.OFFICE_EDITOR, ia_mo.parent), (Role.NATIONAL_READER, None)):
        client.force_login(member(role, unit=unit))
        response = client.post(PAGE, upload)
        assert (response.status_code, response.get("Location")) in ((403, None), (302, "/admin/"))
    assert not UnitCodeCorrection.objects.exists()

    client.force_login(UserFactory(is_superuser=True, is_staff=True, first_name="Quản", last_name="Trị"))
    response = client.post(PAGE, {"file": SimpleUploadedFile(SHIPPED.name, SHIPPED.read_bytes())})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 đơn vị đã đổi mã." in page
    assert "Quyết định 19/2025/QĐ-TTg" in page and "Xã Ia Mơ" in page
    assert Unit.objects.get(pk=ia_mo.pk).code == "23938"
    assert UnitCodeCorrection.objects.get().applied_by.first_name == "Quản"


def test_a_bad_file_in_the_admin_is_explained_in_vietnamese(client, gia_lai, django_assert_max_num_queries):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(PAGE, {"file": SimpleUploadedFile("dinh-chinh.csv", b"edition,old_code\n2025-07-01,1\n")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Thiếu cột bắt buộc “new_code”." in page and "chưa ghi nhận đính chính nào" in page
    wrong = client.post(PAGE, {"file": SimpleUploadedFile("dinh-chinh.pdf", b"%PDF")})
    assert wrong.status_code == 200 and "Chỉ nhận tệp .csv hoặc .xlsx." in wrong.content.decode()
    corrections.corrections_apply_shipped()
    with django_assert_max_num_queries(30):
        listing = client.get(PAGE)
    assert "23938" in listing.content.decode()
