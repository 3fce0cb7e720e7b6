"""The directory's admin screens, used as the non-superuser roles that really use them."""

import io

from django.contrib.auth.models import Group

import openpyxl
import pytest

from cms.directory.models import Classification, Department, Membership, Role, Unit
from cms.directory.roles import ROLE_GROUP_NAMES
from tests.factories import DepartmentFactory, UserFactory, commune, district, member, province

UNITS = "/admin/directory/unit/"
IMPORT = "/admin/directory/import-units/"
HEADER = (
    "province_code,province_name,province_type,district_code,district_name,district_type,"
    "commune_code,commune_name,commune_type,region"
)


@pytest.fixture
def tree(db):
    dak_lak = province()
    krong_pac = district(dak_lak, "652", "Huyện Krông Pắc")
    hoa_thuan = commune(krong_pac, "24400", "Xã Hòa Thuận")
    commune(krong_pac, "24401", "Xã Ea Kly")
    other = province(code="67", name="Tỉnh Đắk Nông")
    far = commune(district(other, "660", "Huyện Cư Jút"), "24600", "Xã Tâm Thắng")
    return {"province": dak_lak, "district": krong_pac, "commune": hoa_thuan, "other": other, "far": far}


@pytest.fixture
def office(client, tree):
    client.force_login(member(Role.OFFICE_EDITOR, unit=tree["province"], username="office"))
    return client


def assert_denied(response):
    """Wagtail refuses with a redirect to the dashboard and a message; our own views with 403."""
    assert response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def names(response):
    return [unit.name for unit in response.context["object_list"]]


def test_office_editor_searches_units_without_diacritics(office):
    response = office.get(UNITS, {"q": "hoa thuan"})
    assert response.status_code == 200
    assert names(response) == ["Xã Hòa Thuận"]


def test_filters_by_province_level_and_classification(office, tree):
    response = office.get(UNITS, {"province": tree["province"].pk, "level": "commune"})
    assert names(response) == ["Xã Hòa Thuận", "Xã Ea Kly"]
    response = office.get(UNITS, {"unit_type": "Huyện"})
    assert sorted(names(response)) == ["Huyện Cư Jút", "Huyện Krông Pắc"]


def test_tree_navigation_links_to_children(office, tree):
    response = office.get(UNITS, {"province": tree["province"].pk, "level": "district"})
    assert f"?parent={tree['district'].pk}" in response.text
    response = office.get(UNITS, {"parent": tree["district"].pk})
    assert names(response) == ["Xã Hòa Thuận", "Xã Ea Kly"]


def test_unit_list_queries_are_bounded(office, tree, django_assert_max_num_queries):
    for number in range(40):
        commune(tree["district"], f"25{number:03d}", f"Xã Thêm {number}")
    with django_assert_max_num_queries(40):
        response = office.get(UNITS, {"level": "commune"})
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 43


def test_unit_list_exports_to_xlsx_with_diacritics(office, tree):
    response = office.get(UNITS, {"export": "xlsx", "province": tree["province"].pk})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert ("24400", "Xã Hòa Thuận", "Xã") == rows[3][:3]
    assert len(rows) == 5  # header + province + district + 2 communes


def test_office_editor_edits_a_unit_name_and_classifies_it(office, tree):
    unit = tree["commune"]
    group = Classification.objects.get(code="commune_group")
    value = group.values.get(code="NHOM_3")
    response = office.post(
        f"/admin/directory/unit/edit/{unit.pk}/",
        {
            "name": "Xã Hoà Thuận Mới",
            "unit_type": "Xã",
            "valid_from": "",
            "valid_to": "",
            "classifications-TOTAL_FORMS": "1",
            "classifications-INITIAL_FORMS": "0",
            "classifications-MIN_NUM_FORMS": "0",
            "classifications-MAX_NUM_FORMS": "1000",
            "classifications-0-classification": group.pk,
            "classifications-0-value": value.pk,
            "classifications-0-id": "",
            "classifications-0-ORDER": "1",
            "classifications-0-DELETE": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    unit.refresh_from_db()
    assert (unit.name, unit.search_name, unit.classification_summary) == (
        "Xã Hoà Thuận Mới",
        "xa hoa thuan moi",
        "commune_group: NHOM_3",
    )


def test_units_cannot_be_created_or_deleted_by_hand(office, tree):
    assert_denied(office.get(f"{UNITS}create/"))
    assert_denied(office.post(f"{UNITS}delete/{tree['commune'].pk}/"))
    assert Unit.objects.filter(pk=tree["commune"].pk).exists()


def test_office_editor_adds_a_classification_with_values(office):
    response = office.post(
        "/admin/directory/classification/create/",
        {
            "code": "dia-ban",
            "name": "Địa bàn đặc biệt khó khăn",
            "description": "",
            "values-TOTAL_FORMS": "2",
            "values-INITIAL_FORMS": "0",
            "values-MIN_NUM_FORMS": "1",
            "values-MAX_NUM_FORMS": "1000",
            "values-0-code": "DBKK",
            "values-0-name": "Xã đặc biệt khó khăn",
            "values-0-description": "",
            "values-0-sort_order": "1",
            "values-1-code": "ATK",
            "values-1-name": "Xã an toàn khu",
            "values-1-description": "",
            "values-1-sort_order": "2",
        },
    )
    assert response.status_code == 302
    created = Classification.objects.get(code="dia-ban")
    assert list(created.values.values_list("name", flat=True)) == ["Xã đặc biệt khó khăn", "Xã an toàn khu"]


def test_membership_created_in_admin_grants_the_role(office, tree):
    newcomer = UserFactory(username="canbo")
    response = office.post(
        "/admin/directory/membership/create/",
        {"user": newcomer.pk, "role": Role.COMMUNE_OFFICER, "unit": tree["commune"].pk, "department": ""},
    )
    assert response.status_code == 302
    assert newcomer.groups.filter(name=ROLE_GROUP_NAMES[Role.COMMUNE_OFFICER]).exists()


def test_membership_scope_must_fit_the_role_and_the_editors_province(office, tree):
    newcomer = UserFactory(username="canbo")
    wrong_level = office.post(
        "/admin/directory/membership/create/",
        {"user": newcomer.pk, "role": Role.COMMUNE_OFFICER, "unit": tree["district"].pk, "department": ""},
    )
    assert wrong_level.status_code == 200
    assert "Vai trò này cần một đơn vị" in wrong_level.text
    other_province = office.post(
        "/admin/directory/membership/create/",
        {"user": newcomer.pk, "role": Role.COMMUNE_OFFICER, "unit": tree["far"].pk, "department": ""},
    )
    assert other_province.status_code == 200
    assert not Membership.objects.filter(user=newcomer).exists()


def test_deleting_the_last_membership_removes_the_role(office, tree):
    officer = member(Role.COMMUNE_OFFICER, unit=tree["commune"], username="canbo")
    membership = officer.memberships.get()
    response = office.post(f"/admin/directory/membership/delete/{membership.pk}/")
    assert response.status_code == 302
    assert not officer.groups.exists()


def test_office_editor_sees_only_memberships_of_their_province(office, tree):
    member(Role.COMMUNE_OFFICER, unit=tree["commune"], username="mine")
    member(Role.COMMUNE_OFFICER, unit=tree["far"], username="theirs")
    response = office.get("/admin/directory/membership/")
    users = {membership.user.username for membership in response.context["object_list"]}
    assert users == {"office", "mine"}


def test_office_editor_imports_a_list_through_the_admin(office):
    upload = io.BytesIO(f"{HEADER}\n66,Tỉnh Đắk Lắk,Tỉnh,653,Huyện Lắk,Huyện,24500,Xã Buôn Triết,Xã,TN\n".encode())
    upload.name = "units_2025-03-01.csv"
    response = office.post(IMPORT, {"file": upload, "edition_date": "", "edition_name": ""})
    assert response.status_code == 200
    assert Unit.objects.get(code="24500").name == "Xã Buôn Triết"


def test_a_broken_upload_shows_every_problem_and_imports_nothing(office):
    before = Unit.objects.count()
    upload = io.BytesIO(f"{HEADER}\n66,Tỉnh Đắk Lắk,Tỉnh,653,Huyện Lắk,Huyện,24500,,Xã,TN\n".encode())
    upload.name = "danh-muc.csv"
    response = office.post(IMPORT, {"file": upload, "edition_date": "01/03/2025", "edition_name": ""})
    assert response.status_code == 400
    assert "Tên đơn vị trống." in response.text
    assert "chưa nhập đơn vị nào" in response.text
    assert Unit.objects.count() == before


def test_department_list_for_office_editor(office):
    DepartmentFactory(code="so-yt", name="Sở Y tế")
    response = office.get("/admin/directory/department/")
    assert [department.name for department in response.context["object_list"]] == ["Sở Y tế"]
    created = office.post(
        "/admin/directory/department/create/",
        {"code": "so-xd", "name": "Sở Xây dựng", "short_name": "SXD", "province": "", "email": "", "is_demo": ""},
    )
    assert created.status_code == 302
    assert Department.objects.filter(code="so-xd").exists()


@pytest.mark.parametrize("role", [Role.DISTRICT_REVIEWER, Role.DEPARTMENT_APPRAISER])
def test_reviewers_read_the_directory_but_do_not_change_it(client, tree, role):
    scope = {"department": DepartmentFactory()} if role == Role.DEPARTMENT_APPRAISER else {"unit": tree["district"]}
    client.force_login(member(role, **scope))
    assert client.get(UNITS).status_code == 200
    assert_denied(client.post(f"{UNITS}edit/{tree['commune'].pk}/", {"name": "Đổi tên", "unit_type": "Xã"}))
    assert Unit.objects.get(pk=tree["commune"].pk).name == "Xã Hòa Thuận"
    assert_denied(client.get(IMPORT))
    assert_denied(client.get("/admin/directory/membership/"))


def test_commune_officer_has_no_admin_access(client, tree):
    client.force_login(member(Role.COMMUNE_OFFICER, unit=tree["commune"]))
    response = client.get(UNITS)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_role_groups_exist_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_GROUP_NAMES.values())
