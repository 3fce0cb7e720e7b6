from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")  # noqa: F405
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Static files are served by runserver / not needed; WhiteNoise is for production (after collectstatic).
MIDDLEWARE = [entry for entry in MIDDLEWARE if not entry.startswith("whitenoise.")]  # noqa: F405
# Two-factor authentication stays available (Xác thực hai bước) but is not required on a developer's machine.
REQUIRE_TWO_FACTOR_FOR_STAFF = os.environ.get("REQUIRE_TWO_FACTOR_FOR_STAFF", "false") == "true"  # noqa: F405
# runserver answers each request in a thread of its own: a kept connection per thread exhausted a shared PostgreSQL
# under load (issue 17). Each request opens and closes its connection.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
