"""Registration of target titles: the commune registers, edits, resubmits; the office opens and closes periods,
approves or returns; every role as a non-superuser, in its own province and against another."""

import datetime

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest

from cms.audit.models import AuditEntry
from cms.directory.models import Role
from criteria_pages.spec import TitleKind
from submissions.errors import SubmissionError
from submissions.models import AuditAction
from submissions.registration import services
from submissions.registration.models import PeriodStatus, Registration, RegistrationFile, RegistrationStatus
from tests.submissions.test_my_work import menu_labels

from .conftest import pdf, title

LIST = "/dang-ky-danh-hieu/"
ADMIN = "/admin/submissions/registration/"


def register(client, period, **data):
    fields = {"kind": TitleKind.XA_NTM, "target_year": str(timezone.localdate().year), "plan": "Làm đường"}
    fields.update(data)
    return client.post(f"{LIST}dot/{period.pk}/dang-ky/", fields)


def refused(response) -> bool:
    """Not found, forbidden, or Wagtail's answer to a denied admin page (its login or home)."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response.url.startswith(("/admin/", "/dang-nhap/"))
    )


# --- the commune registers ----------------------------------------------------------------------------------


def test_commune_registers_with_a_file_and_the_office_is_told(area, period, client):
    client.force_login(area["officers"]["hoa_thuan"])
    mail.outbox.clear()
    response = register(client, period, files=pdf("Kế hoạch xây dựng NTM.pdf"))
    registration = Registration.objects.get()
    assert response.status_code == 302 and response.url == f"{LIST}{registration.pk}/"
    assert registration.unit == area["communes"]["hoa_thuan"]
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.submitted_by == area["officers"]["hoa_thuan"]
    (item,) = registration.files.all()
    assert item.original_name == "Kế hoạch xây dựng NTM.pdf" and item.content_type == "application/pdf"
    entry = AuditEntry.objects.get(action=AuditAction.REGISTRATION_SUBMITTED)
    assert entry.role == Role.COMMUNE_OFFICER and entry.after["kind"] == TitleKind.XA_NTM
    assert [message.to for message in mail.outbox] == [[area["office"].email]]
    page = client.get(LIST)
    assert "Xã đạt chuẩn nông thôn mới" in page.content.decode() and period.name in page.content.decode()


def test_a_file_that_is_not_what_it_claims_is_refused_in_vietnamese(area, period, client):
    client.force_login(area["officers"]["hoa_thuan"])
    fake = SimpleUploadedFile("ke-hoach.pdf", b"plain text, not a PDF", content_type="application/pdf")
    response = register(client, period, files=fake)
    assert response.status_code == 400
    text = response.content.decode()
    assert "không được nhận" in text and 'class="question has-error" id="field-files"' in text
    assert not Registration.objects.exists() and not RegistrationFile.objects.exists()


def test_the_list_is_a_fixed_number_of_queries(area, period, client, django_assert_max_num_queries):
    officer = area["officers"]["hoa_thuan"]
    for kind in (TitleKind.XA_NTM, TitleKind.XA_NTM_NANG_CAO, TitleKind.XA_NTM_KIEU_MAU):
        services.registration_submit(
            period=period, unit=area["communes"]["hoa_thuan"], kind=kind, target_year=2030, user=officer
        )
    client.force_login(officer)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.content.decode().count('class="status status-submitted"') == 3


def test_a_title_held_currently_cannot_be_registered(area, period, client):
    unit = area["communes"]["hoa_thuan"]
    title(unit, TitleKind.XA_NTM, 2019)
    client.force_login(area["officers"]["hoa_thuan"])
    response = register(client, period)
    assert response.status_code == 400
    text = response.content.decode()
    assert "đang giữ danh hiệu" in text and "01/06/2019" in text
    assert not Registration.objects.exists()


def test_a_revoked_title_can_be_registered_again(area, period):
    unit = area["communes"]["hoa_thuan"]
    title(unit, TitleKind.XA_NTM, 2019, revoked_on=datetime.date(2024, 1, 1))
    registration = services.registration_submit(
        period=period, unit=unit, kind=TitleKind.XA_NTM, target_year=timezone.localdate().year
    )
    assert registration.pk


def test_the_same_title_twice_in_one_period_is_refused(area, period, client):
    client.force_login(area["officers"]["hoa_thuan"])
    assert register(client, period).status_code == 302
    response = register(client, period, target_year=str(timezone.localdate().year + 1))
    assert response.status_code == 400
    assert "đã đăng ký danh hiệu" in response.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("how", ["closed", "ended", "not_yet"])
def test_a_closed_period_or_one_outside_its_dates_refuses(area, period, client, how, today):
    if how == "closed":
        services.period_close(period=period, user=area["office"])
        expected = "đã đóng"
    elif how == "ended":
        period.closes_on = today - datetime.timedelta(days=1)
        period.save()
        expected = "đã hết hạn"
    else:
        period.opens_on = today + datetime.timedelta(days=1)
        period.save()
        expected = "chưa mở"
    client.force_login(area["officers"]["hoa_thuan"])
    response = register(client, period)
    assert response.status_code == 409
    assert expected in response.content.decode()
    assert not Registration.objects.exists()
    with pytest.raises(SubmissionError, match=expected):
        services.registration_submit(
            period=period, unit=area["communes"]["ea_kly"], kind=TitleKind.XA_NTM, target_year=today.year
        )


def test_a_commune_cannot_register_a_district_title_nor_a_past_year(area, period):
    unit = area["communes"]["hoa_thuan"]
    with pytest.raises(SubmissionError, match="không đăng ký được danh hiệu"):
        services.registration_submit(
            period=period, unit=unit, kind=TitleKind.HUYEN_NTM, target_year=timezone.localdate().year
        )
    with pytest.raises(SubmissionError, match="Năm phấn đấu đạt phải từ"):
        services.registration_submit(period=period, unit=unit, kind=TitleKind.XA_NTM, target_year=2020)


def test_a_commune_of_another_province_cannot_register_in_this_period(area, period, other, client):
    client.force_login(other["officer"])
    assert register(client, period).status_code == 404
    with pytest.raises(SubmissionError, match="không thuộc"):
        services.registration_submit(
            period=period, unit=other["commune"], kind=TitleKind.XA_NTM, target_year=timezone.localdate().year
        )
    assert not Registration.objects.exists()


def test_a_district_reviewer_registers_his_district_for_a_district_title(area, period, client):
    client.force_login(area["reviewer"])
    response = register(client, period, kind=TitleKind.HUYEN_NTM)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.unit == area["districts"]["krong_pac"] and registration.kind == TitleKind.HUYEN_NTM


# --- another commune, other roles -------------------------------------------------------------------------------


@pytest.fixture
def registration(area, period):
    return services.registration_submit(
        period=period,
        unit=area["communes"]["hoa_thuan"],
        kind=TitleKind.XA_NTM,
        target_year=timezone.localdate().year,
        plan="Kế hoạch ban đầu",
        uploads=[pdf()],
        user=area["officers"]["hoa_thuan"],
    )


def test_commune_b_cannot_see_or_change_commune_as_registration(area, registration, client):
    item = registration.files.get()
    client.force_login(area["officers"]["ea_kly"])
    assert client.get(f"{LIST}{registration.pk}/").status_code == 404
    response = client.post(
        f"{LIST}{registration.pk}/",
        {"kind": TitleKind.XA_NTM_NANG_CAO, "target_year": "2030", "lock_version": registration.lock_version},
    )
    assert response.status_code == 404
    assert client.get(f"{LIST}tep/{item.pk}/").status_code == 404
    assert "Kế hoạch ban đầu" not in client.get(LIST).content.decode()
    registration.refresh_from_db()
    assert registration.kind == TitleKind.XA_NTM


@pytest.mark.parametrize("who", ["other_officer", "other_office", "national", "appraiser"])
def test_nobody_else_downloads_a_registration_file(area, registration, other, client, who):
    users = {
        "other_officer": other["officer"],
        "other_office": other["office"],
        "national": other["national"],
        "appraiser": other["appraiser"],
    }
    client.force_login(users[who])
    assert client.get(f"{LIST}tep/{registration.files.get().pk}/").status_code == 404


def test_the_commune_and_its_office_download_the_file(area, registration, client):
    item = registration.files.get()
    for user in (area["officers"]["hoa_thuan"], area["office"]):
        client.force_login(user)
        response = client.get(f"{LIST}tep/{item.pk}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf().read()
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", ["office", "national", "appraiser"])
def test_the_commune_pages_are_not_for_other_roles(area, other, client, who):
    client.force_login({"office": area["office"], "national": other["national"], "appraiser": other["appraiser"]}[who])
    assert client.get(LIST).status_code == 404


# --- edit, return, resubmit, approve ------------------------------------------------------------------------------


def test_office_returns_commune_fixes_and_resubmits_then_office_approves(area, registration, client):
    officer, office = area["officers"]["hoa_thuan"], area["office"]
    client.force_login(office)
    mail.outbox.clear()
    response = client.post(
        f"{ADMIN}{registration.pk}/",
        {"decision": "return", "comment": "Bổ sung nguồn vốn", "lock_version": registration.lock_version},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.RETURNED and registration.decided_by == office
    (message,) = mail.outbox
    assert message.to == [officer.email] and "Bổ sung nguồn vốn" in message.body

    client.force_login(officer)
    page = client.get(f"{LIST}{registration.pk}/")
    assert "Bổ sung nguồn vốn" in page.content.decode() and "Sửa và gửi lại" in page.content.decode()
    response = client.post(
        f"{LIST}{registration.pk}/",
        {
            "kind": TitleKind.XA_NTM,
            "target_year": str(timezone.localdate().year + 1),
            "plan": "Kế hoạch có nguồn vốn",
            "lock_version": registration.lock_version,
            "remove_file": [str(registration.files.get().pk)],
        },
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.plan == "Kế hoạch có nguồn vốn" and not registration.files.exists()

    client.force_login(office)
    response = client.post(
        f"{ADMIN}{registration.pk}/", {"decision": "approve", "comment": "", "lock_version": registration.lock_version}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    actions = list(AuditEntry.objects.about(registration).order_by("pk").values_list("action", flat=True))
    assert actions == [
        AuditAction.REGISTRATION_SUBMITTED,
        AuditAction.REGISTRATION_RETURNED,
        AuditAction.REGISTRATION_SUBMITTED,
        AuditAction.REGISTRATION_APPROVED,
    ]

    history = client.get(f"{ADMIN}{registration.pk}/").content.decode()
    assert "trạng thái: từ “Trả lại để sửa” thành “Chờ duyệt”" in history
    assert "kế hoạch tóm tắt: từ “Kế hoạch ban đầu” thành “Kế hoạch có nguồn vốn”" in history
    assert "Ý kiến: “Bổ sung nguồn vốn”" in history and "approved" not in history

    client.force_login(officer)
    response = client.post(
        f"{LIST}{registration.pk}/",
        {"kind": TitleKind.XA_NTM, "target_year": "2030", "lock_version": registration.lock_version},
    )
    assert response.status_code == 409
    assert "không sửa được" in response.content.decode()


def test_returning_needs_a_comment(area, registration, client):
    client.force_login(area["office"])
    response = client.post(
        f"{ADMIN}{registration.pk}/", {"decision": "return", "comment": " ", "lock_version": registration.lock_version}
    )
    assert response.status_code == 400
    assert "Hãy ghi ý kiến" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


def test_a_stale_page_cannot_decide(area, registration, client):
    stale = registration.lock_version
    services.registration_update(
        registration=registration, kind=TitleKind.XA_NTM, target_year=registration.target_year, plan="Đã sửa"
    )
    client.force_login(area["office"])
    response = client.post(f"{ADMIN}{registration.pk}/", {"decision": "approve", "lock_version": stale})
    assert response.status_code == 409
    assert "vừa được thay đổi" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


def test_office_of_another_province_cannot_read_or_approve(registration, other, client):
    client.force_login(other["office"])
    assert client.get(f"{ADMIN}{registration.pk}/").status_code == 404
    response = client.post(f"{ADMIN}{registration.pk}/", {"decision": "approve", "lock_version": 1})
    assert response.status_code == 404
    assert "Xã Hòa Thuận" not in client.get(ADMIN).content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


def test_national_reader_reads_but_cannot_decide(registration, other, client):
    client.force_login(other["national"])
    page = client.get(f"{ADMIN}{registration.pk}/")
    assert page.status_code == 200 and 'id="decision-form"' not in page.content.decode()
    assert refused(client.post(f"{ADMIN}{registration.pk}/", {"decision": "approve", "lock_version": 1}))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


@pytest.mark.parametrize("who", ["officer", "reviewer", "appraiser"])
def test_the_admin_pages_are_not_for_communes_reviewers_or_appraisers(area, registration, other, client, who):
    client.force_login(
        {"officer": area["officers"]["hoa_thuan"], "reviewer": area["reviewer"], "appraiser": other["appraiser"]}[who]
    )
    for url in (ADMIN, f"{ADMIN}{registration.pk}/", f"{ADMIN}dot/", f"{ADMIN}ke-hoach/", f"{ADMIN}ke-hoach/xlsx/"):
        assert refused(client.get(url)), url


# --- the office's list and periods ------------------------------------------------------------------------------------


def test_office_list_filters_by_status_title_and_district(area, period, client, django_assert_max_num_queries):
    communes = area["communes"]
    for key in ("hoa_thuan", "ea_kly", "ea_wer"):
        services.registration_submit(period=period, unit=communes[key], kind=TitleKind.XA_NTM, target_year=2030)
    services.registration_submit(
        period=period, unit=communes["ea_wer"], kind=TitleKind.XA_NTM_NANG_CAO, target_year=2031
    )
    approved = Registration.objects.get(unit=communes["ea_kly"])
    services.registration_approve(registration=approved, user=area["office"])
    client.force_login(area["office"])
    with django_assert_max_num_queries(20):
        response = client.get(ADMIN)
    assert response.content.decode().count("<tr data-status=") == 4
    buon_don = area["districts"]["buon_don"]
    text = client.get(ADMIN, {"district": buon_don.pk}).content.decode()
    assert text.count("<tr data-status=") == 2 and "Xã Ea Wer" in text
    text = client.get(ADMIN, {"status": RegistrationStatus.APPROVED}).content.decode()
    assert text.count("<tr data-status=") == 1 and "Xã Ea Kly" in text
    text = client.get(ADMIN, {"kind": TitleKind.XA_NTM_NANG_CAO}).content.decode()
    assert text.count("<tr data-status=") == 1


def test_office_opens_and_closes_a_period_of_its_province_only(area, other, client, today):
    client.force_login(area["office"])
    response = client.post(
        f"{ADMIN}dot/",
        {
            "province": area["province"].pk,
            "name": "Đợt bổ sung",
            "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"{ADMIN}dot/",
        {
            "province": other["province"].pk,
            "name": "Tấn công",
            "opens_on": today.isoformat(),
            "closes_on": today.isoformat(),
        },
    )
    assert response.status_code == 400  # not a choice: the office opens periods of its own province only
    assert not other["province"].registration_periods.filter(name="Tấn công").exists()
    assert refused(client.post(f"{ADMIN}dot/{other['period'].pk}/dong/"))
    other["period"].refresh_from_db()
    assert other["period"].status == PeriodStatus.OPEN
    mine = area["province"].registration_periods.get(name="Đợt bổ sung")
    assert client.post(f"{ADMIN}dot/{mine.pk}/dong/").status_code == 302
    mine.refresh_from_db()
    assert mine.status == PeriodStatus.CLOSED
    page = client.get(f"{ADMIN}dot/").content.decode()
    assert "Đợt bổ sung" in page and "Đăng ký của Đắk Nông" not in page


def test_a_period_closing_before_it_opens_is_refused(area, client, today):
    client.force_login(area["office"])
    response = client.post(
        f"{ADMIN}dot/",
        {
            "province": area["province"].pk,
            "name": "Sai ngày",
            "opens_on": today.isoformat(),
            "closes_on": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Hạn đăng ký phải sau hoặc trùng ngày mở" in response.content.decode()


def test_the_menu_item_shows_to_offices_and_national_readers_only(area, other, client):
    for user in (area["office"], other["national"]):
        client.force_login(user)
        assert "Đăng ký danh hiệu" in menu_labels(client.get("/admin/"))
    for user in (area["reviewer"], other["appraiser"]):
        client.force_login(user)
        assert "Đăng ký danh hiệu" not in menu_labels(client.get("/admin/"))


def test_the_commune_work_page_links_to_the_registration(area, client):
    client.force_login(area["officers"]["hoa_thuan"])
    assert 'href="/dang-ky-danh-hieu/"' in client.get("/danh-gia/").content.decode()
