from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

# Several app servers share one cache: the public pages and their version tokens (public_site.cache), the API's
# throttles, Wagtail's caches and the sessions. A per-process memory cache would serve pages another server made
# stale and count throttles per worker, so production refuses to start without Redis.
if not os.environ.get("REDIS_URL"):  # noqa: F405
    raise ImproperlyConfigured("REDIS_URL must be set in production (e.g. redis://127.0.0.1:6379/0).")
# Sessions are read from Redis and written through to the database (a Redis restart logs nobody out).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# JSON log lines unless LOG_FORMAT says otherwise (cms.logging).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")  # noqa: F405
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "true") == "true"  # noqa: F405
# Load balancers probe app servers over plain HTTP, without X-Forwarded-Proto: /healthz/ answers them directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz/"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview shows the page in a same-origin iframe, so DENY would break editing.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# Links in Wagtail's own e-mails follow the site's public address (required: check cms.people.E001), never the
# development default 127.0.0.1.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or PUBLIC_BASE_URL  # noqa: F405
