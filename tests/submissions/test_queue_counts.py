"""Queues that say what is there: each state's count on the reviewers' queue is the number of rows its link lists,
drafts included ("Nháp: 10" when ten communes are still filling), for the district, the office and each
department, in their own province and in another, in a bounded number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cms.directory.models import Department, Role
from submissions.models import (
    AppraisalStatus,
    CriterionAppraisal,
    Round,
    RoundKind,
    Submission,
    SubmissionStatus,
)
from submissions.review import selectors as review_selectors
from submissions.rounds import services as round_services
from tests.factories import commune, member, province, shared_layer

QUEUE = "/xet-duyet/"
S = SubmissionStatus
A = AppraisalStatus


@shared_layer
def queue_round(area, published_set):
    """A round over the province's rural communes (Krông Pắc: 15, Buôn Đôn: 1), opened, with Krông Pắc's
    submissions at every stage: 10 drafts, 2 submitted, 1 in appraisal, 1 waiting for recognition, 1 returned
    from appraisal with one of its criteria still pending; Buôn Đôn's one a draft."""
    krong_pac = area["districts"]["krong_pac"]
    for index in range(13):
        commune(krong_pac, f"2450{index:02d}", f"Xã Thử {index:02d}")
    round_ = Round.objects.create(
        name="Đánh giá hàng đợi 2027",
        kind=RoundKind.YEARLY,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        criteria_version=published_set["version"],
        form_page=published_set["form_page"],
        scope_root=area["province"],
        scope_unit_types="Xã",
        opens_on=datetime.date(2027, 11, 1),
        due_on=datetime.date(2027, 12, 15),
    )
    round_services.round_open(round_=round_, user=area["office"], allow_unclassified=True)
    in_district = list(
        Submission.objects.filter(round=round_, unit__parent=krong_pac)
        .order_by("unit__path")
        .values_list("pk", flat=True)
    )
    stages = [S.SUBMITTED, S.SUBMITTED, S.APPRAISAL, S.RECOGNITION, S.RETURNED]
    for pk, status in zip(in_district, stages, strict=False):
        Submission.objects.filter(pk=pk).update(status=status)
    construction = Department.objects.get(code="so-xd")
    agriculture = Department.objects.get(code="so-nnmt")
    appraisal, returned = in_district[2], in_district[4]
    CriterionAppraisal.objects.bulk_create(
        [
            CriterionAppraisal(submission_id=appraisal, number=1, department=construction),
            CriterionAppraisal(submission_id=appraisal, number=2, department=construction, status=A.APPROVED),
            CriterionAppraisal(submission_id=appraisal, number=10, department=agriculture),
            CriterionAppraisal(submission_id=returned, number=1, department=construction, status=A.RETURNED),
            CriterionAppraisal(submission_id=returned, number=2, department=construction),
            CriterionAppraisal(submission_id=returned, number=10, department=agriculture, status=A.APPROVED),
        ]
    )
    return {
        "round": round_,
        "drafts": list(
            Submission.objects.filter(round=round_, status=S.DRAFT).order_by("unit__path").values_list("pk", flat=True)
        ),
        "construction": member(Role.DEPARTMENT_APPRAISER, department=construction, username="so_xay_dung"),
        "agriculture": member(Role.DEPARTMENT_APPRAISER, department=agriculture, username="so_nong_nghiep"),
    }


def users(area, queue_round, who):
    if who in ("construction", "agriculture"):
        return queue_round[who]
    if who == "buon_don":
        return member(Role.DISTRICT_REVIEWER, unit=area["districts"]["buon_don"], username="thamtra_buondon")
    if who == "other_province":
        return member(Role.OFFICE_EDITOR, unit=province("67", "Tỉnh Đắk Nông"), username="vanphong_67")
    return area[who]


EXPECTED = {
    "reviewer": {S.DRAFT: 10, S.SUBMITTED: 2, S.APPRAISAL: 1, S.RECOGNITION: 1, S.RECOGNISED: 0, S.RETURNED: 1},
    "office": {S.DRAFT: 11, S.SUBMITTED: 2, S.APPRAISAL: 1, S.RECOGNITION: 1, S.RECOGNISED: 0, S.RETURNED: 1},
    "buon_don": {S.DRAFT: 1, S.SUBMITTED: 0, S.APPRAISAL: 0, S.RECOGNITION: 0, S.RECOGNISED: 0, S.RETURNED: 0},
    "other_province": {S.DRAFT: 0, S.SUBMITTED: 0, S.APPRAISAL: 0, S.RECOGNITION: 0, S.RECOGNISED: 0, S.RETURNED: 0},
    # A department's queue counts its appraisals; a pending one of a submission sent back to the commune is not
    # waiting for it (and is not listed), so it is not counted either.
    "construction": {A.PENDING: 1, A.APPROVED: 1, A.RETURNED: 1},
    "agriculture": {A.PENDING: 1, A.APPROVED: 1, A.RETURNED: 0},
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_count_is_the_number_of_rows_its_link_lists(client, area, queue_round, who):
    client.force_login(users(area, queue_round, who))
    expected = EXPECTED[who]
    for status, count in expected.items():
        page = client.get(QUEUE, {"status": status})
        assert page.status_code == 200
        counts = {value: number for value, _label, number in page.context["counts"]}
        assert counts == expected, who
        assert len(page.context["rows"]) == count, (who, status)
        assert f'data-status="{status}">' in page.text


def test_the_district_reads_nhap_10_with_its_ten_drafts_listed_but_not_opened(client, area, queue_round):
    client.force_login(area["reviewer"])
    page = client.get(QUEUE)
    assert "Nháp: <strong>10</strong>" in page.text
    assert "Đã nộp, chờ huyện thẩm tra: <strong>2</strong>" in page.text
    drafts = client.get(QUEUE, {"status": S.DRAFT})
    names = [row["submission"].unit.name for row in drafts.context["rows"]]
    assert len(names) == 10 and "Xã Ea Wer" not in names
    assert all(name in drafts.text for name in names)
    # A draft is still the commune's: the reviewer sees it is there, and opens it once it is submitted.
    for pk in queue_round["drafts"]:
        assert f"/xet-duyet/ho-so/{pk}/" not in drafts.text
    assert client.get(f"/xet-duyet/ho-so/{queue_round['drafts'][0]}/").status_code == 404
    submitted = client.get(QUEUE, {"status": S.SUBMITTED})
    for row in submitted.context["rows"]:
        assert f'href="/xet-duyet/ho-so/{row["submission"].pk}/"' in submitted.text


def test_filters_are_kept_by_the_count_links_and_counts_follow_them(client, area, queue_round):
    client.force_login(area["office"])
    buon_don = area["districts"]["buon_don"]
    page = client.get(QUEUE, {"district": buon_don.pk, "round": queue_round["round"].pk})
    counts = {value: number for value, _label, number in page.context["counts"]}
    assert counts[S.DRAFT] == 1 and counts[S.SUBMITTED] == 0
    assert f"?status=draft&amp;round={queue_round['round'].pk}&amp;district={buon_don.pk}" in page.text


@pytest.mark.parametrize("who", ["reviewer", "office", "construction"])
def test_the_counts_are_one_query_and_the_page_a_bounded_number(
    client, area, queue_round, who, django_assert_max_num_queries
):
    user = users(area, queue_round, who)
    with CaptureQueriesContext(connection) as captured:
        review_selectors.queue_for(user, review_selectors.QueueFilters())
    counting = [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()]
    assert len(counting) == 1, counting
    client.force_login(user)
    with django_assert_max_num_queries(20):
        assert client.get(QUEUE, {"status": S.DRAFT}).status_code == 200
