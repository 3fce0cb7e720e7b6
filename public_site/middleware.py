"""The public pages' cache, answered before Wagtail's routing (:mod:`public_site.cache`).

Placed after the security, Content-Security-Policy, session and language middleware: a page from the cache goes
back through them, so it carries the same security headers, policy and ``Content-Language`` as a fresh one. The
headers the inner middleware gave the fresh page (``X-Frame-Options``, ``Content-Length``, ``Cache-Control``) are
stored with it; ``Vary: Cookie``, which the session middleware adds to a fresh page (it read the session to know the
visitor is anonymous), it adds to a cached one too.

A hit costs one cache round trip and no database query. A miss lets the request through; the public page that
answers (:class:`public_site.models.PublicPageMixin`) says which version tokens it depends on, and the response is
stored here if it is a plain 200 without cookies.

Every request for a page (a miss, and one that is never cached: a visitor with a session, an unkeyed query
parameter) makes the same round trip, which brings the site's routing (:class:`public_site.models.SiteRouting`)
when it is current: Wagtail then finds the site and routes to the page without the Site and page queries. A request
that came without it builds it on the way (the site's home page does) for the next ones.
"""

from django.conf import settings
from django.utils.translation import get_language

from . import cache as page_cache

#: Paths that are never public pages: no cache round trip for them.
NOT_PAGES = ("/admin/", "/api/", "/documents/", "/healthz/", "/i18n/", "/static/", "/media/")


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped = tuple({*NOT_PAGES, settings.STATIC_URL, settings.MEDIA_URL})

    def __call__(self, request):
        if request.path_info.startswith(self.skipped):
            return self.get_response(request)
        use = page_cache.may_use(request)
        lookup = page_cache.lookup(request, get_language(), page=use)
        cached = lookup.response() if use else None
        if cached is not None:
            session = getattr(request, "session", None)
            if session is not None:
                # a fresh page read the (empty) session to know the visitor is anonymous; so did this answer
                session.accessed = True
            return cached
        request.public_page_cache = lookup
        if lookup.routing is not None:
            lookup.routing.prepare(request)
        response = self.get_response(request)
        tokens = getattr(response, "public_page_tokens", None)
        if use and tokens and response.status_code == 200 and not response.streaming and not response.cookies:
            page_cache.store(lookup.key, response, tokens)
        return response
