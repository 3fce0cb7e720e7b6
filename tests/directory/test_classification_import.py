"""Classifications in bulk: a file of unit code → value, in the admin and as a command, all or nothing, an office
editor within its own province only, a template to download, the legal basis beside the values, and each import
in the classification's audit history."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

import openpyxl
import pytest

from cms.audit.models import AuditEntry
from cms.directory import classifying
from cms.directory.models import Classification, Role, Unit, UnitClassification
from tests.factories import (
    ClassificationFactory,
    ClassificationValueFactory,
    EditionFactory,
    UnitClassificationFactory,
    UserFactory,
    commune,
    district,
    member,
    province,
    shared_layer,
)

PAGE = "/admin/directory/import-classification/"
TEMPLATE = "/admin/directory/import-classification/template/"
TWO = datetime.date(2025, 7, 1)


@shared_layer
def two_provinces():
    """Đắk Lắk (66) and Đắk Nông (67) in the two-level list, and Đắk Lắk's office editor."""
    old = EditionFactory(date=datetime.date(2025, 3, 1))
    old_dak_lak = province(edition=old)
    commune(district(old_dak_lak, "652", "Huyện Krông Pắc"), "24400", "Xã Hòa Thuận (cũ)")
    new = EditionFactory(date=TWO, tiers=2)
    dak_lak = province(edition=new)
    dak_nong = province(code="67", name="Tỉnh Đắk Nông", edition=new)
    commune(dak_lak, "24400", "Xã Krông Pắc")
    commune(dak_lak, "24401", "Xã Ea Kly")
    commune(dak_lak, "00123", "Xã Số Không")
    commune(dak_nong, "24600", "Xã Đắk Mil")
    editor = member(Role.OFFICE_EDITOR, unit=dak_lak, username="vp_daklak")
    return {"editor": editor.pk}


def csv_upload(*lines: str, name="phan-loai.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(["ma_don_vi,ten_don_vi,gia_tri", *lines]) + "\n").encode("utf-8"))


def groups() -> dict[str, str]:
    return dict(
        UnitClassification.objects.filter(classification__code="commune_group", unit__edition__date=TWO).values_list(
            "unit__code", "value__code"
        )
    )


def login_editor(client, two_provinces):
    client.force_login(UserFactory._meta.model.objects.get(pk=two_provinces["editor"]))


def test_an_office_editor_classifies_its_communes_by_value_code_or_name(client, two_provinces):
    login_editor(client, two_provinces)
    ea_kly = Unit.objects.get(edition__date=TWO, code="24401")
    UnitClassificationFactory(
        unit=ea_kly, value=Classification.objects.get(code="commune_group").values.get(code="NHOM_3")
    )
    response = client.post(
        PAGE,
        {
            "classification": "commune_group",
            "file": csv_upload("24400,Xã Krông Pắc,nhom_1", "24401,Xã Ea Kly,", "00123,,Xã nhóm 2"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã nhập phân loại “Nhóm xã”: 3 đơn vị thay đổi." in page
    assert groups() == {"24400": "NHOM_1", "00123": "NHOM_2"}  # an empty value cleared Ea Kly's
    entry = AuditEntry.objects.about(Classification.objects.get(code="commune_group")).get()
    assert entry.get_action_display() == "Nhập phân loại đơn vị hàng loạt"
    assert entry.actor_id == two_provinces["editor"] and entry.role == Role.OFFICE_EDITOR
    assert (entry.after["số đơn vị thay đổi"], entry.after["xoá giá trị"], entry.comment) == ("3", "1", "phan-loai.csv")


def test_another_provinces_row_fails_the_whole_file_with_its_row(client, two_provinces):
    login_editor(client, two_provinces)
    response = client.post(
        PAGE,
        {
            "classification": "commune_group",
            "file": csv_upload(
                "24400,,NHOM_1", "24600,Xã Đắk Mil,NHOM_2", "99999,,NHOM_2", "24400,,NHOM_3", "24401,,nhóm 9"
            ),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tệp có 4 lỗi; chưa thay đổi đơn vị nào." in page
    assert "Xã Đắk Mil (24600) không thuộc tỉnh của bạn" in page
    assert "Không có đơn vị mã 99999 trong danh mục 01/07/2025." in page
    assert "Mã 24400 bị trùng (đã có ở dòng 2)." in page
    assert "“nhóm 9” không phải giá trị của phân loại “Nhóm xã”" in page
    assert groups() == {}
    assert not AuditEntry.objects.filter(action="classification_imported").exists()
    # The form keeps what was chosen.
    assert '<option value="commune_group" selected>' in page


def test_an_xlsx_with_codes_excel_turned_into_numbers(two_provinces):
    workbook = openpyxl.Workbook()
    workbook.active.append(["ma_don_vi", "gia_tri"])
    workbook.active.append([123, "NHOM_3"])  # Xã Số Không, 00123
    workbook.active.append([24400.0, "NHOM_1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = classifying.classification_import(
        classification=Classification.objects.get(code="commune_group"), data=buffer.getvalue(), filename="nhom.xlsx"
    )
    assert report.ok, report.problems
    assert groups() == {"00123": "NHOM_3", "24400": "NHOM_1"}


def test_an_office_defined_classification_in_an_older_list(two_provinces):
    mountain = ClassificationFactory(code="vung-cao", name="Xã vùng cao")
    ClassificationValueFactory(classification=mountain, code="CO", name="Có")
    old = EditionFactory(date=datetime.date(2025, 3, 1))
    report = classifying.classification_import(
        classification=mountain, data=b"ma_don_vi,gia_tri\n24400,C\xc3\xb3\n", filename="a.csv", edition=old
    )
    assert report.ok and report.assigned == 1
    assert UnitClassification.objects.get(classification=mountain).unit.name == "Xã Hòa Thuận (cũ)"


def test_the_page_preselects_the_classification_and_shows_its_legal_basis(
    client, two_provinces, django_assert_max_num_queries
):
    login_editor(client, two_provinces)
    with django_assert_max_num_queries(25):
        response = client.get(PAGE, {"classification": "commune_group"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<option value="commune_group" selected>' in page
    assert "Quyết định 51/2025/QĐ-TTg ngày 29/12/2025" in page
    assert "Dự thảo tháng 7/2025 đánh số ngược lại" in page
    assert "NHOM_1" in page and "/admin/directory/import-classification/template/?classification=commune_group" in page
    region = client.get(PAGE, {"classification": "region"}).content.decode()
    assert '<option value="region" selected>' in region and "318/QĐ-TTg" in region


def test_the_template_lists_the_editors_communes_with_their_values(client, two_provinces):
    login_editor(client, two_provinces)
    krong_pac = Unit.objects.get(edition__date=TWO, code="24400")
    UnitClassificationFactory(
        unit=krong_pac, value=Classification.objects.get(code="commune_group").values.get(code="NHOM_2")
    )
    response = client.get(TEMPLATE, {"classification": "commune_group"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="phan-loai-commune_group.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows == [
        ("ma_don_vi", "ten_don_vi", "gia_tri"),
        ("00123", "Xã Số Không", None),
        ("24400", "Xã Krông Pắc", "NHOM_2"),
        ("24401", "Xã Ea Kly", None),
    ]
    guide = " ".join(str(cell) for row in workbook.worksheets[1].iter_rows(values_only=True) for cell in row if cell)
    assert "51/2025/QĐ-TTg" in guide and "Xã nhóm 3" in guide
    # The filled template imports back as it is.
    upload = SimpleUploadedFile("mau.xlsx", response.content)
    assert client.post(PAGE, {"classification": "commune_group", "file": upload}).status_code == 200


def test_readers_and_reviewers_cannot_classify(client, two_provinces):
    krong_pac = Unit.objects.get(edition__date=TWO, code="24400")
    for role, unit in ((Role.NATIONAL_READER, None), (Role.COMMUNE_OFFICER, krong_pac)):
        client.force_login(member(role, unit=unit))
        for response in (
            client.post(PAGE, {"classification": "commune_group", "file": csv_upload("24400,,NHOM_1")}),
            client.get(TEMPLATE, {"classification": "commune_group"}),
        ):
            # Refused: Wagtail sends those without the admin to its login page, the others home with a message.
            assert response.status_code == 403 or (
                response.status_code == 302
                and (response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/"))
            )
    assert groups() == {}


def test_a_superuser_classifies_any_province(client, two_provinces):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(PAGE, {"classification": "commune_group", "file": csv_upload("24600,,NHOM_3")})
    assert response.status_code == 200
    assert groups() == {"24600": "NHOM_3"}


def test_the_command(two_provinces, tmp_path):
    good = tmp_path / "nhom.csv"
    good.write_text("ma_don_vi,gia_tri\n24400,NHOM_2\n24600,NHOM_1\n", encoding="utf-8")
    output = io.StringIO()
    call_command("import_classification", str(good), "--classification", "commune_group", stdout=output)
    assert "2 assigned" in output.getvalue()
    assert groups() == {"24400": "NHOM_2", "24600": "NHOM_1"}
    bad = tmp_path / "sai.csv"
    bad.write_text("ma_don_vi,gia_tri\n24400,NHOM_7\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no unit was changed"):
        call_command("import_classification", str(bad), "--classification", "commune_group", stderr=io.StringIO())
    with pytest.raises(CommandError, match="No classification"):
        call_command("import_classification", str(good), "--classification", "khong-co")
    assert groups() == {"24400": "NHOM_2", "24600": "NHOM_1"}


def test_the_classification_list_and_form_show_the_legal_basis(client, two_provinces, django_assert_max_num_queries):
    login_editor(client, two_provinces)
    with django_assert_max_num_queries(25):
        page = client.get("/admin/directory/classification/").content.decode()
    assert "QĐ 51/2025/QĐ-TTg ngày 29/12/2025" in page
    assert "/admin/directory/import-classification/?classification=commune_group" in page
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    group = Classification.objects.get(code="commune_group")
    form = client.get(f"/admin/directory/classification/edit/{group.pk}/").content.decode()
    assert "căn cứ pháp lý" in form.lower() and 'value="51/2025/QĐ-TTg"' in form and 'value="29/12/2025"' in form
