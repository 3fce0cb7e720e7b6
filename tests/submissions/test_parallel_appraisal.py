"""Departments appraise one submission's criteria in parallel: the submission's own row is locked where a
criterion is approved, so the department that completes the last criterion always moves it on."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cms.directory.models import Department, Role
from submissions.models import AppraisalStatus, Submission, SubmissionStatus
from submissions.review import flow as review
from tests.factories import member
from tests.submissions.factories import fill_and_submit


@pytest.fixture
def in_appraisal(area, published_set, open_round):
    question = "q_" + published_set["form_page"].sections[0].value["questions"][0].id
    submission = Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])
    submission = fill_and_submit(submission, area["officers"]["hoa_thuan"], question)
    review.review_forward(submission=submission, user=area["reviewer"])
    construction = member(Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-xd"), username="xd")
    agriculture = member(Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-nnmt"), username="nn")
    review.appraisal_decide(submission=Submission.objects.get(pk=submission.pk), number=1, user=construction)
    return {"pk": submission.pk, "construction": construction, "agriculture": agriculture}


def test_the_submission_row_is_locked_where_a_criterion_is_approved(in_appraisal):
    submission = Submission.objects.get(pk=in_appraisal["pk"])
    with CaptureQueriesContext(connection) as queries:
        review.appraisal_decide(submission=submission, number=2, user=in_appraisal["construction"])
    locking = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and '"submissions_submission"' in q["sql"]]
    if connection.features.has_select_for_update:
        # PostgreSQL: the submission is locked by a query of its own, not by a join of the appraisal's lock.
        assert any('FROM "submissions_submission"' in sql for sql in locking)
    else:
        # SQLite locks the whole database for a write transaction; no row lock is emitted.
        assert locking == []
    assert Submission.objects.get(pk=submission.pk).appraisals.get(number=2).status == AppraisalStatus.APPROVED


def test_approving_the_last_criterion_moves_the_submission_to_recognition(in_appraisal):
    for number, user in ((2, in_appraisal["construction"]), (10, in_appraisal["agriculture"])):
        review.appraisal_decide(submission=Submission.objects.get(pk=in_appraisal["pk"]), number=number, user=user)
    assert Submission.objects.get(pk=in_appraisal["pk"]).status == SubmissionStatus.RECOGNITION
