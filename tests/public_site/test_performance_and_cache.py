"""Public pages run a bounded number of queries; they are cached and answered before Wagtail's routing with no query
at all; every change to what a page shows makes it fresh at once; editors, previews and odd parameters never see a
cached page."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction, Site
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest

from cms.directory.models import UnitSuccession
from public_site import services
from public_site.models import CommunePage
from submissions.entry import services as entry_services
from submissions.models import Submission
from submissions.review import bulk
from submissions.review import flow as review
from tests.factories import EditionFactory, commune, province
from tests.submissions.factories import RoundFactory, result

#: Upper bounds of queries on a cache miss: Wagtail finding the page (8) + links, unit, results, tokens' pages.
COMMUNE_PAGE_MAX_QUERIES = 16
AGGREGATE_PAGE_MAX_QUERIES = 16
HIT = "X-Public-Cache"


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


def is_hit(response) -> bool:
    return response.get(HIT) == "hit"


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


@pytest.mark.parametrize("url", ["/xa/xa-hoa-thuan/", "/", "/xa/", "/tieu-chi/", "/tieu-chi/2/", "/tim-kiem/?q=hoa"])
def test_a_cached_page_is_answered_without_the_database(client, results, django_assert_num_queries, url):
    first = client.get(url)
    assert not is_hit(first)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert is_hit(second)
    assert second.content == first.content


def test_a_cached_page_carries_the_headers_of_a_fresh_one(client, results):
    fresh = client.get("/xa/xa-hoa-thuan/", HTTP_ACCEPT_LANGUAGE="vi")
    cached = client.get("/xa/xa-hoa-thuan/", HTTP_ACCEPT_LANGUAGE="vi")
    assert is_hit(cached)
    headers = {name: value for name, value in cached.items() if name not in (HIT, "X-Request-ID")}
    assert headers == {name: value for name, value in fresh.items() if name != "X-Request-ID"}
    for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Content-Language"):
        assert cached[name] == fresh[name]
    assert {"Cookie", "Accept-Language"} <= {part.strip() for part in cached["Vary"].split(",")}
    # a shared cache (Varnish, a CDN) may keep it briefly; browsers ask again; nobody gets a cookie
    assert set(cached["Cache-Control"].split(", ")) == {"public", "max-age=0", "s-maxage=60"}
    assert not fresh.cookies and not cached.cookies


def test_each_language_and_each_host_has_its_own_entry(client, results):
    client.get("/xa/xa-hoa-thuan/")
    client.cookies["django_language"] = "en"
    english = client.get("/xa/xa-hoa-thuan/")
    assert not is_hit(english)
    assert english["Content-Language"] == "en"
    assert is_hit(client.get("/xa/xa-hoa-thuan/"))
    del client.cookies["django_language"]
    assert not is_hit(client.get("/xa/xa-hoa-thuan/", HTTP_HOST="ntm.daklak.example"))
    assert is_hit(client.get("/xa/xa-hoa-thuan/"))


def test_publishing_or_withdrawing_a_result_is_seen_at_once(client, results, site, django_capture_on_commit_callbacks):
    office = site["office"]
    assert "Đạt 2/3 tiêu chí" in client.get("/xa/xa-ea-kly/").text
    client.get("/")
    assert is_hit(client.get("/xa/xa-ea-kly/"))
    with django_capture_on_commit_callbacks(execute=True):
        review.publish(submissions=[results["ea_kly_2026"]], user=office, published=False)
    assert "Chưa có kết quả đánh giá nào của xã" in client.get("/xa/xa-ea-kly/").text
    assert "trên 1 xã có kết quả công bố" in client.get("/").text
    # ... and a result of another commune, recognised, is published from the review queue (bulk)
    recognised = result(results["rounds"][1], site["communes"]["ea_wer"], {1: True, 2: True, 10: True}, published=False)
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = bulk.submissions_publish(submissions=[recognised], user=office)
    assert [outcome.done for outcome in outcomes] == [True]
    assert "trên 2 xã có kết quả công bố" in client.get("/").text
    assert "Đạt 3/3 tiêu chí" in client.get("/xa/xa-ea-wer/").text


def test_only_the_pages_concerned_are_rendered_again(client, results, site):
    client.get("/xa/xa-hoa-thuan/")
    client.get("/xa/xa-ea-kly/")
    client.get("/")
    review.publish(submissions=[results["ea_kly_2026"]], user=site["office"], published=False)
    assert not is_hit(client.get("/xa/xa-ea-kly/"))
    assert not is_hit(client.get("/"))
    assert is_hit(client.get("/xa/xa-hoa-thuan/"))


def test_a_result_of_a_former_commune_is_seen_on_the_page_of_the_commune_formed_from_it(client, results, site):
    edition = EditionFactory(date=datetime.date(2025, 7, 1), tiers=2)
    merged = commune(province(edition=edition), "24500", "Xã Ea Kly Mới")
    UnitSuccession.objects.create(successor=merged, predecessor=site["communes"]["ea_kly"], kind="full")
    services.commune_pages_ensure(units=[merged])
    url = CommunePage.objects.get(unit=merged).url
    assert "Đạt 2/3 tiêu chí" in client.get(url).text
    assert is_hit(client.get(url))
    review.publish(submissions=[results["ea_kly_2026"]], user=site["office"], published=False)
    assert "Chưa có kết quả đánh giá nào của xã" in client.get(url).text


def test_recomputed_results_are_seen_at_once(client, results, site):
    client.get("/xa/xa-ea-kly/")
    # a recognised result's figures change without a new publication (a fix to the evaluation code): the recompute
    # command's service makes every page fresh
    Submission.objects.filter(pk=results["ea_kly_2026"].pk).update(criteria_met=1)
    assert is_hit(client.get("/xa/xa-ea-kly/"))
    entry_services.results_recompute(round_=results["rounds"][1])
    assert not is_hit(client.get("/xa/xa-ea-kly/"))


def test_explicit_invalidation_empties_the_cache_of_the_pages_concerned(client, results, site):
    client.get("/xa/xa-hoa-thuan/")
    client.get("/xa/xa-ea-kly/")
    client.get("/")
    services.invalidate_public_cache(unit_ids=[site["communes"]["ea_kly"].pk])
    assert not is_hit(client.get("/xa/xa-ea-kly/"))
    assert not is_hit(client.get("/"))
    assert is_hit(client.get("/xa/xa-hoa-thuan/"))
    services.invalidate_public_cache()
    assert not is_hit(client.get("/xa/xa-hoa-thuan/"))


def test_a_renamed_commune_or_round_is_seen_at_once(client, results, site):
    client.get("/xa/xa-ea-kly/")
    unit = site["communes"]["ea_kly"]
    unit.name = "Xã Ea Kly Mới"
    unit.save()
    assert "Xã Ea Kly Mới" in client.get("/xa/xa-ea-kly/").text
    round_ = results["rounds"][1]
    round_.name = "Đánh giá cuối năm 2026"
    round_.save()
    assert "Đánh giá cuối năm 2026" in client.get("/xa/xa-ea-kly/").text


def test_a_page_published_moved_or_restricted_in_code_is_seen_at_once(client, results, site):
    page = CommunePage.objects.get(pk=site["pages"]["hoa_thuan"].pk)
    client.get("/xa/xa-hoa-thuan/")
    page.title = "Xã Hòa Thuận (Krông Pắc)"
    page.save_revision().publish()
    assert "Xã Hòa Thuận (Krông Pắc)" in client.get("/xa/xa-hoa-thuan/").text
    client.get("/xa/xa-ea-kly/")
    PageViewRestriction.objects.create(page=site["pages"]["ea_kly"], restriction_type="login")
    assert client.get("/xa/xa-ea-kly/").status_code == 302
    page.get_latest_revision().publish()
    client.get("/xa/")
    page.unpublish()
    assert client.get("/xa/xa-hoa-thuan/").status_code == 404
    assert "Xã Hòa Thuận (Krông Pắc)" not in client.get("/xa/").text


def test_a_changed_site_is_seen_at_once(client, results, site):
    before = client.get("/", HTTP_HOST="ntm.daklak.example")  # the default site's home
    Site.objects.create(hostname="ntm.daklak.example", port=80, root_page=site["pages"]["hoa_thuan"].get_parent())
    Site.clear_site_root_paths_cache()
    after = client.get("/", HTTP_HOST="ntm.daklak.example")  # now the list of communes
    assert not is_hit(after)
    assert after.content != before.content


def test_logged_in_users_sessions_and_odd_parameters_are_not_cached(client, results, site):
    client.get("/?utm_source=x")
    assert not is_hit(client.get("/?utm_source=x"))
    client.get("/")
    client.force_login(site["office"])
    fresh = client.get("/")
    assert not is_hit(fresh)
    assert "private" in fresh["Cache-Control"] and "no-store" in fresh["Cache-Control"]
    client.get("/xa/")
    assert not is_hit(client.get("/xa/"))
    client.logout()
    assert is_hit(client.get("/"))


def test_previews_are_never_cached(client, results, site):
    page = site["pages"]["hoa_thuan"]
    client.force_login(site["office"])
    data = nested_form_data(
        {
            "title": "Xã Hòa Thuận",
            "slug": page.slug,
            "body": streamfield([("text", rich_text("<p>Bản nháp chưa đăng.</p>"))]),
        }
    )
    assert client.post(f"/admin/pages/{page.pk}/edit/preview/", data).json()["is_valid"]
    preview = client.get(f"/admin/pages/{page.pk}/edit/preview/")
    assert "Bản nháp chưa đăng." in preview.text
    client.logout()
    assert "Bản nháp chưa đăng." not in client.get("/xa/xa-hoa-thuan/").text
    assert "Bản nháp chưa đăng." not in client.get("/xa/xa-hoa-thuan/").text


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
