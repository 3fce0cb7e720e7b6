"""Round statistics, checked against answers known in advance.

The data is generated from a plan (:class:`tests.submissions.factories.Row`): per commune, its status, whether
it is published, which criteria it meets and any standard override. The expected numbers are computed from the
plan in plain Python, independently of the selectors (which only aggregate in the database). Province 66 has
152 communes of which exactly 79 meet all 19 criteria, with 2421 criteria met in total: 2421 / 152 = 15.927… →
15.93.
"""

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from cms.directory.models import Role
from submissions import access
from submissions.models import AppraisalStatus, Round, RoundStatus, SubmissionStatus
from submissions.reports import statistics
from submissions.reports.statistics import Basis
from tests.factories import DepartmentFactory, member
from tests.submissions.factories import (
    CRITERIA,
    DEPARTMENT_NAMES,
    DEPARTMENTS,
    NOW,
    Data,
    Row,
    department_of,
    province_rows,
    tree_order,
)


@pytest.fixture
def data(statistics_data) -> Data:
    """The generated rounds, built once for the module (``statistics_data``)."""
    return statistics_data


def assert_summary(summary: statistics.RoundSummary, expected: dict) -> None:
    assert summary.units_in_scope == expected["units_in_scope"]
    assert summary.units_counted == expected["units_counted"]
    assert summary.units_submitted == expected["units_submitted"]
    assert summary.units_recognised == expected["units_recognised"]
    assert summary.units_meeting_all == expected["units_meeting_all"]
    assert summary.units_reaching_standard == expected["units_reaching_standard"]
    assert summary.criteria_met_total == expected["criteria_met_total"]
    assert summary.average_criteria_met == expected["average"]
    assert summary.criteria_count == CRITERIA
    assert {stat.number: stat.units_meeting for stat in summary.criteria} == expected["criteria"]


# --- the plan itself ----------------------------------------------------------------------------------


def test_the_plan_gives_the_known_province_numbers():
    rows = province_rows()
    assert len(rows) == 152
    assert sum(row.criteria_met == CRITERIA for row in rows) == 79
    assert sum(row.criteria_met for row in rows) == 2421 == 79 * 19 + 920
    assert (Decimal(2421) / 152).quantize(Decimal("0.01")) == Decimal("15.93")


# --- the summary --------------------------------------------------------------------------------------


def test_province_summary_79_communes_meet_all_and_average_15_93(data, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        summary = statistics.round_summary(data.round, parent=data.provinces["66"])
    assert summary.units_in_scope == 152
    assert summary.units_meeting_all == 79
    assert summary.units_reaching_standard == 79
    assert summary.average_criteria_met == Decimal("15.93")
    assert summary.criteria_met_total == 2421
    assert_summary(summary, data.expected(Basis.ALL, province="66"))
    for basis in Basis.values:  # province 66 is fully recognised and published
        assert_summary(
            statistics.round_summary(data.round, parent=data.provinces["66"], basis=basis),
            data.expected(basis, province="66"),
        )


@pytest.mark.parametrize("basis", Basis.values)
def test_national_summary_for_every_basis(data, basis, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        summary = statistics.round_summary(data.round, basis=basis)
    expected = data.expected(basis)
    assert_summary(summary, expected)
    assert summary.units_in_scope == 162


def test_published_basis_ignores_unpublished_and_unrecognised_results(data):
    other = data.provinces["67"]
    published = statistics.round_summary(data.round, parent=other, basis=Basis.PUBLISHED)
    # Only the last two communes of province 67 are recognised and published: 19 (override: not
    # reaching the standard) and 16 criteria.
    assert (published.units_counted, published.units_meeting_all, published.units_reaching_standard) == (2, 1, 0)
    assert published.average_criteria_met == Decimal("17.50")
    recognised = statistics.round_summary(data.round, parent=other, basis=Basis.RECOGNISED)
    # Recognised: also 19 unpublished and 11 with the standard granted by override.
    assert (recognised.units_counted, recognised.units_meeting_all, recognised.units_reaching_standard) == (4, 2, 2)
    everything = statistics.round_summary(data.round, parent=other)
    assert (everything.units_submitted, everything.units_recognised) == (9, 4)
    assert everything.units_in_scope == published.units_in_scope == 10


def test_district_and_group_filters(data):
    for code in ("600", "601", "602", "603", "660"):
        assert_summary(
            statistics.round_summary(data.round, parent=data.districts[code]),
            data.expected(Basis.ALL, district=code),
        )
    assert_summary(statistics.round_summary(data.round, group="DHNTB"), data.expected(Basis.ALL, group="DHNTB"))
    assert statistics.round_summary(data.round, unit=data.units["24000"]).units_meeting_all == 1


def test_average_rounds_half_up():
    assert statistics._average(2421, 152) == Decimal("15.93")
    assert statistics._average(1, 8) == Decimal("0.13")  # 0.125
    assert statistics._average(5, 8) == Decimal("0.63")  # 0.625
    assert statistics._average(0, 0) == Decimal("0.00")


# --- distributions, stages, groups, departments -------------------------------------------------------


def test_distribution_of_units_by_criteria_met(data, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        rows = statistics.criteria_distribution(data.round, parent=data.provinces["66"])
    assert [row.criteria_met for row in rows] == list(range(CRITERIA + 1))
    assert {row.criteria_met: row.units for row in rows if row.units} == {
        19: 79,
        18: 10,
        17: 10,
        16: 10,
        15: 10,
        10: 10,
        7: 22,
        6: 1,
    }
    national = statistics.criteria_distribution(data.round, basis=Basis.RECOGNISED)
    assert {row.criteria_met: row.units for row in national if row.units} == dict(
        data.expected(Basis.RECOGNISED)["distribution"]
    )


def test_stage_counts(data, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        stages = statistics.stage_counts(data.round)
    assert [stage.status for stage in stages] == SubmissionStatus.values
    assert {stage.status: stage.units for stage in stages} == {
        status: data.expected(Basis.ALL)["stages"].get(status, 0) for status in SubmissionStatus.values
    }
    assert {stage.status: stage.units for stage in stages}[SubmissionStatus.RECOGNISED] == 156


def test_group_statistics(data, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        groups = statistics.group_statistics(data.round)
    by_code = {group.code: group for group in groups}
    assert set(by_code) == {"TN", "DHNTB"}
    assert by_code["TN"].name == "Tây Nguyên"
    for code, group in by_code.items():
        expected = data.expected(Basis.ALL, group=code)
        assert group.units == expected["units_counted"]
        assert group.units_meeting_all == expected["units_meeting_all"]
        assert group.units_reaching_standard == expected["units_reaching_standard"]
        assert group.average_criteria_met == expected["average"]
    assert by_code["TN"].average_criteria_met == Decimal("15.93")


def test_appraisal_progress_by_department(data, django_assert_max_num_queries, settings):
    settings.REVIEW_STAGE_DAYS = 10
    with django_assert_max_num_queries(2):
        progress = statistics.appraisal_progress(data.round, now=NOW)
    by_code = {item.code: item for item in progress}
    assert set(by_code) == set(DEPARTMENTS)
    expected = {code: Counter() for code in DEPARTMENTS}
    for row in data.rows:
        for number, status in row.appraisals.items():
            expected[department_of(number)][status] += 1
            overdue = (
                status == AppraisalStatus.PENDING
                and row.status == SubmissionStatus.APPRAISAL
                and row.entered_days_ago > settings.REVIEW_STAGE_DAYS
            )
            expected[department_of(number)]["overdue"] += overdue
    for code, item in by_code.items():
        assert item.name == DEPARTMENT_NAMES[code]
        assert item.criteria == tuple(n for n in range(1, CRITERIA + 1) if department_of(n) == code)
        assert (item.pending, item.approved, item.returned, item.overdue) == (
            expected[code][AppraisalStatus.PENDING],
            expected[code][AppraisalStatus.APPROVED],
            expected[code][AppraisalStatus.RETURNED],
            expected[code]["overdue"],
        )
    # 15 pending criteria (5…19) of the commune at the appraisal stage for 20 days are overdue.
    assert sum(item.overdue for item in progress) == 15
    assert sum(item.pending for item in progress) == 15 + 19
    settings.REVIEW_STAGE_DAYS = 30
    assert sum(item.overdue for item in statistics.appraisal_progress(data.round, now=NOW)) == 0


def test_departments_without_appraisals_are_listed_with_zeros(data):
    progress = statistics.appraisal_progress(data.round, parent=data.districts["660"], basis=Basis.PUBLISHED)
    assert {item.code for item in progress} == set(DEPARTMENTS)
    assert all(item.total == 0 for item in progress)


# --- change from the previous round -------------------------------------------------------------------


def test_previous_round_is_prefill_from_or_the_latest_earlier_round_of_the_set(data):
    assert statistics.previous_round(data.round) == data.previous
    assert statistics.previous_round(data.previous) is None
    older = Round.objects.create(
        name="Đánh giá năm 2024",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        criteria_version=data.round.criteria_version,
        opens_on=datetime.date(2024, 11, 1),
        due_on=datetime.date(2024, 12, 15),
        status=RoundStatus.ARCHIVED,
    )
    assert statistics.previous_round(data.round) == data.previous
    round_ = Round.objects.get(pk=data.round.pk)
    round_.prefill_from = older
    round_.save()
    assert statistics.previous_round(round_) == older


def test_criteria_gained_and_lost_since_the_previous_round(data, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        changes = statistics.round_changes(data.round)
    assert changes.previous == data.previous
    current = {row.code: row.met for row in data.rows}
    expected = {
        code: (tuple(sorted(current[code] - before)), tuple(sorted(before - current[code])))
        for code, before in data.previous_met.items()
        if current[code] != before
    }
    assert {item.unit_code: (item.gained, item.lost) for item in changes.units} == expected
    assert expected["24005"] == ((2, 3), ())
    assert expected["24079"] == ((), (4,))
    assert changes.units_compared == len(data.previous_met) == 9
    assert (changes.units_improved, changes.units_declined) == (7, 1)
    assert (changes.criteria_gained, changes.criteria_lost) == (8, 1)
    district_of = {row.code: row.district for row in data.rows}
    assert [item.unit_code for item in changes.units] == sorted(expected, key=lambda c: (district_of[c], c))
    district = statistics.round_changes(data.round, parent=data.districts["601"])
    assert {item.unit_code for item in district.units} == {"24001", "24005"}


def test_no_previous_round_no_changes(data):
    changes = statistics.round_changes(data.previous)
    assert changes.previous is None
    assert changes.units == ()


# --- per-unit results ---------------------------------------------------------------------------------


def test_results_per_unit_in_two_queries(data, django_assert_max_num_queries):
    rows = statistics.round_results(data.round, parent=data.provinces["67"])
    with django_assert_max_num_queries(2):
        results = statistics.results_with_criteria(data.round, rows)
    plan = {row.code: row for row in data.rows}
    assert [result.unit_code for result in results] == [f"25{i:03d}" for i in range(10)]
    for result in results:
        row = plan[result.unit_code]
        assert result.unit_name == f"Xã {row.code}"
        assert result.parent_name == "Huyện Đắk Mil"
        assert result.criteria_met == row.criteria_met
        assert result.standard_reached == row.standard
        assert result.criteria == tuple((n, n in row.met) for n in range(1, CRITERIA + 1))


def test_iter_results_streams_every_unit_in_chunks(data, django_assert_max_num_queries):
    rows = statistics.round_results(data.round, basis=Basis.PUBLISHED)
    with django_assert_max_num_queries(8):
        results = list(statistics.iter_results(data.round, rows, chunk_size=50))
    assert len(results) == 154
    assert [r.unit_code for r in results] == [row.code for row in tree_order(data.rows) if row.counted(Basis.PUBLISHED)]
    assert sum(r.criteria_met for r in results) == sum(r.criteria_met for r in data.rows if r.counted(Basis.PUBLISHED))


def test_full_statistics_in_a_bounded_number_of_queries(data, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        stats = statistics.round_statistics(data.round, parent=data.provinces["66"], now=NOW)
    assert stats.summary.units_meeting_all == 79
    assert stats.changes.previous == data.previous
    department = stats.departments[0]
    assert [stat.number for stat in stats.criteria_of(department)] == list(department.criteria)


# --- who reads what -----------------------------------------------------------------------------------


def test_office_scope(data):
    province_66 = data.provinces["66"]
    assert access.office_scope(data.office) == access.OfficeScope(True, province_66)
    assert access.office_scope(data.office, data.districts["601"]).allowed
    assert not access.office_scope(data.office, data.provinces["67"]).allowed
    assert access.office_scope(data.superuser) == access.OfficeScope(True, None)
    appraiser = member(Role.DEPARTMENT_APPRAISER, department=DepartmentFactory(code="so-xd"), username="thamdinh")
    assert appraiser.has_perm("submissions.view_round")
    assert not access.office_scope(appraiser).allowed
    assert statistics.dashboard_round(data.office) == (data.round, province_66)
    assert statistics.dashboard_round(appraiser) is None


def test_unit_codes_are_resolved_in_the_edition_of_the_round(data):
    assert statistics.unit_in_round(data.round, "66") == data.provinces["66"]
    assert statistics.unit_in_round(data.round, "99") is None


# --- the API ------------------------------------------------------------------------------------------

SUMMARY_FIELDS = {
    "units_in_scope",
    "units_submitted",
    "units_recognised",
    "units_meeting_all",
    "units_reaching_standard",
    "average_criteria_met",
    "units_holding_title",
    "criteria",
}


def summary_url(round_, query: str = "") -> str:
    return f"/api/v1/rounds/{round_.pk}/summary/{query}"


def results_url(round_, query: str = "") -> str:
    return f"/api/v1/rounds/{round_.pk}/results/{query}"


def expected_body(expected: dict) -> dict:
    return {
        "units_in_scope": expected["units_in_scope"],
        "units_submitted": expected["units_submitted"],
        "units_recognised": expected["units_recognised"],
        "units_meeting_all": expected["units_meeting_all"],
        "units_reaching_standard": expected["units_reaching_standard"],
        "average_criteria_met": float(expected["average"]),
        "units_holding_title": 0,  # the set grants no title (tests/submissions/titles count real ones)
        "criteria": [
            {"number": n, "name": f"Tiêu chí số {n}", "units_meeting": expected["criteria"][n]}
            for n in range(1, CRITERIA + 1)
        ],
    }


def test_anonymous_summary_counts_recognised_published_results_only(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get(summary_url(data.round))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == SUMMARY_FIELDS
    assert body == expected_body(data.expected(Basis.PUBLISHED))
    assert body["units_in_scope"] == 162  # the round's scope is public; every other number is published data
    assert body["units_meeting_all"] == 79 + 1  # not 25004 (recognition) nor 25006 (unpublished)

    response = client.get(summary_url(data.round, "?parent=66"))
    assert b'"average_criteria_met":15.93' in response.content  # a plain number with two decimals
    assert response.json() == expected_body(data.expected(Basis.PUBLISHED, province="66"))
    assert client.get(summary_url(data.round, "?parent=660")).json() == expected_body(
        data.expected(Basis.PUBLISHED, district="660")
    )
    assert client.get(summary_url(data.round, "?basis=published")).json() == body


def test_anonymous_callers_cannot_ask_for_unpublished_numbers(client, data):
    for basis in (Basis.ALL, Basis.RECOGNISED):
        response = client.get(summary_url(data.round, f"?basis={basis}"))
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert "chưa công khai" in response.json()["message"]
    response = client.get(summary_url(data.round, "?basis=everything"))
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"basis"}
    response = client.get(summary_url(data.round, "?parent=99"))
    assert response.status_code == 400
    assert response.json()["fields"] == {"parent": ["Không có đơn vị mã “99” trong đợt này."]}
    english = client.get(summary_url(data.round, "?basis=all"), HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 403


def test_draft_and_missing_rounds_are_404_for_anonymous_callers(client, data):
    Round.objects.filter(pk=data.round.pk).update(status=RoundStatus.DRAFT)
    for url in (summary_url(data.round), results_url(data.round)):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert client.get("/api/v1/rounds/999999/summary/").status_code == 404


def test_office_editor_reads_every_submission_of_their_province(client, data, django_assert_max_num_queries):
    client.force_login(data.office)
    with django_assert_max_num_queries(10):
        body = client.get(summary_url(data.round)).json()
    assert body == expected_body(data.expected(Basis.ALL, province="66"))
    assert client.get(summary_url(data.round, "?parent=601")).json() == expected_body(
        data.expected(Basis.ALL, district="601")
    )
    # Another province: published results, as anyone; an unpublished basis there is refused.
    assert client.get(summary_url(data.round, "?parent=67")).json() == expected_body(
        data.expected(Basis.PUBLISHED, province="67")
    )
    assert client.get(summary_url(data.round, "?parent=67&basis=all")).status_code == 403
    assert client.get(summary_url(data.round, "?basis=published")).json() == expected_body(
        data.expected(Basis.PUBLISHED)
    )


def test_superuser_reads_the_whole_round_on_every_basis(client, data):
    client.force_login(data.superuser)
    assert client.get(summary_url(data.round)).json() == expected_body(data.expected(Basis.ALL))
    assert client.get(summary_url(data.round, "?basis=recognised&parent=67")).json() == expected_body(
        data.expected(Basis.RECOGNISED, province="67")
    )


def test_users_without_an_office_scope_read_published_numbers(client, data):
    appraiser = member(Role.DEPARTMENT_APPRAISER, department=DepartmentFactory(code="so-xd"), username="thamdinh")
    client.force_login(appraiser)
    assert client.get(summary_url(data.round)).json() == expected_body(data.expected(Basis.PUBLISHED))
    assert client.get(summary_url(data.round, "?basis=all")).status_code == 403


def expected_result(row: Row) -> dict:
    return {
        "unit_code": row.code,
        "criteria_met": row.criteria_met,
        "standard_reached": row.standard,
        "criteria": [{"number": n, "met": n in row.met} for n in range(1, CRITERIA + 1)],
        "titles": [],  # none held (tests/submissions/titles show real ones)
    }


def test_anonymous_results_are_published_results_unit_by_unit(client, data, django_assert_max_num_queries):
    published = [row for row in tree_order(data.rows) if row.counted(Basis.PUBLISHED)]
    with django_assert_max_num_queries(5):
        response = client.get(results_url(data.round))
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == len(published) == 154
    assert body["results"] == [expected_result(row) for row in published[:50]]
    assert body["next"].endswith(results_url(data.round, "?page=2"))
    last = client.get(results_url(data.round, "?page=4")).json()
    assert last["results"] == [expected_result(row) for row in published[150:]]

    by_code = {row.code: row for row in data.rows}
    assert client.get(results_url(data.round, "?unit=25008")).json()["results"] == [
        expected_result(by_code["25008"])  # 19 criteria met, the standard withheld by the office
    ]
    assert client.get(results_url(data.round, "?unit=25006")).json()["count"] == 0  # recognised, unpublished
    assert client.get(results_url(data.round, "?unit=25002")).json()["count"] == 0  # under appraisal
    assert [r["unit_code"] for r in client.get(results_url(data.round, "?parent=67")).json()["results"]] == [
        "25008",
        "25009",
    ]
    assert client.get(results_url(data.round, "?unit=00000")).status_code == 400
    assert client.get(results_url(data.round, "?basis=all")).status_code == 403


def test_office_editor_results(client, data, django_assert_max_num_queries):
    client.force_login(data.office)
    with django_assert_max_num_queries(11):  # one of them reads the page's titles, whatever its length
        body = client.get(results_url(data.round, "?parent=600")).json()
    district = sorted((row for row in data.rows if row.district == "600"), key=lambda r: r.code)
    assert body["count"] == 38
    assert body["results"] == [expected_result(row) for row in district]
    assert client.get(results_url(data.round, "?parent=67")).json()["count"] == 2
    assert client.get(results_url(data.round, "?unit=25002&basis=all")).status_code == 403
