"""Going live in the two-tier world: the two-level list imports on a fresh database, its ``merged_from`` links wait
for the three-level list and are resolved when it comes, an office editor imports only its own province's rows,
and the API answers an empty list before anything is imported.

The real official files are imported once for the module (shared layers), in the order an office meets them on
a new server: the two-level list alone, the shipped corrections, then the old three-level list.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from cms.directory import classifying, corrections, demo, services
from cms.directory.models import (
    Classification,
    Edition,
    PendingSuccession,
    Role,
    Unit,
    UnitClassification,
    UnitLevel,
    UnitSuccession,
)
from tests.factories import UserFactory, member, shared_layer

URL = "/api/v1/units/"
IMPORT_URL = "/admin/directory/import-units/"
THREE, TWO = datetime.date(2025, 3, 1), datetime.date(2025, 7, 1)
MERGED_FROM_LINKS = 10_604  # the merged_from codes of the two-level file, one per old unit and new unit
DAK_LAK_ROWS = 102


def inspect_url(unit: Unit) -> str:
    return f"/admin/directory/unit/inspect/{unit.pk}/"


@shared_layer
def two_level_alone():
    """The two-level list imported alone on a fresh database, with the command an administrator runs."""
    output = io.StringIO()
    call_command("import_units", str(demo.TWO_LEVEL_FILE), stdout=output)  # raises CommandError on failure
    return {"output": output.getvalue()}


@shared_layer
def corrected(two_level_alone):
    """The corrections shipped with the product, applied after it (Xã Ia Mơ, 23737 → 23938)."""
    return {"reports": corrections.corrections_apply_shipped()}


@shared_layer
def three_level_after(corrected):
    """The obsolete three-level list, imported second."""
    report = services.units_import(
        data=demo.THREE_LEVEL_FILE.read_bytes(), filename=demo.THREE_LEVEL_FILE.name, edition_date=THREE
    )
    return {"ok": report.ok, "problems": report.problems, "resolved": report.resolved, "notes": report.notes()}


def test_api_on_an_empty_database_answers_an_empty_list(client, db):
    for params in ({}, {"level": "commune"}, {"q": "hoa"}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert response.json()["count"] == 0
        assert response.json()["results"] == []
    # Asking for a list by date that is not there is still a clear error, not an empty answer.
    assert client.get(URL, {"edition": "2025-07-01"}).status_code == 400


def test_a_code_missing_from_a_partly_imported_old_list_waits_until_the_list_is_complete(db):
    three = "province_code,province_name,province_type,district_code,district_name,district_type,commune_code,"
    three += (
        "commune_name,commune_type,region\n66,Tỉnh Đắk Lắk,Tỉnh,652,Huyện Krông Pắc,Huyện,24400,Xã Hòa Thuận,Xã,TN\n"
    )
    two = "province_code,province_name,commune_code,commune_name,commune_type,region,merged_from\n"
    two += "66,Tỉnh Đắk Lắk,24400,Xã Krông Pắc,Xã,TN,24400:partial;24401:full\n"
    services.units_import(data=three.encode(), filename="a.csv", edition_date=THREE)
    report = services.units_import(data=two.encode(), filename="b.csv", edition_date=TWO)
    assert report.ok and (report.successions, report.pending) == (1, 1)
    assert "1 liên kết sáp nhập chờ: mã cũ chưa có trong danh mục 01/03/2025" in " ".join(report.notes())
    krong_pac = Unit.objects.get(edition__date=TWO, code="24400")
    assert PendingSuccession.objects.get().expected_edition.date == THREE
    # The rest of the old list arrives (here: the same province again, with one more commune).
    complete = three + "66,Tỉnh Đắk Lắk,Tỉnh,652,Huyện Krông Pắc,Huyện,24401,Xã Ea Kly,Xã,TN\n"
    again = services.units_import(data=complete.encode(), filename="a.csv", edition_date=THREE)
    assert again.resolved == 1 and not PendingSuccession.objects.exists()
    assert sorted(krong_pac.merged_from.values_list("name", flat=True)) == ["Xã Ea Kly", "Xã Hòa Thuận"]


def test_the_two_level_list_alone_imports_and_the_api_lists_it(client, two_level_alone, django_assert_max_num_queries):
    assert "10604 merged-from links pending (waiting for an edition not imported yet)" in two_level_alone["output"]
    with django_assert_max_num_queries(8):
        provinces = client.get(URL, {"level": "province"}).json()
    communes = client.get(URL, {"level": "commune"}).json()
    assert (provinces["count"], communes["count"]) == (34, 3_321)
    assert Edition.objects.get().tiers == 2
    assert PendingSuccession.objects.count() == MERGED_FROM_LINKS
    assert not UnitSuccession.objects.exists()
    assert not PendingSuccession.objects.filter(expected_edition__isnull=False).exists()


def test_a_units_history_shows_the_links_waiting_for_the_old_list(client, two_level_alone):
    tuy_hoa = Unit.objects.get(edition__date=TWO, code="22015")
    editor = member(Role.OFFICE_EDITOR, unit=Unit.objects.get(edition__date=TWO, code="66"))
    client.force_login(editor)
    page = client.get(inspect_url(tuy_hoa)).content.decode()
    assert "mã 22015 (danh mục chưa nhập, toàn bộ)" in page
    assert "mã 22024 (danh mục chưa nhập, một phần)" in page


def test_an_office_editor_imports_only_its_own_provinces_rows(client, two_level_alone):
    dak_lak = Unit.objects.get(edition__date=TWO, code="66")
    client.force_login(member(Role.OFFICE_EDITOR, unit=dak_lak))
    gia_lai_before = Unit.objects.filter(edition__date=TWO, path__startswith="52/").values_list("code", "name")
    # Renamed in the file: Đắk Lắk's Phường Tuy Hòa (imported) and Gia Lai's Xã Ia Mơ (left out).
    text = demo.TWO_LEVEL_FILE.read_text(encoding="utf-8")
    text = text.replace(",Phường Tuy Hòa,", ",Phường Tuy Hoà mới,").replace(",Xã Ia Mơ,", ",Xã Khác,")
    response = client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("units_2025-07-01_two_level.csv", text.encode("utf-8"))}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Bỏ qua {3_321 - DAK_LAK_ROWS} dòng của 33 tỉnh khác" in page
    assert "liên kết sáp nhập chờ danh mục trước" in page
    assert Unit.objects.get(edition__date=TWO, code="22015").name == "Phường Tuy Hoà mới"
    assert list(Unit.objects.filter(edition__date=TWO, path__startswith="52/").values_list("code", "name")) == list(
        gia_lai_before
    )


def test_an_office_editor_adds_villages_of_its_own_communes_only(client, two_level_alone):
    client.force_login(member(Role.OFFICE_EDITOR, unit=Unit.objects.get(edition__date=TWO, code="66")))
    villages = (
        "code,name,type,level,parent_code\n"
        "2201501,Khu phố 1,Khu phố,village,22015\n"  # Phường Tuy Hòa, Đắk Lắk
        "2373401,Làng A,Làng,village,23734\n"  # Xã Ia Ly, Gia Lai
    )
    response = client.post(
        IMPORT_URL,
        {"file": SimpleUploadedFile("thon.csv", villages.encode("utf-8")), "edition_date": "01/07/2025"},
    )
    assert response.status_code == 200
    assert "Bỏ qua 1 dòng của 1 tỉnh khác" in response.content.decode()
    village = Unit.objects.get(edition__date=TWO, code="2201501")
    assert (village.path, village.level) == ("66/22015/2201501/", UnitLevel.VILLAGE)
    assert not Unit.objects.filter(code="2373401").exists()


def test_an_office_editor_cannot_create_a_national_list(client, two_level_alone):
    client.force_login(member(Role.OFFICE_EDITOR, unit=Unit.objects.get(edition__date=TWO, code="66")))
    response = client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("units_2025-03-01_three_level.csv", demo.THREE_LEVEL_FILE.read_bytes())}
    )
    assert response.status_code == 400
    assert "Danh mục quốc gia do quản trị hệ thống nhập" in response.content.decode()
    assert not Edition.objects.filter(date=THREE).exists()


def test_a_national_reader_only_reads(client, two_level_alone):
    client.force_login(member(Role.NATIONAL_READER))
    text = demo.TWO_LEVEL_FILE.read_text(encoding="utf-8").replace(",Phường Tuy Hòa,", ",Phường Đổi Tên,")
    upload = SimpleUploadedFile("units_2025-07-01_two_level.csv", text.encode("utf-8"))
    response = client.post(IMPORT_URL, {"file": upload})
    assert (response.status_code, response.get("Location")) in ((403, None), (302, "/admin/"))
    assert Unit.objects.get(edition__date=TWO, code="22015").name == "Phường Tuy Hòa"


def test_classifying_every_commune_at_once_is_bulk(two_level_alone, django_assert_max_num_queries):
    communes = Unit.objects.filter(edition__date=TWO, level=UnitLevel.COMMUNE).values_list("code", flat=True)
    data = ("ma_don_vi,gia_tri\n" + "".join(f"{code},NHOM_2\n" for code in communes)).encode()
    # Reads, batched writes, the audit, and the units' change stamp (one UPDATE per 2,000 units, for updated_since).
    with django_assert_max_num_queries(22):
        report = classifying.classification_import(
            classification=Classification.objects.get(code="commune_group"), data=data, filename="nhom.csv"
        )
    assert report.ok, report.problems
    assert report.assigned == 3_321
    assert UnitClassification.objects.filter(classification__code="commune_group").count() == 3_321


def test_the_shipped_correction_renames_xa_ia_mo_in_place(corrected):
    (report,) = corrected["reports"]
    assert report.ok and len(report.applied) == 1
    ia_mo = Unit.objects.get(edition__date=TWO, name="Xã Ia Mơ")
    assert (ia_mo.code, ia_mo.path) == ("23938", "52/23938/")
    assert not Unit.objects.filter(edition__date=TWO, code="23737").exists()
    # Re-importing the list as published does not bring 23737 back.
    again = services.units_import(
        data=demo.TWO_LEVEL_FILE.read_bytes(), filename=demo.TWO_LEVEL_FILE.name, edition_date=TWO
    )
    assert again.ok and again.corrected == 1 and again.created.total() == 0
    assert Unit.objects.get(edition__date=TWO, name="Xã Ia Mơ").pk == ia_mo.pk
    assert not Unit.objects.filter(edition__date=TWO, code="23737").exists()


def test_the_three_level_list_afterwards_resolves_every_pending_link(client, three_level_after):
    assert three_level_after["ok"], three_level_after["problems"]
    assert three_level_after["resolved"] == MERGED_FROM_LINKS
    assert f"{MERGED_FROM_LINKS} liên kết sáp nhập đang chờ đã được nối" in " ".join(three_level_after["notes"])
    assert not PendingSuccession.objects.exists()
    assert UnitSuccession.objects.count() == MERGED_FROM_LINKS
    new_units = Unit.objects.filter(edition__date=TWO, level=UnitLevel.COMMUNE)
    assert not new_units.filter(predecessor_links__isnull=True).exists()
    con_dao = Unit.objects.get(edition__date=TWO, name="Đặc khu Côn Đảo")
    assert list(con_dao.merged_from.values_list("name", "level")) == [("Huyện Côn Đảo", UnitLevel.DISTRICT)]
    # The corrected Xã Ia Mơ came from the old Xã Ia Mơ (23938); Xã Ia Ly took in the old Ia Mơ Nông (23737).
    ia_mo = Unit.objects.get(edition__date=TWO, code="23938")
    assert list(ia_mo.merged_from.values_list("name", flat=True)) == ["Xã Ia Mơ"]
    ia_ly = Unit.objects.get(edition__date=TWO, code="23734")
    assert "Xã Ia Mơ Nông" in set(ia_ly.merged_from.values_list("name", flat=True))
    assert Edition.objects.get(date=THREE).valid_to == datetime.date(2025, 6, 30)

    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    page = client.get(inspect_url(Unit.objects.get(edition__date=TWO, code="22015"))).content.decode()
    assert "danh mục chưa nhập" not in page
    assert "(22015, 01/03/2025, toàn bộ)" in page
