"""The review API as an integrator uses it: JSON in and out, the same rules as the reviewers' web pages."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.directory.models import Role
from submissions.models import (
    AppraisalStatus,
    AuditAction,
    CriterionAppraisal,
    CriterionResult,
    IndicatorValue,
    Submission,
    SubmissionStatus,
)
from submissions.review import flow as review
from tests.submissions.factories import fill_and_submit

REVIEW = "/api/v1/review/"
QUEUE = f"{REVIEW}queue/"
APPRAISE_MANY = f"{REVIEW}appraise-many/"


def url(submission, action="") -> str:
    return f"{REVIEW}submissions/{submission.pk}/{action + '/' if action else ''}"


def post(client, user, path, **body):
    client.force_login(user)
    return client.post(path, body, content_type="application/json")


def get(client, user, path, **query):
    client.force_login(user)
    return client.get(path, query)


def current(submission) -> Submission:
    return Submission.objects.get(pk=submission.pk)


def to_recognition(flow, area) -> Submission:
    submission = flow["submission"]
    review.review_forward(submission=submission, user=area["reviewer"])
    for number, user in ((1, flow["construction"]), (2, flow["construction"]), (10, flow["agriculture"])):
        review.appraisal_decide(submission=submission, number=number, user=user)
    return current(submission)


def test_district_queue_has_counts_rows_and_due_dates(client, flow, area, open_round):
    submission = flow["submission"]
    body = get(client, area["reviewer"], QUEUE).json()
    assert body["mode"] == "submissions"
    assert body["status"] == "submitted"
    assert {"status": "submitted", "label": "Đã nộp, chờ huyện thẩm tra", "count": 1} in body["counts"]
    due = (timezone.localtime(submission.stage_entered_at) + datetime.timedelta(days=10)).date()
    assert body["rows"] == [
        {
            "submission": submission.pk,
            "unit": {"code": "24400", "name": "Xã Hòa Thuận"},
            "round": open_round.pk,
            "status": "submitted",
            "lock_version": submission.lock_version,
            "criterion_number": None,
            "appraisal_status": None,
            "due_on": due.isoformat(),
            "overdue": False,
        }
    ]
    assert body["rounds"] == [{"id": open_round.pk, "name": "Đánh giá năm 2026"}]
    assert [district["code"] for district in body["districts"]] == ["652"]

    Submission.objects.filter(pk=submission.pk).update(
        stage_entered_at=submission.stage_entered_at - datetime.timedelta(days=30)
    )
    assert get(client, area["reviewer"], QUEUE).json()["rows"][0]["overdue"] is True
    assert get(client, area["reviewer"], QUEUE, status="recognition").json()["rows"] == []
    assert get(client, area["reviewer"], QUEUE, round=open_round.pk + 1).json()["rows"] == []


def test_queue_filters_are_checked(client, flow, area):
    response = get(client, area["reviewer"], QUEUE, status="bogus", round="x")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"status", "round"}


def test_departments_see_their_criteria_in_their_queue(client, flow, area):
    submission = flow["submission"]
    review.review_forward(submission=submission, user=area["reviewer"])
    body = get(client, flow["construction"], QUEUE).json()
    assert body["mode"] == "appraisals"
    assert [(row["submission"], row["criterion_number"], row["appraisal_status"]) for row in body["rows"]] == [
        (submission.pk, 1, "pending"),
        (submission.pk, 2, "pending"),
    ]
    assert body["criteria"] == [1, 2]
    assert [
        row["criterion_number"] for row in get(client, flow["construction"], QUEUE, criterion=2).json()["rows"]
    ] == [2]
    assert [row["criterion_number"] for row in get(client, flow["agriculture"], QUEUE).json()["rows"]] == [10]


def test_people_without_a_reviewer_role_have_no_queue_and_see_no_submission(client, flow):
    queue = get(client, flow["officer"], QUEUE)
    assert queue.status_code == 403
    assert queue.json()["code"] == "forbidden"
    detail = get(client, flow["officer"], url(flow["submission"]))
    assert detail.status_code == 404
    assert detail.json() == {"message": "Không tìm thấy hồ sơ này.", "code": "not_found"}
    forward = post(client, flow["officer"], url(flow["submission"], "forward"), lock_version=1)
    assert forward.status_code == 404
    assert current(flow["submission"]).status == SubmissionStatus.SUBMITTED


def test_anonymous_callers_get_a_json_error_everywhere(client, flow):
    submission = flow["submission"]
    paths = [url(submission, action) for action in ("forward", "return", "appraise", "override", "recognise")]
    for response in (
        client.get(QUEUE),
        client.get(url(submission)),
        *(client.post(path, {}, content_type="application/json") for path in paths),
        client.post(url(submission, "publish"), {"published": True}, content_type="application/json"),
        client.post(APPRAISE_MANY, {"number": 1, "submissions": [submission.pk]}, content_type="application/json"),
    ):
        assert response.status_code in (401, 403)
        assert response.json() == {
            "message": "Cần đăng nhập (phiên hoặc token) để dùng API này.",
            "code": "not_authenticated",
        }
    assert current(submission).status == SubmissionStatus.SUBMITTED


def test_detail_shows_values_verdicts_appraisals_history_and_actions(client, flow, area):
    submission = flow["submission"]
    body = get(client, area["reviewer"], url(submission)).json()
    assert (body["id"], body["status"], body["lock_version"]) == (submission.pk, "submitted", submission.lock_version)
    assert body["unit"] == {"code": "24400", "name": "Xã Hòa Thuận"}
    assert [value["code"] for value in body["values"]] == ["1.1", "2.1", "2.2", "10.1"]
    assert body["values"][1] == {
        "code": "2.1",
        "name": "Tỷ lệ đường xã được nhựa hóa",
        "criterion_number": 2,
        "raw": "95",
        "note": "",
        "target": "90",
        "status": "met",
        "computed_status": "met",
        "override_status": "",
        "override_reason": "",
        "error": "",
    }
    assert body["criteria"][0] == {
        "number": 1,
        "name": "Quy hoạch",
        "status": CriterionResult.objects.get(submission=submission, number=1).status,
        "met": True,
        "computed_met": True,
        "override_met": None,
        "override_reason": "",
        "mine": False,
    }
    assert body["appraisals"] == []
    assert body["history"][0]["action"] == "submitted"
    assert body["history"][0]["actor"] == "canbo_hoa_thuan"
    assert body["history"][0]["role"] == Role.COMMUNE_OFFICER
    assert [item["indicator_code"] for item in body["evidence"]] == ["1.1"]
    assert body["evidence"][0]["download_url"].endswith(f"/danh-gia/minh-chung/{body['evidence'][0]['id']}/")
    assert body["actions"] == {
        "forward": True,
        "return": True,
        "appraise": False,
        "override": False,
        "recognise": False,
        "publish": False,
    }


def test_appraisers_see_only_the_evidence_of_their_criteria(client, flow, area):
    submission = flow["submission"]
    review.review_forward(submission=submission, user=area["reviewer"])
    construction = get(client, flow["construction"], url(submission)).json()
    assert [item["indicator_code"] for item in construction["evidence"]] == ["1.1"]
    assert construction["own_criteria"] == [1, 2]
    assert [c["mine"] for c in construction["criteria"]] == [True, True, False]
    agriculture = get(client, flow["agriculture"], url(submission)).json()
    assert agriculture["evidence"] == []
    assert agriculture["own_criteria"] == [10]
    assert agriculture["appraisals"] == [
        {
            "number": number,
            "department": department,
            "status": "pending",
            "comment": "",
            "appraised_by": None,
            "appraised_at": None,
        }
        for number, department in ((1, "so-xd"), (2, "so-xd"), (10, "so-nnmt"))
    ]


def test_forward_then_two_departments_appraise_in_parallel(client, flow, area):
    submission = flow["submission"]
    forwarded = post(
        client, area["reviewer"], url(submission, "forward"), lock_version=submission.lock_version, comment="Đạt"
    )
    assert forwarded.status_code == 200, forwarded.json()
    body = forwarded.json()
    assert body["status"] == "appraisal"
    assert body["history"][0]["action"] == "forwarded"
    assert body["history"][0]["comment"] == "Đạt"
    again = post(client, area["reviewer"], url(submission, "forward"), lock_version=body["lock_version"])
    assert again.status_code == 409
    assert again.json()["code"] == "wrong_state"

    refused = post(client, flow["agriculture"], url(submission, "appraise"), number=2)
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert CriterionAppraisal.objects.get(submission=submission, number=2).status == AppraisalStatus.PENDING
    unknown = post(client, flow["agriculture"], url(submission, "appraise"), number=7)
    assert unknown.status_code == 400
    assert set(unknown.json()["fields"]) == {"number"}

    appraised = post(
        client, flow["agriculture"], url(submission, "appraise"), number=10, comment="Khớp số liệu thống kê"
    )
    assert appraised.status_code == 200
    assert {a["number"]: a["status"] for a in appraised.json()["appraisals"]} == {
        1: "pending",
        2: "pending",
        10: "approved",
    }
    assert post(client, flow["agriculture"], url(submission, "appraise"), number=10).status_code == 409

    many = post(client, flow["construction"], APPRAISE_MANY, number=1, submissions=[submission.pk, 999999])
    assert many.status_code == 200
    assert many.json() == {"done": 1, "problems": ["Không tìm thấy hồ sơ 999999."]}
    last = post(client, flow["construction"], url(submission, "appraise"), number=2)
    assert last.json()["status"] == "recognition"
    assert current(submission).status == SubmissionStatus.RECOGNITION

    approved = get(client, flow["agriculture"], QUEUE, status="approved").json()
    assert [(row["submission"], row["criterion_number"]) for row in approved["rows"]] == [(submission.pk, 10)]


def test_appraise_many_reports_what_it_could_not_do(client, flow, area):
    submission = flow["submission"]
    review.review_forward(submission=submission, user=area["reviewer"])
    refused = post(client, flow["agriculture"], APPRAISE_MANY, number=1, submissions=[submission.pk])
    assert refused.status_code == 200
    assert refused.json()["done"] == 0
    assert refused.json()["problems"] == ["Xã Hòa Thuận: Bạn không có quyền thực hiện thao tác này với hồ sơ này."]
    invalid = post(client, flow["construction"], APPRAISE_MANY, number=1, submissions=[])
    assert invalid.status_code == 400
    assert set(invalid.json()["fields"]) == {"submissions"}
    assert CriterionAppraisal.objects.get(submission=submission, number=1).status == AppraisalStatus.PENDING


def test_return_with_items_then_resubmit_comes_back_to_the_district(client, flow, area):
    submission = flow["submission"]
    path = url(submission, "return")
    nothing = post(client, area["reviewer"], path, lock_version=submission.lock_version, comment=" ")
    assert nothing.status_code == 400
    assert nothing.json()["fields"] == {"comment": ["Cần ghi ý kiến: trả lại để sửa những gì?"]}
    both = post(
        client,
        area["reviewer"],
        path,
        lock_version=submission.lock_version,
        items=[{"criterion_number": 2, "indicator_code": "2.1", "comment": "x"}],
    )
    assert both.status_code == 400
    assert "items" in both.json()["fields"]
    unknown = post(
        client,
        area["reviewer"],
        path,
        lock_version=submission.lock_version,
        items=[{"criterion_number": 99, "comment": "x"}],
    )
    assert unknown.status_code == 400
    assert set(unknown.json()["fields"]) == {"items"}
    assert current(submission).status == SubmissionStatus.SUBMITTED

    returned = post(
        client,
        area["reviewer"],
        path,
        lock_version=submission.lock_version,
        comment="Bổ sung số liệu giao thông",
        items=[
            {"indicator_code": "2.1", "comment": "Tỷ lệ chưa khớp báo cáo huyện"},
            {"criterion_number": 1, "comment": "Thiếu chữ ký trên quyết định"},
        ],
    )
    assert returned.status_code == 200, returned.json()
    body = returned.json()
    assert (body["status"], body["returned_from"]) == ("returned", "submitted")
    items = {(item["criterion_number"], item["indicator_code"], item["comment"]) for item in body["returned_items"]}
    assert items == {
        (2, "2.1", "Tỷ lệ chưa khớp báo cáo huyện"),
        (1, "", "Thiếu chữ ký trên quyết định"),
        (None, "", "Bổ sung số liệu giao thông"),
    }
    assert {item["stage"] for item in body["returned_items"]} == {"submitted"}
    assert body["history"][0]["after"]["status"] == "returned"

    # The commune fixes and resubmits through its own API: the submission comes back to the district.
    client.force_login(flow["officer"])
    saved = client.patch(
        f"/api/v1/submissions/{submission.pk}/values/",
        {"lock_version": body["lock_version"], "values": {"2.1": "96"}},
        content_type="application/json",
    ).json()
    resubmitted = client.post(
        f"/api/v1/submissions/{submission.pk}/submit/",
        {"lock_version": saved["lock_version"]},
        content_type="application/json",
    )
    assert resubmitted.status_code == 200, resubmitted.json()
    after = get(client, area["reviewer"], url(submission)).json()
    assert after["status"] == "submitted"
    assert all(item["resolved_at"] for item in after["returned_items"])
    assert after["history"][1]["action"] == AuditAction.VALUE_CHANGED


def test_a_department_returns_only_its_own_criteria_and_gets_them_back(client, flow, area):
    submission = flow["submission"]
    review.review_forward(submission=submission, user=area["reviewer"])
    submission = current(submission)
    path = url(submission, "return")
    for items in ([], [{"criterion_number": 1, "comment": "Không phải của sở"}]):
        refused = post(
            client, flow["agriculture"], path, lock_version=submission.lock_version, comment="x", items=items
        )
        assert refused.status_code == 403
        assert refused.json()["code"] == "forbidden"
    returned = post(
        client,
        flow["agriculture"],
        path,
        lock_version=submission.lock_version,
        items=[{"indicator_code": "10.1", "comment": "Thu nhập chưa có xác nhận của Cục Thống kê"}],
    )
    assert returned.status_code == 200
    assert {a["number"]: a["status"] for a in returned.json()["appraisals"]}[10] == "returned"
    resubmitted = review.submission_submit(
        submission=current(submission),
        user=flow["officer"],
        required_questions={flow["question"]: "Họ và tên người lập"},
    )
    assert resubmitted.status == SubmissionStatus.APPRAISAL
    assert CriterionAppraisal.objects.get(submission=submission, number=10).status == AppraisalStatus.PENDING


def test_override_needs_a_reason_and_keeps_the_computed_verdict(client, flow, area):
    submission = flow["submission"]
    review.review_forward(submission=submission, user=area["reviewer"])
    path = url(submission, "override")
    blank = post(client, flow["agriculture"], path, reason=" ", criterion_number=10, met=False)
    assert blank.status_code == 400
    assert blank.json()["fields"] == {"reason": ["Điều chỉnh kết quả phải có lý do."]}
    no_verdict = post(client, flow["agriculture"], path, reason="x", criterion_number=10)
    assert no_verdict.status_code == 400
    assert set(no_verdict.json()["fields"]) == {"met"}
    bad_status = post(client, flow["agriculture"], path, reason="x", indicator_code="10.1", status="maybe")
    assert bad_status.status_code == 400
    assert set(bad_status.json()["fields"]) == {"status"}
    not_theirs = post(client, flow["agriculture"], path, reason="x", criterion_number=2, met=False)
    assert not_theirs.status_code == 403
    assert CriterionResult.objects.get(submission=submission, number=2).override_met is None

    reason = "Số liệu thu nhập chưa được Cục Thống kê xác nhận"
    done = post(client, flow["agriculture"], path, reason=reason, criterion_number=10, met=False)
    assert done.status_code == 200
    criterion = next(c for c in done.json()["criteria"] if c["number"] == 10)
    assert (criterion["computed_met"], criterion["override_met"], criterion["met"]) == (True, False, False)
    assert criterion["override_reason"] == reason
    assert done.json()["criteria_met"] == 2
    entry = done.json()["history"][0]
    assert (entry["action"], entry["actor"], entry["role"], entry["comment"]) == (
        "overridden",
        "so_nong_nghiep",
        Role.DEPARTMENT_APPRAISER,
        reason,
    )
    assert entry["before"] == {"criterion": 10, "met": True, "override": None}

    indicator = post(
        client, area["office"], path, reason="Đường chưa nghiệm thu", indicator_code="2.1", status="not_met"
    )
    assert indicator.status_code == 200
    value = next(v for v in indicator.json()["values"] if v["code"] == "2.1")
    assert (value["computed_status"], value["override_status"], value["status"]) == ("met", "not_met", "not_met")
    removed = post(client, area["office"], path, reason="Đã nghiệm thu", indicator_code="2.1", status="")
    assert removed.status_code == 200
    assert IndicatorValue.objects.get(submission=submission, code="2.1").override_status == ""


def test_office_recognises_then_publishes_separately(client, flow, area):
    submission = to_recognition(flow, area)
    path = url(submission, "recognise")
    early = post(client, area["office"], url(submission, "publish"), published=True)
    assert early.status_code == 409
    assert early.json()["code"] == "wrong_state"
    missing = post(client, area["office"], path, lock_version=submission.lock_version, decision_number="")
    assert missing.status_code == 400
    assert set(missing.json()["fields"]) == {"decision_number", "decision_date"}
    bad_date = post(
        client,
        area["office"],
        path,
        lock_version=submission.lock_version,
        decision_number="1",
        decision_date="31/02/2026",
    )
    assert set(bad_date.json()["fields"]) == {"decision_date"}
    no_reason = post(
        client,
        area["office"],
        path,
        lock_version=submission.lock_version,
        decision_number="123/QĐ-UBND",
        decision_date="20/11/2026",
        standard_override=False,
    )
    assert no_reason.status_code == 400
    assert set(no_reason.json()["fields"]) == {"reason"}
    not_office = post(
        client,
        area["reviewer"],
        path,
        lock_version=submission.lock_version,
        decision_number="123/QĐ-UBND",
        decision_date="2026-11-20",
    )
    assert not_office.status_code == 403
    assert current(submission).status == SubmissionStatus.RECOGNITION

    recognised = post(
        client,
        area["office"],
        path,
        lock_version=submission.lock_version,
        decision_number="123/QĐ-UBND",
        decision_date="20/11/2026",
        standard_override=None,
    )
    assert recognised.status_code == 200, recognised.json()
    body = recognised.json()
    assert (body["status"], body["decision_number"], body["decision_date"], body["published"]) == (
        "recognised",
        "123/QĐ-UBND",
        "2026-11-20",
        False,
    )
    assert body["effective_standard"] is True
    assert body["actions"]["publish"] is True

    assert post(client, area["reviewer"], url(submission, "publish"), published=True).status_code == 403
    published = post(client, area["office"], url(submission, "publish"), published=True)
    assert published.status_code == 200
    assert published.json()["published"] is True
    assert published.json()["history"][0]["action"] == "published"
    unpublished = post(client, area["office"], url(submission, "publish"), published=False)
    assert unpublished.json()["published"] is False
    assert current(submission).published is False


def test_stale_lock_version_is_a_conflict_and_changes_nothing(client, flow, area):
    submission = flow["submission"]
    stale = submission.lock_version
    forwarded = post(client, area["reviewer"], url(submission, "forward"), lock_version=stale)
    assert forwarded.status_code == 200
    # The office loaded the submission before the district forwarded it.
    conflict = post(client, area["office"], url(submission, "return"), lock_version=stale, comment="Sai số liệu")
    assert conflict.status_code == 409
    assert conflict.json() == {
        "message": "Hồ sơ vừa được người khác xử lý. Không có gì bị ghi đè; hãy tải lại để xem trạng thái mới.",
        "code": "conflict",
    }
    stale_appraisal = post(client, flow["construction"], url(submission, "appraise"), number=1, lock_version=stale)
    assert stale_appraisal.status_code == 409
    assert current(submission).status == SubmissionStatus.APPRAISAL
    assert CriterionAppraisal.objects.get(submission=submission, number=1).status == AppraisalStatus.PENDING


def test_queue_and_detail_run_a_bounded_number_of_queries(
    client, flow, area, open_round, django_assert_max_num_queries
):
    def count(path) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    client.force_login(area["reviewer"])
    with django_assert_max_num_queries(12):
        client.get(QUEUE)
    with django_assert_max_num_queries(13):
        client.get(url(flow["submission"]))
    queue, detail = count(QUEUE), count(url(flow["submission"]))

    # A second submission in the queue, more history, returns and evidence: not one query more.
    other = Submission.objects.get(round=open_round, unit=area["communes"]["ea_kly"])
    fill_and_submit(other, area["officers"]["ea_kly"], flow["question"])
    review.review_return(
        submission=flow["submission"],
        user=area["reviewer"],
        comment="Bổ sung",
        items=[{"indicator_code": "2.1", "comment": "a"}, {"criterion_number": 10, "comment": "b"}],
    )
    review.submission_submit(
        submission=current(flow["submission"]),
        user=flow["officer"],
        required_questions={flow["question"]: "Họ và tên người lập"},
    )
    assert len(get(client, area["reviewer"], QUEUE).json()["rows"]) == 2
    assert count(QUEUE) == queue
    assert count(url(flow["submission"])) == detail

    review.review_forward(submission=current(flow["submission"]), user=area["reviewer"])
    client.force_login(flow["construction"])
    appraisals = count(QUEUE)
    review.review_forward(submission=current(other), user=area["reviewer"])
    assert count(QUEUE) == appraisals


def test_schema_documents_the_review_endpoints(client, db):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for action in ("forward", "return", "appraise", "override", "recognise", "publish"):
        operation = paths[f"/api/v1/review/submissions/{{id}}/{action}/"]["post"]
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"])
    assert "get" in paths["/api/v1/review/queue/"]
    assert "get" in paths["/api/v1/review/submissions/{id}/"]
    assert "post" in paths["/api/v1/review/appraise-many/"]
