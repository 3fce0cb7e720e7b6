"""The admin's "Danh hiệu": the office manages its province's titles (list, detail with history, revoke, correct,
record after a merger, import with a report), the national reader reads, nobody else sees or does anything; and
the list's queries do not grow with the titles."""

import datetime
import re

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from cms.directory.models import Role
from criteria_pages.spec import TitleKind
from submissions.titles.models import Title
from tests.factories import EditionFactory, UnitSuccessionFactory, commune, member, province
from tests.submissions.test_my_work import menu_labels
from tests.submissions.titles.conftest import xlsx
from tests.submissions.titles.factories import TitleFactory

LIST = "/admin/submissions/titles/"
HEADER = ["Mã đơn vị", "Danh hiệu", "Số quyết định", "Ngày quyết định"]


def refused(response) -> bool:
    """Forbidden or not found, or Wagtail's answer to somebody without admin access (back to its login or home)."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and (response.url == "/admin/" or response.url.startswith("/admin/login/"))
    )


@pytest.fixture
def title(area):
    return TitleFactory(unit=area["communes"]["hoa_thuan"], decision_number="1234/QĐ-UBND")


def revoke(client, title, **extra):
    payload = {
        "revocation_number": "99/QĐ-UBND",
        "revoked_on": "01/06/2025",
        "reason": "Không duy trì tiêu chí môi trường",
        **extra,
    }
    return client.post(f"{LIST}{title.pk}/thu-hoi/", payload)


# --- who sees and does what -----------------------------------------------------------------------------------


def test_the_office_lists_reads_and_revokes_its_provinces_titles(client, area, title):
    client.force_login(area["office"])
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert "Danh hiệu" in menu_labels(listing)
    assert "Xã Hòa Thuận" in listing.text and "Số 1234/QĐ-UBND ngày 20/12/2019" in listing.text
    detail = client.get(f"{LIST}{title.pk}/")
    assert detail.status_code == 200 and "Thu hồi danh hiệu" in detail.text
    response = revoke(client, title)
    assert response.status_code == 302 and response.url == f"{LIST}{title.pk}/"
    title.refresh_from_db()
    assert title.revoked_on == datetime.date(2025, 6, 1) and title.revocation_number == "99/QĐ-UBND"
    detail = client.get(f"{LIST}{title.pk}/").text
    assert "Đã thu hồi theo Quyết định số 99/QĐ-UBND ngày 01/06/2025: Không duy trì tiêu chí môi trường" in detail
    history = re.search(r'<ul id="title-history">(.*?)</ul>', detail, re.S).group(1)
    assert "Thu hồi danh hiệu" in history and "vanphong" in history
    assert refused(revoke(client, title)) or "đã bị thu hồi" in client.get(f"{LIST}{title.pk}/").text
    assert Title.objects.get(pk=title.pk).revocation_number == "99/QĐ-UBND"


def test_a_second_revocation_is_refused_with_a_message(client, area, title):
    client.force_login(area["office"])
    revoke(client, title)
    response = client.get(f"{LIST}{title.pk}/thu-hoi/", follow=True)
    assert "Danh hiệu này đã bị thu hồi." in response.text
    revoke(client, title, revocation_number="100/QĐ-UBND")
    title.refresh_from_db()
    assert title.revocation_number == "99/QĐ-UBND"


def test_a_revocation_with_bad_input_is_shown_in_vietnamese_and_saves_nothing(client, area, title):
    client.force_login(area["office"])
    response = revoke(client, title, revoked_on="2025-13-40", reason="")
    assert response.status_code == 200
    assert "Hãy nhập ngày dạng dd/mm/yyyy." in response.text
    response = revoke(client, title, revoked_on="01/01/2010")
    assert "Ngày thu hồi không thể trước ngày quyết định công nhận (20/12/2019)." in response.text
    title.refresh_from_db()
    assert title.is_current


def test_the_office_corrects_a_decision_and_the_history_shows_before_and_after(client, area, title):
    client.force_login(area["office"])
    response = client.post(
        f"{LIST}{title.pk}/dinh-chinh/",
        {"decision_number": "1235/QĐ-UBND", "decision_date": "21/12/2019", "reason": "Ghi sai số"},
    )
    assert response.status_code == 302
    title.refresh_from_db()
    assert (title.decision_number, title.decision_date, title.is_current) == (
        "1235/QĐ-UBND",
        datetime.date(2019, 12, 21),
        True,
    )
    detail = client.get(f"{LIST}{title.pk}/").text
    assert "số quyết định công nhận: từ “1234/QĐ-UBND” thành “1235/QĐ-UBND”" in detail
    assert "ngày quyết định công nhận: từ “20/12/2019” thành “21/12/2019”" in detail
    assert "Ghi sai số" in detail


@pytest.mark.parametrize("who", ["other_office", "appraiser", "officer", "anonymous"])
def test_nobody_else_reads_or_acts_on_the_provinces_titles(client, area, people, title, who):
    user = {"officer": area["officers"]["hoa_thuan"], "anonymous": None}.get(who, people.get(who))
    if user is not None:
        client.force_login(user)
    assert refused(client.get(f"{LIST}{title.pk}/"))
    assert refused(revoke(client, title))
    assert refused(
        client.post(f"{LIST}{title.pk}/dinh-chinh/", {"decision_number": "x", "decision_date": "01/01/2020"})
    )
    assert refused(client.get(f"{LIST}{title.pk}/van-ban/quyet-dinh/"))
    title.refresh_from_db()
    assert title.is_current and title.decision_number == "1234/QĐ-UBND"
    listing = client.get(LIST)
    if who == "other_office":
        assert listing.status_code == 200 and "Xã Hòa Thuận" not in listing.text
    else:
        assert refused(listing)
    if who != "other_office":  # an office has its own province's import and merger pages
        assert refused(client.get(f"{LIST}nhap/"))
        assert refused(client.get(f"{LIST}sau-sap-xep/"))
        assert refused(client.post(f"{LIST}nhap/", {"file": SimpleUploadedFile("x.xlsx", xlsx([HEADER]))}))


def test_the_national_reader_reads_every_province_but_changes_nothing(client, people, title):
    client.force_login(people["national"])
    listing = client.get(LIST)
    assert listing.status_code == 200 and "Xã Hòa Thuận" in listing.text
    assert "Nhập danh sách danh hiệu" not in listing.text
    detail = client.get(f"{LIST}{title.pk}/")
    assert detail.status_code == 200 and "Thu hồi danh hiệu" not in detail.text
    assert refused(revoke(client, title))
    assert refused(client.get(f"{LIST}nhap/"))
    assert refused(client.get(f"{LIST}sau-sap-xep/"))
    title.refresh_from_db()
    assert title.is_current


def test_the_menu_item_shows_to_offices_and_national_readers_only(client, area, people):
    client.force_login(people["appraiser"])
    assert "Danh hiệu" not in menu_labels(client.get("/admin/"))
    client.force_login(people["national"])
    assert "Danh hiệu" in menu_labels(client.get("/admin/"))


# --- the list -------------------------------------------------------------------------------------------------


def test_the_list_filters_by_kind_state_and_unit(client, area, title):
    TitleFactory(unit=area["communes"]["ea_kly"], kind=TitleKind.XA_NTM_NANG_CAO)
    TitleFactory(unit=area["communes"]["ea_wer"], revoked_on=datetime.date(2024, 1, 1), revocation_number="5")
    client.force_login(area["office"])

    def units(query):
        text = client.get(f"{LIST}?{query}").text
        return re.findall(r'<a href="/admin/submissions/titles/\d+/">([^<]+)</a>', text)

    assert units("") == ["Xã Ea Wer", "Xã Hòa Thuận", "Xã Ea Kly"]  # in the order of the unit tree
    assert units("kind=xa_ntm_nang_cao") == ["Xã Ea Kly"]
    assert units("state=revoked") == ["Xã Ea Wer"]
    assert units("state=current") == ["Xã Hòa Thuận", "Xã Ea Kly"]
    assert units("q=hoa+thuan") == ["Xã Hòa Thuận"]
    assert units("q=24401") == ["Xã Ea Kly"]


def test_the_lists_queries_do_not_grow_with_the_titles(client, area, django_assert_max_num_queries):
    client.force_login(area["office"])
    TitleFactory(unit=area["communes"]["hoa_thuan"])
    with django_assert_max_num_queries(20) as few:
        client.get(LIST)
    for key in ("ea_kly", "ea_wer", "phuoc_an"):
        TitleFactory(unit=area["communes"][key])
        TitleFactory(unit=area["communes"][key], kind=TitleKind.XA_NTM_NANG_CAO)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert response.text.count('data-state="current"') == 7


# --- import ---------------------------------------------------------------------------------------------------


def upload(client, rows):
    return client.post(f"{LIST}nhap/", {"file": SimpleUploadedFile("danh-hieu.xlsx", xlsx(rows))})


def test_the_import_saves_nothing_on_any_problem_and_shows_the_report(client, area):
    client.force_login(area["office"])
    response = upload(
        client,
        [HEADER, ["24400", "xa_ntm", "1/QĐ", "20/12/2019"], ["24611", "xa_ntm", "2/QĐ", "32/12/2019"]],
    )
    assert response.status_code == 200
    report = re.search(r'<table class="listing" id="import-report">(.*?)</table>', response.text, re.S).group(1)
    assert "Ngày “32/12/2019” không đúng dạng dd/mm/yyyy." in report
    assert "Không nhập gì: tệp có 1 lỗi." in response.text
    assert not Title.objects.exists()
    response = upload(
        client, [HEADER, ["24400", "xa_ntm", "1/QĐ", "20/12/2019"], ["24401", "xa_ntm", "2/QĐ", "20/12/2019"]]
    )
    assert response.status_code == 302
    assert Title.objects.count() == 2


def test_the_import_refuses_a_file_that_is_not_a_spreadsheet_in_vietnamese(client, area):
    client.force_login(area["office"])
    response = client.post(f"{LIST}nhap/", {"file": SimpleUploadedFile("danh-hieu.txt", b"24400;xa_ntm")})
    assert response.status_code == 200
    assert "Không cho phép phần mở rộng tệp “txt”." in response.text
    assert not Title.objects.exists()


def test_the_import_refuses_another_provinces_units(client, area, people):
    client.force_login(people["other_office"])
    response = upload(client, [HEADER, ["24400", "xa_ntm", "1/QĐ", "20/12/2019"]])
    assert "Xã Hòa Thuận không thuộc tỉnh bạn quản lý." in response.text
    assert not Title.objects.exists()


# --- after a merger -------------------------------------------------------------------------------------------


def test_the_office_records_a_merged_communes_title_from_its_predecessors(client, area, title):
    """The office of the province in the newest list manages the new commune and the old communes it was formed
    from."""
    new_province = province(edition=EditionFactory(date=datetime.date(2025, 7, 1), name="2025-07-01", tiers=2))
    new_commune = commune(new_province, "30001", "Xã Hòa Thuận mới")
    UnitSuccessionFactory(successor=new_commune, predecessor=area["communes"]["hoa_thuan"])
    client.force_login(member(Role.OFFICE_EDITOR, unit=new_province, username="vanphong_moi"))
    assert client.get(f"{LIST}{title.pk}/").status_code == 200
    step = client.get(f"{LIST}sau-sap-xep/?code=30001")
    assert step.status_code == 200 and "Xã Hòa Thuận: Xã đạt chuẩn nông thôn mới" in step.text
    response = client.post(
        f"{LIST}sau-sap-xep/?code=30001",
        {"kind": "xa_ntm", "decision_number": "45/QĐ-UBND", "decision_date": "01/08/2025", "carried_from": [title.pk]},
    )
    assert response.status_code == 302
    recorded = Title.objects.get(unit=new_commune)
    assert list(recorded.carried_from.all()) == [title]
    assert Title.objects.get(pk=title.pk).is_current  # the predecessor keeps its own
    client.force_login(area["office"])  # the old list's office does not reach the new commune
    assert "Không có đơn vị mã này" in client.get(f"{LIST}sau-sap-xep/?code=30001").text
