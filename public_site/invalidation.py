"""What a change makes stale, and telling the caches: the pre-routing page cache (:mod:`public_site.cache`) and
the front cache (Varnish or a CDN, through Wagtail's frontend-cache backends, ``WAGTAILFRONTENDCACHE``).

Every path that changes what a public page shows ends here: the page cache's tokens are replaced at once and
again after the transaction commits (so a page rendered from the old data cannot outlive the change), the front
cache is purged after the commit:

- a result published or withdrawn, or the results recomputed (``submissions.signals.results_changed``), or a
  published result saved: the commune's page (and the pages of the communes formed from it), the province-wide
  pages; the front cache is purged of the commune's page, the home and search, the list of communes and the
  criteria pages of the sites concerned;
- a Wagtail page published, unpublished, moved, created or deleted; a site, a unit, a round or a view restriction
  saved; a unit list imported: every cached page (Wagtail purges the front cache of a published page itself).
"""

from django.db import transaction
from django.db.models import Q

from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends
from wagtail.models import Site

from cms.directory.access import province_of
from cms.directory.models import Unit, UnitSuccession

from . import cache as page_cache
from .models import CommuneIndexPage, CommunePage, CriteriaProgressPage, HomePage


def affected_units(unit_ids) -> set[int]:
    """The units and those formed from them (a commune's page shows its predecessors' results too)."""
    ids = set(unit_ids)
    return ids | set(UnitSuccession.objects.filter(predecessor_id__in=ids).values_list("successor_id", flat=True))


def served_paths(pages) -> set[str]:
    """The paths ``pages`` are served at, on every site that reaches them."""
    if not pages:
        return set()
    roots = set(Site.objects.values_list("root_page__url_path", flat=True))  # one query, never a cached one
    return {page.url_path[len(root) - 1 :] for page in pages for root in roots if page.url_path.startswith(root)}


def _commune_pages(unit_ids: set[int]) -> list[CommunePage]:
    return list(CommunePage.objects.filter(unit_id__in=unit_ids).only("pk", "url_path", "unit_id", "path", "depth"))


def _sections_of(unit_ids: set[int]) -> list:
    """The province-wide pages that show these units: under the home of their province and any home of none."""
    codes = {province_of(unit) for unit in Unit.objects.filter(pk__in=unit_ids).only("path")}
    within = Q(province__isnull=True)
    for code in codes:
        within |= Q(province__path__startswith=f"{code}/")
    homes = list(HomePage.objects.filter(within).live())
    sections = []
    for home in homes:
        sections += CommuneIndexPage.objects.child_of(home).live()
        sections += CriteriaProgressPage.objects.child_of(home).live()
    return homes + sections


def front_cache_purge(unit_ids: set[int], pages: list[CommunePage]) -> None:
    """Purge the front cache of what a change of these communes' results shows (a task: the queue sends it).
    Nothing without a front cache (``WAGTAILFRONTENDCACHE`` empty)."""
    if not get_backends():
        return
    batch = PurgeBatch()
    batch.add_pages(pages)
    batch.add_pages(_sections_of(unit_ids))
    batch.purge()


def units_changed(unit_ids, *, purge: bool = True) -> None:
    """The pages of these communes' results are stale, in the page cache and (``purge``) the front cache."""
    units = affected_units(unit_ids)
    pages = _commune_pages(units)
    page_cache.bump(paths=served_paths(pages))
    if purge:
        front_cache_purge(units, pages)


def after_commit_units_changed(unit_ids) -> None:
    """Now (a page being rendered from the data before the change is not stored for long) and again after the
    commit, with the front cache's purge (a page rendered before the commit is never served)."""
    unit_ids = list(unit_ids)
    units_changed(unit_ids, purge=False)
    transaction.on_commit(lambda: units_changed(unit_ids))


def after_commit_everything_changed() -> None:
    page_cache.bump()
    transaction.on_commit(page_cache.bump)


# --- receivers (connected in apps.py) ------------------------------------------------------------------------


def on_results_changed(sender, *, unit_ids=None, **kwargs) -> None:
    if unit_ids is None:
        after_commit_everything_changed()
    else:
        after_commit_units_changed(unit_ids)


def on_submission_saved(sender, instance, **kwargs) -> None:
    """A published result saved through the model (the admin, a script): its commune's pages."""
    if instance.published:
        after_commit_units_changed([instance.unit_id])


def on_anything_changed(sender, **kwargs) -> None:
    after_commit_everything_changed()
