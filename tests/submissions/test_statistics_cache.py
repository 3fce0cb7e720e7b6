"""The statistics the public site and the API read are kept in the shared cache, and every change of results shows
at once: each path that changes results or their publication replaces the results version
(:mod:`submissions.reports.statistics.cache`). A second read costs no statistics query."""

import datetime
import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest
from rest_framework.renderers import JSONRenderer

from cms.directory.models import Edition
from cms.directory.signals import units_imported
from submissions.entry import services as entry_services
from submissions.models import Basis, CriterionResult, Submission
from submissions.reports import statistics
from submissions.reports.api import RoundSummarySerializer
from submissions.reports.statistics import cache as statistics_cache
from submissions.review import bulk
from submissions.review import flow as review
from tests.submissions.factories import RoundFactory, result

ALL_MET = {1: True, 2: True, 10: True}
STATISTICS_TABLES = ("submissions_criterionresult", "submissions_submission")


def api(client, round_, query: str = "") -> dict:
    response = client.get(f"/api/v1/rounds/{round_.pk}/summary/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def live(round_, basis: str, parent=None) -> dict:
    """The summary counted afresh (never cached), shaped as the API shows it."""
    summary = statistics.round_summary(round_, parent=parent, basis=basis)
    return json.loads(JSONRenderer().render(RoundSummarySerializer(summary).data))


def office_client(area) -> Client:
    client = Client()
    client.force_login(area["office"])
    return client


def statistics_queries(context) -> list[str]:
    return [query["sql"] for query in context.captured_queries if any(t in query["sql"] for t in STATISTICS_TABLES)]


@pytest.fixture
def published_round(site, published_set):
    """A closed round of the province with two published results (Hòa Thuận meets all, Ea Kly two of three)."""
    round_ = RoundFactory(
        year=2025, criteria_version=published_set["version"], scope_root=site["province"], scope_unit_types="Xã"
    )
    communes = site["communes"]
    return {
        "round": round_,
        "hoa_thuan": result(round_, communes["hoa_thuan"], ALL_MET),
        "ea_kly": result(round_, communes["ea_kly"], {1: True, 2: False, 10: True}),
    }


# --- a second read ---------------------------------------------------------------------------------------------


def test_a_second_summary_call_makes_at_most_two_queries(client, published_round, area, django_assert_max_num_queries):
    round_ = published_round["round"]
    for query in ("", f"?parent={area['province'].code}"):
        first = api(client, round_, query)
        with django_assert_max_num_queries(2):  # the round (and the unit asked for): no statistics
            assert api(client, round_, query) == first
    assert first == live(round_, Basis.PUBLISHED, parent=area["province"])
    assert first["units_recognised"] == 2 and first["units_meeting_all"] == 1


def test_the_office_reads_its_numbers_again_without_counting(published_round, area):
    office, round_ = office_client(area), published_round["round"]
    with CaptureQueriesContext(connection) as first:
        numbers = api(office, round_, "?basis=all")
    with CaptureQueriesContext(connection) as second:
        again = api(office, round_, "?basis=all")
    assert again == numbers == live(round_, Basis.ALL, parent=area["province"])
    assert statistics_queries(first) and not statistics_queries(second)
    assert len(second.captured_queries) <= len(first.captured_queries) - 2


# --- every change shows at once ---------------------------------------------------------------------------------


def test_each_step_of_the_review_flow_shows_at_once_in_the_api(client, flow, area, open_round):
    """Forward, appraise, override, recognise, publish, withdraw: after each, the (cached) API equals a fresh count."""
    office, submission = office_client(area), flow["submission"]

    def check() -> tuple[dict, dict, dict]:
        numbers = (
            api(client, open_round),
            api(office, open_round, "?basis=all"),
            api(office, open_round, "?basis=recognised"),
        )
        assert numbers == (
            live(open_round, Basis.PUBLISHED),
            live(open_round, Basis.ALL, parent=area["province"]),
            live(open_round, Basis.RECOGNISED, parent=area["province"]),
        )
        return numbers

    check()
    review.review_forward(submission=submission, user=area["reviewer"])
    check()
    for number, who in ((1, "construction"), (2, "construction"), (10, "agriculture")):
        review.appraisal_decide(submission=submission, number=number, user=flow[who])
    _public, every, _recognised = check()
    met_10 = CriterionResult.objects.get(submission=submission, number=10).met
    review.verdict_override(
        submission=submission, user=area["office"], reason="Kiểm tra lại thực tế", criterion_number=10, met=not met_10
    )
    _public, after_override, _recognised = check()
    assert after_override["criteria"][-1]["units_meeting"] == every["criteria"][-1]["units_meeting"] + (
        -1 if met_10 else 1
    )
    review.recognise(
        submission=submission, user=area["office"], decision_number="12/QĐ-UBND", decision_date=datetime.date.today()
    )
    public, _every, recognised = check()
    assert (public["units_recognised"], recognised["units_recognised"]) == (0, 1)
    review.publish(submissions=[submission], user=area["office"])
    assert check()[0]["units_recognised"] == 1
    review.publish(submissions=[submission], user=area["office"], published=False)
    assert check()[0]["units_recognised"] == 0


def test_bulk_recognition_and_publication_show_at_once(client, flow, area, open_round):
    submission = flow["submission"]
    review.review_forward(submission=submission, user=area["reviewer"])
    for number, who in ((1, "construction"), (2, "construction"), (10, "agriculture")):
        review.appraisal_decide(submission=submission, number=number, user=flow[who])
    office = office_client(area)
    assert api(office, open_round, "?basis=recognised")["units_recognised"] == 0
    submission.refresh_from_db()
    bulk.submissions_recognise(
        submissions=[submission], user=area["office"], decision_number="7/QĐ", decision_date=datetime.date.today()
    )
    assert api(office, open_round, "?basis=recognised")["units_recognised"] == 1
    assert api(client, open_round)["units_recognised"] == 0
    bulk.submissions_publish(submissions=[submission], user=area["office"])
    assert api(client, open_round)["units_recognised"] == 1
    bulk.submissions_publish(submissions=[submission], user=area["office"], published=False)
    assert api(client, open_round)["units_recognised"] == 0


def test_a_draft_changes_the_office_numbers_and_keeps_the_public_ones_cached(
    client, area, open_round, django_assert_max_num_queries
):
    office = office_client(area)
    public = api(client, open_round)
    before = api(office, open_round, "?basis=all")
    published_version = statistics_cache.version(Basis.PUBLISHED)
    ea_kly = Submission.objects.get(round=open_round, unit=area["communes"]["ea_kly"])
    entry_services.submission_save(
        submission=ea_kly, raws={"1.1": "có", "2.1": "95", "2.2": "7", "10.1": "50"}, user=area["officers"]["ea_kly"]
    )
    after = api(office, open_round, "?basis=all")
    assert after != before and after == live(open_round, Basis.ALL, parent=area["province"])
    assert statistics_cache.version(Basis.PUBLISHED) == published_version
    with django_assert_max_num_queries(1):
        assert api(client, open_round) == public


def test_recomputed_results_show_at_once(client, published_round):
    round_ = published_round["round"]
    before = api(client, round_)
    entry_services.results_recompute(round_=round_)  # no values were entered: nothing is met any more
    after = api(client, round_)
    assert after != before and after == live(round_, Basis.PUBLISHED)
    assert after["units_meeting_all"] == 0


def test_results_saved_or_deleted_through_the_models_show_at_once(client, published_round):
    """The admin or a script: a submission unpublished, a verdict changed, a submission deleted."""
    round_ = published_round["round"]
    assert api(client, round_)["units_recognised"] == 2
    ea_kly = published_round["ea_kly"]
    ea_kly.published = False
    ea_kly.save()
    assert api(client, round_)["units_recognised"] == 1
    verdict = CriterionResult.objects.get(submission=published_round["hoa_thuan"], number=2)
    verdict.met = False
    verdict.save()
    assert api(client, round_)["criteria"][1]["units_meeting"] == 0
    published_round["hoa_thuan"].delete()
    assert api(client, round_) == live(round_, Basis.PUBLISHED) and api(client, round_)["units_recognised"] == 0


def test_a_round_or_a_unit_changed_shows_at_once(published_round, open_round, area):
    """The round's scope (units in scope per district), the newest round (its dates), a unit's name."""
    round_, province = published_round["round"], area["province"]

    def districts() -> dict[str, tuple[str, int]]:
        stats = statistics.cached_district_statistics(round_, parent=province, basis=Basis.PUBLISHED)
        return {stat.code: (stat.name, stat.units_in_scope) for stat in stats}

    assert districts()["652"] == ("Huyện Krông Pắc", 2)
    round_.scope_unit_types = "Xã, Thị trấn"  # Phước An (a town) joins the scope
    round_.save()
    assert districts()["652"] == ("Huyện Krông Pắc", 3)
    krong_pac = area["districts"]["krong_pac"]
    krong_pac.name = "Huyện Krông Pắc (mới)"
    krong_pac.save()
    assert districts()["652"] == ("Huyện Krông Pắc (mới)", 3)

    newest = statistics.cached_latest_round(parent=province, basis=Basis.PUBLISHED, across_editions=True)
    assert newest == round_
    later = RoundFactory(year=2024, criteria_version=round_.criteria_version, scope_root=province)
    result(later, area["communes"]["ea_wer"], ALL_MET)
    assert statistics.cached_latest_round(parent=province, basis=Basis.PUBLISHED, across_editions=True) == round_
    later.period_end = round_.period_end + datetime.timedelta(days=1)
    later.save()
    assert statistics.cached_latest_round(parent=province, basis=Basis.PUBLISHED, across_editions=True) == later


def test_an_imported_unit_list_replaces_every_version(area):
    versions = (statistics_cache.version(Basis.PUBLISHED), statistics_cache.version(Basis.ALL))
    units_imported.send(sender=Edition, edition=area["province"].edition)
    assert statistics_cache.version(Basis.PUBLISHED) != versions[0]
    assert statistics_cache.version(Basis.ALL) != versions[1]


def test_the_version_is_replaced_again_after_the_commit(flow, area, django_capture_on_commit_callbacks):
    """A number counted by another process from the data before the commit, stored under the version replaced at
    the change, is never read: the version is replaced once more when the transaction commits."""
    submission = flow["submission"]
    with django_capture_on_commit_callbacks(execute=True):
        review.review_forward(submission=submission, user=area["reviewer"])
        during = statistics_cache.version(Basis.ALL)
    assert statistics_cache.version(Basis.ALL) != during


# --- the public pages ----------------------------------------------------------------------------------------------


def test_the_home_page_counts_once_and_shows_a_publication_at_once(client, published_round, area):
    """Rendered afresh (a parameter the page cache ignores), the home page reads its numbers from the cache."""
    url = "/?fresh=1"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).context["overview"].current.communes == 2
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).context["overview"].current.communes == 2
    assert len(statistics_queries(second)) < len(statistics_queries(first))
    assert len(second.captured_queries) <= len(first.captured_queries) - 4
    review.publish(submissions=[published_round["ea_kly"]], user=area["office"], published=False)
    overview = client.get(url).context["overview"]
    assert (overview.current.communes, [figure.meeting for figure in overview.criteria]) == (1, [1, 1, 1])


@pytest.mark.parametrize(
    "case",
    [
        ("/xa/xa-hoa-thuan/?fresh=1", "Chưa có kết quả đánh giá nào của xã"),
        ("/tieu-chi/2/?fresh=1", "0/1 xã có kết quả công bố đạt tiêu chí này"),
    ],
)
def test_a_fresh_commune_or_criterion_page_reads_no_results_twice(
    client, published_round, area, django_assert_max_num_queries, case
):
    """Rendered afresh, a commune's page and a criterion's page run Wagtail's routing, but read neither the results
    nor the site's sections again until something changes; a withdrawn result is gone at once."""
    url, withdrawn = case
    first = client.get(url)
    assert "Xã Hòa Thuận" in first.text and "no-store" in first.headers["Cache-Control"]
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).text == first.text
    assert not statistics_queries(second)
    with django_assert_max_num_queries(9):
        client.get(url)
    review.publish(submissions=[published_round["hoa_thuan"]], user=area["office"], published=False)
    assert withdrawn in client.get(url).text
