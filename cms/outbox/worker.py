"""Recovering the tasks of a dead worker. django-tasks-db marks a task RUNNING when a worker takes it and leaves it
so if the worker dies (SIGKILL, out of memory, a lost machine). Here each worker (``manage.py run_worker``) keeps a
heartbeat row, refreshed every ``WORKER_HEARTBEAT_SECONDS`` by a thread of its own; a RUNNING task whose worker
(the last id in its ``worker_ids``) has not beaten for ``WORKER_DEAD_AFTER_SECONDS`` and that started longer ago
than that is made READY again, and the next free worker runs it from the start. Every worker does this on each
beat, so one dead worker's tasks are picked up by the others without a restart; a conditional UPDATE (status and
start time unchanged) makes two workers recovering the same task harmless. The tasks must be idempotent: the
outbox's delivery is (claim, send, mark). A task whose workers died ``MAX_RUNS`` times is marked failed instead
of killing yet another one."""

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus, task_backends
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from . import services
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

#: Runs of one task ended by a dying worker before it is marked failed.
MAX_RUNS = 5
#: Heartbeats of workers dead this many times ``WORKER_DEAD_AFTER_SECONDS`` are forgotten.
FORGET_AFTER = 100


def dead_after(seconds: float | None = None) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORKER_DEAD_AFTER_SECONDS if seconds is None else seconds)


def heartbeat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": timezone.now(), "hostname": socket.gethostname()[:255], "pid": os.getpid()},
    )


def heartbeat_forget(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _requeue(task_id, started_at, runs: int) -> bool:
    """READY again (or FAILED after ``MAX_RUNS`` dead workers), unless somebody changed the task meanwhile."""
    unchanged = DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING, started_at=started_at)
    if runs >= MAX_RUNS:
        return bool(
            unchanged.update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path="cms.outbox.worker.WorkerDied",
                traceback=f"The worker running this task died {runs} times.",
            )
        )
    return bool(unchanged.update(status=TaskResultStatus.READY, started_at=None))


def tasks_recover(*, own_worker_id: str = "", now=None, dead_after_seconds: float | None = None) -> list[str]:
    """Queue again the RUNNING tasks whose worker is gone (see the module); those of ``own_worker_id`` at once (a
    worker starting with the id of a dead one: none of them can still be running). Returns their ids."""
    now = now or timezone.now()
    silence = dead_after(dead_after_seconds)
    cutoff = now - silence
    alive = set(WorkerHeartbeat.objects.filter(beat_at__gte=cutoff).values_list("worker_id", flat=True))
    alive.discard(own_worker_id)
    recovered = []
    for task_id, worker_ids, started_at in DBTaskResult.objects.running().values_list("id", "worker_ids", "started_at"):
        last = worker_ids[-1] if worker_ids else ""
        mine = bool(own_worker_id) and last == own_worker_id
        if last in alive or not mine and started_at is not None and started_at >= cutoff:
            continue
        if _requeue(task_id, started_at, len(worker_ids)):
            logger.warning("Task %s of the dead worker %s is queued again.", task_id, last or "?")
            recovered.append(str(task_id))
    WorkerHeartbeat.objects.filter(beat_at__lt=now - silence * FORGET_AFTER).delete()
    return recovered


def maintain(worker_id: str, *, dead_after_seconds: float | None = None) -> None:
    """One beat: the heartbeat, the recovery of dead workers' tasks, and notices whose delivery was lost."""
    heartbeat(worker_id)
    tasks_recover(dead_after_seconds=dead_after_seconds)
    lease = datetime.timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    services.notices_requeue_stale(grace=lease + dead_after(dead_after_seconds))


class HeartbeatThread(threading.Thread):
    """Beats for the worker while its main thread runs tasks (a long task does not make it look dead)."""

    def __init__(self, worker_id: str, interval: float, dead_after_seconds: float | None = None):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.dead_after_seconds = dead_after_seconds
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(self.interval):
            try:
                maintain(self.worker_id, dead_after_seconds=self.dead_after_seconds)
            except DatabaseError:
                logger.exception("Heartbeat of worker %s failed; trying again.", self.worker_id)
            finally:
                connection.close()

    def stop(self):
        self.stopped.set()


def tasks_run_ready(backend_name: str = "default") -> int:
    """Run, in this process, every task of the database queue ready now (db_worker's own loop, once through), e.g.
    the search index and reference updates Wagtail queued while ``load_demo`` ran, so its pages are searchable
    before any worker starts. Returns how many were ready; nothing with another backend (it ran them already)."""
    if not isinstance(task_backends[backend_name], DatabaseBackend):
        return 0
    ready = DBTaskResult.objects.ready().filter(backend_name=backend_name).count()
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id=f"inline-{socket.gethostname()[:40]}-{os.getpid()}",
        excluded_queue_names=[],
    ).run()
    return ready
