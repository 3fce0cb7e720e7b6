"""After login, everyone to their work: the commune officer to their forms, reviewers and appraisers to their
queue, the office and the national reader to the admin's dashboard, a person with several roles to a choice; and
the admin menu's "Chờ xét duyệt (N)" (short enough for the sidebar to show the count) for everyone with a queue."""

import json
import re

from django.contrib.auth.models import Group
from django.test import Client

import pytest

from cms.directory.access import scopes_of
from cms.directory.models import Department, Role
from cms.directory.services import membership_create
from submissions.review import flow as review
from submissions.review import selectors as review_selectors
from tests.factories import PASSWORD, UserFactory, commune, district, member, province

MY_WORK = "/cong-viec/"
FORMS = "/danh-gia/"
QUEUE = "/xet-duyet/"
ADMIN = "/admin/"
LOGIN = "/dang-nhap/"
ADMIN_LOGIN = "/admin/login/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lands(client, url=MY_WORK) -> str:
    """Where ``url`` sends the client (the redirect's target)."""
    response = client.get(url)
    assert response.status_code == 302, response.status_code
    return response["Location"]


def menu_labels(response) -> list[str]:
    """The labels of the admin's sidebar menu (Wagtail renders it from JSON props)."""
    match = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', response.text, re.S)
    assert match, "the admin's sidebar is missing"
    return re.findall(r'"label": "([^"]*)"', json.dumps(json.loads(match.group(1)), ensure_ascii=False))


@pytest.fixture
def appraiser(area):
    return member(Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-xd"), username="so_xd")


def test_each_role_lands_on_its_own_work(area, appraiser):
    national = member(Role.NATIONAL_READER, username="trung_uong")
    superuser = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    assert lands(logged_in(area["officers"]["hoa_thuan"])) == FORMS
    assert lands(logged_in(area["reviewer"])) == QUEUE
    assert lands(logged_in(appraiser)) == QUEUE
    assert lands(logged_in(area["office"])) == ADMIN
    assert lands(logged_in(national)) == ADMIN
    assert lands(logged_in(superuser)) == ADMIN


def test_an_officer_of_two_communes_goes_straight_to_their_forms(area):
    officer = area["officers"]["hoa_thuan"]
    membership_create(user=officer, role=Role.COMMUNE_OFFICER, unit=area["communes"]["ea_kly"])
    assert lands(logged_in(officer)) == FORMS


def test_a_person_with_several_roles_chooses(area):
    person = area["officers"]["hoa_thuan"]
    membership_create(user=person, role=Role.DISTRICT_REVIEWER, unit=area["districts"]["krong_pac"])
    page = logged_in(person).get(MY_WORK)
    assert page.status_code == 200
    places = [(place.label, place.scope, place.url) for place in page.context["places"]]
    assert places == [
        ("Cán bộ xã", "Xã Hòa Thuận", FORMS),
        ("Thẩm tra cấp huyện", "Huyện Krông Pắc", QUEUE),
    ]
    assert "Bạn có nhiều vai trò" in page.text
    assert f'href="{FORMS}"' in page.text and f'href="{QUEUE}"' in page.text


def test_a_person_without_a_role_is_told_whom_to_ask(db):
    page = logged_in(UserFactory(username="chua_phan_quyen")).get(MY_WORK)
    assert page.status_code == 200
    assert "chưa được giao vai trò nào" in page.text


def test_a_safe_next_is_honoured_and_an_unsafe_one_ignored(area):
    officer = logged_in(area["officers"]["hoa_thuan"])
    assert lands(officer, f"{MY_WORK}?next=/danh-gia/ho-so/1/") == "/danh-gia/ho-so/1/"
    assert lands(officer, f"{MY_WORK}?next=https://evil.example/") == FORMS
    assert lands(officer, f"{MY_WORK}?next=//evil.example/") == FORMS
    # An admin address is no place for someone without admin access: their own work instead.
    assert lands(officer, f"{MY_WORK}?next=/admin/") == FORMS
    assert lands(logged_in(area["office"]), f"{MY_WORK}?next=/admin/pages/") == "/admin/pages/"


def test_anonymous_callers_log_in_first(db):
    assert lands(Client()).startswith(f"{LOGIN}?next=")


def test_the_login_page_leads_to_the_work(area):
    client = Client()
    response = client.post(LOGIN, {"username": "canbo_hoa_thuan", "password": PASSWORD}, follow=True)
    assert [url for url, _status in response.redirect_chain] == [MY_WORK, FORMS]
    assert "Hồ sơ đánh giá của xã" in response.text

    reviewer = Client().post(LOGIN, {"username": "thamtra", "password": PASSWORD})
    assert reviewer["Location"] == MY_WORK
    with_next = Client().post(f"{LOGIN}?next=/xet-duyet/", {"username": "vanphong", "password": PASSWORD})
    assert with_next["Location"] == "/xet-duyet/"


def test_wagtails_admin_login_sends_a_commune_officer_to_their_forms_not_to_a_refusing_admin(area):
    client = Client()
    response = client.post(ADMIN_LOGIN, {"username": "canbo_hoa_thuan", "password": PASSWORD}, follow=True)
    assert [url for url, _status in response.redirect_chain] == [MY_WORK, FORMS]
    # Already logged in, the admin's login page does not ask again.
    assert lands(client, ADMIN_LOGIN) == MY_WORK
    # Bounced from the admin (next=/admin/), the officer still lands on their forms.
    bounced = Client().post(f"{ADMIN_LOGIN}?next=/admin/", {"username": "canbo_hoa_thuan", "password": PASSWORD})
    assert bounced["Location"] == MY_WORK


def test_wagtails_admin_login_sends_reviewers_to_their_queue_and_the_office_to_the_admin(area):
    reviewer = Client().post(ADMIN_LOGIN, {"username": "thamtra", "password": PASSWORD}, follow=True)
    assert [url for url, _status in reviewer.redirect_chain] == [MY_WORK, QUEUE]
    office = Client().post(ADMIN_LOGIN, {"username": "vanphong", "password": PASSWORD}, follow=True)
    assert [url for url, _status in office.redirect_chain] == [MY_WORK, ADMIN]
    asked = Client().post(f"{ADMIN_LOGIN}?next=/admin/pages/", {"username": "vanphong", "password": PASSWORD})
    assert asked["Location"] == "/admin/pages/"


def test_the_commune_forms_page_sends_reviewers_and_appraisers_to_their_work(area, appraiser):
    for person in (area["reviewer"], appraiser):
        response = logged_in(person).get(FORMS, follow=True)
        assert [url for url, _status in response.redirect_chain] == [MY_WORK, QUEUE]
        assert "Chưa có đợt đánh giá nào cho xã của bạn" not in response.text
    assert lands(logged_in(area["office"]), FORMS) == MY_WORK


# --- the admin menu's review queue --------------------------------------------------------------------------


def test_the_menu_counts_what_waits_for_each_persons_own_action(flow, area, open_round):
    """Hòa Thuận's submission waits for Krông Pắc's reviewer; once forwarded, for the construction and
    agriculture departments; once appraised, for the office."""
    submission = flow["submission"]
    reviewer, office = area["reviewer"], area["office"]
    construction, agriculture = flow["construction"], flow["agriculture"]
    buon_don = member(Role.DISTRICT_REVIEWER, unit=area["districts"]["buon_don"], username="thamtra_buon_don")

    def waiting(user):
        return review_selectors.waiting_count(type(user).objects.get(pk=user.pk))

    assert [waiting(user) for user in (reviewer, buon_don, construction, agriculture, office)] == [1, 0, 0, 0, 0]
    review.review_forward(submission=submission, user=reviewer)
    assert [waiting(user) for user in (reviewer, construction, agriculture, office)] == [0, 1, 1, 0]
    for number, user in ((1, construction), (2, construction)):
        submission.refresh_from_db()
        review.appraisal_decide(submission=submission, number=number, user=user)
    assert [waiting(user) for user in (construction, agriculture, office)] == [0, 1, 0]
    submission.refresh_from_db()
    review.appraisal_decide(submission=submission, number=10, user=agriculture)
    assert [waiting(user) for user in (construction, agriculture, office)] == [0, 0, 1]


def test_the_menu_item_shows_the_count_to_everyone_with_a_queue(flow, area):
    reviewer = logged_in(area["reviewer"]).get(ADMIN)
    assert "Chờ xét duyệt (1)" in menu_labels(reviewer)
    office = logged_in(area["office"]).get(ADMIN)
    assert "Chờ xét duyệt (0)" in menu_labels(office)
    appraiser = logged_in(flow["construction"]).get(ADMIN)
    assert "Chờ xét duyệt (0)" in menu_labels(appraiser)
    national = logged_in(member(Role.NATIONAL_READER, username="trung_uong")).get(ADMIN)
    assert not [label for label in menu_labels(national) if label.startswith("Chờ xét duyệt")]


def test_another_provinces_reviewer_counts_nothing_of_this_province(flow):
    dak_nong = province("67", "Tỉnh Đắk Nông")
    dak_mil = district(dak_nong, "660", "Huyện Đắk Mil")
    commune(dak_mil, "24611", "Xã Đắk Nia")
    other_reviewer = member(Role.DISTRICT_REVIEWER, unit=dak_mil, username="thamtra_67")
    other_office = member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67")
    other_appraiser = member(
        Role.DEPARTMENT_APPRAISER,
        department=Department.objects.create(code="so-xd", name="Sở Xây dựng Đắk Nông", province=dak_nong),
        username="so_xd_67",
    )
    assert [review_selectors.waiting_count(user) for user in (other_reviewer, other_office, other_appraiser)] == [
        0,
        0,
        0,
    ]


def test_the_count_is_one_query(flow, area, django_assert_num_queries):
    reviewer = type(area["reviewer"]).objects.get(pk=area["reviewer"].pk)
    scopes_of(reviewer)  # read once per request, shared with the rest of the page
    with django_assert_num_queries(1):
        assert review_selectors.waiting_count(reviewer) == 1


def test_the_national_reader_role_group_enters_the_admin(db):
    national = member(Role.NATIONAL_READER, username="trung_uong")
    assert Group.objects.filter(user=national).count() == 1
    assert logged_in(national).get(ADMIN).status_code == 200


def test_the_commune_officer_finds_the_consultation_and_paper_survey_pages_from_their_forms(area, open_round):
    client = logged_in(area["officers"]["hoa_thuan"])
    listing = client.get(FORMS)
    assert listing.status_code == 200
    links = re.search(r'<p class="mode-links" id="consultation-links">.*?</p>', listing.text, re.S).group(0)
    assert 'href="/lay-y-kien/"' in links and 'href="/lay-y-kien/phieu-giay/"' in links
    for path in ("/lay-y-kien/", "/lay-y-kien/phieu-giay/"):
        page = client.get(path)
        assert page.status_code == 200
        assert f'href="{FORMS}"' in page.text  # and back to the forms
