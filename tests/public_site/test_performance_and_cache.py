"""Public pages run a bounded number of queries, are cached, and the cache follows published results."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest

from public_site import services
from submissions.models import Submission
from tests.submissions.factories import RoundFactory, result

#: Upper bounds of queries on a cache miss: Wagtail finding the page (8) + links, stamp, unit, results.
COMMUNE_PAGE_MAX_QUERIES = 16
AGGREGATE_PAGE_MAX_QUERIES = 16
#: A cache hit: Wagtail finding the page (8) and the publication stamp.
CACHED_PAGE_MAX_QUERIES = 9


def add_rounds(site, version, count, first_year=2020):
    for offset in range(count):
        round_ = RoundFactory(year=first_year + offset, criteria_version=version)
        for key in ("hoa_thuan", "ea_kly", "ea_wer"):
            result(round_, site["communes"][key], {1: True, 2: offset % 2 == 0, 10: key != "ea_wer"})


def queries_for(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "case",
    [
        ("/xa/xa-hoa-thuan/", COMMUNE_PAGE_MAX_QUERIES),
        ("/", AGGREGATE_PAGE_MAX_QUERIES),
        ("/xa/", AGGREGATE_PAGE_MAX_QUERIES),
        ("/tieu-chi/", AGGREGATE_PAGE_MAX_QUERIES),
        ("/tieu-chi/2/", AGGREGATE_PAGE_MAX_QUERIES),
        ("/tim-kiem/?q=xa", AGGREGATE_PAGE_MAX_QUERIES),
    ],
)
def test_queries_do_not_grow_with_rounds(client, site, published_set, django_assert_max_num_queries, case):
    url, bound = case
    version = published_set["version"]
    add_rounds(site, version, 1, first_year=2020)
    with_one = queries_for(client, url)
    add_rounds(site, version, 4, first_year=2021)
    assert Submission.objects.filter(unit=site["communes"]["hoa_thuan"]).count() == 5
    with_five = queries_for(client, url)
    assert with_five == with_one, (with_one, with_five)
    cache.clear()
    with django_assert_max_num_queries(bound):
        client.get(url)


def test_a_cached_page_costs_a_few_queries(client, results, django_assert_max_num_queries):
    first = client.get("/xa/xa-hoa-thuan/")
    assert "X-Public-Cache" not in first
    with django_assert_max_num_queries(CACHED_PAGE_MAX_QUERIES):
        second = client.get("/xa/xa-hoa-thuan/")
    assert second["X-Public-Cache"] == "hit"
    assert second.content == first.content


def test_publishing_or_withdrawing_a_result_is_seen_at_once(client, results, site):
    assert "Đạt 2/3 tiêu chí" in client.get("/xa/xa-ea-kly/").text
    client.get("/")
    # the office withdraws Ea Kly's result (review.publish sets published_at=None)
    Submission.objects.filter(pk=results["ea_kly_2026"].pk).update(published=False, published_at=None)
    assert "Chưa có kết quả đánh giá nào của xã" in client.get("/xa/xa-ea-kly/").text
    assert "trên 1 xã có kết quả công bố" in client.get("/").text
    # ... and a new result of another commune is published
    round_ = results["rounds"][1]
    result(round_, site["communes"]["ea_wer"], {1: True, 2: True, 10: True})
    assert "trên 2 xã có kết quả công bố" in client.get("/").text


def test_invalidation_empties_the_cache_of_the_pages_concerned(client, results, site):
    client.get("/xa/xa-hoa-thuan/")
    client.get("/xa/xa-ea-kly/")
    client.get("/")
    # a recognised result's figures change without a new publication (a recompute): stale until invalidated
    Submission.objects.filter(pk=results["ea_kly_2026"].pk).update(criteria_met=1)
    assert client.get("/xa/xa-ea-kly/")["X-Public-Cache"] == "hit"
    services.invalidate_public_cache(unit_ids=[site["communes"]["ea_kly"].pk])
    assert "X-Public-Cache" not in client.get("/xa/xa-ea-kly/")
    assert "X-Public-Cache" not in client.get("/")
    assert client.get("/xa/xa-hoa-thuan/")["X-Public-Cache"] == "hit"
    services.invalidate_public_cache()
    assert "X-Public-Cache" not in client.get("/xa/xa-hoa-thuan/")


def test_logged_in_users_and_odd_parameters_are_not_cached(client, results, site):
    client.get("/?utm_source=x")
    assert "X-Public-Cache" not in client.get("/?utm_source=x")
    client.force_login(site["office"])
    client.get("/")
    assert "X-Public-Cache" not in client.get("/")


def test_publishing_a_page_in_the_admin_empties_the_cache(client, results, site):
    client.get("/xa/xa-hoa-thuan/")
    client.force_login(site["office"])
    page = site["pages"]["hoa_thuan"]
    response = client.post(
        f"/admin/pages/{page.pk}/edit/",
        nested_form_data(
            {
                "title": "Xã Hòa Thuận",
                "slug": page.slug,
                "body": streamfield([("text", rich_text("<p>Xã có 12 thôn, buôn.</p>"))]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    client.logout()
    text = client.get("/xa/xa-hoa-thuan/").text
    assert "Xã có 12 thôn, buôn." in text
