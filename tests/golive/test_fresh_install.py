"""Going live on a fresh install, over HTTP only after the bootstrap: the operator imports the national list in
force, sets up the province's site and creates its first office editor; from there the office editor — a
non-superuser invited by e-mail — imports its villages, creates its departments and criteria set, drafts a
round, sees the readiness checklist name what is missing, classifies the communes and imports the people from
spreadsheets, sees the checklist turn complete and opens the round; an appraiser invited by e-mail sets a
password through the link and lands on the review queue."""

import csv
import io
import json
import re
from pathlib import Path

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

import pytest
from bs4 import BeautifulSoup

from cms.directory.models import Department, Membership, Role, Unit, UnitClassification, UnitLevel
from criteria_pages.models import CriteriaSetPage
from submissions.models import Round, RoundStatus

DATA = Path(__file__).resolve().parents[2] / "cms" / "directory" / "data"
TWO_LEVEL = DATA / "units_2025-07-01_two_level.csv"
PUBLIC = "https://ntm.example.gov.vn"
LINK = re.compile(re.escape(PUBLIC) + r"(/kich-hoat/[^\s]+/)")
PASSWORD = "Mat-khau-rat-dai-2026"

pytestmark = pytest.mark.django_db


def upload(name: str, content: str | bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def checklist(client: Client) -> dict[str, str]:
    """The readiness checklist of the dashboard, as check → level ("ok", "warning", "blocking")."""
    page = BeautifulSoup(client.get("/admin/").text, "html.parser")
    return {
        item["data-check"]: next(c for c in item["class"] if "--" in c).split("--")[1]
        for item in page.select("li.ntm-readiness__item")
    }


def invitation_link(address: str) -> str:
    (message,) = [m for m in mail.outbox if address in m.to]
    return LINK.search(message.body).group(1)


def activate(link: str) -> Client:
    person = Client()
    notice = person.get(link)
    assert notice.status_code == 200
    assert "13/2023/NĐ-CP" in notice.text  # what is kept about the person, and why, before they accept
    done = person.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD, "accept_notice": "on"})
    assert done.status_code == 302
    return person


def criteria_set_file() -> bytes:
    """The office's set: two criteria, targets by commune group, every indicator checked against the decision."""

    def indicator(code, name, target, groups, department):
        return {
            "code": code,
            "name": name,
            "value_type": "percentage",
            "comparison": "gte",
            "target": target,
            "targets": groups,
            "choices": [],
            "unit": "%",
            "guidance": "",
            "assessed": True,
            "evidence": {"description": "", "required": False, "min_files": 0},
            "department": department,
            "points": None,
            "source_text": "Phụ lục I, Quyết định 51/2025/QĐ-TTg (văn phòng đã đối chiếu)",
            "verified": True,
        }

    criteria = [
        (
            1,
            "Hạ tầng kinh tế - xã hội",
            "so-xd",
            indicator("1.1", "Tỷ lệ đường xã được cứng hóa", "100", {"NHOM_3": "90"}, "so-xd"),
        ),
        (
            2,
            "Môi trường",
            "so-nnmt",
            indicator("2.1", "Tỷ lệ hộ dùng nước sạch", "70", {"NHOM_1": "85", "NHOM_3": "50"}, "so-nnmt"),
        ),
    ]
    spec = {
        "format": "ntm-criteria-set/1",
        "code": "XA_NTM_DAKLAK_2026",
        "name": "Bộ tiêu chí xã nông thôn mới tỉnh Đắk Lắk 2026-2030",
        "legal_basis": "Quyết định 51/2025/QĐ-TTg",
        "decision_number": "51/2025/QĐ-TTg",
        "decision_date": "2025-12-29",
        "valid_from": "2026-02-15",
        "valid_to": None,
        "level": "commune",
        "classification": "commune_group",
        "standard_rule": "all",
        "standard_min": None,
        "bands": [],
        "is_illustrative": False,
        "criteria": [
            {
                "number": number,
                "name": name,
                "indicators": [row],
                "group": "",
                "department": department,
                "description": "",
                "rule": "all",
                "rule_min": None,
            }
            for number, name, department, row in criteria
        ],
    }
    return json.dumps(spec, ensure_ascii=False).encode()


def test_an_office_editor_takes_a_fresh_install_to_an_open_round(settings):
    settings.PUBLIC_BASE_URL = PUBLIC

    # --- the bootstrap: the operator's three commands -----------------------------------------------------
    call_command("import_units", str(TWO_LEVEL), stdout=io.StringIO())
    call_command(
        "create_province_site", "--province", "66", "--hostname", "testserver", "--default", stdout=io.StringIO()
    )
    call_command(
        "create_office_editor",
        "--province",
        "66",
        "--email",
        "vpdp@daklak.gov.vn",
        "--name",
        "Nguyễn Thị Lan",
        stdout=io.StringIO(),
    )
    dak_lak = Unit.objects.get(code="66", level=UnitLevel.PROVINCE)
    rural = Unit.objects.within(dak_lak).filter(level=UnitLevel.COMMUNE, unit_type="Xã")
    assert rural.count() == 88

    # --- the office editor, invited by e-mail, over HTTP from here on --------------------------------------
    office = activate(invitation_link("vpdp@daklak.gov.vn"))
    assert office.get("/cong-viec/").url == "/admin/"

    villages = csv_text(
        [
            ["code", "name", "type", "level", "parent_code"],
            ["2418401", "Thôn 1", "Thôn", "village", "24184"],
            ["2418402", "Buôn Ea Khăl", "Buôn", "village", "24184"],
            ["0000401", "Tổ dân phố 1", "Tổ dân phố", "village", "00004"],  # Hà Nội: not the office's province
        ]
    )
    imported = office.post(
        "/admin/directory/import-units/", {"file": upload("thon-buon.csv", villages), "edition_date": "01/07/2025"}
    )
    assert imported.status_code == 200
    assert "Bỏ qua 1 dòng" in imported.text
    assert set(Unit.objects.filter(level=UnitLevel.VILLAGE).values_list("code", flat=True)) == {"2418401", "2418402"}

    for code, name in [("so-xd", "Sở Xây dựng"), ("so-nnmt", "Sở Nông nghiệp và Môi trường")]:
        created = office.post(
            "/admin/directory/department/create/",
            {"code": code, "name": name, "short_name": "", "province": dak_lak.pk, "email": ""},
        )
        assert created.status_code == 302, created.text
    assert Department.objects.filter(province=dak_lak).count() == 2

    set_import = office.post("/admin/criteria/import/", {"file": upload("bo-tieu-chi.json", criteria_set_file())})
    assert set_import.status_code in (200, 302)
    set_page = CriteriaSetPage.objects.get(code="XA_NTM_DAKLAK_2026")
    version = set_page.versions.get()

    drafted = office.post(
        "/admin/submissions/round/create/",
        {
            "name": "Đánh giá xã nông thôn mới năm 2026",
            "kind": "yearly",
            "period_start": "01/01/2026",
            "period_end": "31/12/2026",
            "criteria_version": version.pk,
            "form_page": "",
            "scope_root": dak_lak.pk,
            "scope_unit_types": "Xã",
            "opens_on": "01/12/2026",
            "due_on": "31/12/2026",
            "prefill_from": "",
        },
    )
    assert drafted.status_code == 302, drafted.text
    round_ = Round.objects.get()

    before = checklist(office)
    assert before["units"] == "ok"
    assert before["classification"] == "blocking"  # 88 communes without a group
    assert before["officers"] == before["appraisers"] == "warning"
    refused = office.post(f"/admin/submissions/round/{round_.pk}/open/", {})
    assert refused.status_code == 409
    assert "Chưa mở đợt: 88 đơn vị trong phạm vi chưa có giá trị phân loại “Nhóm xã”" in refused.text
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT and not round_.submissions.exists()

    groups = (DATA / "demo" / "nhom_xa_66_minh_hoa.csv").read_bytes()
    classified = office.post(
        "/admin/directory/import-classification/",
        {"classification": "commune_group", "edition": "", "file": upload("nhom-xa.csv", groups)},
    )
    assert classified.status_code in (200, 302)
    assert UnitClassification.objects.filter(classification__code="commune_group", unit__in=rural).count() == 88

    people = [["ho_ten", "email", "dien_thoai", "ten_dang_nhap", "vai_tro", "pham_vi"]]
    people += [[f"Cán bộ {unit.name}", "", f"09{unit.code:0>8}", "", "Cán bộ xã", unit.code] for unit in rural]
    people += [
        ["Trần Văn Bình", "binh.tran@soxd.daklak.gov.vn", "", "", "department_appraiser", "so-xd"],
        ["Lê Thị Hoa", "hoa.le@sonnmt.daklak.gov.vn", "", "", "department_appraiser", "so-nnmt"],
    ]
    imported_people = office.post("/admin/nguoi-dung/nhap/", {"file": upload("nguoi-dung.csv", csv_text(people))})
    assert imported_people.status_code in (200, 302)
    assert Membership.objects.filter(role=Role.COMMUNE_OFFICER, unit__in=rural).count() == 88

    assert set(checklist(office).values()) == {"ok"}
    opened = office.post(f"/admin/submissions/round/{round_.pk}/open/", {})
    assert opened.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    assert round_.submissions.count() == 88
    assert set(round_.submissions.values_list("group", flat=True)) == {"NHOM_1", "NHOM_2", "NHOM_3"}

    # --- an appraiser, invited by the people import -------------------------------------------------------
    appraiser = activate(invitation_link("binh.tran@soxd.daklak.gov.vn"))
    assert appraiser.get("/cong-viec/").url == "/xet-duyet/"
    assert appraiser.get("/xet-duyet/").status_code == 200
    appraiser.logout()
    landed = appraiser.post("/dang-nhap/", {"username": "tranvanbinh", "password": PASSWORD}, follow=True)
    assert landed.redirect_chain[-1][0] == "/xet-duyet/"
