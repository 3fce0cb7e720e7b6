"""One audit trail for every object: people's memberships and rounds keep a history the admin shows, in words,
to those who may open the object — and to nobody in another province."""

import pytest

from cms.audit.history import history_url
from cms.audit.models import AuditEntry
from cms.directory.models import Membership, Role
from tests.factories import UserFactory, member, province

MEMBERSHIPS = "/admin/directory/membership/"


@pytest.fixture
def other_office(area):
    return member(Role.OFFICE_EDITOR, unit=province(code="67", name="Tỉnh Đắk Nông"), username="vanphong_67")


def test_granting_and_revoking_a_role_is_in_the_persons_history(area, other_office, client):
    person = UserFactory(username="canbo_moi", first_name="An", last_name="Nguyễn")
    client.force_login(area["office"])
    created = client.post(
        f"{MEMBERSHIPS}create/",
        {"user": person.pk, "role": Role.COMMUNE_OFFICER, "unit": area["communes"]["ea_wer"].pk, "department": ""},
    )
    assert created.status_code == 302
    page = client.get(history_url(person))
    assert page.status_code == 200
    assert "Cấp quyền" in page.text
    assert "Văn phòng Điều phối NTM" in page.text
    assert "office_editor" not in page.text and "membership_granted" not in page.text

    membership = Membership.objects.get(user=person)
    assert client.post(f"{MEMBERSHIPS}delete/{membership.pk}/").status_code == 302

    entries = list(AuditEntry.objects.about(person).order_by("at", "pk"))
    assert [entry.get_action_display() for entry in entries] == ["Cấp quyền", "Thu hồi quyền"]
    assert {entry.actor for entry in entries} == {area["office"]}
    assert entries[0].after == {"vai trò": "Cán bộ xã", "phạm vi": "Xã Ea Wer (24310)"}
    assert entries[1].before == entries[0].after


def test_the_membership_list_links_each_person_to_their_history(area, client):
    client.force_login(area["office"])
    officer = area["officers"]["hoa_thuan"]
    assert history_url(officer) in client.get(MEMBERSHIPS).text


def test_another_provinces_editor_reads_neither_the_person_nor_the_round_history(
    area, open_round, other_office, client
):
    client.force_login(other_office)
    assert client.get(history_url(area["officers"]["hoa_thuan"])).status_code == 404
    assert client.get(history_url(open_round)).status_code == 404
    client.force_login(area["office"])
    page = client.get(history_url(open_round))
    assert page.status_code == 200
    assert "Mở đợt" in page.text


def test_unknown_or_unregistered_objects_have_no_history_page(area, client):
    client.force_login(area["office"])
    assert client.get("/admin/nhat-ky/directory/nonsense/1/").status_code == 404
    assert client.get("/admin/nhat-ky/directory/edition/1/").status_code == 404
