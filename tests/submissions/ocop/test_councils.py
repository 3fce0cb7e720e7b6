"""The office forms its round's councils and sends them dossiers; the council's page shows who has submitted (never
what) while it scores; the chair closes it (nobody else), not while a sheet is pending; then the office and the
members read the ranked results. Another province's office, and members of another council, find nothing (404)."""

from cms.audit.models import AuditEntry
from cms.directory.models import Role
from submissions.models import AuditAction, SubmissionStatus
from submissions.ocop.models import Council, CouncilEntry, CouncilMember, CouncilStatus, MemberSheet
from tests.factories import member, shared_layer
from tests.submissions.ocop.councils_world import council_world_build, score, sheet

BASE = "/ocop/hoi-dong/"
API = "/api/v1/ocop/councils/"


@shared_layer
def world(area):
    return council_world_build(area)


def url(council, action: str = "") -> str:
    return f"{BASE}{council.pk}/{action}"


def everyone_scores(world, totals=((60, 61, 62), (40, 45, 75))):
    """Every member of council X submits both sheets (the second dossier's spread, 35, is above the gap)."""
    users = [world["people"][key] for key in ("chu_tich", "uy_vien_1", "uy_vien_2")]
    for dossier, row in zip(world["dossiers"][:2], totals, strict=True):
        for user, total in zip(users, row, strict=True):
            score(user, dossier, total)


def test_the_office_forms_a_council_seats_members_and_names_the_chair(client, world):
    client.force_login(world["office"])
    listing = client.get(BASE).content.decode()
    assert world["round"].name in listing and "Hội đồng OCOP tỉnh" in listing
    response = client.post(
        f"{BASE}dot/{world['round'].pk}/lap-hoi-dong/",
        {
            "name": "Hội đồng OCOP đợt 2",
            "level": "province",
            "unit": world["province"].pk,
            "establishing_decision": "12/QĐ-UBND",
        },
    )
    council = Council.objects.get(name="Hội đồng OCOP đợt 2")
    assert response.status_code == 302 and response.url == url(council)
    newcomer, y_member = world["people"]["chua_cu"], world["people"]["y_1"]
    assert (
        client.post(url(council, "thanh-vien/"), {"user": newcomer.pk, "position": "Phó Giám đốc Sở"}).status_code
        == 302
    )
    assert client.post(url(council, "thanh-vien/"), {"user": y_member.pk, "is_chair": "on"}).status_code == 302
    seats = {seat.user_id: seat for seat in council.members.all()}
    assert seats[y_member.pk].is_chair and not seats[newcomer.pk].is_chair
    assert client.post(url(council, f"thanh-vien/{seats[newcomer.pk].pk}/chu-tich/")).status_code == 302
    assert CouncilMember.objects.get(council=council, is_chair=True).user == newcomer
    assert client.post(url(council, f"thanh-vien/{seats[y_member.pk].pk}/bo/")).status_code == 302
    assert list(council.members.values_list("user_id", flat=True)) == [newcomer.pk]
    page = client.get(url(council)).content.decode()
    assert "Hồ Chưa Cử" in page and "Chủ tịch hội đồng" in page and "12/QĐ-UBND" in page
    changes = AuditEntry.objects.filter(action=AuditAction.COUNCIL_CHANGED)
    assert changes.count() == 5


def test_only_council_members_and_office_staff_of_the_province_are_seated(client, world):
    client.force_login(world["office"])
    response = client.post(url(world["x"], "thanh-vien/"), {"user": world["other_member"].pk})
    assert response.status_code == 400
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode() or "Chỉ thành viên" in response.content.decode()
    officer = world["officers"]["hoa_thuan"]  # a commune officer of the province: not a council member
    response = client.post(url(world["x"], "thanh-vien/"), {"user": officer.pk})
    assert response.status_code == 400
    assert not CouncilMember.objects.filter(user__in=[world["other_member"], officer]).exists()
    # The office's own staff may sit on a council; a newcomer gets a sheet for each dossier already assigned.
    staff = member(Role.OFFICE_EDITOR, unit=world["province"], username="vanphong_2")
    assert client.post(url(world["x"], "thanh-vien/"), {"user": staff.pk}).status_code == 302
    assert MemberSheet.objects.filter(member__user=staff, entry__council=world["x"]).count() == 2


def test_a_member_who_submitted_a_sheet_stays_and_the_chair_is_not_removed(client, world):
    first = world["people"]["uy_vien_1"]
    score(first, world["dossiers"][0], 70)
    seat = CouncilMember.objects.get(council=world["x"], user=first)
    chair = CouncilMember.objects.get(council=world["x"], is_chair=True)
    client.force_login(world["office"])
    response = client.post(url(world["x"], f"thanh-vien/{seat.pk}/bo/"), follow=True)
    assert "Thành viên này đã nộp phiếu chấm; không bỏ khỏi hội đồng được nữa." in response.content.decode()
    response = client.post(url(world["x"], f"thanh-vien/{chair.pk}/bo/"), follow=True)
    assert "Không bỏ được chủ tịch hội đồng; hãy chọn chủ tịch khác trước." in response.content.decode()
    assert world["x"].members.count() == 3


def test_another_provinces_office_and_other_councils_members_find_nothing(client, world):
    x = world["x"]
    for user in (world["other_office"], world["other_member"], world["people"]["y_1"], world["people"]["chua_cu"]):
        client.force_login(user)
        assert client.get(url(x)).status_code == 404, user
        assert client.post(url(x, "thanh-vien/"), {"user": user.pk}).status_code == 404, user
        assert client.get(url(x, "giao-ho-so/")).status_code == 404, user
        assert client.post(url(x, "ket-thuc/")).status_code == 404, user
        assert client.get(f"{API}{x.pk}/").status_code == 404, user
        assert client.post(f"{API}{x.pk}/close/", {}, content_type="application/json").status_code == 404, user
    client.force_login(world["other_office"])
    assert client.get(f"{BASE}dot/{world['round'].pk}/lap-hoi-dong/").status_code == 404
    assert client.get(f"{API}").json() == []
    # A member of the council reads it but does not manage it: 403 on the office's actions.
    client.force_login(world["people"]["uy_vien_1"])
    assert client.get(url(x)).status_code == 200
    assert client.post(url(x, "thanh-vien/"), {"user": world["people"]["chua_cu"].pk}).status_code == 403
    assert client.get(url(x, "giao-ho-so/")).status_code == 403


def test_the_office_assigns_submitted_dossiers_with_a_checkbox_list(client, world):
    waiting = world["dossiers"][3]
    client.force_login(world["office"])
    page = client.get(url(world["x"], "giao-ho-so/")).content.decode()
    assert "Tiêu sọ" in page and "Cà phê hạt" not in page  # already in a council: not offered again
    response = client.post(url(world["x"], "giao-ho-so/"), {})
    assert response.status_code == 400
    assert "Hãy chọn ít nhất một hồ sơ." in response.content.decode()
    response = client.post(url(world["x"], "giao-ho-so/"), {"submissions": [waiting.pk]})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == SubmissionStatus.SCORING
    assert waiting.council_entry.council == world["x"]
    assert MemberSheet.objects.filter(entry__submission=waiting).count() == 3
    assert (
        "Không còn hồ sơ đã nộp nào chờ giao cho hội đồng."
        in client.get(url(world["x"], "giao-ho-so/")).content.decode()
    )


def test_progress_says_who_submitted_never_what(client, world, django_assert_max_num_queries):
    first = world["people"]["uy_vien_1"]
    score(first, world["dossiers"][0], "83.75")
    for user in (world["office"], world["people"]["uy_vien_2"]):
        client.force_login(user)
        with django_assert_max_num_queries(25):
            response = client.get(url(world["x"]))
        page = response.content.decode()
        assert "Đã nộp 1/3 phiếu: Lê Ủy Viên" in page
        assert "83,75" not in page and "83.75" not in page
        body = client.get(f"{API}{world['x'].pk}/").json()
        row = next(entry for entry in body["entries"] if entry["submission"] == world["dossiers"][0].pk)
        seat = CouncilMember.objects.get(council=world["x"], user=first)
        assert row["submitted_by"] == [seat.pk] and row["score"] is None and len(row["pending"]) == 2
        assert "83.75" not in str(body)


def test_the_council_page_costs_the_same_with_more_dossiers(client, world, django_assert_max_num_queries):
    client.force_login(world["office"])
    client.post(url(world["x"], "giao-ho-so/"), {"submissions": [world["dossiers"][3].pk]})
    with django_assert_max_num_queries(25):
        assert client.get(url(world["x"])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(BASE).status_code == 200


def test_only_the_chair_closes_and_not_while_a_sheet_is_pending(client, world):
    x = world["x"]
    chair, first = world["people"]["chu_tich"], world["people"]["uy_vien_1"]
    client.force_login(first)
    assert client.get(url(x, "ket-thuc/")).status_code == 403
    assert client.post(url(x, "ket-thuc/")).status_code == 403
    response = client.post(f"{API}{x.pk}/close/", {}, content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    client.force_login(chair)
    page = client.get(url(x, "ket-thuc/")).content.decode()
    assert "Còn 6 phiếu chấm chưa nộp; chỉ kết thúc khi mọi thành viên đã nộp phiếu." in page
    response = client.post(url(x, "ket-thuc/"))
    assert response.status_code == 400
    assert "Còn 6 phiếu chấm chưa nộp" in response.content.decode()
    response = client.post(f"{API}{x.pk}/close/", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "incomplete" and "Còn 6 phiếu chấm chưa nộp" in response.json()["message"]
    x.refresh_from_db()
    assert x.status == CouncilStatus.OPEN


def test_the_chair_sees_the_flagged_dossiers_closes_and_everyone_reads_the_ranked_results(client, world):
    everyone_scores(world)
    x, chair = world["x"], world["people"]["chu_tich"]
    client.force_login(chair)
    page = client.get(url(x, "ket-thuc/")).content.decode()
    flagged = page.split('id="flagged"')[1].split("</ul>")[0]
    assert "Cà phê hạt" in flagged and "Cà phê rang xay" not in flagged  # 40/45/75: spread 35 above the gap of 10
    assert client.post(url(x, "ket-thuc/")).status_code == 302
    x.refresh_from_db()
    assert x.status == CouncilStatus.CLOSED
    entries = {entry.submission_id: entry for entry in CouncilEntry.objects.filter(council=x)}
    assert entries[world["dossiers"][0].pk].stars == 3 and entries[world["dossiers"][1].pk].flagged
    for user in (world["office"], world["people"]["uy_vien_2"]):
        client.force_login(user)
        page = client.get(url(x)).content.decode()
        ranked = page.split('id="ranked"')[1]
        assert ranked.index("Cà phê rang xay") < ranked.index("Cà phê hạt")  # 61,00 before 53,33
        assert "61,00" in ranked and "53,33" in ranked and "3 sao" in ranked
        body = client.get(f"{API}{x.pk}/").json()
        assert [(entry["rank"], entry["score"], entry["stars"]) for entry in body["entries"]] == [
            (1, 61, 3),
            (2, 53.33, 3),
        ]
        assert body["entries"][1]["flagged"] is True and body["status"] == "closed"
    # Closed: the sheets are final, the close is refused.
    client.force_login(chair)
    response = client.post(f"{API}{x.pk}/close/", {}, content_type="application/json")
    assert response.status_code in (403, 409)
    own = sheet(world["people"]["uy_vien_1"], world["dossiers"][0])
    client.force_login(world["people"]["uy_vien_1"])
    assert client.post(f"{BASE}phieu-cham/{own.pk}/mo-lai/", {"lock_version": own.lock_version}).status_code == 409


def test_my_councils_in_the_api(client, world):
    client.force_login(world["people"]["chu_tich"])
    (row,) = client.get(API).json()
    assert (row["name"], row["is_member"], row["is_chair"], row["manages"]) == ("Hội đồng OCOP tỉnh", True, True, False)
    assert (row["member_count"], row["entry_count"]) == (3, 2)
    client.force_login(world["office"])
    rows = client.get(API).json()
    assert {row["name"] for row in rows} == {"Hội đồng OCOP tỉnh", "Hội đồng OCOP thứ hai"}
    assert all(row["manages"] and not row["is_member"] for row in rows)
