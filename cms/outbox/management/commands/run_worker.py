"""``manage.py run_worker``: django-tasks-db's ``db_worker`` with a heartbeat, recovering the tasks of dead workers
(:mod:`cms.outbox.worker`). Every option of ``db_worker`` applies (``--queue-name``, ``--interval``, ``--batch``,
``--max-tasks``, ``--worker-id``…); the heartbeat's period and the silence after which a worker counts as dead
come from ``WORKER_HEARTBEAT_SECONDS`` and ``WORKER_DEAD_AFTER_SECONDS`` or the options below. Give each worker
of a pool its own ``--worker-id`` (random by default)."""

from django.conf import settings

from django_tasks_db.management.commands import db_worker

from cms.outbox import worker


class Command(db_worker.Command):
    help = "Chạy tác vụ nền (hàng đợi trong cơ sở dữ liệu), nhận lại tác vụ của tiến trình đã chết."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Reloading would run a second worker (the reloader's parent) beside the one it watches.
        parser.set_defaults(reload=False)
        parser.add_argument(
            "--heartbeat",
            type=float,
            default=None,
            help="Seconds between heartbeats (default: WORKER_HEARTBEAT_SECONDS).",
        )
        parser.add_argument(
            "--dead-after",
            type=float,
            default=None,
            help="Seconds of silence after which a worker is dead (default: WORKER_DEAD_AFTER_SECONDS).",
        )

    def handle(self, *args, heartbeat=None, dead_after=None, **options):
        worker_id = options["worker_id"]
        worker.heartbeat(worker_id)
        recovered = worker.tasks_recover(own_worker_id=worker_id, dead_after_seconds=dead_after)
        if recovered and options["verbosity"]:
            self.stdout.write(f"Requeued {len(recovered)} task(s) of dead workers: {', '.join(recovered)}")
        beat = worker.HeartbeatThread(worker_id, heartbeat or settings.WORKER_HEARTBEAT_SECONDS, dead_after)
        beat.start()
        try:
            super().handle(*args, **options)
        finally:
            beat.stop()
            worker.heartbeat_forget(worker_id)
