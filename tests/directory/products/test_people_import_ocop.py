"""The people import grants the two OCOP roles: a producer's login (scope: the producer's registration number in the
importer's province) and a council member (scope: the province); unknown, ambiguous or foreign scopes are refused
with their row, and re-importing changes nothing."""

import csv
import io

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest

from cms.directory.models import Membership, Role
from cms.people import importing
from tests.factories import commune, district, province
from tests.submissions.ocop.factories import ProducerFactory

HEADER = ["ho_ten", "email", "dien_thoai", "ten_dang_nhap", "vai_tro", "pham_vi"]
BASE_URL = "https://ntm.example.gov.vn"


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def run(area, rows):
    return importing.people_import(
        data=csv_bytes(rows), filename="nguoi.csv", province=area["province"], base_url=BASE_URL, actor=area["office"]
    )


@pytest.fixture
def producers(area):
    return {
        "hoa_thuan": ProducerFactory(
            name="HTX Hòa Thuận", commune=area["communes"]["hoa_thuan"], registration_number="600111"
        ),
        "ea_kly": ProducerFactory(name="HTX Ea Kly", commune=area["communes"]["ea_kly"], registration_number="600222"),
    }


def test_producer_and_council_member_rows_are_imported_and_reimporting_changes_nothing(area, producers):
    rows = [
        ["Nguyễn Thị Chủ Thể", "chuthe@example.vn", "0905000001", "", "Chủ thể OCOP", "600111"],
        ["Trần Văn Sản Xuất", "", "0905000002", "sanxuat", "producer", "600222"],
        ["Lê Văn Hội Đồng", "hoidong@example.vn", "", "", "Thành viên hội đồng đánh giá OCOP", "66"],
    ]

    report = run(area, rows)

    assert report.ok, report.problems
    assert report.memberships_created == 3
    chu_the = get_user_model().objects.get(email="chuthe@example.vn")
    assert Membership.objects.get(user=chu_the).producer == producers["hoa_thuan"]
    assert Membership.objects.get(user__username="sanxuat", role=Role.PRODUCER).producer == producers["ea_kly"]
    council = Membership.objects.get(user__email="hoidong@example.vn")
    assert (council.role, council.unit) == (Role.COUNCIL_MEMBER, area["province"])
    assert chu_the.groups.filter(name="NTM – Chủ thể OCOP").exists()
    assert report.invited == 2 and [person.username for person in report.letters_needed] == ["sanxuat"]

    again = run(area, rows)
    assert again.ok and again.memberships_created == 0 and not again.created and again.unchanged == 3


def test_an_existing_producer_login_gets_a_second_producer(area, producers):
    run(area, [["Nguyễn Thị Chủ Thể", "chuthe@example.vn", "", "", "Chủ thể OCOP", "600111"]])

    report = run(area, [["Nguyễn Thị Chủ Thể", "chuthe@example.vn", "", "", "Chủ thể OCOP", "600222"]])

    assert report.ok, report.problems
    held = Membership.objects.filter(user__email="chuthe@example.vn").values_list("producer__name", flat=True)
    assert sorted(held) == ["HTX Ea Kly", "HTX Hòa Thuận"]


def test_producer_and_council_member_scopes_are_checked_with_their_row(area, producers):
    dak_nong = province(code="67", name="Tỉnh Đắk Nông")
    ProducerFactory(
        name="HTX Đắk Nia",
        commune=commune(district(dak_nong, "660", "Huyện Đắk Mil"), "24611", "Xã Đắk Nia"),
        registration_number="600999",
    )
    ProducerFactory(name="HTX Ea Wer", commune=area["communes"]["ea_wer"], registration_number="600111")
    rows = [
        ["Lê Văn Một", "mot@example.vn", "", "", "Chủ thể OCOP", "600999"],  # 2: a producer of another province
        ["Lê Văn Hai", "hai@example.vn", "", "", "Chủ thể OCOP", ""],  # 3: no registration number
        ["Lê Văn Ba", "ba@example.vn", "", "", "Chủ thể OCOP", "600111"],  # 4: two producers of the province
        ["Lê Văn Bốn", "bon@example.vn", "", "", "Thành viên hội đồng đánh giá OCOP", "24400"],  # 5: a commune
        ["Lê Văn Năm", "nam@example.vn", "", "", "Thành viên hội đồng đánh giá OCOP", "67"],  # 6: another province
    ]
    users_before = get_user_model().objects.count()

    report = run(area, rows)

    problems = {(problem.row, problem.column): problem.message for problem in report.problems}
    assert problems[(2, "pham_vi")] == "Không có chủ thể OCOP số đăng ký kinh doanh “600999” ở Tỉnh Đắk Lắk."
    assert "ghi số đăng ký kinh doanh của chủ thể" in problems[(3, "pham_vi")]
    assert "có ở nhiều chủ thể của Tỉnh Đắk Lắk" in problems[(4, "pham_vi")]
    assert "HTX Hòa Thuận – Xã Hòa Thuận" in problems[(4, "pham_vi")]
    assert "cần một đơn vị cấp tỉnh" in problems[(5, "pham_vi")]
    assert problems[(6, "pham_vi")] == "Không có đơn vị mã “67” ở Tỉnh Đắk Lắk."
    assert get_user_model().objects.count() == users_before


def test_the_office_admin_form_explains_where_producer_logins_are_made(client, area):
    client.force_login(area["office"])
    response = client.post(
        reverse("people_create"),
        {"full_name": "Phạm Văn Chủ", "email": "", "phone": "", "username": "", "role": "producer", "scope": "600111"},
    )
    assert response.status_code in (200, 400)
    assert "tạo tài khoản ở trang của chủ thể" in response.content.decode()
