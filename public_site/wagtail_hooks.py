"""Admin hooks of the public site: creating or deleting a page empties the page cache (publishing, unpublishing and
moving do too, through Wagtail's signals: public_site.invalidation); a home
page published with a province brings its site's permissions up to date; the page chooser offers only the user's
own province's pages (and pages of no province, like the national sets)."""

from wagtail import hooks

from . import access, services
from .models import HomePage


def _invalidate(request, page, *args, **kwargs):
    services.invalidate_public_cache()


# Publishing, unpublishing and moving (in the admin or in code) are Wagtail signals (public_site.apps).
for _hook in ("after_create_page", "after_delete_page"):
    hooks.register(_hook, _invalidate)


@hooks.register("after_publish_page")
def province_follows(request, page):
    """A home page published with a province (set by a superuser): its site's permissions and pages follow."""
    if isinstance(page.specific_deferred, HomePage) and page.specific_deferred.province_id is not None:
        services.province_site_refresh(home=page)


@hooks.register("construct_page_chooser_queryset")
def own_provinces_only(pages, request):
    hidden = access.other_provinces_pages_q(request.user)
    return pages if hidden is None else pages.exclude(hidden)
