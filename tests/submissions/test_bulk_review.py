"""Work in bulk: forward, recognise and publish many submissions in one request, on the reviewers' pages (tick rows,
confirm on a page that lists exactly what will change) and in the API (each item done or refused, and why), and
appraise the ticked rows of an appraiser's queue for their own criterion.

Two worlds: the small province of ``tests/conftest.py`` (``flow``: three communes submitted through the services)
for the rules, and the generated province of the statistics tests (``statistics_data``: 152 communes of Đắk Lắk)
for 150 submissions in one request, with the same number of queries as 10.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

import pytest

from cms.audit.models import AuditEntry
from cms.directory.models import Role
from submissions.models import (
    AppraisalStatus,
    AuditAction,
    CriterionAppraisal,
    Submission,
    SubmissionStatus,
)
from submissions.review import flow as review
from tests.factories import member, province
from tests.submissions.factories import PDF, fill_and_submit

API = "/api/v1/review/"
WEB = "/xet-duyet/"


def post_json(client, path, body):
    return client.post(path, body, content_type="application/json")


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def fresh(pk: int) -> Submission:
    return Submission.objects.get(pk=pk)


# --- the small province: three communes submitted --------------------------------------------------------------


@pytest.fixture
def three(flow, area, open_round):
    """Hòa Thuận (``flow``), Ea Kly (Krông Pắc) and Ea Wer (Buôn Đôn), each filled and submitted by its officer."""
    submissions = {"hoa_thuan": flow["submission"]}
    for key in ("ea_kly", "ea_wer"):
        submission = Submission.objects.get(round=open_round, unit=area["communes"][key])
        submissions[key] = fill_and_submit(submission, area["officers"][key], flow["question"])
    mail.outbox.clear()
    return submissions


def _to_recognition(submissions, area, flow) -> None:
    for submission in submissions:
        review.review_forward(submission=fresh(submission.pk), user=area["office"])
        for number, user in ((1, flow["construction"]), (2, flow["construction"]), (10, flow["agriculture"])):
            review.appraisal_decide(submission=fresh(submission.pk), number=number, user=user)


def test_forward_many_in_the_api_forwards_what_the_reviewer_may_and_says_why_not_for_the_rest(
    client, three, area, flow
):
    reviewer = area["reviewer"]  # Krông Pắc: Hòa Thuận and Ea Kly, not Ea Wer (Buôn Đôn)
    hoa_thuan, ea_kly, ea_wer = three["hoa_thuan"], three["ea_kly"], three["ea_wer"]
    stale = ea_kly.lock_version - 1
    client.force_login(reviewer)

    response = post_json(
        client,
        f"{API}forward-many/",
        {
            "submissions": [hoa_thuan.pk, ea_kly.pk, ea_wer.pk, 999999],
            "comment": "Đủ hồ sơ",
            "lock_versions": {str(ea_kly.pk): stale},
        },
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["done"], body["refused"]) == (1, 3)
    results = {item["submission"]: item for item in body["results"]}
    assert [item["submission"] for item in body["results"]] == [hoa_thuan.pk, ea_kly.pk, ea_wer.pk, 999999]
    assert results[hoa_thuan.pk] | {"unit": None} == {
        "submission": hoa_thuan.pk,
        "unit": None,
        "criterion_number": None,
        "result": "done",
        "code": "",
        "message": "",
        "status_before": "submitted",
        "status": "appraisal",
    }
    assert results[hoa_thuan.pk]["unit"] == {"code": "24400", "name": "Xã Hòa Thuận"}
    assert results[ea_kly.pk]["code"] == "conflict"
    assert "người khác" in results[ea_kly.pk]["message"]
    assert results[ea_wer.pk]["code"] == "not_found"  # another district's commune: not even visible
    assert results[999999] == {
        "submission": 999999,
        "unit": None,
        "criterion_number": None,
        "result": "refused",
        "code": "not_found",
        "message": "Không tìm thấy hồ sơ 999999.",
        "status_before": "",
        "status": "",
    }
    assert {pk: fresh(pk).status for pk in (hoa_thuan.pk, ea_kly.pk, ea_wer.pk)} == {
        hoa_thuan.pk: SubmissionStatus.APPRAISAL,
        ea_kly.pk: SubmissionStatus.SUBMITTED,
        ea_wer.pk: SubmissionStatus.SUBMITTED,
    }
    # As one at a time: one pending appraisal per criterion, the history, and the departments told.
    assert dict(CriterionAppraisal.objects.filter(submission=hoa_thuan).values_list("number", "status")) == {
        1: AppraisalStatus.PENDING,
        2: AppraisalStatus.PENDING,
        10: AppraisalStatus.PENDING,
    }
    entry = AuditEntry.objects.about(hoa_thuan).get(action=AuditAction.FORWARDED)
    assert (entry.comment, entry.role, entry.actor) == ("Đủ hồ sơ", Role.DISTRICT_REVIEWER, reviewer)
    assert not AuditEntry.objects.about(ea_kly).filter(action=AuditAction.FORWARDED).exists()
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == ["so_nong_nghiep@example.org", "so_xay_dung@example.org"]
    assert all("Xã Hòa Thuận" in message.body for message in mail.outbox)


def test_recognise_many_with_one_decision_covers_exactly_the_items_done(client, three, area, flow):
    hoa_thuan, ea_kly, ea_wer = three["hoa_thuan"], three["ea_kly"], three["ea_wer"]
    _to_recognition([hoa_thuan, ea_kly], area, flow)  # Ea Wer is still waiting for its district
    other_office = member(Role.OFFICE_EDITOR, unit=province("67", "Tỉnh Đắk Nông"), username="vanphong_dn")
    body = {
        "submissions": [hoa_thuan.pk, ea_kly.pk, ea_wer.pk],
        "decision_number": " 45/QĐ-UBND ",
        "decision_date": "20/11/2026",
    }

    client.force_login(other_office)
    outside = post_json(client, f"{API}recognise-many/", body).json()
    assert [item["code"] for item in outside["results"]] == ["not_found"] * 3
    client.force_login(area["reviewer"])  # may open them, may not recognise
    district = post_json(client, f"{API}recognise-many/", body).json()
    assert [item["code"] for item in district["results"]] == ["forbidden", "forbidden", "not_found"]  # Ea Wer: Buôn Đôn
    assert district["results"][0]["message"] == "Bạn không có quyền thực hiện thao tác này với hồ sơ này."
    client.force_login(area["officers"]["hoa_thuan"])
    assert post_json(client, f"{API}recognise-many/", body).status_code == 403

    client.force_login(area["office"])
    missing = post_json(client, f"{API}recognise-many/", {**body, "decision_number": "", "decision_date": "31/02/2026"})
    assert missing.status_code == 400
    assert set(missing.json()["fields"]) == {"decision_number", "decision_date"}
    mail.outbox.clear()
    response = post_json(client, f"{API}recognise-many/", body)

    assert response.status_code == 200
    result = response.json()
    assert (result["done"], result["refused"], result["decision_number"], result["decision_date"]) == (
        2,
        1,
        "45/QĐ-UBND",
        "2026-11-20",
    )
    assert [(item["result"], item["code"], item["status"]) for item in result["results"]] == [
        ("done", "", "recognised"),
        ("done", "", "recognised"),
        ("refused", "wrong_state", "submitted"),
    ]
    assert (
        result["results"][2]["message"]
        == "Hồ sơ đang ở bước “Đã nộp, chờ huyện thẩm tra”: không thực hiện được thao tác này."
    )
    decisions = {
        pk: (s.status, s.decision_number, s.decision_date, s.recognised_by_id)
        for pk, s in Submission.objects.in_bulk([hoa_thuan.pk, ea_kly.pk, ea_wer.pk]).items()
    }
    decided = (SubmissionStatus.RECOGNISED, "45/QĐ-UBND", datetime.date(2026, 11, 20), area["office"].pk)
    assert decisions == {
        hoa_thuan.pk: decided,
        ea_kly.pk: decided,
        ea_wer.pk: (SubmissionStatus.SUBMITTED, "", None, None),
    }
    recognised = AuditEntry.objects.filter(action=AuditAction.RECOGNISED)
    assert sorted(int(entry.subject_id) for entry in recognised) == sorted([hoa_thuan.pk, ea_kly.pk])
    assert {entry.after["decision_number"] for entry in recognised} == {"45/QĐ-UBND"}
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "canbo_ea_kly@example.org",
        "canbo_hoa_thuan@example.org",
    ]


def test_publish_many_publishes_recognised_results_and_reports_the_others(client, three, area, flow):
    hoa_thuan, ea_kly, ea_wer = three["hoa_thuan"], three["ea_kly"], three["ea_wer"]
    _to_recognition([hoa_thuan, ea_kly], area, flow)
    review.recognise(
        submission=fresh(hoa_thuan.pk), user=area["office"], decision_number="1/QĐ", decision_date=datetime.date.today()
    )
    client.force_login(area["office"])

    first = post_json(client, f"{API}publish-many/", {"submissions": [hoa_thuan.pk, ea_kly.pk, ea_wer.pk]}).json()
    again = post_json(client, f"{API}publish-many/", {"submissions": [hoa_thuan.pk]}).json()
    hidden = post_json(client, f"{API}publish-many/", {"submissions": [hoa_thuan.pk], "published": False}).json()

    assert [(item["result"], item["code"]) for item in first["results"]] == [
        ("done", ""),
        ("refused", "wrong_state"),
        ("refused", "wrong_state"),
    ]
    assert [(item["code"], item["message"]) for item in again["results"]] == [
        ("unchanged", "Kết quả đã được công khai.")
    ]
    assert hidden["done"] == 1
    assert not fresh(hoa_thuan.pk).published
    actions = list(
        AuditEntry.objects.about(hoa_thuan)
        .filter(action__in=[AuditAction.PUBLISHED, AuditAction.UNPUBLISHED])
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.PUBLISHED, AuditAction.UNPUBLISHED]


def test_bulk_input_errors_are_structured(client, three, area):
    client.force_login(area["office"])
    for body, field in (
        ({"submissions": []}, "submissions"),
        ({"submissions": ["x"]}, "submissions"),
        ({"submissions": list(range(1, 502))}, "submissions"),
        ({"submissions": [1], "lock_versions": {"abc": 1}}, "lock_versions"),
    ):
        response = post_json(client, f"{API}publish-many/", body)
        assert response.status_code == 400, body
        assert field in response.json()["fields"]


def test_the_office_recognises_ticked_rows_after_a_confirmation_that_lists_what_will_change(
    client, three, area, flow, django_assert_max_num_queries
):
    hoa_thuan, ea_kly = three["hoa_thuan"], three["ea_kly"]
    _to_recognition([hoa_thuan, ea_kly], area, flow)
    client.force_login(area["office"])

    queue = client.get(WEB)
    assert queue.context["bulk_action"] == "recognise"
    assert f'name="submission" value="{hoa_thuan.pk}"' in queue.text
    assert "/xet-duyet/cong-nhan-nhieu/" in queue.text
    ticked = client.get(f"{WEB}?chon=tat-ca").text
    assert ticked.count("checked") == 2
    with django_assert_max_num_queries(20):
        confirm = client.post(f"{WEB}cong-nhan-nhieu/", {"submission": [hoa_thuan.pk, ea_kly.pk]})

    assert confirm.status_code == 200
    page = confirm.text
    assert "Xác nhận công nhận 2 hồ sơ" in page
    assert page.count("Chờ công nhận") == 2 and page.count("Đã công nhận") == 2
    assert "Xã Hòa Thuận" in page and "Xã Ea Kly" in page
    assert fresh(hoa_thuan.pk).status == SubmissionStatus.RECOGNITION  # nothing changed yet

    # Somebody returns Ea Kly between the confirmation and the click: only Hòa Thuận is recognised.
    versions = {f"v_{s.pk}": fresh(s.pk).lock_version for s in (hoa_thuan, ea_kly)}
    review.review_return(submission=fresh(ea_kly.pk), user=area["office"], comment="Thiếu quyết định")
    mail.outbox.clear()
    done = client.post(
        f"{WEB}cong-nhan-nhieu/",
        {
            "confirm": "1",
            "submission": [hoa_thuan.pk, ea_kly.pk],
            **versions,
            "decision_number": "77/QĐ-UBND",
            "decision_date": "01/12/2026",
            "decision_document": SimpleUploadedFile("quyet-dinh.pdf", PDF),
            "next": "https://evil.example/",
        },
    )

    assert done.status_code == 302 and done["Location"] == WEB
    messages = texts(done)
    assert messages[0] == "Đã công nhận 1 hồ sơ theo một quyết định."
    assert messages[1].startswith("Xã Ea Kly: ")
    recognised = fresh(hoa_thuan.pk)
    assert (recognised.status, recognised.decision_number, recognised.decision_date) == (
        SubmissionStatus.RECOGNISED,
        "77/QĐ-UBND",
        datetime.date(2026, 12, 1),
    )
    assert recognised.decision_document.name.startswith("decisions/")
    assert fresh(ea_kly.pk).status == SubmissionStatus.RETURNED


def test_a_refused_decision_shows_the_confirmation_again_with_what_was_typed(client, three, area, flow):
    hoa_thuan = three["hoa_thuan"]
    _to_recognition([hoa_thuan], area, flow)
    client.force_login(area["office"])

    response = client.post(
        f"{WEB}cong-nhan-nhieu/",
        {"confirm": "1", "submission": [hoa_thuan.pk], "decision_number": "88/QĐ-UBND", "decision_date": "hôm nay"},
    )

    assert response.status_code == 200
    assert "Cần số và ngày quyết định công nhận." in response.text
    assert 'value="88/QĐ-UBND"' in response.text and 'value="hôm nay"' in response.text
    assert fresh(hoa_thuan.pk).status == SubmissionStatus.RECOGNITION


def test_forward_and_publish_many_on_the_web(client, three, area, flow):
    hoa_thuan, ea_kly = three["hoa_thuan"], three["ea_kly"]
    client.force_login(area["reviewer"])
    queue = client.get(WEB)
    assert queue.context["bulk_action"] == "forward"
    confirm = client.post(f"{WEB}chuyen-nhieu/", {"submission": [hoa_thuan.pk, ea_kly.pk, three["ea_wer"].pk]})
    assert "Xác nhận chuyển 2 hồ sơ" in confirm.text
    assert "Không tìm thấy hồ sơ" in confirm.text  # Ea Wer is another district's: listed as not done
    assert confirm.text.count("Sở, ngành đang thẩm định") == 2
    forwarded = client.post(
        f"{WEB}chuyen-nhieu/", {"confirm": "1", "submission": [hoa_thuan.pk, ea_kly.pk], "comment": "Đạt"}
    )
    assert texts(forwarded) == ["Đã chuyển 2 hồ sơ cho sở, ngành thẩm định."]
    assert {fresh(s.pk).status for s in (hoa_thuan, ea_kly)} == {SubmissionStatus.APPRAISAL}

    for submission in (hoa_thuan, ea_kly):
        for number, user in ((1, flow["construction"]), (2, flow["construction"]), (10, flow["agriculture"])):
            review.appraisal_decide(submission=fresh(submission.pk), number=number, user=user)
    review.recognise(
        submission=fresh(hoa_thuan.pk), user=area["office"], decision_number="1/QĐ", decision_date=datetime.date.today()
    )
    client.force_login(area["office"])
    assert client.get(f"{WEB}?status=recognised").context["bulk_action"] == "publish"
    confirm = client.post(f"{WEB}cong-khai-nhieu/", {"submission": [hoa_thuan.pk, ea_kly.pk]})
    assert "Chưa công khai" in confirm.text and "Xác nhận công khai 1 hồ sơ" in confirm.text
    published = client.post(f"{WEB}cong-khai-nhieu/", {"confirm": "1", "submission": [hoa_thuan.pk]})
    assert texts(published) == ["Đã công khai kết quả của 1 hồ sơ."]
    assert fresh(hoa_thuan.pk).published


def test_single_recognise_and_publish_ask_for_confirmation_first(client, three, area, flow):
    hoa_thuan = three["hoa_thuan"]
    _to_recognition([hoa_thuan], area, flow)
    client.force_login(area["office"])

    detail = client.get(f"{WEB}ho-so/{hoa_thuan.pk}/").text
    assert f'href="/xet-duyet/ho-so/{hoa_thuan.pk}/cong-nhan/"' in detail
    assert 'name="decision_number"' not in detail  # the decision is typed on the confirmation page
    page = client.get(f"{WEB}ho-so/{hoa_thuan.pk}/cong-nhan/")
    assert page.status_code == 200
    assert "Chờ công nhận" in page.text and "Đã công nhận" in page.text and 'name="decision_number"' in page.text
    assert fresh(hoa_thuan.pk).status == SubmissionStatus.RECOGNITION

    refused = client.post(f"{WEB}ho-so/{hoa_thuan.pk}/cong-nhan/", {"decision_number": "9/QĐ", "decision_date": ""})
    assert refused.status_code == 302 and "decision_number=9%2FQ" in refused["Location"]
    assert 'value="9/QĐ"' in client.get(refused["Location"]).text

    client.post(f"{WEB}ho-so/{hoa_thuan.pk}/cong-nhan/", {"decision_number": "9/QĐ", "decision_date": "02/12/2026"})
    assert fresh(hoa_thuan.pk).status == SubmissionStatus.RECOGNISED
    publish = client.get(f"{WEB}ho-so/{hoa_thuan.pk}/cong-khai/")
    assert "Chưa công khai" in publish.text and 'name="published" value="1"' in publish.text
    assert not fresh(hoa_thuan.pk).published

    client.force_login(area["reviewer"])  # opens the submission, may not publish: no confirmation page either
    refused = client.get(f"{WEB}ho-so/{hoa_thuan.pk}/cong-khai/")
    assert refused.status_code == 302
    assert texts(refused) == ["Bạn không có quyền thực hiện thao tác này với hồ sơ này."]


def test_appraisers_appraise_the_ticked_rows_each_for_its_own_criterion(client, three, area, flow):
    hoa_thuan, ea_kly = three["hoa_thuan"], three["ea_kly"]
    for submission in (hoa_thuan, ea_kly):
        review.review_forward(submission=fresh(submission.pk), user=area["reviewer"])
    construction = flow["construction"]  # so-xd: criteria 1 and 2
    client.force_login(construction)

    queue = client.get(WEB)
    assert 'name="number"' not in queue.text  # no separate criterion drop-down
    assert f'value="{hoa_thuan.pk}:1"' in queue.text and f'value="{ea_kly.pk}:2"' in queue.text
    response = client.post(
        f"{WEB}tham-dinh-nhieu/",
        {
            "row": [f"{hoa_thuan.pk}:1", f"{ea_kly.pk}:2", f"{ea_kly.pk}:10"],
            "comment": "Khớp",
            "next": f"{WEB}?status=pending&chon=tat-ca",  # "select every row" was on when the rows were ticked
        },
    )
    # back to the same queue, but without "select every row": the rows left are not ticked behind the reviewer
    assert response.status_code == 302 and response["Location"] == f"{WEB}?status=pending"

    statuses = {
        (a.submission_id, a.number): a.status
        for a in CriterionAppraisal.objects.filter(submission__in=[hoa_thuan, ea_kly], number__in=[1, 2, 10])
    }
    assert statuses == {
        (hoa_thuan.pk, 1): AppraisalStatus.APPROVED,
        (hoa_thuan.pk, 2): AppraisalStatus.PENDING,
        (hoa_thuan.pk, 10): AppraisalStatus.PENDING,
        (ea_kly.pk, 1): AppraisalStatus.PENDING,
        (ea_kly.pk, 2): AppraisalStatus.APPROVED,
        (ea_kly.pk, 10): AppraisalStatus.PENDING,  # agriculture's criterion: refused
    }
    messages = texts(response)
    assert messages[0] == "Đã thẩm định 2 tiêu chí đã chọn."
    assert messages[1] == "Xã Ea Kly, tiêu chí 10: Bạn không có quyền thực hiện thao tác này với hồ sơ này."


def test_people_without_a_review_role_have_no_bulk_action(client, three, area):
    client.force_login(area["officers"]["hoa_thuan"])
    pk = three["hoa_thuan"].pk
    assert client.post(f"{WEB}chuyen-nhieu/", {"submission": [pk]}).status_code == 404
    assert post_json(client, f"{API}forward-many/", {"submissions": [pk]}).status_code == 403
    assert fresh(pk).status == SubmissionStatus.SUBMITTED


def test_schema_documents_the_bulk_endpoints(client, db):
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for name in ("forward-many", "recognise-many", "publish-many", "appraise-many"):
        assert "post" in paths[f"/api/v1/review/{name}/"], name
    recognise = paths["/api/v1/review/recognise-many/"]["post"]
    assert "200" in recognise["responses"] and "400" in recognise["responses"]


# --- 150 submissions in one request, as many queries as for 10 -------------------------------------------------


AUDIT_INSERT = 'INSERT INTO "audit_auditentry"'


def _measure(client, path: str, body: dict, *, keep: bool) -> tuple[int, dict]:
    """The queries of one request (run in a savepoint, rolled back unless ``keep``) and its answer.

    The audit trail is written with one insert per batch: PostgreSQL takes 150 rows in one, SQLite caps the
    parameters of one statement (999), so there the audit's inserts are counted as one however many batches."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            response = post_json(client, path, body)
        transaction.set_rollback(not keep)
    assert response.status_code == 200, response.json()
    inserts = sum(query["sql"].startswith(AUDIT_INSERT) for query in queries.captured_queries)
    if connection.vendor == "postgresql":
        assert inserts == 1
    return len(queries) - inserts + 1, response.json()


def test_the_office_recognises_then_publishes_150_communes_in_one_request_each(
    client, statistics_data, settings, django_capture_on_commit_callbacks
):
    office = statistics_data.office  # Đắk Lắk (66): 152 communes
    ours = Submission.objects.filter(round=statistics_data.round, unit__path__startswith="66/").order_by("unit__path")
    ours.update(status=SubmissionStatus.RECOGNITION, published=False, published_at=None)
    ids = list(ours.values_list("pk", flat=True))[:150]
    told = [submission.unit for submission in ours[:150:10]]  # some communes have officers, who are told
    for unit in told:
        member(Role.COMMUNE_OFFICER, unit=unit, username=f"canbo_{unit.code}")
    ContentType.objects.get_for_model(Submission)  # the audit's content type, cached as in a running site
    client.force_login(office)
    decision = {"decision_number": "150/QĐ-UBND", "decision_date": "15/12/2026"}

    # The e-mails are queued by the request and sent after it commits (cms.outbox): their delivery is not counted.
    settings.TASKS = {"default": {**settings.TASKS["default"], "ENQUEUE_ON_COMMIT": True}}
    ten, _body = _measure(client, f"{API}recognise-many/", {"submissions": ids[:10], **decision}, keep=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        many, body = _measure(client, f"{API}recognise-many/", {"submissions": ids, **decision}, keep=True)

    assert many == ten, f"recognise-many: {ten} queries for 10 submissions, {many} for 150"
    assert (body["done"], body["refused"]) == (150, 0)
    assert ours.filter(status=SubmissionStatus.RECOGNISED, decision_number="150/QĐ-UBND").count() == 150
    assert AuditEntry.objects.filter(action=AuditAction.RECOGNISED).count() == 150
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        f"canbo_{unit.code}@example.org" for unit in told
    )

    ten, _body = _measure(client, f"{API}publish-many/", {"submissions": ids[:10]}, keep=False)
    many, body = _measure(client, f"{API}publish-many/", {"submissions": ids}, keep=True)

    assert many == ten, f"publish-many: {ten} queries for 10 submissions, {many} for 150"
    assert body["done"] == 150
    assert ours.filter(published=True).count() == 150
    assert AuditEntry.objects.filter(action=AuditAction.PUBLISHED).count() == 150


def test_a_mixed_list_of_150_reports_each_refused_item(client, statistics_data):
    ours = list(
        Submission.objects.filter(round=statistics_data.round, unit__path__startswith="66/").order_by("unit__path")
    )[:150]
    Submission.objects.filter(pk__in=[s.pk for s in ours[:140]]).update(
        status=SubmissionStatus.RECOGNITION, published=False
    )
    other = Submission.objects.filter(round=statistics_data.round, unit__path__startswith="67/").first()
    client.force_login(statistics_data.office)

    response = post_json(
        client,
        f"{API}recognise-many/",
        {"submissions": [s.pk for s in ours] + [other.pk], "decision_number": "9/QĐ", "decision_date": "2026-12-15"},
    )

    body = response.json()
    assert (body["done"], body["refused"]) == (140, 11)
    refused = [item for item in body["results"] if item["result"] == "refused"]
    assert [item["submission"] for item in refused] == [s.pk for s in ours[140:]] + [other.pk]
    assert {item["code"] for item in refused[:10]} == {"wrong_state"}
    assert all(item["message"].startswith("Hồ sơ đang ở bước “Đã công nhận”") for item in refused[:10])
    assert refused[10]["code"] == "not_found"
    assert Submission.objects.filter(decision_number="9/QĐ").count() == 140
