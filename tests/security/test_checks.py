"""``check --deploy`` warns when the API throttle would count per server process."""

from cms.security.checks import shared_cache_check


def test_a_per_process_cache_is_a_deployment_warning(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [warning.id for warning in shared_cache_check()] == ["cms.security.W001"]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}
    }
    assert shared_cache_check() == []
