"""The real queue in the outbox's tests: django-tasks-db's worker loop run in this process, and the clock moved on
to a waiting task's time."""

import datetime

from django.utils import timezone

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

FLAKY = "tests.outbox.backends.FlakyBackend"
DEAD = "tests.outbox.backends.DeadServerBackend"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker_batch() -> None:
    """db_worker's own loop, in this process: every task ready now, then return."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def time_passes() -> datetime.timedelta | None:
    """The waiting task's delay (from now), then make it due: the clock moves on to its ``run_after``."""
    waiting = DBTaskResult.objects.filter(status="READY").order_by("run_after").first()
    if waiting is None:
        return None
    delay = waiting.run_after - timezone.now()
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    return delay
