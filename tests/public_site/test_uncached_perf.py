"""Pages rendered on every request (a visitor with a session, a query parameter the page cache does not key) stay
cheap: Wagtail finds the site, the page and its view restrictions through the site's cached routing (no Site or view
restriction query, one page query at most), and the heavy tables come from fragments cached under the page's tokens
and the published statistics' version, so that every change shows at once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import nested_form_data, streamfield

import pytest

from public_site.models import CriteriaProgressPage
from submissions.review import flow as review
from tests.public_site.test_performance_and_cache import is_hit

#: A query parameter the page cache does not key (public_site.cache.CACHEABLE_PARAMETERS): rendered every time.
UNCACHED = "?nguon=bench"
WAGTAIL_TABLES = ('"wagtailcore_site"', '"wagtailcore_pageviewrestriction"')


def rendered_again(client, url) -> list[str]:
    """The queries of ``url`` rendered a second time (the routing and the fragments in the cache)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    assert not is_hit(response)
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.parametrize(
    "case",
    [
        # the home, the list of communes, the criteria: routing and figures from the cache
        ("/", 0),
        ("/xa/", 0),
        ("/tieu-chi/", 0),
        # the round the criterion belongs to (its communes come from their fragment)
        ("/tieu-chi/2/", 1),
    ],
)
def test_a_province_page_rendered_again_reads_almost_nothing(client, results, case):
    url, bound = case
    queries = rendered_again(client, url + UNCACHED)
    assert len(queries) <= bound, queries
    assert not any(table in query for query in queries for table in WAGTAIL_TABLES)


def test_a_commune_page_rendered_again_is_routed_in_one_query(client, results):
    queries = rendered_again(client, "/xa/xa-hoa-thuan/" + UNCACHED)
    assert not any(table in query for query in queries for table in WAGTAIL_TABLES)
    # the commune page with its unit (the list of communes routes by slug); the home and the list come from the cache
    assert len([query for query in queries if '"wagtailcore_page"' in query]) == 1, queries


def test_a_visitor_with_a_session_gets_the_same_page(client, results, site):
    anonymous = client.get("/tieu-chi/2/").content
    client.force_login(site["office"])
    assert client.get("/tieu-chi/2/").content == anonymous
    assert client.get("/tieu-chi/2/").content == anonymous  # from the fragments now


def test_fragments_follow_a_publication_at_once(client, results, site, django_capture_on_commit_callbacks):
    criterion = client.get("/tieu-chi/2/" + UNCACHED).text
    assert "1/2 xã có kết quả công bố đạt tiêu chí này (50%)" in criterion
    assert "Xã Ea Kly" in criterion
    assert "trên 2 xã có kết quả công bố" in client.get("/" + UNCACHED).text
    assert "Xã Ea Kly" in client.get("/xa/" + UNCACHED).text
    with django_capture_on_commit_callbacks(execute=True):
        review.publish(submissions=[results["ea_kly_2026"]], user=site["office"], published=False)
    criterion = client.get("/tieu-chi/2/" + UNCACHED).text
    assert "1/1 xã có kết quả công bố đạt tiêu chí này (100%)" in criterion
    assert "Xã Ea Kly" not in criterion
    assert "trên 1 xã có kết quả công bố" in client.get("/" + UNCACHED).text


def test_a_renamed_commune_is_seen_at_once_in_the_fragments(client, results, site):
    assert "Xã Ea Kly" in client.get("/tieu-chi/2/" + UNCACHED).text
    unit = site["communes"]["ea_kly"]
    unit.name = "Xã Ea Kly Mới"
    unit.save()
    assert "Xã Ea Kly Mới" in client.get("/tieu-chi/2/" + UNCACHED).text


def test_view_restrictions_apply_through_the_cached_routing(client, results, site):
    assert client.get("/xa/xa-ea-kly/" + UNCACHED).status_code == 200
    assert client.get("/tieu-chi/" + UNCACHED).status_code == 200
    index = site["pages"]["ea_kly"].get_parent()
    restriction = PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/xa/xa-ea-kly/" + UNCACHED).status_code == 302
    assert client.get("/xa/" + UNCACHED).status_code == 302
    # a restricted section is no longer linked from the others
    assert f'href="{index.url}"' not in client.get("/tieu-chi/" + UNCACHED).text
    restriction.delete()
    assert client.get("/xa/xa-ea-kly/" + UNCACHED).status_code == 200
    criteria = site["home"].get_children().type(CriteriaProgressPage).first()
    PageViewRestriction.objects.create(page=site["home"], restriction_type=PageViewRestriction.LOGIN)
    assert client.get(criteria.url + "2/" + UNCACHED).status_code == 302
    assert client.get("/" + UNCACHED).status_code == 302


def test_an_alias_keeps_the_restrictions_of_its_original(client, results, site):
    original = site["home"].get_children().type(CriteriaProgressPage).first()
    alias = original.create_alias(update_slug="tieu-chi-ban-sao")
    assert client.get(alias.url + "2/" + UNCACHED).status_code == 200
    PageViewRestriction.objects.create(page=original, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(alias.url + "2/" + UNCACHED).status_code == 302
    assert client.get(alias.url + "2/" + UNCACHED).status_code == 302  # with the routing built again


def test_a_section_renamed_added_or_deleted_is_routed_at_once(client, results, site):
    criteria = site["home"].get_children().type(CriteriaProgressPage).first().specific
    assert client.get("/tieu-chi/2/" + UNCACHED).status_code == 200
    criteria.slug = "cac-tieu-chi"
    criteria.save_revision().publish()
    assert client.get("/tieu-chi/2/" + UNCACHED).status_code == 404
    assert client.get("/cac-tieu-chi/2/" + UNCACHED).status_code == 200
    # a page added in code (no publication signal) is found by Wagtail itself
    added = site["home"].add_child(instance=CriteriaProgressPage(title="Tiêu chí (bản 2)", slug="tieu-chi-2"))
    assert client.get("/tieu-chi-2/" + UNCACHED).status_code == 200
    added.delete()
    criteria.delete()
    assert client.get("/cac-tieu-chi/" + UNCACHED).status_code == 404
    assert client.get("/tieu-chi-2/" + UNCACHED).status_code == 404


def test_a_preview_is_rendered_without_fragments(client, results, site):
    page = site["pages"]["hoa_thuan"]
    client.get(page.url + UNCACHED)
    client.force_login(site["office"])
    data = nested_form_data({"title": "Xã Hòa Thuận", "slug": page.slug, "body": streamfield([])})
    assert client.post(f"/admin/pages/{page.pk}/edit/preview/", data).json()["is_valid"]
    preview = client.get(f"/admin/pages/{page.pk}/edit/preview/")
    assert preview.status_code == 200
    assert preview.context["fragment_version"] is None
    assert client.get(page.url + UNCACHED).context["fragment_version"] is not None
