"""Settings shared by every environment.

Safe for production by default: DEBUG is off, the secret key and the allowed hosts come from the
environment. ``dev`` and ``test`` loosen this; ``production`` tightens transport security.
"""

import datetime
import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from cms.logging import logging_config
from cms.storage import storages_setting

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms.audit",
    "cms.directory",
    "cms.outbox",
    "cms.people",
    "cms.security",
    "cms.maintenance",
    "criteria_pages",
    "submissions",
    "public_site",
    "wagtail_modeladmin",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "health_check",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: a request id for every log line, and one log line per response (cms.logging).
    "cms.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.LanguageMiddleware",
    # Control characters in paths, headers and query strings; oversized API bodies (after the language: its
    # refusals are translated).
    "cms.middleware.RequestInputMiddleware",
    # Cached public pages, answered before routing, the user and the database (after the headers and the language
    # above, which a cached page gets like a fresh one).
    "public_site.middleware.PublicPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cms.security.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# Database: DATABASE_URL selects it (postgres://postgres@127.0.0.1:5432/ntm); SQLite by default.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The server and the task worker write to one file: wait for a lock rather than fail at once (timeout, in
    # seconds), take the write lock when a transaction starts (IMMEDIATE: no upgrade deadlock between a reader
    # turned writer and another writer), and let readers go on while one writes (WAL, kept in the file).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/dang-nhap/"
# After login, each person to their work (submissions.work: forms, review queue or the admin; several: a choice).
LOGIN_REDIRECT_URL = "/cong-viec/"
LOGOUT_REDIRECT_URL = "/"
# django-axes' lockout check runs before the password is checked; Django's backend then refuses the accounts of
# integrators' API tokens (cms.security.backends).
AUTHENTICATION_BACKENDS = [
    "cms.security.backends.LoginLockoutBackend",
    "cms.security.backends.PeopleBackend",
]

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# cms/locale: the English catalogue of the product's Vietnamese source strings (``make messages`` writes it, so it
# stays first: makemessages writes into the first entry). cms/locale_overrides: the Vietnamese that Wagtail,
# wagtail-modeladmin and Django leave untranslated, edited by hand. Both beat the packages' own catalogues.
LOCALE_PATHS = [PROJECT_DIR / "locale", PROJECT_DIR / "locale_overrides"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["cms.formats"]
USE_I18N = True
USE_TZ = True

STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
# Project-wide static files that belong to no app (e.g. the API schema viewer's stylesheet).
STATICFILES_DIRS = [PROJECT_DIR / "static"]
# Files (cms.storage): on the local disk by default; with STORAGE_BACKEND=s3, in one private S3-compatible bucket
# (S3_ENDPOINT_URL, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION), media under media/ and private
# files under private/. Always through Django's storage API: "default" (Wagtail's media) and "private".
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Private files (evidence, uploaded imports) live outside MEDIA_ROOT and are never served directly.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local") or "local"
STORAGES = {
    **storages_setting(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Documents are streamed by Wagtail's serve view after its privacy check, never redirected to the storage.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Public pages (public_site.cache): kept whole in the cache above and answered before routing for
# PUBLIC_SITE_CACHE_TIMEOUT seconds (made stale at once by every publish). A front cache (Varnish, docs/varnish) may
# keep them FRONTEND_CACHE_MAX_AGE seconds (s-maxage); FRONTEND_CACHE_URL (e.g. http://127.0.0.1:6081) is where
# Wagtail sends its HTTP PURGEs on publish. Unset: no front cache. A CDN: set WAGTAILFRONTENDCACHE in production.py.
PUBLIC_SITE_CACHE_TIMEOUT = int(os.environ.get("PUBLIC_SITE_CACHE_TIMEOUT", "300"))
FRONTEND_CACHE_MAX_AGE = int(os.environ.get("FRONTEND_CACHE_MAX_AGE", "60"))
FRONTEND_CACHE_URL = os.environ.get("FRONTEND_CACHE_URL", "")
WAGTAILFRONTENDCACHE = (
    {"varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": FRONTEND_CACHE_URL}}
    if FRONTEND_CACHE_URL
    else {}
)

# Background tasks (django-tasks, the framework Wagtail 8 uses for its own): a queue in the database
# (django-tasks-db), worked by `manage.py db_worker` (``make run`` starts one beside the server). Tests run tasks at
# once (cms.settings.test).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The outbox (cms.outbox): a failed e-mail is tried again after these minutes, then marked failed; a notice
# being sent is another run's to take over only after the lease; sent notices are kept this many days.
OUTBOX_RETRY_MINUTES = [int(m) for m in env_list("OUTBOX_RETRY_MINUTES", "1,5,30,120,720")]
OUTBOX_SENDING_LEASE_SECONDS = int(os.environ.get("OUTBOX_SENDING_LEASE_SECONDS", "300"))
OUTBOX_KEEP_DAYS = int(os.environ.get("OUTBOX_KEEP_DAYS", "90"))
# The task worker (manage.py run_worker) beats every WORKER_HEARTBEAT_SECONDS; one silent for
# WORKER_DEAD_AFTER_SECONDS is gone and its running tasks are queued again.
WORKER_HEARTBEAT_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "10"))
WORKER_DEAD_AFTER_SECONDS = int(os.environ.get("WORKER_DEAD_AFTER_SECONDS", "60"))
# Daily reminders (manage.py send_reminders): communes whose round closes within REMINDER_DUE_DAYS days.
REMINDER_DUE_DAYS = int(os.environ.get("REMINDER_DUE_DAYS", "3"))
# The public consultation before recognition (submissions.consultation): a comment's longest text; at most
# CONSULTATION_COMMENTS_PER_ADDRESS comments from one address (counted in the database by a keyed hash of the
# address, exact across servers) within CONSULTATION_COMMENT_WINDOW_MINUTES, and CONSULTATION_COMMENTS_PER_DAY per
# consultation per day; names and contacts erased after CONSULTATION_CONTACT_RETENTION_DAYS
# (`manage.py erase_consultation_contacts`).
CONSULTATION_COMMENT_MAX_LENGTH = int(os.environ.get("CONSULTATION_COMMENT_MAX_LENGTH", "2000"))
CONSULTATION_COMMENTS_PER_ADDRESS = int(os.environ.get("CONSULTATION_COMMENTS_PER_ADDRESS", "5"))
CONSULTATION_COMMENT_WINDOW_MINUTES = int(os.environ.get("CONSULTATION_COMMENT_WINDOW_MINUTES", "60"))
CONSULTATION_COMMENTS_PER_DAY = int(os.environ.get("CONSULTATION_COMMENTS_PER_DAY", "500"))
CONSULTATION_CONTACT_RETENTION_DAYS = int(os.environ.get("CONSULTATION_CONTACT_RETENTION_DAYS", "180"))
# The residents' satisfaction survey (submissions.consultation.survey): at most SURVEY_ANSWERS_PER_ADDRESS online
# answers from one address (keyed hash, counted in the database) within SURVEY_ANSWER_WINDOW_MINUTES; generous, since
# a whole commune may share one mobile network address.
SURVEY_ANSWERS_PER_ADDRESS = int(os.environ.get("SURVEY_ANSWERS_PER_ADDRESS", "20"))
SURVEY_ANSWER_WINDOW_MINUTES = int(os.environ.get("SURVEY_ANSWER_WINDOW_MINUTES", "60"))

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Evidence files: size limit per file (20 MB by default).
EVIDENCE_MAX_UPLOAD_SIZE = int(os.environ.get("EVIDENCE_MAX_UPLOAD_SIZE", str(20 * 1024 * 1024)))
# Background exports: files (and their jobs) are removed by `manage.py prune_exports` after this many days;
# a round-wide export covering more units than EXPORT_SYNC_MAX_UNITS runs only in the background.
EXPORT_RETENTION_DAYS = int(os.environ.get("EXPORT_RETENTION_DAYS", "7"))
EXPORT_SYNC_MAX_UNITS = int(os.environ.get("EXPORT_SYNC_MAX_UNITS", "500"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A request's fields and JSON, held in memory (files are streamed, not counted): the commune's whole form with
# every note full, in Vietnamese and percent-encoded, stays under 3 MB. Larger API bodies get a JSON 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded unit lists (CSV/XLSX) may be a few MB.
UNIT_IMPORT_MAX_UPLOAD_SIZE = int(os.environ.get("UNIT_IMPORT_MAX_UPLOAD_SIZE", str(10 * 1024 * 1024)))

WAGTAIL_SITE_NAME = "Nông thôn mới"
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Links in e-mails to people (invitations, password resets): the site's public address, e.g.
# https://ntm.example.gov.vn. Unset, a link is built from the request's own host (the command import_people then
# refuses to send), and `check --deploy` reports it: production never falls back to a local address.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "xlsx"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

REST_FRAMEWORK = {
    # Integrators' tokens first (its header makes a refused call a 401), then the session of a logged-in person.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cms.security.authentication.IntegratorTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cms.api.exception_handler",
    # Bodies with control characters or JSON nested too deep are refused; an unknown ?format= is a JSON 404.
    "DEFAULT_PARSER_CLASSES": ["cms.parsers.JSONParser", "cms.parsers.FormParser", "cms.parsers.MultiPartParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "cms.parsers.ContentNegotiation",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "cms.security.authentication.IntegratorTokenThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_THROTTLE", "120/minute")},
    "COERCE_DECIMAL_TO_STRING": False,
}

# --- Login and token hardening (cms.security) ---------------------------------------------------------------
# The client address: with N trusted reverse proxies in front, the N-th X-Forwarded-For entry from the right;
# with none (the default) X-Forwarded-For is ignored and REMOTE_ADDR is the address. The login lockout
# (cms.security.client_ip) and DRF's throttles (NUM_PROXIES) follow the same rule.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
# Calls made with one integrator's API token (cms.security.authentication.IntegratorTokenThrottle), per token.
API_TOKEN_THROTTLE = os.environ.get("API_TOKEN_THROTTLE", "600/minute")
# django-axes: after LOGIN_FAILURE_LIMIT failed logins of one account from one address, that account is locked
# from that address (other addresses still log in) for LOGIN_LOCKOUT_MINUTES (0: until the office unlocks it).
# Attempts are counted in the database, so every server process shares them.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "60"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES) if LOGIN_LOCKOUT_MINUTES > 0 else None
# Attempts refused during a lock are not counted (the lock ends on time; its audit entry is written once).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "cms.security.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not logged one by one (the audit trail records locks)
AXES_ENABLE_ADMIN = False  # the office unlocks in Wagtail's admin (Tài khoản bị khóa); Django's admin is not served
# Two-factor authentication (django-otp, TOTP) for office editors and superusers; dev and test switch it off.
REQUIRE_TWO_FACTOR_FOR_STAFF = os.environ.get("REQUIRE_TWO_FACTOR_FOR_STAFF", "true") == "true"
OTP_TOTP_ISSUER = "NTM"
SPECTACULAR_SETTINGS = {
    "TITLE": "NTM criteria portal API",
    "DESCRIPTION": "Published New Rural Development (Nông thôn mới) data: units, criteria sets, rounds.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["cms.api.only_public_api_endpoints"],
    # The schema viewer's assets are served from our own static files (drf-spectacular-sidecar), not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Content-Security-Policy (django-csp 4) on every response. Everything comes from this site: no inline
# script or style, no eval, no third party. The public pages are cached whole, so they carry no nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The commune form's service worker and web app manifest (submissions.entry.offline).
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Additions per path prefix (cms.csp.ContentSecurityPolicyMiddleware; the longest matching prefix applies), for
# third-party screens we do not write. They never add 'unsafe-eval'.
CONTENT_SECURITY_POLICY_BY_PATH = {
    # Wagtail 8's admin still writes inline <script> (page listings, inline panels, date pickers) and its
    # editor's bundle inserts <style> elements; uploads preview from blob: URLs.
    "/admin/": {"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE], "img-src": ["blob:"]},
    # DRF's browsable API (the HTML view of /api/…) has a <style> block and style attributes; its scripts are files.
    "/api/": {"style-src": [UNSAFE_INLINE]},
    # The schema viewer needs nothing more (templates/api/schema_ui.html).
    "/api/v1/schema/": {},
}
# Avatars from gravatar.com would add a third party to the admin's policy (and tell it who edits).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The SMTP server (the office's readiness checklist warns while it is this machine's own, "localhost").
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false") == "true"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ntm@localhost")

# Logs on stdout: plain text here, one JSON object per line in production (cms.logging); LOG_FORMAT chooses.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)

# /healthz/ (cms.health) reports the task queue as failing when more than HEALTHZ_TASK_LIMIT tasks have been ready
# to run for HEALTHZ_TASK_MAX_AGE_MINUTES without a worker taking them.
HEALTHZ_TASK_MAX_AGE_MINUTES = int(os.environ.get("HEALTHZ_TASK_MAX_AGE_MINUTES", "15"))
HEALTHZ_TASK_LIMIT = int(os.environ.get("HEALTHZ_TASK_LIMIT", "0"))
