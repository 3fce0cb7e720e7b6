"""The sync of what a commune officer typed offline (``/danh-gia/ho-so/<pk>/dong-bo/``), the installable app's
manifest and service worker, and logging out clearing the phone: driven over HTTP as the form's script does."""

import json

from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from cms.audit.models import AuditEntry
from cms.directory.models import Role
from submissions.entry import services
from submissions.models import AuditAction, Evidence, IndicatorValue, Submission
from submissions.review import flow as review
from submissions.rounds import services as round_services
from tests.factories import commune, member, province

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def submission(open_round, area):
    return Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])


@pytest.fixture
def officer(client, area):
    client.force_login(area["officers"]["hoa_thuan"])
    return client


def sync(client, submission, fields, lock_version=None):
    body = {"lock_version": submission.lock_version if lock_version is None else lock_version, "fields": fields}
    return client.post(f"/danh-gia/ho-so/{submission.pk}/dong-bo/", json.dumps(body), content_type="application/json")


def raw(submission, code):
    return IndicatorValue.objects.filter(submission=submission, code=code).values_list("raw", flat=True).first()


def test_values_typed_offline_are_saved(officer, submission, published_set):
    question = "q_" + published_set["form_page"].sections[0].value["questions"][0].id
    response = sync(
        officer,
        submission,
        {
            "v_2_1": {"value": "96", "base": ""},
            "n_2_1": {"value": "Số liệu tháng 11", "base": ""},
            "v_1_1": {"value": "có", "base": ""},
            question: {"value": "Nguyễn Văn An", "base": ""},
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["conflicts"] == [] and set(body["sent"]) == {"v_2_1", "n_2_1", "v_1_1", question}
    submission.refresh_from_db()
    assert raw(submission, "2.1") == "96" and raw(submission, "1.1") == "có"
    assert IndicatorValue.objects.get(submission=submission, code="2.1").note == "Số liệu tháng 11"
    assert submission.answers[question] == "Nguyễn Văn An"
    assert body["lock_version"] == submission.lock_version


def test_a_value_changed_on_the_server_meanwhile_is_answered_not_overwritten(officer, submission, area):
    services.submission_save(submission=submission, raws={"2.1": "80", "2.2": "5"}, user=area["officers"]["hoa_thuan"])
    submission.refresh_from_db()
    loaded = submission.lock_version  # the phone loaded the page here
    services.submission_save(submission=submission, raws={"2.1": "85"}, user=area["officers"]["hoa_thuan"])
    submission.refresh_from_db()

    response = sync(
        officer,
        submission,
        {"v_2_1": {"value": "90", "base": "80"}, "v_2_2": {"value": "6", "base": "5"}},
        lock_version=loaded,
    )

    assert response.status_code == 200
    body = response.json()
    # 2.2 did not change on the server: it is written although the page was based on an older lock version.
    assert body["sent"] == ["v_2_2"] and raw(submission, "2.2") == "6"
    # 2.1 did: nothing overwritten, both versions answered, in Vietnamese.
    assert raw(submission, "2.1") == "85"
    [conflict] = body["conflicts"]
    assert conflict["name"] == "v_2_1" and conflict["server"] == "85" and conflict["device"] == "90"
    assert conflict["label"].startswith("2.1")
    assert "máy chủ" in body["message"]

    # The officer keeps the phone's version: it is sent again based on the server's value, and written.
    again = sync(officer, submission, {"v_2_1": {"value": "90", "base": "85"}})
    assert again.json()["conflicts"] == [] and raw(submission, "2.1") == "90"


def test_a_value_equal_to_the_servers_is_already_sent(officer, submission, area):
    services.submission_save(submission=submission, raws={"2.1": "85"}, user=area["officers"]["hoa_thuan"])
    submission.refresh_from_db()
    before = submission.lock_version
    response = sync(officer, submission, {"v_2_1": {"value": "85", "base": "70"}})
    assert response.json() == {**response.json(), "sent": ["v_2_1"], "conflicts": []}
    submission.refresh_from_db()
    assert submission.lock_version == before  # nothing to write, nothing written


def test_a_closed_round_is_refused_in_vietnamese_and_nothing_is_written(officer, submission, open_round, area):
    round_services.round_close(round_=open_round, user=area["office"])
    response = sync(officer, submission, {"v_2_1": {"value": "96", "base": ""}})
    assert response.status_code == 409
    assert response.json()["code"] == "round_closed" and "Đợt đánh giá đã đóng" in response.json()["message"]
    assert raw(submission, "2.1") in (None, "")
    files = officer.post(
        f"/danh-gia/ho-so/{submission.pk}/dong-bo/tep/",
        {"field": "e_1_1", "file": SimpleUploadedFile("qd.pdf", PDF)},
    )
    assert files.status_code == 409 and not Evidence.objects.filter(submission=submission).exists()


def test_a_submission_submitted_elsewhere_is_refused(officer, submission, published_set, area):
    question = "q_" + published_set["form_page"].sections[0].value["questions"][0].id
    user = area["officers"]["hoa_thuan"]
    services.submission_save(
        submission=submission,
        raws={"1.1": "có", "2.1": "95", "2.2": "7", "10.1": "50"},
        answers={question: "An"},
        user=user,
    )
    services.evidence_add(
        submission=submission, indicator_code="1.1", upload=SimpleUploadedFile("a.pdf", PDF), user=user
    )
    submission.refresh_from_db()
    review.submission_submit(submission=submission, user=user, required_questions={question: "Họ và tên"})
    response = sync(officer, submission, {"v_2_1": {"value": "50", "base": "95"}})
    assert response.status_code == 409 and response.json()["code"] == "submitted"
    assert "đã được nộp" in response.json()["message"] and raw(submission, "2.1") == "95"


def test_changes_after_the_first_submission_are_audited(officer, submission, area):
    Submission.objects.filter(pk=submission.pk).update(first_submitted_at="2026-11-20T08:00:00+07:00")
    sync(officer, submission, {"v_2_1": {"value": "70", "base": ""}})
    entry = AuditEntry.objects.get(action=AuditAction.VALUE_CHANGED)
    assert entry.before == {"2.1": ""} and entry.after == {"2.1": "70"}


def test_files_chosen_offline_are_attached_once(officer, submission):
    url = f"/danh-gia/ho-so/{submission.pk}/dong-bo/tep/"
    first = officer.post(url, {"field": "e_1_1", "file": SimpleUploadedFile("quyết định.pdf", PDF)})
    assert first.status_code == 201 and first.json()["name"] == "quyết định.pdf"
    retry = officer.post(url, {"field": "e_1_1", "file": SimpleUploadedFile("quyết định.pdf", PDF)})
    assert retry.status_code == 200
    assert Evidence.objects.filter(submission=submission, indicator_code="1.1").count() == 1
    refused = officer.post(url, {"field": "e_1_1", "file": SimpleUploadedFile("x.pdf", b"not a pdf")})
    assert refused.status_code == 400 and "không được nhận" in refused.json()["message"]


def test_unknown_fields_and_bad_bodies_are_refused(officer, submission):
    assert sync(officer, submission, {"v_99": {"value": "1", "base": ""}}).status_code == 400
    response = officer.post(f"/danh-gia/ho-so/{submission.pk}/dong-bo/", "[]", content_type="application/json")
    assert response.status_code == 400 and response.json()["message"] == "Dữ liệu gửi lên không hợp lệ."


@pytest.mark.parametrize("who", ["other_commune", "other_province", "reviewer", "office"])
def test_only_the_communes_own_officer_may_sync(client, submission, area, who):
    if who == "other_commune":
        user = area["officers"]["ea_kly"]
    elif who == "other_province":
        dak_nong = province(code="67", name="Tỉnh Đắk Nông")
        user = member(Role.COMMUNE_OFFICER, unit=commune(dak_nong, "24611", "Xã Đắk Nia"), username="canbo_67")
    else:
        user = area[who]
    client.force_login(user)
    response = sync(client, submission, {"v_2_1": {"value": "1", "base": ""}})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    files = client.post(
        f"/danh-gia/ho-so/{submission.pk}/dong-bo/tep/", {"field": "e_1_1", "file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert files.status_code == 404
    assert raw(submission, "2.1") in (None, "") and not Evidence.objects.filter(submission=submission).exists()


def test_anonymous_sync_is_told_to_log_in(client, submission):
    response = sync(client, submission, {"v_2_1": {"value": "1", "base": ""}})
    assert response.status_code == 401 and "đăng nhập" in response.json()["message"]


def test_manifest_and_service_worker(client):
    manifest = client.get("/danh-gia/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    body = manifest.json()
    assert body["start_url"] == "/danh-gia/" and body["display"] == "standalone" and body["lang"] == "vi"
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}
    for icon in body["icons"]:
        size = int(icon["sizes"].split("x")[0])
        with Image.open(finders.find(icon["src"].removeprefix("/static/"))) as image:
            assert image.size == (size, size) and image.format == "PNG"
    worker = client.get("/danh-gia/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/danh-gia/" and worker["Cache-Control"] == "no-cache"
    policy = client.get("/danh-gia/sw.js")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_logout_clears_the_phone(officer):
    response = officer.post("/dang-xuat/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_form_includes_the_offline_part(officer, submission):
    page = officer.get(f"/danh-gia/ho-so/{submission.pk}/").content.decode()
    assert page.count('id="offline-config"') == 1
    assert f'data-sync-url="/danh-gia/ho-so/{submission.pk}/dong-bo/"' in page
    assert "submissions/js/offline.js" in page and "<script>" not in page
