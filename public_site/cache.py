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
"""

import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

#: How long a rendered page is kept (seconds); PUBLIC_SITE_CACHE_TIMEOUT in settings overrides it.
DEFAULT_TIMEOUT = 300
PREFIX = "public_site"
ALL_KEY = f"{PREFIX}:v:all"
AGGREGATE_KEY = f"{PREFIX}:v:aggregate"
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


@dataclass
class Lookup:
    """What one round trip found: the entry (or ``None``) and the current tokens."""

    key: str
    entry: dict | None
    tokens: dict[str, str]

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


def lookup(request, language: str) -> Lookup:
    key = entry_key(request, language)
    token_keys = (ALL_KEY, AGGREGATE_KEY, path_key(request.path_info))
    found = cache.get_many((key, *token_keys))
    return Lookup(key=key, entry=found.get(key), tokens={name: found[name] for name in token_keys if name in found})


def tokens_for(lookup_: Lookup, names: tuple[str, ...]) -> dict[str, str]:
    """The tokens ``names`` as they were before the page was rendered; those missing are created now."""
    tokens = {name: lookup_.tokens[name] for name in names if name in lookup_.tokens}
    for name in names:
        if name not in tokens:
            token = _new_token()
            # somebody else created it meanwhile: theirs is the current one
            tokens[name] = token if cache.add(name, token, timeout=None) else (cache.get(name) or token)
    return tokens


def store(key: str, response, tokens: dict[str, str]) -> None:
    headers = [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS]
    cache.set(key, {"content": response.content, "headers": headers, "tokens": tokens}, timeout())
