"""The office's management of evaluation rounds in the Wagtail admin, used as the roles that really use it."""

import dataclasses
import datetime
import io

import openpyxl
import pytest

from cms.audit.models import AuditEntry
from cms.directory.models import Role
from criteria_pages import services as criteria_services
from submissions.models import AuditAction, Round, RoundKind, RoundStatus, Submission
from submissions.rounds import services as round_services
from tests.criteria_pages.factories import EvaluationFormPageFactory, criteria_index, round_spec
from tests.factories import commune, district, member, province

ROUNDS = "/admin/submissions/round/"
CREATE = f"{ROUNDS}create/"


def edit_url(round_):
    return f"{ROUNDS}edit/{round_.pk}/"


def inspect_url(round_):
    return f"{ROUNDS}inspect/{round_.pk}/"


def action_url(round_, action):
    return f"{ROUNDS}{round_.pk}/{action}/"


def assert_denied(response):
    """Wagtail refuses with a redirect to the dashboard (and a message) rather than a 403."""
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def shown_messages(response):
    return [str(message).strip() for message in response.context["messages"]]


def form_data(published_set, area, **overrides):
    data = {
        "name": "Đánh giá sáu tháng đầu năm 2027",
        "kind": RoundKind.SIX_MONTHLY,
        "period_start": "01/01/2027",
        "period_end": "30/06/2027",
        "criteria_version": published_set["version"].pk,
        "form_page": published_set["form_page"].pk,
        "scope_root": area["province"].pk,
        "scope_unit_types": "Xã",
        "opens_on": "01/07/2027",
        "due_on": "31/07/2027",
        "prefill_from": "",
    }
    data.update(overrides)
    return data


def make_round(published_set, area, *, name="Đợt thử", status=RoundStatus.DRAFT, opens_on=datetime.date(2027, 7, 1)):
    return Round.objects.create(
        name=name,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        criteria_version=published_set["version"],
        form_page=published_set["form_page"],
        scope_root=area["province"],
        scope_unit_types="Xã",
        opens_on=opens_on,
        due_on=opens_on + datetime.timedelta(days=30),
        status=status,
    )


@pytest.fixture
def office(client, area):
    client.force_login(area["office"])
    return client


@pytest.fixture
def other_set(published_set):
    """A second live criteria set, with its own form page."""
    spec = dataclasses.replace(round_spec(), code="BO_KHAC", name="Bộ tiêu chí khác")
    page, version = criteria_services.criteria_set_import(spec=spec, parent=criteria_index())
    form_page = EvaluationFormPageFactory(title="Biểu mẫu của bộ khác", slug="bieu-mau-khac", criteria_set=page)
    return {"page": page, "version": version, "form_page": form_page}


def test_office_editor_creates_a_round_and_opens_it(office, area, published_set):
    create_page = office.get(CREATE)
    assert create_page.status_code == 200
    assert "Bộ tiêu chí thử cho đợt – v1" in create_page.text

    response = office.post(CREATE, form_data(published_set, area))
    assert response.status_code == 302, response.context["form"].errors
    round_ = Round.objects.get(name="Đánh giá sáu tháng đầu năm 2027")
    assert (round_.status, round_.created_by, round_.opens_on) == (
        RoundStatus.DRAFT,
        area["office"],
        datetime.date(2027, 7, 1),
    )

    confirm = office.get(action_url(round_, "open"))
    assert confirm.status_code == 200
    assert confirm.context["scope_count"] == 3
    assert Submission.objects.filter(round=round_).count() == 0  # a GET changes nothing

    response = office.post(action_url(round_, "open"), follow=True)
    assert "Đã mở đợt “Đánh giá sáu tháng đầu năm 2027”: tạo 3 hồ sơ cho các xã trong phạm vi." in shown_messages(
        response
    )
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    units = set(Submission.objects.filter(round=round_).values_list("unit__name", flat=True))
    assert units == {"Xã Hòa Thuận", "Xã Ea Kly", "Xã Ea Wer"}
    assert [row.unit.name for row in response.context["submissions"]] == ["Xã Ea Wer", "Xã Hòa Thuận", "Xã Ea Kly"]


def test_closing_and_reopening_needs_a_reason_that_goes_into_the_audit(office, area, open_round):
    response = office.post(action_url(open_round, "close"), follow=True)
    assert "Đã đóng đợt “Đánh giá năm 2026”: mọi hồ sơ của đợt bị khoá." in shown_messages(response)
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSED

    refused = office.post(action_url(open_round, "reopen"), {"reason": "   "})
    assert refused.status_code == 200
    assert "Cần ghi lý do mở lại đợt." in refused.text
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSED

    reason = "Xã Ea Wer bổ sung minh chứng theo Công văn 123/VPĐP"
    response = office.post(action_url(open_round, "reopen"), {"reason": reason}, follow=True)
    assert "Đã mở lại đợt “Đánh giá năm 2026”." in shown_messages(response)
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.OPEN
    entry = AuditEntry.objects.about(open_round).get(action=AuditAction.ROUND_REOPENED)
    assert (entry.comment, entry.actor, entry.role) == (reason, area["office"], Role.OFFICE_EDITOR)
    assert reason in response.text  # the round's page shows the audit trail


def test_round_page_lists_submissions_and_the_audit_trail(office, area, open_round, django_assert_max_num_queries):
    round_services.round_close(round_=open_round, user=area["office"])
    with django_assert_max_num_queries(25):
        response = office.get(inspect_url(open_round))
    assert response.status_code == 200
    table = response.text.split('id="round-submissions"')[1].split("</table>")[0]
    assert "Xã Hòa Thuận" in table and "Nháp" in table and "Chưa đạt" in table
    audit = response.text.split('id="round-audit"')[1].split("</table>")[0]
    closed = AuditEntry.objects.about(open_round).get(action=AuditAction.ROUND_CLOSED)
    local = closed.at.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    assert local.strftime("%d/%m/%Y %H:%M") in audit
    assert "Đóng đợt" in audit and "Mở đợt" in audit
    assert "vanphong" in audit and "Văn phòng Điều phối NTM" in audit
    # The buttons offered follow the status: a closed round can be reopened or archived, not closed again.
    assert action_url(open_round, "reopen") in response.text
    assert action_url(open_round, "archive") in response.text
    assert action_url(open_round, "close") not in response.text


@pytest.mark.parametrize("who", ["office", "reviewer", "national"])
def test_each_commune_on_the_round_page_links_to_its_review_page_when_the_viewer_may_open_it(
    client, area, open_round, who, django_assert_max_num_queries
):
    submitted = Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])
    Submission.objects.filter(pk=submitted.pk).update(status="submitted")
    far = Submission.objects.get(round=open_round, unit=area["communes"]["ea_wer"])
    Submission.objects.filter(pk=far.pk).update(status="submitted")
    draft = Submission.objects.get(round=open_round, unit=area["communes"]["ea_kly"])
    user = member(Role.NATIONAL_READER, username="trung_uong") if who == "national" else area[who]
    client.force_login(user)
    with django_assert_max_num_queries(32):  # the admin's menu and the statistics; one query for every link
        page = client.get(inspect_url(open_round))
    table = page.text.split('id="round-submissions"')[1].split("</table>")[0]
    linked = {
        "office": {submitted.pk, far.pk},  # the whole province
        "reviewer": {submitted.pk},  # Krông Pắc only: Ea Wer is not on the page
        "national": set(),  # reads the round, reviews nothing
    }[who]
    for submission in (submitted, far):
        link = f'<a href="/xet-duyet/ho-so/{submission.pk}/">{submission.unit.name}</a>'
        assert (link in table) is (submission.pk in linked)
    # A draft is still the commune's: named, not linked (the review page opens once it is submitted).
    assert draft.unit.name in table and f"/xet-duyet/ho-so/{draft.pk}/" not in table
    for pk in linked:
        assert client.get(f"/xet-duyet/ho-so/{pk}/").status_code == 200


def test_archiving_a_closed_round(office, area, open_round):
    round_services.round_close(round_=open_round, user=area["office"])
    confirm = office.get(action_url(open_round, "archive"))
    assert "Lưu trữ đợt đã đóng" in confirm.text
    response = office.post(action_url(open_round, "archive"), follow=True)
    assert "Đã lưu trữ đợt “Đánh giá năm 2026”." in shown_messages(response)
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.ARCHIVED


def test_a_refused_action_shows_the_services_message(office, area, published_set):
    draft = make_round(published_set, area)
    response = office.post(action_url(draft, "close"), follow=True)
    assert response.status_code == 200
    assert "Chỉ đóng được đợt đang mở." in shown_messages(response)
    draft.refresh_from_db()
    assert draft.status == RoundStatus.DRAFT


def test_actions_are_post_only(office, area, open_round):
    assert office.put(action_url(open_round, "close")).status_code == 405
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.OPEN


def test_invalid_dates_rerender_with_errors_and_keep_the_input(office, area, published_set):
    data = form_data(published_set, area, due_on="15/06/2027", period_end="31/12/2026")
    response = office.post(CREATE, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["due_on"] == ["Hạn nộp không được trước ngày mở đợt."]
    assert errors["period_end"] == ["Kỳ đánh giá phải kết thúc vào hoặc sau ngày bắt đầu."]
    assert 'value="Đánh giá sáu tháng đầu năm 2027"' in response.text
    assert not Round.objects.exists()


def test_form_page_must_belong_to_the_chosen_set(office, area, published_set, other_set):
    response = office.post(CREATE, form_data(published_set, area, form_page=other_set["form_page"].pk))
    assert response.status_code == 200
    assert "Biểu mẫu “Biểu mẫu của bộ khác” thuộc bộ tiêu chí khác" in response.text
    assert 'value="Đánh giá sáu tháng đầu năm 2027"' in response.text
    assert not Round.objects.exists()


def test_scope_is_a_province_or_district_or_a_list_of_communes(office, area, published_set):
    nothing = office.post(CREATE, form_data(published_set, area, scope_root=""))
    assert "Chọn phạm vi của đợt" in nothing.text
    both = office.post(CREATE, form_data(published_set, area, scope_units=[area["communes"]["ea_wer"].pk]))
    assert "không chọn cả hai" in both.text
    assert not Round.objects.exists()

    listed = [area["communes"]["ea_wer"].pk, area["communes"]["phuoc_an"].pk]
    response = office.post(CREATE, form_data(published_set, area, scope_root="", scope_units=listed))
    assert response.status_code == 302
    round_ = Round.objects.get()
    assert round_services.round_open(round_=round_) == 2


def test_office_editor_picks_scope_units_only_in_their_province(office, area, published_set):
    far = commune(district(province(code="67", name="Tỉnh Đắk Nông"), "660", "Huyện Cư Jút"), "24600", "Xã Tâm Thắng")
    form = office.get(CREATE).context["form"]
    assert far not in form.fields["scope_units"].queryset
    assert area["communes"]["ea_wer"] in form.fields["scope_units"].queryset
    assert list(form.fields["scope_root"].queryset.values_list("name", flat=True)) == [
        "Tỉnh Đắk Lắk",
        "Huyện Buôn Đôn",
        "Huyện Krông Pắc",
    ]
    response = office.post(CREATE, form_data(published_set, area, scope_root="", scope_units=[far.pk]))
    assert response.status_code == 200
    assert "scope_units" in response.context["form"].errors
    assert not Round.objects.exists()


def test_only_draft_rounds_can_be_edited(office, area, published_set, open_round, other_set):
    response = office.get(edit_url(open_round), follow=True)
    assert any("Chỉ sửa được đợt đang chuẩn bị" in message for message in shown_messages(response))
    response = office.post(
        edit_url(open_round),
        form_data(other_set, area, name="Đổi tên", criteria_version=other_set["version"].pk),
    )
    assert response.status_code == 302
    open_round.refresh_from_db()
    assert (open_round.name, open_round.criteria_version) == ("Đánh giá năm 2026", published_set["version"])

    draft = make_round(published_set, area, name="Đợt nháp")
    response = office.post(edit_url(draft), form_data(published_set, area, name="Đợt nháp đã sửa"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.status) == ("Đợt nháp đã sửa", RoundStatus.DRAFT)


def test_district_reviewer_lists_rounds_but_cannot_change_them(client, area, published_set, open_round):
    make_round(published_set, area, name="Đợt còn nháp")
    client.force_login(area["reviewer"])
    response = client.get(ROUNDS)
    assert response.status_code == 200
    assert [round_.name for round_ in response.context["object_list"]] == ["Đánh giá năm 2026"]
    assert action_url(open_round, "close") not in response.text

    assert_denied(client.get(action_url(open_round, "close")))
    assert_denied(client.post(action_url(open_round, "close")))
    assert_denied(client.post(edit_url(open_round), {"name": "Đổi tên"}))
    assert_denied(client.get(CREATE))
    open_round.refresh_from_db()
    assert (open_round.status, open_round.name) == (RoundStatus.OPEN, "Đánh giá năm 2026")

    # The round's page shows only the reviewer's district, and not the office's audit trail.
    page = client.get(inspect_url(open_round))
    assert [row.unit.name for row in page.context["submissions"]] == ["Xã Hòa Thuận", "Xã Ea Kly"]
    assert 'id="round-audit"' not in page.text


def test_commune_officer_cannot_reach_the_round_admin(client, area, open_round):
    client.force_login(area["officers"]["hoa_thuan"])
    for url in (ROUNDS, inspect_url(open_round), action_url(open_round, "close")):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert client.post(action_url(open_round, "close")).status_code == 302
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.OPEN


def test_round_list_shows_counts_in_a_bounded_number_of_queries(
    office, area, published_set, django_assert_max_num_queries
):
    for number in range(6):
        round_ = make_round(published_set, area, name=f"Đợt {number}", opens_on=datetime.date(2027, 1, 1 + number))
        round_services.round_open(round_=round_, user=area["office"])
    Submission.objects.filter(round__name="Đợt 5", unit__name="Xã Ea Wer").update(status="submitted")
    with django_assert_max_num_queries(22):
        response = office.get(ROUNDS)
    assert response.status_code == 200
    rows = {
        round_.name: (round_.submission_total, round_.submission_handed_in)
        for round_ in response.context["object_list"]
    }
    assert rows["Đợt 5"] == (3, 1)
    assert rows["Đợt 0"] == (3, 0)
    assert "Bộ tiêu chí thử cho đợt – v1" in response.text


def test_round_list_filters_searches_and_exports(office, area, published_set, open_round):
    make_round(published_set, area, name="Đợt đột xuất")
    assert [r.name for r in office.get(ROUNDS, {"status": "open"}).context["object_list"]] == ["Đánh giá năm 2026"]
    assert [r.name for r in office.get(ROUNDS, {"q": "đột xuất"}).context["object_list"]] == ["Đợt đột xuất"]

    response = office.get(ROUNDS, {"export": "xlsx", "status": "open"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][:4] == ("Đánh giá năm 2026", "Hằng năm", "Đang mở", "Bộ tiêu chí thử cho đợt – v1")
    assert rows[1][-2:] == (3, 0)
