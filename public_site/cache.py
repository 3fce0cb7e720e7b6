"""Whole-page caching of the public pages, answered before Wagtail's routing, with O(1) invalidation.

A cached page is found without routing and without the database (:class:`public_site.middleware.PublicPageCache`):
its entry's key is what the request asked for (scheme, host, language, path and query), and one cache round trip
reads the entry together with the version tokens it may depend on:

- ``ALL_KEY``, for everything (a Wagtail page published, moved or deleted; a site or a unit list changed);
- ``AGGREGATE_KEY``, for the province-wide pages (home, list of communes, criteria, search);
- one token per path (``path_key``), for a commune's page: publishing or withdrawing a commune's result, or renaming
  the commune, replaces the token of the paths its page is served at (:func:`bump`).

Invalidating replaces a token with a new random one. An entry keeps the tokens that were current when its page
started rendering: an entry whose tokens differ from the current ones (or whose token was evicted) is never served,
so a page rendered while a publish committed cannot outlive it.

A page that is rendered (a miss, a visitor with a session, a query parameter the cache does not key) uses the same
round trip: it brings the site's routing (:func:`routing_key`, kept under ``ALL_KEY``: the Site for the host, its home
page and the home's children, the view restrictions), so Wagtail finds the page without the Site and page queries,
and the tokens that key the page's cached fragments (:func:`fragment_version`: the heavy tables, rendered once per
change of what they show, with the published statistics' version, ``STATISTICS_KEY``).
"""

import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.http.request import split_domain_port

from submissions.reports.statistics.cache import PUBLISHED_VERSION_KEY

#: How long a rendered page is kept (seconds); PUBLIC_SITE_CACHE_TIMEOUT in settings overrides it.
DEFAULT_TIMEOUT = 300
PREFIX = "public_site"
ALL_KEY = f"{PREFIX}:v:all"
AGGREGATE_KEY = f"{PREFIX}:v:aggregate"
#: The published statistics' version (:mod:`submissions.reports.statistics.cache`): replaced when any published
#: number may change. Fragments depend on it as well as on the page's own tokens.
STATISTICS_KEY = PUBLISHED_VERSION_KEY
#: Query parameters a cached page may have (anything else is rendered fresh, so keys stay bounded).
CACHEABLE_PARAMETERS = {"q"}
#: Marks a response served from the cache (tests and operators read it).
HIT_HEADER = "X-Public-Cache"
#: Headers never stored with a page (each response gets its own).
UNSTORED_HEADERS = {"set-cookie", HIT_HEADER.lower()}


#: How long a shared cache in front (Varnish, a CDN) may keep a public page (``s-maxage``, seconds); it is purged
#: on publish. FRONTEND_CACHE_MAX_AGE in settings overrides it.
DEFAULT_SHARED_MAX_AGE = 60


def timeout() -> int:
    return int(getattr(settings, "PUBLIC_SITE_CACHE_TIMEOUT", DEFAULT_TIMEOUT))


def shared_max_age() -> int:
    return int(getattr(settings, "FRONTEND_CACHE_MAX_AGE", DEFAULT_SHARED_MAX_AGE))


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def path_key(path: str) -> str:
    """The version token of the page served at ``path`` (on any site)."""
    return f"{PREFIX}:v:path:{_hash(path)}"


def _new_token() -> str:
    return uuid.uuid4().hex[:12]


def bump(*, paths=None) -> None:
    """Make cached pages stale: all of them, or the province-wide ones and the pages served at ``paths``."""
    if paths is None:
        cache.set(ALL_KEY, _new_token(), timeout=None)
        return
    cache.set_many({AGGREGATE_KEY: _new_token(), **{path_key(path): _new_token() for path in paths}}, timeout=None)


def may_use(request) -> bool:
    """May this request be answered from (or fill) the cache? Anonymous GETs without a session, with only the
    allowed query parameters. Decided before any middleware loaded the user: a visitor who carries a
    session cookie (logged in, or on their way to) always gets a fresh page."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and set(request.GET) <= CACHEABLE_PARAMETERS
    )


def cacheable(request) -> bool:
    """Anonymous GETs without unexpected parameters, never a preview (editors always see a fresh page)."""
    user = getattr(request, "user", None)
    return (
        may_use(request)
        and not getattr(request, "is_preview", False)
        and not (user is not None and user.is_authenticated)
    )


def entry_key(request, language: str) -> str:
    where = f"{request.scheme}://{request.get_host().lower()}|{language}|{request.get_full_path()}"
    return f"{PREFIX}:page:{_hash(where)}"


def routing_key(request) -> str:
    """Where the routing of the site answering this host and port is kept (as Wagtail finds the site: by the raw
    host name and the port, ``wagtail.models.Site.find_for_request``)."""
    hostname = split_domain_port(request._get_raw_host())[0]
    return f"{PREFIX}:site:{_hash(f'{hostname.lower()}:{request.get_port()}')}"


@dataclass
class Lookup:
    """What one round trip found: the page's entry (or ``None``), the current tokens and the site's routing if it
    is still current (or ``None``)."""

    key: str | None
    entry: dict | None
    tokens: dict[str, str]
    routing_key: str | None = None
    routing: object | None = None  # a public_site.models.SiteRouting

    def response(self) -> HttpResponse | None:
        """The cached page, if its tokens are still the current ones."""
        entry = self.entry
        if entry is None or any(self.tokens.get(name) != token for name, token in entry["tokens"].items()):
            return None
        response = HttpResponse(entry["content"], status=200)
        for name, value in entry["headers"]:
            response.headers[name] = value
        response[HIT_HEADER] = "hit"
        return response


def lookup(request, language: str, *, page: bool = True) -> Lookup:
    """One round trip: the page's entry (``page``: the request may be answered from the cache), the tokens and the
    site's routing."""
    key = entry_key(request, language) if page else None
    site = routing_key(request)
    token_keys = (ALL_KEY, AGGREGATE_KEY, path_key(request.path_info), STATISTICS_KEY)
    found = cache.get_many([name for name in (key, site, *token_keys) if name is not None])
    tokens = {name: found[name] for name in token_keys if name in found}
    routing = found.get(site)
    current = routing is not None and ALL_KEY in tokens and routing[0] == tokens[ALL_KEY]
    return Lookup(
        key=key,
        entry=found.get(key) if key else None,
        tokens=tokens,
        routing_key=site,
        routing=routing[1] if current else None,
    )


def tokens_for(lookup_: Lookup, names: tuple[str, ...]) -> dict[str, str]:
    """The tokens ``names`` as they were before the page was rendered; those missing are created now."""
    tokens = {name: lookup_.tokens[name] for name in names if name in lookup_.tokens}
    for name in names:
        if name not in tokens:
            token = _new_token()
            # somebody else created it meanwhile: theirs is the current one
            tokens[name] = token if cache.add(name, token, timeout=None) else (cache.get(name) or token)
    return tokens


def fragment_version(lookup_: Lookup, names: tuple[str, ...]) -> str:
    """What keys a page's cached fragments (``{% cache ... fragment_version %}``): the tokens ``names`` the page
    depends on and the published statistics' version, as they were before the page was rendered. Any change that
    makes the page stale gives its fragments a new key."""
    tokens = tokens_for(lookup_, (*names, STATISTICS_KEY))
    return ".".join(tokens[name] for name in sorted(tokens))


def routing_store(lookup_: Lookup, routing) -> None:
    """Keep a site's routing under the token for everything as it was before it was read."""
    token = tokens_for(lookup_, (ALL_KEY,))[ALL_KEY]
    cache.set(lookup_.routing_key, (token, routing), timeout())


def store(key: str, response, tokens: dict[str, str]) -> None:
    headers = [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS]
    cache.set(key, {"content": response.content, "headers": headers, "tokens": tokens}, timeout())
