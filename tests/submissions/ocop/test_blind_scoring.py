"""Members score blind, over the web pages and the API: nothing of another member's sheet (not even a total) reaches
a member before their own sheet of that dossier is submitted; afterwards, the others' submitted sheets do. A sheet is
reachable only by its own member (anyone else: 404); saving keeps what was typed and refuses a stale version."""

from decimal import Decimal

from submissions.ocop import scoring
from submissions.ocop.models import MemberScore, MemberSheet
from tests.factories import shared_layer
from tests.submissions.ocop.councils_world import council_world_build, score, sheet

SHEETS = "/ocop/hoi-dong/phieu-cham/"
API = "/api/v1/ocop/sheets/"
#: Member 2's distinctive points: A, B, C and the total, as a Vietnamese page and the API write them.
SECOND = {"A": "17,25", "B": "11,5", "C": "20"}


@shared_layer
def world(area):
    return council_world_build(area)


def page(pk: int, action: str = "") -> str:
    return f"{SHEETS}{pk}/{action + '/' if action else ''}"


def second_member_submits(world):
    """Member 2 of council X scores the first dossier 48,75 (17,25 + 11,5 + 20) and submits."""
    user, dossier = world["people"]["uy_vien_2"], world["dossiers"][0]
    scoring.sheet_save(sheet=sheet(user, dossier), raws=SECOND, user=user)
    return scoring.sheet_submit(sheet=sheet(user, dossier), user=user)


def test_a_member_sees_none_of_the_others_points_before_submitting_then_sees_them(client, world):
    second_member_submits(world)
    first, dossier = world["people"]["uy_vien_1"], world["dossiers"][0]
    own = sheet(first, dossier)
    client.force_login(first)
    before = client.get(page(own.pk)).content.decode()
    assert "Phiếu của các thành viên khác chỉ hiện sau khi bạn nộp phiếu của mình." in before
    for leaked in ("17,25", "11,5", "48,75", "Phạm Thành Viên"):
        assert leaked not in before, leaked

    response = client.post(page(own.pk), {"lock_version": own.lock_version, "s_A": "30", "s_B": "12,5", "s_C": "25"})
    assert response.status_code == 302
    assert sheet(first, dossier).total == Decimal("67.50")
    still_blind = client.get(page(own.pk)).content.decode()
    assert "48,75" not in still_blind and "17,25" not in still_blind

    response = client.post(page(own.pk, "nop"), {"lock_version": sheet(first, dossier).lock_version})
    assert response.status_code == 302
    after = client.get(page(own.pk)).content.decode()
    assert "Phạm Thành Viên" in after
    for shown in ("17,25", "11,50", "48,75"):
        assert shown in after, shown


def test_the_api_follows_the_same_blind_rule(client, world):
    second_member_submits(world)
    first, dossier = world["people"]["uy_vien_1"], world["dossiers"][0]
    own = sheet(first, dossier)
    client.force_login(first)
    body = client.get(f"{API}{own.pk}/").json()
    assert body["others"] == []
    assert "48.75" not in str(body) and "17.25" not in str(body)

    body = client.put(
        f"{API}{own.pk}/",
        {"values": {"A": "12,5", "B": "20", "C": "30"}, "lock_version": body["lock_version"]},
        content_type="application/json",
    ).json()
    assert body["total"] == 62.5 and body["complete"] is True
    assert [item["points"] for part in body["parts"] for item in part["items"]] == [12.5, 20, 30]
    body = client.post(
        f"{API}{own.pk}/submit/", {"lock_version": body["lock_version"]}, content_type="application/json"
    ).json()
    assert body["submitted_at"] is not None and body["editable"] is False
    (other,) = body["others"]
    assert other["member"]["name"] == "Phạm Thành Viên"
    assert other["total"] == 48.75
    assert [item["raw"] for part in other["parts"] for item in part["items"]] == ["17,25", "11,5", "20"]


def test_the_chairs_draft_never_shows_to_a_member_who_submitted(client, world):
    chair, first, dossier = world["people"]["chu_tich"], world["people"]["uy_vien_1"], world["dossiers"][0]
    scoring.sheet_save(sheet=sheet(chair, dossier), raws={"A": "39,75"}, user=chair)  # a draft, not submitted
    score(first, dossier, 60)
    client.force_login(first)
    assert "39,75" not in client.get(page(sheet(first, dossier).pk)).content.decode()
    assert client.get(f"{API}{sheet(first, dossier).pk}/").json()["others"] == []


def test_a_sheet_is_reachable_only_by_its_own_member(client, world):
    dossier = world["dossiers"][0]
    target = sheet(world["people"]["uy_vien_1"], dossier)
    outsiders = [
        world["people"]["y_1"],  # a member of council Y
        world["people"]["uy_vien_2"],  # another member of the same council
        world["people"]["chu_tich"],  # its chair
        world["office"],  # the office (reads the results once closed, never a sheet page)
        world["other_office"],
        world["other_member"],
    ]
    for user in outsiders:
        client.force_login(user)
        assert client.get(page(target.pk)).status_code == 404, user
        assert client.post(page(target.pk), {"lock_version": 0, "s_A": "1"}).status_code == 404, user
        assert client.post(page(target.pk, "nop")).status_code == 404, user
        assert client.post(page(target.pk, "mo-lai")).status_code == 404, user
        assert client.get(f"{API}{target.pk}/").status_code == 404, user
        response = client.put(
            f"{API}{target.pk}/", {"values": {"A": "1"}, "lock_version": 0}, content_type="application/json"
        )
        assert response.status_code == 404 and response.json()["code"] == "not_found", user
        assert client.post(f"{API}{target.pk}/submit/", {}, content_type="application/json").status_code == 404
    assert not MemberScore.objects.filter(sheet=target).exists()
    # Y's member does not reach X's dossier page either.
    client.force_login(world["people"]["y_1"])
    assert client.get(f"/ocop/hoi-dong/ho-so/{target.entry_id}/").status_code == 404


def test_saving_keeps_what_was_typed_and_says_what_is_wrong(client, world):
    first, dossier = world["people"]["uy_vien_1"], world["dossiers"][0]
    own = sheet(first, dossier)
    client.force_login(first)
    response = client.post(page(own.pk), {"lock_version": own.lock_version, "s_A": "45", "s_B": "12,5", "s_C": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="45"' in html and 'value="12,5"' in html
    assert "Điểm phải từ 0 đến 40." in html
    stored = {row.code: (row.raw, row.points) for row in MemberScore.objects.filter(sheet=own)}
    assert stored["A"] == ("45", None) and stored["B"] == ("12,5", Decimal("12.50"))
    # An incomplete sheet is not submitted.
    response = client.post(page(own.pk, "nop"), {"lock_version": sheet(first, dossier).lock_version})
    assert "Hãy chấm đủ điểm mọi nội dung của phiếu trước khi nộp." in response.content.decode()
    assert sheet(first, dossier).submitted_at is None


def test_a_stale_version_is_refused_in_vietnamese_and_nothing_is_overwritten(client, world):
    first, dossier = world["people"]["uy_vien_1"], world["dossiers"][0]
    own = sheet(first, dossier)
    stale = own.lock_version
    scoring.sheet_save(sheet=own, raws={"A": "10"}, user=first)  # saved elsewhere (another tab, the API)
    client.force_login(first)
    response = client.post(page(own.pk), {"lock_version": stale, "s_A": "33", "s_B": "", "s_C": ""})
    assert response.status_code == 409
    assert "Phiếu vừa được lưu ở nơi khác. Không có gì bị ghi đè; hãy tải lại phiếu." in response.content.decode()
    assert MemberScore.objects.get(sheet=own, code="A").raw == "10"
    response = client.put(
        f"{API}{own.pk}/", {"values": {"A": "33"}, "lock_version": stale}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    response = client.put(
        f"{API}{own.pk}/", {"values": {"Z9": "1"}, "lock_version": stale + 1}, content_type="application/json"
    )
    assert response.status_code == 400 and "values" in response.json()["fields"]


def test_a_member_reopens_their_sheet_while_the_council_scores(client, world):
    first, dossier = world["people"]["uy_vien_1"], world["dossiers"][0]
    submitted = score(first, dossier, 70)
    client.force_login(first)
    assert 'id="sheet-form"' not in client.get(page(submitted.pk)).content.decode()
    response = client.post(page(submitted.pk, "mo-lai"), {"lock_version": submitted.lock_version})
    assert response.status_code == 302
    reopened = MemberSheet.objects.get(pk=submitted.pk)
    assert reopened.submitted_at is None and reopened.entry.sheets_submitted == 0
    assert 'id="sheet-form"' in client.get(page(submitted.pk)).content.decode()


def test_my_sheets_list_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    first = world["people"]["uy_vien_1"]
    score(first, world["dossiers"][0], 70)
    client.force_login(first)
    with django_assert_max_num_queries(12):
        response = client.get(SHEETS)
    html = response.content.decode()
    assert "Cà phê rang xay" in html and "Cà phê hạt" in html and "Mật ong rừng" not in html
    assert "Đã nộp ngày" in html and "Chưa chấm xong" in html
    # A sheet page costs the same whatever the others have done.
    second_member_submits(world)
    own = sheet(first, world["dossiers"][0])
    with django_assert_max_num_queries(20):
        assert client.get(page(own.pk)).status_code == 200
