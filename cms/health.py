"""``/healthz/``: is this app server able to serve? For load balancers and monitoring (django-health-check 4).

Each part is checked for real: the database answers ``SELECT 1``, the cache stores and reads back a key, every
configured file storage (public media and private evidence, local disk or S3) saves, reads and deletes a small
file, and the task queue has no backlog (tasks ready to run that no worker took for a while: a stopped worker).

``/healthz/`` checks every part; ``/healthz/app/`` leaves out the task queue, for a load balancer that takes an
app server out of rotation (a stopped worker is not a reason to stop serving pages). 200 when every part is
healthy, 503 naming each failing part otherwise. Plain text by default, JSON for ``Accept: application/json``
(or ``?format=json``). No authentication, never cached, nothing secret: an error names the part and the kind of
failure, never an address or a password.
"""

import asyncio
import contextlib
import dataclasses
import datetime
import json
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections
from django.db.models import Q
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from django_tasks_db.models import DBTaskResult, get_date_max
from health_check import Cache, Database, HealthCheck, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView, MediaType

#: Storage aliases that are not this site's files (collected static files are checked by deploying them).
NOT_CHECKED_STORAGES = frozenset({"staticfiles"})
JSON = "application/json"


@dataclasses.dataclass
class TaskQueueBacklog(HealthCheck):
    """Tasks of the database queue (django-tasks-db) ready to run for more than ``max_age_minutes`` that no
    worker has taken: more than ``limit`` of them means the worker is stopped or cannot keep up."""

    max_age_minutes: int = 15
    limit: int = 0
    alias: str = dataclasses.field(default="default", repr=False)

    def run(self):
        cutoff = timezone.now() - datetime.timedelta(minutes=self.max_age_minutes)
        waiting_since_cutoff = Q(run_after=get_date_max(), enqueued_at__lt=cutoff) | Q(run_after__lt=cutoff)
        try:
            late = DBTaskResult.objects.using(self.alias).ready().filter(waiting_since_cutoff).count()
        finally:
            connections[self.alias].close()  # this check runs in a worker thread: leave no connection open
        if late > self.limit:
            raise ServiceUnavailable(f"{late} tasks waiting for more than {self.max_age_minutes} minutes")


def part_name(check: HealthCheck) -> str:
    """The name a report gives a check: ``database``, ``cache``, ``storage:default``, ``task_queue``."""
    if isinstance(check, Database):
        return "database" if check.alias == "default" else f"database:{check.alias}"
    if isinstance(check, Cache):
        return "cache" if check.alias == "default" else f"cache:{check.alias}"
    if isinstance(check, Storage):
        return f"storage:{check.alias}"
    if isinstance(check, TaskQueueBacklog):
        return "task_queue"
    return type(check).__name__


def app_checks() -> list[HealthCheck]:
    """What an app server needs to answer: its database, the shared cache and every file storage."""
    storages = [alias for alias in settings.STORAGES if alias not in NOT_CHECKED_STORAGES]
    return [Database(), Cache(), *(Storage(alias=alias) for alias in storages)]


def all_checks() -> list[HealthCheck]:
    return [
        *app_checks(),
        TaskQueueBacklog(max_age_minutes=settings.HEALTHZ_TASK_MAX_AGE_MINUTES, limit=settings.HEALTHZ_TASK_LIMIT),
    ]


def wants_json(request) -> bool:
    if request.GET.get("format") == "json":
        return True
    try:
        media_types = list(MediaType.parse_header(request.headers.get("accept", "*/*")))
    except ValueError:
        return False
    return bool(media_types) and media_types[0].mime_type in {JSON, "application/*"}


class HealthView(HealthCheckView):
    """django-health-check's view (checks run concurrently, each with a time limit; never cached; ``Vary:
    Accept``), answering 503 rather than 500 when a part fails, with the parts named, in text or JSON."""

    include_task_queue = True

    def get_checks(self):
        yield from all_checks() if self.include_task_queue else app_checks()

    @contextlib.contextmanager
    def get_executor(self):
        """A pool per call; the checks close the connections they open. A check past its time limit has been
        reported already: the answer does not wait for its thread."""
        executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthz")
        try:
            yield executor
        finally:
            executor.shutdown(wait=False, cancel_futures=True)

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        parts = {part_name(result.check): result.error for result in self.results}
        healthy = not any(parts.values())
        status = 200 if healthy else 503
        if wants_json(request):
            body = {
                "status": "ok" if healthy else "error",
                "failing": [name for name, error in parts.items() if error],
                "parts": {name: "OK" if not error else str(error) for name, error in parts.items()},
            }
            content, content_type = json.dumps(body), JSON
        else:
            lines = [f"{name}: {'OK' if not error else error}" for name, error in parts.items()]
            content, content_type = "\n".join(lines) + "\n", "text/plain; charset=utf-8"
        return HttpResponse(content, content_type=content_type, status=status)


# Included from cms/urls.py at healthz/.
urlpatterns = [
    path("", HealthView.as_view(), name="healthz"),
    path("app/", HealthView.as_view(include_task_queue=False), name="healthz-app"),
]
