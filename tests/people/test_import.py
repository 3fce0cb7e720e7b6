"""Bulk import of people (``manage.py import_people`` and the admin page): a 150-row file creates the accounts and
memberships in one go, re-importing it changes nothing, a file with one bad row imports nothing and names the row,
and every kind of problem is reported with its row."""

import csv
import io

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

import openpyxl
import pytest

from cms.audit.models import AuditEntry
from cms.directory.models import Membership, Role
from cms.people import importing
from cms.people.models import Invitation, Profile
from tests.factories import commune, member

HEADER = ["ho_ten", "email", "dien_thoai", "ten_dang_nhap", "vai_tro", "pham_vi"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Lan", "Nam", "Phúc", "Quỳnh"]


def csv_bytes(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def write(tmp_path, rows, name="nguoi_dung.csv", header=HEADER):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, header))
    return path


def state() -> dict:
    return {
        "users": get_user_model().objects.count(),
        "memberships": sorted(Membership.objects.values_list("user_id", "role", "unit_id", "department_id")),
        "people": sorted(
            get_user_model().objects.values_list("username", "first_name", "last_name", "email", "is_active")
        ),
        "phones": sorted(Profile.objects.values_list("user_id", "phone")),
        "invitations": Invitation.objects.count(),
        "audit": AuditEntry.objects.count(),
        "mails": len(mail.outbox),
    }


def file_of_150(area) -> list[list[str]]:
    """150 rows: commune officers (some sharing their commune's mailbox, some with only a phone), district
    reviewers, appraisers of both departments, a second office editor; one person holds two roles."""
    communes = ["24400", "24401", "24310", "24402"]
    rows = []
    for n in range(150):
        name = f"{FAMILY[n % 10]} {MIDDLE[n % 5]} {GIVEN[(n // 10) % 10]}"
        if n == 0:
            rows.append(["Trần Văn Tỉnh", "tinh@ntm.example.vn", "0905000000", "", "Văn phòng Điều phối NTM", "66"])
        elif n < 100:
            code = communes[n % 4]
            email = f"xa{code}@ntm.example.vn" if n % 3 == 0 else ("" if n % 3 == 1 else f"canbo{n}@ntm.example.vn")
            rows.append([name, email, f"09{n:08d}", "", "Cán bộ xã", code])
        elif n < 120:
            rows.append([name, f"thamtra{n}@ntm.example.vn", f"09{n:08d}", "", "district_reviewer", "652"])
        elif n < 149:
            department = "so-xd" if n % 2 else "so-nnmt"
            rows.append([name, f"songanh{n}@ntm.example.vn", "", f"thamdinh{n}", "Thẩm định của sở, ngành", department])
        else:
            rows.append([rows[120][0], rows[120][1], "", rows[120][3], "Cán bộ xã", "24400"])  # a second role
    return rows


def test_a_150_row_file_creates_every_account_and_membership_in_one_go_and_reimporting_changes_nothing(
    area, tmp_path, capsys
):
    path = write(tmp_path, file_of_150(area))
    users_before = get_user_model().objects.count()
    memberships_before = Membership.objects.count()

    call_command("import_people", str(path), "--province", "66")

    out = capsys.readouterr().out
    assert "150 rows: 149 people created" in out
    assert get_user_model().objects.count() == users_before + 149
    assert Membership.objects.count() == memberships_before + 150
    # Everyone with an e-mail got an invitation with a link to the public address; the others need a letter.
    with_email = [row for row in file_of_150(area)[:149] if row[1]]
    assert len(mail.outbox) == len(with_email)
    assert all("https://ntm.example.gov.vn/kich-hoat/" in message.body for message in mail.outbox)
    assert "in the admin" in out  # those without e-mail: print their letters
    # Usernames come from the names without diacritics, made unique.
    assert get_user_model().objects.filter(username="tranvantinh").exists()
    assert get_user_model().objects.filter(username__in=["huynhvanan", "huynhvanan2"]).count() == 2
    # Commune officers sharing one mailbox are different people.
    assert get_user_model().objects.filter(email="xa24400@ntm.example.vn").count() > 1
    person = get_user_model().objects.get(username="thamdinh121")
    assert set(person.memberships.values_list("role", flat=True)) == {Role.DEPARTMENT_APPRAISER}
    two_roles = get_user_model().objects.get(username="thamdinh120")
    assert set(two_roles.memberships.values_list("role", flat=True)) == {
        Role.DEPARTMENT_APPRAISER,
        Role.COMMUNE_OFFICER,
    }
    assert two_roles.groups.count() == 2  # role groups synced by the directory's service

    before = state()
    call_command("import_people", str(path), "--province", "66")
    assert "0 people created, 0 updated, 0 memberships granted, 150 rows unchanged" in capsys.readouterr().out
    assert state() == before


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(area, tmp_path):
    rows = file_of_150(area)
    rows[41][5] = "99999"  # row 43 of the file (header is row 1)
    path = write(tmp_path, rows)
    before = state()

    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_people", str(path), "--province", "66", stderr=(err := io.StringIO()))

    assert "dòng 43, pham_vi: Không có đơn vị mã “99999” ở Tỉnh Đắk Lắk." in err.getvalue()
    assert state() == before


def test_every_problem_is_reported_with_its_row(area, dak_nong):
    rows = [
        ["Lê Văn Một", "mot@example.vn", "", "", "Cán bộ xã", "24611"],  # 2: a commune of another province
        ["Lê Văn Hai", "hai@example.vn", "", "", "Cán bộ xã", "652"],  # 3: a district for a commune role
        ["Lê Văn Ba", "ba@example.vn", "", "", "Thẩm định của sở, ngành", "24400"],  # 4: a unit for an appraiser
        ["Lê Văn Bốn", "bon@example.vn", "", "", "Cán bộ xã", "so-xd"],  # 5: a department for a unit role
        ["Lê Văn Năm", "nam@@example", "", "", "Cán bộ xã", "24400"],  # 6: invalid e-mail
        ["Lê Văn Sáu", "sau@example.vn", "", "", "Hiệu trưởng", "24400"],  # 7: unknown role
        ["Lê Văn Bảy", "", "", "", "national_reader", ""],  # 8: national, and nothing to identify the person
        ["Lê Văn Tám", "tam@example.vn", "", "", "Văn phòng Điều phối NTM", "67"],  # 9: another province's office
        ["Lê Văn Chín", "chin@example.vn", "", "", "Cán bộ xã", "24400"],  # 10
        ["Lê Văn Chín", "chin@example.vn", "", "", "Cán bộ xã", "24400"],  # 11: the same row again
        ["Lê Văn Mười", "muoi@example.vn", "0905", "", "Cán bộ xã", "24400"],  # 12
        ["Lê Văn Mười", "muoi@example.vn", "0906", "", "Cán bộ xã", "24401"],  # 13: same person, other phone
        ["Lê Văn Xã", "xa@example.vn", "", "", "Cán bộ xã", "so-nnmt-khong-co"],  # 14: unknown department/unit
        ["Lê Văn Sở", "so@example.vn", "", "", "Thẩm định của sở, ngành", "so-khong-co"],  # 15: unknown department
    ]
    before = state()
    report = importing.people_import(
        data=csv_bytes(rows), filename="x.csv", province=area["province"], base_url="https://x"
    )
    assert not report.ok
    by_row = {}
    for problem in report.problems:
        by_row.setdefault(problem.row, []).append(problem.message)
    assert by_row[2] == ["Không có đơn vị mã “24611” ở Tỉnh Đắk Lắk."]
    assert "cần một đơn vị cấp xã; “652” là Huyện Krông Pắc (cấp huyện)" in by_row[3][0]
    assert "cần mã sở, ngành; “24400” là mã đơn vị" in by_row[4][0]
    assert "cần mã đơn vị hành chính; “so-xd” là mã sở, ngành" in by_row[5][0]
    assert by_row[6] == ["E-mail “nam@@example” không hợp lệ."]
    assert by_row[7][0].startswith("Vai trò “Hiệu trưởng” không có.")
    assert any("không cấp qua danh sách người của tỉnh" in message for message in by_row[8])
    assert any("Cần ít nhất một trong" in message for message in by_row[8])
    assert by_row[9] == ["Không có đơn vị mã “67” ở Tỉnh Đắk Lắk."]
    assert 10 not in by_row
    assert by_row[11] == ["Trùng người, vai trò và phạm vi với dòng 10."]
    assert by_row[13] == ["Trùng người với dòng 12 nhưng khác họ tên, e-mail hoặc điện thoại."]
    assert by_row[14] == ["Không có đơn vị mã “so-nnmt-khong-co” ở Tỉnh Đắk Lắk."]
    assert by_row[15] == ["Không có sở, ngành mã “so-khong-co” ở Tỉnh Đắk Lắk."]
    assert state() == before


def test_people_of_other_provinces_and_superusers_are_not_changed_by_a_province_file(area, dak_nong, tmp_path):
    both = member(Role.COMMUNE_OFFICER, unit=dak_nong["commune"], username="hai_tinh")
    admin = get_user_model().objects.create_superuser("quantri", "quantri@example.org", "x")
    rows = [
        ["Người Hai Tỉnh", "", "", "hai_tinh", "Cán bộ xã", "24400"],
        ["Quản Trị", "", "", "quantri", "Cán bộ xã", "24400"],
    ]
    report = importing.people_import(
        data=csv_bytes(rows), filename="x.csv", province=area["province"], base_url="https://x"
    )
    messages = {problem.row: problem.message for problem in report.problems}
    assert "có phân quyền ở tỉnh khác" in messages[2]
    assert "là quản trị hệ thống" in messages[3]
    assert not both.memberships.filter(unit=area["communes"]["hoa_thuan"]).exists()
    assert not admin.memberships.exists()


def test_a_person_is_found_by_username_then_email_and_name_then_phone_and_name(area):
    existing = member(Role.COMMUNE_OFFICER, unit=area["communes"]["hoa_thuan"], username="canbo_cu")
    existing.first_name, existing.last_name, existing.email = "Phạm Thị", "Hoa", "chung@xa.vn"
    existing.save()
    Profile.objects.create(user=existing, phone="0905111222")
    rows = [
        ["Phạm Thị Hoa", "", "", "canbo_cu", "Cán bộ xã", "24401"],  # by username: a second commune
        ["Phạm Thị Hoa", "chung@xa.vn", "", "", "Cán bộ xã", "24310"],  # by mailbox and name: a third
        ["Phạm Thị Hoa", "", "0905111222", "", "Cán bộ xã", "24400"],  # by phone and name: already held
        ["Đỗ Văn Khác", "chung@xa.vn", "", "", "Cán bộ xã", "24400"],  # same mailbox, another person
    ]
    report = importing.people_import(
        data=csv_bytes(rows), filename="x.csv", province=area["province"], base_url="https://x"
    )
    assert report.ok, report.problems
    assert len(report.created) == 1
    assert report.created[0].username == "dovankhac"
    assert set(existing.memberships.values_list("unit__code", flat=True)) == {"24400", "24401", "24310"}


def test_xlsx_with_vietnamese_headers_and_numbers_excel_made_of_codes_and_phones(area, dak_nong):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Họ tên", "E-mail", "Điện thoại", "Tên đăng nhập", "Vai trò", "Phạm vi"])
    sheet.append(["Nguyễn Văn An", "an@example.vn", 905123456, None, "cán bộ xã", 24400])
    sheet.append(["Nguyễn Văn An", "an2@example.vn", None, None, "commune_officer", 24401])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = importing.people_import(
        data=buffer.getvalue(), filename="ds.xlsx", province=area["province"], base_url="https://x"
    )
    assert report.ok, report.problems
    first, second = sorted(report.created, key=lambda user: user.username)
    assert (first.username, second.username) == ("nguyenvanan", "nguyenvanan2")
    assert first.get_full_name() == "Nguyễn Văn An"
    assert first.people_profile.phone == "0905123456"
    assert first.memberships.get().unit.code == "24400"


def test_a_file_without_the_required_columns_or_not_a_spreadsheet_is_refused_clearly(area):
    report = importing.people_import(
        data=csv_bytes([["x"]], header=["ten"]), filename="x.csv", province=area["province"], base_url="https://x"
    )
    assert [str(problem) for problem in report.problems] == [
        "dòng 1, ho_ten: Thiếu cột “ho_ten”.",
        "dòng 1, vai_tro: Thiếu cột “vai_tro”.",
    ]
    report = importing.people_import(
        data="ho_ten\n".encode("utf-16"), filename="x.csv", province=area["province"], base_url="https://x"
    )
    assert "UTF-8" in report.problems[0].message


def test_the_english_header_is_accepted(area):
    rows = [["Trần Thị Lan", "lan@example.vn", "", "", "commune_officer", "24400"]]
    report = importing.people_import(
        data=csv_bytes(rows, header=["full_name", "email", "phone", "username", "role", "scope"]),
        filename="x.csv",
        province=area["province"],
        base_url="https://x",
    )
    assert report.ok, report.problems
    assert report.created[0].username == "tranthilan"


def test_the_command_needs_a_known_province_and_the_public_address(area, tmp_path, settings):
    path = write(tmp_path, [["Trần Thị Lan", "lan@example.vn", "", "", "Cán bộ xã", "24400"]])
    with pytest.raises(CommandError, match="No province with code 99"):
        call_command("import_people", str(path), "--province", "99")
    settings.PUBLIC_BASE_URL = ""
    with pytest.raises(CommandError, match="PUBLIC_BASE_URL"):
        call_command("import_people", str(path), "--province", "66")


def test_the_command_writes_printable_letters_for_people_without_email(area, tmp_path, capsys):
    commune(area["districts"]["krong_pac"], "24403", "Xã Ea Phê")
    path = write(tmp_path, [["Y Bhăm Niê", "", "0905999888", "", "Cán bộ xã", "24403"]])
    letters = tmp_path / "thu.html"
    call_command("import_people", str(path), "--province", "66", "--letters", str(letters))
    html = letters.read_text(encoding="utf-8")
    assert "ybhamnie" in html
    assert "https://ntm.example.gov.vn/kich-hoat/ma/" in html
    assert "Nghị định 13/2023/NĐ-CP" in html
    invitation = Invitation.objects.get(user__username="ybhamnie")
    assert invitation.channel == "letter"
    assert invitation.code_hash and invitation.code_hash not in html
