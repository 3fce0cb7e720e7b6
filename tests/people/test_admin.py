"""The office's admin area "Người dùng của tỉnh": who lists, changes and sees the contact details of whom (own
province, another province, people holding scopes in both, superusers), the list's search, filter and query
count, deactivation and reactivation, memberships, the import page, the xlsx export and the template."""

import io
import json
import re

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import openpyxl
import pytest

from cms.audit.models import AuditEntry
from cms.directory import services as directory_services
from cms.directory.models import Role
from cms.people.audit import PeopleAction
from cms.people.importers import TEMPLATE_HEADER
from cms.people.models import Profile
from cms.security import services as security_services
from tests.factories import PASSWORD, member

INDEX = "/admin/nguoi-dung/"


def menu_labels(response) -> list[str]:
    """The labels of the admin's sidebar menu (Wagtail renders it from JSON props)."""
    match = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', response.text, re.S)
    assert match, "the admin's sidebar is missing"
    return re.findall(r'"label": "([^"]*)"', json.dumps(json.loads(match.group(1)), ensure_ascii=False))


def assert_denied(response):
    """Wagtail's admin answers a refusal with a redirect to its home and a message (or a plain 403)."""
    assert response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def usernames_listed(response) -> set[str]:
    return {person.username for person, _changeable in response.context["people"]}


@pytest.fixture
def office(area):
    return client_for(area["office"])


@pytest.fixture
def both(area, dak_nong):
    """A commune officer of Hòa Thuận (66) who also holds a commune of Đắk Nông (67)."""
    person = member(Role.COMMUNE_OFFICER, unit=area["communes"]["hoa_thuan"], username="hai_tinh")
    directory_services.membership_create(user=person, role=Role.COMMUNE_OFFICER, unit=dak_nong["commune"])
    Profile.objects.create(user=person, phone="0911000111", province_code="67")
    return person


def test_the_office_lists_the_people_of_its_province_and_no_one_elses(
    area, dak_nong, both, office, django_assert_max_num_queries
):
    for n in range(20):
        member(Role.COMMUNE_OFFICER, unit=area["communes"]["ea_kly"], username=f"them_{n}")
    with django_assert_max_num_queries(30):  # Wagtail's admin menus ~18; the list itself 7, whatever its length
        response = office.get(INDEX)
    assert response.status_code == 200
    listed = usernames_listed(response)
    assert {"canbo_hoa_thuan", "vanphong", "thamtra", "hai_tinh", "them_0", "them_19"} <= listed
    assert "canbo_67" not in listed and "vanphong_67" not in listed
    changeable = {person.username: flag for person, flag in response.context["people"]}
    assert changeable["canbo_hoa_thuan"] is True
    assert changeable["hai_tinh"] is False
    assert "Chỉ xem" in response.text
    assert "Cán bộ xã – Xã Hòa Thuận (24400)" in response.text


def test_search_and_role_filter(area, office):
    response = office.get(INDEX, {"role": Role.DISTRICT_REVIEWER})
    assert usernames_listed(response) == {"thamtra"}
    response = office.get(INDEX, {"q": "hoa_thuan"})
    assert usernames_listed(response) == {"canbo_hoa_thuan"}


def test_only_office_editors_and_superusers_reach_the_area_and_see_its_menu(area):
    officer = client_for(area["officers"]["hoa_thuan"])
    assert officer.get(INDEX).status_code in (302, 403)
    reviewer = client_for(area["reviewer"])
    assert_denied(reviewer.get(INDEX))
    assert "Người dùng của tỉnh" not in menu_labels(reviewer.get("/admin/"))
    labels = menu_labels(client_for(area["office"]).get("/admin/"))
    assert "Người dùng của tỉnh" in labels
    # Wagtail's own users admin stays for superusers only.
    assert "Người dùng" not in labels and "Users" not in labels
    superuser = get_user_model().objects.create_superuser("quantri", "quantri@example.org", PASSWORD)
    superuser_labels = menu_labels(client_for(superuser).get("/admin/"))
    assert "Người dùng của tỉnh" in superuser_labels
    assert "Người dùng" in superuser_labels  # Wagtail's, under Settings
    assert client_for(area["office"]).get("/admin/users/").status_code in (302, 403)


def test_another_provinces_person_is_a_404_and_a_person_of_both_provinces_is_read_only(area, dak_nong, both, office):
    other = dak_nong["officer"]
    assert office.get(f"{INDEX}{other.pk}/").status_code == 404
    assert office.post(f"{INDEX}{other.pk}/khoa/").status_code == 404
    page = office.get(f"{INDEX}{both.pk}/")
    assert page.status_code == 200
    assert "chỉ xem được" in page.text
    assert "0911000111" not in page.text and both.email not in page.text  # contact details: their office only
    assert_denied(office.post(f"{INDEX}{both.pk}/khoa/"))
    assert_denied(office.post(f"{INDEX}{both.pk}/", {"full_name": "X", "email": "", "phone": ""}))
    both.refresh_from_db()
    assert both.is_active


def test_no_office_editor_touches_a_superuser(area, office):
    admin = get_user_model().objects.create_superuser("quantri", "quantri@example.org", PASSWORD)
    directory_services.membership_create(user=admin, role=Role.OFFICE_EDITOR, unit=area["province"])
    assert office.get(f"{INDEX}{admin.pk}/").status_code == 200
    assert_denied(office.post(f"{INDEX}{admin.pk}/khoa/"))
    assert_denied(office.post(f"{INDEX}{admin.pk}/moi/"))


def test_the_office_edits_deactivates_and_reactivates_its_own_people_and_each_step_is_recorded(area, office):
    officer = area["officers"]["hoa_thuan"]
    page = office.get(f"{INDEX}{officer.pk}/")
    assert officer.email in page.text  # their office sees the contact details
    saved = office.post(f"{INDEX}{officer.pk}/", {"full_name": "Nguyễn Thị Hòa", "email": "hoa@xa.vn", "phone": "0905"})
    assert saved.status_code == 302
    officer.refresh_from_db()
    assert (officer.first_name, officer.last_name, officer.email) == ("Nguyễn Thị", "Hòa", "hoa@xa.vn")
    assert office.post(f"{INDEX}{officer.pk}/khoa/").status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert not Client().login(username=officer.username, password=PASSWORD)
    assert office.post(f"{INDEX}{officer.pk}/mo-lai/").status_code == 302
    officer.refresh_from_db()
    assert officer.is_active
    actions = list(AuditEntry.objects.about(officer).values_list("action", flat=True))
    assert actions[:3] == [PeopleAction.REACTIVATED, PeopleAction.DEACTIVATED, PeopleAction.ACCOUNT_CHANGED]
    history = office.get(f"/admin/nhat-ky/auth/user/{officer.pk}/")
    assert "Khóa tài khoản" in history.text and "Mở lại tài khoản" in history.text


def test_a_bad_edit_keeps_what_was_typed(area, office):
    officer = area["officers"]["hoa_thuan"]
    response = office.post(
        f"{INDEX}{officer.pk}/", {"full_name": "Nguyễn Thị Hòa", "email": "khong-hop-le", "phone": "1"}
    )
    assert response.status_code == 400
    assert 'value="Nguyễn Thị Hòa"' in response.text
    assert 'value="khong-hop-le"' in response.text


def test_memberships_are_granted_and_revoked_within_the_province_only(area, dak_nong, office):
    officer = area["officers"]["hoa_thuan"]
    added = office.post(f"{INDEX}{officer.pk}/phan-quyen/", {"role": Role.COMMUNE_OFFICER, "scope": "24401"})
    assert added.status_code == 302
    assert set(officer.memberships.values_list("unit__code", flat=True)) == {"24400", "24401"}
    refused = office.post(
        f"{INDEX}{officer.pk}/phan-quyen/", {"role": Role.COMMUNE_OFFICER, "scope": "24611"}, follow=True
    )
    assert "Không có đơn vị mã “24611” ở Tỉnh Đắk Lắk." in refused.text
    duplicate = office.post(
        f"{INDEX}{officer.pk}/phan-quyen/", {"role": Role.COMMUNE_OFFICER, "scope": "24401"}, follow=True
    )
    assert "đã có vai trò này" in duplicate.text
    membership = officer.memberships.get(unit__code="24401")
    other = dak_nong["officer"].memberships.get()
    assert office.post(f"{INDEX}{officer.pk}/phan-quyen/{other.pk}/thu-hoi/").status_code == 404
    assert office.post(f"{INDEX}{officer.pk}/phan-quyen/{membership.pk}/thu-hoi/").status_code == 302
    assert set(officer.memberships.values_list("unit__code", flat=True)) == {"24400"}


def test_an_office_editor_may_add_a_fellow_office_editor_of_its_province(area, office):
    response = office.post(
        f"{INDEX}them/",
        {
            "full_name": "Hồ Thị Phó",
            "email": "pho@daklak.gov.vn",
            "phone": "",
            "username": "",
            "role": "office_editor",
            "scope": "66",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="hothipho").memberships.get().role == Role.OFFICE_EDITOR


def test_a_refused_create_keeps_what_was_typed_and_says_why(area, office):
    response = office.post(
        f"{INDEX}them/",
        {
            "full_name": "Hồ Văn Sai",
            "email": "sai@xa.vn",
            "phone": "",
            "username": "canbo_hoa_thuan",
            "role": "commune_officer",
            "scope": "652",
        },
    )
    assert response.status_code == 400
    assert "cần một đơn vị cấp xã" in response.text
    assert 'value="Hồ Văn Sai"' in response.text
    response = office.post(
        f"{INDEX}them/",
        {
            "full_name": "Hồ Văn Sai",
            "email": "sai@xa.vn",
            "phone": "",
            "username": "canbo_hoa_thuan",
            "role": "commune_officer",
            "scope": "24400",
        },
    )
    assert response.status_code == 400
    assert "đã có người dùng" in response.text


def test_the_export_lists_roles_in_words_and_contact_details_only_for_the_offices_own_people(area, both, office):
    area["officers"]["hoa_thuan"].last_login = "2026-11-02T08:30:00+07:00"
    area["officers"]["hoa_thuan"].save()
    response = office.get(f"{INDEX}xuat.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    assert header[:4] == ("Họ và tên", "Tên đăng nhập", "Vai trò và phạm vi", "Đang hoạt động")
    officer = rows["canbo_hoa_thuan"]
    assert officer[2] == "Cán bộ xã – Xã Hòa Thuận (24400)"
    assert officer[3] == "Có"
    assert officer[5].strftime("%d/%m/%Y") == "02/11/2026"
    assert officer[6] == "canbo_hoa_thuan@example.org"
    shared = rows["hai_tinh"]
    assert shared[6] is None and shared[7] is None
    assert "Xã Đắk Nia" in shared[2]


def test_the_import_page_imports_a_file_and_shows_every_problem_by_row(area, office):
    good = "ho_ten,email,dien_thoai,ten_dang_nhap,vai_tro,pham_vi\nLê Thị Mai,mai@xa.vn,0905,,Cán bộ xã,24400\n"
    page = office.get(f"{INDEX}nhap/")
    assert page.status_code == 200
    response = office.post(f"{INDEX}nhap/", {"file": SimpleUploadedFile("ds.csv", good.encode())})
    assert response.status_code == 200
    assert response.context["report"].ok
    assert get_user_model().objects.filter(username="lethimai").exists()
    bad = good.replace("24400", "99999")
    response = office.post(f"{INDEX}nhap/", {"file": SimpleUploadedFile("ds.csv", bad.encode())})
    assert response.status_code == 400
    assert "Không có đơn vị mã “99999”" in response.text
    wrong_type = office.post(f"{INDEX}nhap/", {"file": SimpleUploadedFile("ds.pdf", b"%PDF")})
    assert wrong_type.status_code == 400
    assert "Chỉ nhận tệp .csv hoặc .xlsx." in wrong_type.text


def test_the_import_page_offers_letters_for_new_people_without_email(area, office):
    data = "ho_ten,email,dien_thoai,ten_dang_nhap,vai_tro,pham_vi\nY Moan Êban,,0905,,Cán bộ xã,24401\n"
    response = office.post(f"{INDEX}nhap/", {"file": SimpleUploadedFile("ds.csv", data.encode())})
    person = get_user_model().objects.get(username="ymoaneban")
    assert f'name="person" value="{person.pk}"' in response.text
    letters = office.post(f"{INDEX}thu-kich-hoat/", {"person": [person.pk, area["reviewer"].pk + 10_000]})
    assert letters.status_code == 200
    assert letters.text.count('class="letter"') == 1


def test_the_template_downloads_as_xlsx_and_the_importer_reads_its_header(area, office):
    response = office.get(f"{INDEX}nhap/mau.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    header = next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True))
    assert list(header) == TEMPLATE_HEADER
    sheet = workbook.worksheets[0]
    sheet.append(["Lê Văn Mẫu", "mau@xa.vn", "0905", None, "Cán bộ xã", "24400"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = office.post(f"{INDEX}nhap/", {"file": SimpleUploadedFile("mau.xlsx", buffer.getvalue())})
    assert result.context["report"].ok, result.context["report"].problems


def test_an_integrators_token_account_is_not_a_person_of_the_province(area, office):
    """A role token's account holds a membership in the province, but it is managed with its token (Mã truy cập
    API), never in the people list, where granting it roles would widen the token beyond what its list says."""
    created = security_services.integrator_token_create(
        province=area["province"],
        integrator_name="Cổng dữ liệu mở",
        name="Đọc số liệu",
        role=Role.COMMUNE_OFFICER,
        unit=area["communes"]["hoa_thuan"],
    )
    listed = usernames_listed(office.get(INDEX))
    assert created.token.account.username not in listed
    assert area["office"].username in listed
    assert office.get(f"{INDEX}{created.token.account.pk}/").status_code == 404
