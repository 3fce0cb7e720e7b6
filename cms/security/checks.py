"""Deployment checks (``manage.py check --deploy``) of what the login and API hardening relies on."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

#: Cache backends that keep their data inside one process.
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, deploy=True)
def shared_cache_check(app_configs=None, **kwargs):
    """The anonymous API throttle counts in the default cache: a per-process cache gives every server process
    (and gunicorn worker) its own count, multiplying the allowed rate."""
    if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
        return [
            Warning(
                "The default cache is per process, so the API throttle counts per process.",
                hint="Set REDIS_URL (see .env.example) so every server process shares one cache.",
                id="cms.security.W001",
            )
        ]
    return []
