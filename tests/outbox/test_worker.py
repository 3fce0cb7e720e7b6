"""A task whose worker died is picked up again (manage.py run_worker's recovery, with real queue rows): the
running task of a silent worker becomes ready, a live worker's task is left alone, and the re-run delivers a
notice once — whether the dead run had claimed it only or had already sent it."""

import datetime

from django.core import mail
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from cms.outbox import worker
from cms.outbox.models import Notice, NoticeStatus, WorkerHeartbeat
from cms.outbox.services import Mail, mail_enqueue
from tests.outbox.queue import run_worker_batch

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.timedelta(minutes=5)


def _queued_notice(django_capture_on_commit_callbacks, address="canbo@daklak.gov.vn") -> tuple[Notice, DBTaskResult]:
    with django_capture_on_commit_callbacks(execute=True):
        mail_enqueue(event=f"test:{address}", mails=[Mail(address, "[NTM] Thử", "Nội dung", province_codes=("66",))])
    notice = Notice.objects.get(recipient=address)
    return notice, DBTaskResult.objects.get(args_kwargs__args=[[notice.pk]])


def _taken_by(task: DBTaskResult, worker_id: str, *, beat_ago: datetime.timedelta, started_ago=LONG_AGO) -> None:
    """The task as a worker left it: RUNNING under ``worker_id``, whose last heartbeat was ``beat_ago``."""
    now = timezone.now()
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", worker_ids=[worker_id], started_at=now - started_ago
    )
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"beat_at": now - beat_ago})


def test_the_running_task_of_a_dead_worker_runs_again_and_sends_the_notice_once(
    database_queue, django_capture_on_commit_callbacks
):
    notice, task = _queued_notice(django_capture_on_commit_callbacks)
    _taken_by(task, "killed-worker", beat_ago=LONG_AGO)
    # The dead run had claimed the notice, then was killed before sending.
    Notice.objects.filter(pk=notice.pk).update(
        status=NoticeStatus.SENDING, claimed_by=str(task.pk), claimed_at=timezone.now() - LONG_AGO, attempts=1
    )

    assert worker.tasks_recover() == [str(task.pk)]
    run_worker_batch()

    notice.refresh_from_db()
    assert DBTaskResult.objects.get(pk=task.pk).status == "SUCCESSFUL"
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 2)
    assert [message.to for message in mail.outbox] == [["canbo@daklak.gov.vn"]]


def test_a_rerun_after_the_dead_run_had_sent_sends_nothing(database_queue, django_capture_on_commit_callbacks):
    notice, task = _queued_notice(django_capture_on_commit_callbacks)
    run_worker_batch()
    assert len(mail.outbox) == 1
    _taken_by(task, "killed-worker", beat_ago=LONG_AGO)  # killed after sending, before the queue recorded it

    assert worker.tasks_recover() == [str(task.pk)]
    run_worker_batch()

    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get(pk=task.pk).return_value == {"skipped": 1}


def test_a_live_workers_task_and_a_just_started_task_are_left_alone(database_queue, django_capture_on_commit_callbacks):
    _notice, long_task = _queued_notice(django_capture_on_commit_callbacks, "a@daklak.gov.vn")
    _notice, fresh_task = _queued_notice(django_capture_on_commit_callbacks, "b@daklak.gov.vn")
    _taken_by(long_task, "busy-worker", beat_ago=datetime.timedelta(seconds=2))  # a long task, its worker alive
    _taken_by(fresh_task, "new-worker", beat_ago=LONG_AGO, started_ago=datetime.timedelta(seconds=1))

    assert worker.tasks_recover() == []
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"RUNNING"}


def test_a_worker_restarting_with_the_id_of_a_dead_one_takes_its_tasks_back_at_once(
    database_queue, django_capture_on_commit_callbacks
):
    _notice, task = _queued_notice(django_capture_on_commit_callbacks)
    _taken_by(task, "worker-1", beat_ago=datetime.timedelta(seconds=1), started_ago=datetime.timedelta(seconds=1))

    assert worker.tasks_recover() == []
    assert worker.tasks_recover(own_worker_id="worker-1") == [str(task.pk)]


def test_two_workers_recovering_the_same_task_queue_it_once(database_queue, django_capture_on_commit_callbacks):
    _notice, task = _queued_notice(django_capture_on_commit_callbacks)
    _taken_by(task, "killed-worker", beat_ago=LONG_AGO)
    stale = DBTaskResult.objects.get(pk=task.pk)

    assert worker._requeue(stale.pk, stale.started_at, 1) is True
    assert worker._requeue(stale.pk, stale.started_at, 1) is False


def test_a_task_that_killed_its_workers_five_times_is_marked_failed(database_queue, django_capture_on_commit_callbacks):
    _notice, task = _queued_notice(django_capture_on_commit_callbacks)
    _taken_by(task, "w5", beat_ago=LONG_AGO)
    DBTaskResult.objects.filter(pk=task.pk).update(worker_ids=["w1", "w2", "w3", "w4", "w5"])

    worker.tasks_recover()

    assert DBTaskResult.objects.get(pk=task.pk).status == "FAILED"


def test_the_heartbeat_keeps_a_worker_alive_and_a_graceful_stop_forgets_it(database_queue):
    worker.maintain("worker-a")
    assert WorkerHeartbeat.objects.filter(worker_id="worker-a").exists()

    worker.heartbeat_forget("worker-a")
    assert not WorkerHeartbeat.objects.exists()


def test_a_notice_whose_task_was_lost_is_queued_again(database_queue, django_capture_on_commit_callbacks):
    notice, task = _queued_notice(django_capture_on_commit_callbacks)
    DBTaskResult.objects.filter(pk=task.pk).delete()  # the process died between commit and enqueue
    Notice.objects.filter(pk=notice.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))

    worker.maintain("worker-a")
    run_worker_batch()

    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert len(mail.outbox) == 1
