"""Logs: one JSON object per line on stdout in production (``LOG_FORMAT=json``), plain lines in development.

Every line carries the time, the level, the logger and the message; while a request is being served, also its
request id (the ``X-Request-ID`` the front proxy sent, or a new one, returned in the response), so the lines of
one request can be found together. :class:`RequestLogMiddleware` writes one line per request (``cms.request``)
with its method, path, route, status, duration and the id of the signed-in user — never a name or an e-mail
address, and the secret parts of a path (activation and password-reset tokens) are masked.

A formatter of our own rather than a library (python-json-logger, structlog): it is forty lines, the fields are
the ones we choose, and there is nothing more to pin and follow.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

from django.utils.functional import empty

REQUEST_ID = contextvars.ContextVar("request_id", default="-")
REQUEST_LOGGER = logging.getLogger("cms.request")
#: An incoming X-Request-ID is kept only if it looks like one (no newlines or markup smuggled into the logs).
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
#: URL arguments whose values are secrets (activation and password-reset links): masked in the logged path.
SECRET_URL_ARGUMENTS = re.compile(r"token|uidb64|key|secret", re.IGNORECASE)
MASK = "***"
#: Attributes of every LogRecord: what is left in a record's __dict__ besides them came from ``extra=``.
STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
#: Extras never written: objects (Django's ``request``), not data.
SKIPPED_EXTRAS = frozenset({"request", "server_time"})


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request being served (``-`` outside a request)."""

    def filter(self, record):
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, the record's simple
    extras (numbers, strings, booleans) and the traceback of an exception, if any."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", REQUEST_ID.get()),
        }
        for name, value in vars(record).items():
            if name in STANDARD_ATTRIBUTES or name in SKIPPED_EXTRAS or name in entry:
                continue
            if value is None or isinstance(value, str | int | float | bool):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(log_format: str = "text", level: str = "WARNING") -> dict:
    """The LOGGING setting: everything on stdout, as JSON lines or plain text. Request lines (``cms.request``,
    INFO) are written in JSON only: in development ``runserver`` already prints one per request."""
    if log_format not in {"json", "text"}:
        raise ValueError(f"LOG_FORMAT must be 'json' or 'text', not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "json": {"()": JsonFormatter},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"cms.request": {"level": "INFO" if log_format == "json" else level}},
    }


def logged_path(request) -> str:
    """The request's path with the values of secret URL arguments masked (no query string: it may hold
    searches with names)."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if SECRET_URL_ARGUMENTS.search(name) and isinstance(value, str) and value:
                path = path.replace(value, MASK)
    return path


def signed_in_user_id(request):
    """The id of the user, if the request already looked them up (a cached page never does: logging must not
    cost it a session and a user query)."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    if getattr(user, "_wrapped", None) is empty:  # Django's lazy user, not evaluated
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


class RequestLogMiddleware:
    """First in MIDDLEWARE: sets the request id, then writes one ``cms.request`` line per response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            path = logged_path(request)
            REQUEST_LOGGER.log(
                logging.ERROR if response.status_code >= 500 else logging.INFO,
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "route": getattr(getattr(request, "resolver_match", None), "route", None),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": signed_in_user_id(request),
                },
            )
            return response
        finally:
            REQUEST_ID.reset(token)
