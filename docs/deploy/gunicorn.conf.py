"""gunicorn on each app server: `gunicorn -c /etc/ntm/gunicorn.conf.py cms.wsgi` (docs/deploy.md).

Sync workers: every request holds a database connection for its duration, and the public pages are answered
from Redis before routing, so a worker per core and a half is enough; raise `workers` if the CPU is idle while
requests queue. The environment (DJANGO_SETTINGS_MODULE=cms.settings.production, DATABASE_URL, REDIS_URL, ...)
comes from systemd's EnvironmentFile (.env.example lists every variable).
"""

import multiprocessing
import os

# Listen on the private network only: the load balancer (nginx, docs/deploy/nginx/ntm.conf) is the only client.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104  (a private address; firewall the port)
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Long enough for the largest synchronous request (a province's xlsx export); national exports run in the worker.
timeout = 120
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory held by a big import is given back), not all at once.
max_requests = 2000
max_requests_jitter = 200
# gunicorn 27 opens a control socket in the home directory by default: not wanted on a server.
control_socket_disable = True
# The application writes one JSON line per request itself (cms.logging, LOG_FORMAT=json): no access log here.
accesslog = None
errorlog = "-"
loglevel = "warning"
# gunicorn's own messages (workers started, timed out, killed) as JSON lines too, like the application's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "cms.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "loggers": {"gunicorn.error": {"level": "WARNING", "handlers": ["console"], "propagate": False}},
}
# The load balancer's address (X-Forwarded-* are trusted from it only).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Load the application before forking: workers share its memory and a broken release fails at start, not on the
# first request.
preload_app = True
