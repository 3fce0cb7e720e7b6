"""Whole-page caching of the public pages, with O(1) invalidation by versioned keys.

A page's key holds three things that change when what it shows changes:

- version tokens kept in the cache: one for everything, one for the province-wide pages (home,
  criteria, search), one per commune. Invalidating replaces a token with a new random one, so every
  key built from the old token is simply never read again (it expires on its own); a token that was
  evicted is replaced by a new one too, so an old entry can never come back;
- a publication stamp read from the database (count and latest time of published results), so the
  pages are right as soon as a result is published or withdrawn, even if nobody calls
  :func:`bump`;
- the site that answered (one per province, by host name), the page itself: its id, its last publication
  in Wagtail, the language and the path.
"""

import hashlib
import uuid

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


def timeout() -> int:
    return int(getattr(settings, "PUBLIC_SITE_CACHE_TIMEOUT", DEFAULT_TIMEOUT))


def unit_key(unit_id: int) -> str:
    return f"{PREFIX}:v:unit:{unit_id}"


def _new_token() -> str:
    return uuid.uuid4().hex[:12]


def tokens(*keys: str) -> list[str]:
    """The current version token of each key (created if missing), in one cache round trip."""
    found = cache.get_many(keys)
    missing = {key: _new_token() for key in keys if key not in found}
    for key, token in missing.items():
        if not cache.add(key, token, timeout=None):  # somebody else created it meanwhile: use theirs
            missing[key] = cache.get(key) or token
    return [found.get(key) or missing[key] for key in keys]


def bump(*, unit_ids=None) -> None:
    """Make cached pages stale: all of them, or the province-wide ones and those of the given communes."""
    if unit_ids is None:
        cache.set(ALL_KEY, _new_token(), timeout=None)
        return
    cache.set_many({AGGREGATE_KEY: _new_token(), **{unit_key(pk): _new_token() for pk in unit_ids}}, timeout=None)


def cacheable(request) -> bool:
    """Anonymous GETs without unexpected parameters (editors always see a fresh page)."""
    user = getattr(request, "user", None)
    return (
        request.method == "GET"
        and not getattr(request, "is_preview", False)
        and not (user is not None and user.is_authenticated)
        and set(request.GET) <= CACHEABLE_PARAMETERS
    )


def page_key(page, request, *, site, scope_key: str, stamp: str) -> str:
    """``site`` is the Wagtail Site that answered (one per province, by host name): two sites never share a
    cached page, even one whose root both reach."""
    all_token, scope_token = tokens(ALL_KEY, scope_key)
    published = page.last_published_at.timestamp() if page.last_published_at else 0
    where = hashlib.sha256(request.get_full_path().encode("utf-8")).hexdigest()[:24]
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    site_id = site.pk if site is not None else 0
    return f"{PREFIX}:page:{all_token}:{scope_token}:{stamp}:{site_id}:{page.pk}:{published:.6f}:{language}:{where}"


def get(key: str) -> HttpResponse | None:
    stored = cache.get(key)
    if stored is None:
        return None
    response = HttpResponse(stored["content"], content_type=stored["content_type"])
    response["X-Public-Cache"] = "hit"
    return response


def put(key: str, response) -> None:
    if response.status_code != 200 or response.streaming:
        return
    if hasattr(response, "render"):
        response.render()
    cache.set(key, {"content": response.content, "content_type": response["Content-Type"]}, timeout())
