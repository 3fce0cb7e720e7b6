import tempfile

from .base import *  # noqa: F403

# Uploaded files of the test run go to throw-away folders, never into the project.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ntm-test-media-"))  # noqa: F405
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ntm-test-private-"))  # noqa: F405

SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# ENQUEUE_ON_COMMIT (read by cms.outbox): the test's transaction never commits, so e-mails are delivered in place.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
        "ENQUEUE_ON_COMMIT": False,
    }
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "10000/minute"}  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
# Static files are served by runserver / not needed; WhiteNoise is for production (after collectstatic).
MIDDLEWARE = [entry for entry in MIDDLEWARE if not entry.startswith("whitenoise.")]  # noqa: F405
# Two-factor authentication is switched on by the tests that exercise it.
REQUIRE_TWO_FACTOR_FOR_STAFF = False
