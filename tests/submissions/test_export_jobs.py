"""Background exports: started from the API and the admin by non-superusers (an office editor, the national reader),
polled, downloaded (the xlsx matches the synchronous report), refused to other provinces, pruned after retention;
large exports offered only in the background; a killed job runs again; query counts of the job list."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

import openpyxl
import pytest

from cms.directory.models import Role
from submissions.reports import exports
from submissions.reports.jobs import services
from submissions.reports.jobs.models import ExportJob, ExportJobStatus
from submissions.reports.jobs.tasks import export_job_task
from submissions.reports.statistics import Basis
from tests.factories import member
from tests.submissions.factories import Data
from tests.submissions.test_my_work import menu_labels

LIST = "/admin/submissions/exports/"


@pytest.fixture
def data(statistics_data) -> Data:
    return statistics_data


@pytest.fixture
def national(data):
    return member(Role.NATIONAL_READER, username="trung_uong")


@pytest.fixture
def office67(data):
    return member(Role.OFFICE_EDITOR, unit=data.provinces["67"], username="vanphong67")


def cells(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def start_by_api(client, round_, django_capture_on_commit_callbacks, **payload):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/api/v1/rounds/{round_.pk}/exports/", payload, content_type="application/json")


# --- the API --------------------------------------------------------------------------------------------


def test_office_editor_starts_polls_and_downloads_by_api(client, data, django_capture_on_commit_callbacks):
    client.force_login(data.office)
    response = start_by_api(client, data.round, django_capture_on_commit_callbacks, kind="summary")
    assert response.status_code == 202
    job = response.json()
    assert response["Location"] == job["url"]
    assert (job["kind"], job["parent"], job["basis"]) == ("summary", "66", Basis.ALL)
    polled = client.get(job["url"]).json()
    assert (polled["status"], polled["progress"]) == (ExportJobStatus.DONE, 100)
    assert polled["filename"] == f"tong-hop-dot-{data.round.pk}-66.xlsx"
    download = client.get(polled["download_url"])
    assert download.status_code == 200
    assert f'filename="{polled["filename"]}"' in download["Content-Disposition"]
    expected = exports.export_summary(data.round, parent=data.provinces["66"])
    assert cells(body(download)) == cells(expected)
    listed = client.get("/api/v1/exports/").json()
    assert [item["id"] for item in listed["results"]] == [job["id"]]


def test_national_reader_exports_the_whole_round_by_api(client, data, national, django_capture_on_commit_callbacks):
    client.force_login(national)
    response = start_by_api(client, data.round, django_capture_on_commit_callbacks, kind="statistics")
    assert response.status_code == 202
    job = client.get(response["Location"]).json()
    assert (job["status"], job["parent"]) == (ExportJobStatus.DONE, None)
    download = body(client.get(job["download_url"]))
    assert cells(download) == cells(exports.export_statistics(data.round))
    by_province = start_by_api(client, data.round, django_capture_on_commit_callbacks, kind="summary", parent="67")
    assert by_province.json()["parent"] == "67"


def test_another_province_never_reads_the_job(client, data, office67, django_capture_on_commit_callbacks):
    client.force_login(data.office)
    started = start_by_api(client, data.round, django_capture_on_commit_callbacks, kind="summary")
    job = client.get(started["Location"]).json()
    assert job["download_url"]
    admin_download = f"/admin/submissions/exports/{job['id']}/download/"
    client.force_login(office67)
    for url in (job["url"], job["download_url"], admin_download):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/exports/").json()["count"] == 0
    assert admin_download not in client.get(LIST).text
    # Nor starts one of a province that is not theirs.
    refused = start_by_api(client, data.round, django_capture_on_commit_callbacks, kind="summary", parent="66")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert ExportJob.objects.filter(requested_by=office67).count() == 0


def test_people_without_an_office_scope_cannot_export(client, data, django_capture_on_commit_callbacks):
    anonymous = start_by_api(client, data.round, django_capture_on_commit_callbacks, kind="summary")
    assert anonymous.status_code in (401, 403)
    assert "đăng nhập" in anonymous.json()["message"]
    reviewer = member(Role.DISTRICT_REVIEWER, unit=data.districts["600"], username="thamtra600")
    client.force_login(reviewer)
    assert start_by_api(client, data.round, django_capture_on_commit_callbacks, kind="summary").status_code == 403
    officer = member(Role.COMMUNE_OFFICER, unit=data.units["24000"], username="canbo24000")
    client.force_login(officer)
    assert start_by_api(client, data.round, django_capture_on_commit_callbacks, kind="summary").status_code == 404
    assert not ExportJob.objects.exists()


def test_invalid_requests_answer_in_vietnamese(client, data, django_capture_on_commit_callbacks):
    client.force_login(data.office)
    unknown_kind = start_by_api(client, data.round, django_capture_on_commit_callbacks, kind="unit")
    assert unknown_kind.status_code == 400
    assert "kind" in unknown_kind.json()["fields"]
    unknown_unit = start_by_api(client, data.round, django_capture_on_commit_callbacks, kind="summary", parent="999")
    assert unknown_unit.status_code == 400
    assert "999" in unknown_unit.json()["fields"]["parent"][0]
    assert client.post("/api/v1/rounds/0/exports/", {"kind": "summary"}).status_code == 404


def test_a_job_not_ready_is_a_conflict(client, data):
    job = services.export_job_start(
        user=data.office, round_=data.round, kind="summary", parent=data.provinces["66"], basis=Basis.ALL
    )  # inside the test's transaction: the task is queued at commit, which never comes
    client.force_login(data.office)
    polled = client.get(f"/api/v1/exports/{job.pk}/").json()
    assert (polled["status"], polled["progress"], polled["download_url"]) == (ExportJobStatus.PENDING, 0, None)
    response = client.get(f"/api/v1/exports/{job.pk}/download/")
    assert response.status_code == 409
    assert "chưa sẵn sàng" in response.json()["message"]


# --- the task ---------------------------------------------------------------------------------------------


def test_a_job_killed_mid_run_is_written_again(data):
    job = services.export_job_start(
        user=data.office, round_=data.round, kind="departments", parent=data.provinces["66"], basis=Basis.ALL
    )
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJobStatus.RUNNING, progress=40)
    export_job_task.enqueue(job.pk)
    job.refresh_from_db()
    assert (job.status, job.progress) == (ExportJobStatus.DONE, 100)
    with job.file.open("rb") as stored:
        assert cells(stored.read()) == cells(exports.export_departments(data.round, parent=data.provinces["66"]))
    first_name = job.file.name
    export_job_task.enqueue(job.pk)  # run once more: a finished file is kept as it is
    job.refresh_from_db()
    assert job.file.name == first_name


def test_a_failing_export_leaves_a_failed_job_with_its_reason(data):
    job = services.export_job_start(user=data.office, round_=data.round, kind="nope", parent=None, basis=Basis.ALL)
    export_job_task.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJobStatus.FAILED
    assert "Không có loại báo cáo" in job.error
    assert not job.file


def test_progress_is_reported_while_rows_are_written(data):
    seen: list[int] = []
    with exports.reporting_progress(seen.append):
        exports.export_summary(data.round, parent=data.provinces["66"])
    assert seen == sorted(seen)
    assert seen[-1] == 100 and len(seen) > 10


# --- the admin -------------------------------------------------------------------------------------------


def test_national_reader_starts_from_the_round_page_and_downloads(
    client, data, national, django_capture_on_commit_callbacks
):
    client.force_login(national)
    page = client.get(f"/admin/submissions/round/inspect/{data.round.pk}/").text
    start = f"/admin/submissions/exports/round/{data.round.pk}/summary/"
    assert f'action="{start}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start)
    assert (response.status_code, response["Location"]) == (302, LIST)
    listing = client.get(LIST)
    assert listing.status_code == 200
    job = ExportJob.objects.get(requested_by=national)
    row = listing.text.split('id="export-jobs"')[1]
    assert "Bảng tổng hợp kết quả các đơn vị" in row and "Xong" in row and "Toàn bộ đợt" in row
    assert timezone.localtime(job.created_at).strftime("%d/%m/%Y %H:%M") in row
    assert timezone.localtime(job.expires_at).strftime("%d/%m/%Y") in row
    download = client.get(f"/admin/submissions/exports/{job.pk}/download/")
    assert cells(body(download)) == cells(exports.export_summary(data.round))
    assert "Tệp xuất của tôi" in menu_labels(client.get("/admin/"))


def test_the_job_list_costs_the_same_queries_for_one_job_or_many(client, data, django_assert_max_num_queries):
    client.force_login(data.office)
    for _ in range(1):
        services.export_job_start(
            user=data.office, round_=data.round, kind="summary", parent=data.provinces["66"], basis=Basis.ALL
        )
    with django_assert_max_num_queries(14) as one:
        assert client.get(LIST).status_code == 200
    for _ in range(6):
        services.export_job_start(
            user=data.office, round_=data.round, kind="statistics", parent=data.provinces["66"], basis=Basis.ALL
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(LIST)
    assert response.text.count("<tr data-status=") == 7


def test_large_exports_are_offered_in_the_background_only(client, data, settings):
    settings.EXPORT_SYNC_MAX_UNITS = 100  # province 66 has 152 communes in the round
    client.force_login(data.office)
    page = client.get(f"/admin/submissions/round/inspect/{data.round.pk}/").text
    section = page.split('id="round-exports"')[1].split("</section>")[0]
    assert f"/admin/submissions/round/{data.round.pk}/export/summary/" not in section
    assert "Xuất nền: Bảng tổng hợp kết quả các đơn vị" in section
    refused = client.get(f"/admin/submissions/round/{data.round.pk}/export/summary/")
    assert refused.status_code == 302 and "Content-Disposition" not in refused
    # One unit's report stays immediate.
    assert client.get(f"/admin/submissions/round/{data.round.pk}/export/unit/?unit=24000").status_code == 200


def test_admin_refuses_other_provinces_and_other_roles(client, data, office67):
    start = f"/admin/submissions/exports/round/{data.round.pk}/summary/"
    client.force_login(office67)
    refused = client.post(start, {"parent": "66"})
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert client.get(start).status_code == 405
    officer = member(Role.COMMUNE_OFFICER, unit=data.units["24000"], username="canbo24000")
    client.force_login(officer)
    assert client.get(LIST).status_code in (302, 403)
    assert not ExportJob.objects.exists()


# --- retention ------------------------------------------------------------------------------------------


def test_prune_removes_expired_jobs_and_their_files(data, settings):
    settings.EXPORT_RETENTION_DAYS = 7
    old, fresh = (
        services.export_job_start(
            user=data.office, round_=data.round, kind="summary", parent=data.provinces["66"], basis=Basis.ALL
        )
        for _ in range(2)
    )
    for job in (old, fresh):
        export_job_task.enqueue(job.pk)
        job.refresh_from_db()
    assert fresh.expires_at.date() == (timezone.now() + datetime.timedelta(days=7)).date()
    ExportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    storage, old_name, fresh_name = old.file.storage, old.file.name, fresh.file.name
    assert storage.exists(old_name) and storage.exists(fresh_name)
    out = io.StringIO()
    call_command("prune_exports", stdout=out)
    assert "Deleted 1 expired export job" in out.getvalue()
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not storage.exists(old_name)
    assert storage.exists(fresh_name)
