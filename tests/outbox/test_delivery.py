"""Every e-mail goes through the outbox: a mail server that refuses three times still delivers the notice once
(with the immediate queue of the tests and with the production database queue and its worker); one that never
answers leaves a failed notice; the same event queued again sends nothing new; a notice sent is never sent again."""

import datetime

from django.core import mail

import pytest
from django_tasks_db.models import DBTaskResult

from cms.outbox import services, tasks
from cms.outbox.models import Notice, NoticeStatus
from cms.outbox.services import Mail, mail_enqueue
from tests.outbox.queue import DEAD, FLAKY, run_worker_batch, time_passes

pytestmark = pytest.mark.django_db

EVENT = "test:round-1:opened"


def _queue(*recipients, event=EVENT, province="66") -> int:
    return mail_enqueue(
        event=event,
        mails=[
            Mail(address, "[NTM] Đợt đánh giá đã mở", "Xin chào", province_codes=(province,)) for address in recipients
        ],
    )


def test_a_server_that_refuses_three_times_delivers_the_notice_once(settings):
    settings.EMAIL_BACKEND = FLAKY

    _queue("canbo@daklak.gov.vn")

    notice = Notice.objects.get()
    assert [message.to for message in mail.outbox] == [["canbo@daklak.gov.vn"]]
    assert (notice.status, notice.attempts, notice.last_error) == (NoticeStatus.SENT, 4, "")
    assert mail.outbox[0].extra_headers["Message-ID"] == tasks.message_id(notice.key)


def test_with_the_database_queue_the_worker_retries_with_backoff_and_delivers_once(
    database_queue, django_capture_on_commit_callbacks
):
    database_queue.EMAIL_BACKEND = FLAKY
    database_queue.OUTBOX_RETRY_MINUTES = [1, 5, 30, 120]

    with django_capture_on_commit_callbacks(execute=True):
        _queue("canbo@daklak.gov.vn")
    assert DBTaskResult.objects.count() == 1  # queued after commit, not sent in the request
    assert mail.outbox == []

    delays = []
    run_worker_batch()
    while (delay := time_passes()) is not None:
        delays.append(round(delay / datetime.timedelta(minutes=1)))
        run_worker_batch()

    notice = Notice.objects.get()
    assert delays == [1, 5, 30]
    assert len(mail.outbox) == 1
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 4)
    assert DBTaskResult.objects.successful().count() == 4


def test_a_server_that_never_answers_leaves_a_failed_notice_with_the_reason(settings):
    settings.EMAIL_BACKEND = DEAD
    settings.OUTBOX_RETRY_MINUTES = [1, 5]

    _queue("canbo@daklak.gov.vn")

    notice = Notice.objects.get()
    assert mail.outbox == []
    assert (notice.status, notice.attempts) == (NoticeStatus.FAILED, 3)
    assert notice.last_error.startswith("ConnectionRefusedError")


def test_the_same_event_queued_again_sends_nothing_new():
    assert _queue("a@daklak.gov.vn", "b@daklak.gov.vn") == 2
    assert _queue("a@daklak.gov.vn", "B@daklak.gov.vn") == 0
    assert _queue("a@daklak.gov.vn", event="test:round-1:closed") == 1

    assert Notice.objects.count() == 3
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "a@daklak.gov.vn",
        "a@daklak.gov.vn",
        "b@daklak.gov.vn",
    ]


def test_a_notice_already_sent_is_never_sent_again():
    _queue("a@daklak.gov.vn")
    notice = Notice.objects.get()

    assert tasks.deliver(notice_id=notice.pk, claimant="another-run") == "skipped"
    assert tasks.deliver(notice_id=notice.pk, claimant="") == "skipped"
    assert len(mail.outbox) == 1


def test_a_notice_another_run_is_sending_is_left_to_it_until_its_lease_ends(settings):
    _queue("a@daklak.gov.vn", event="other")
    notice = Notice.objects.get()
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.SENDING, claimed_by="run-1")
    settings.OUTBOX_SENDING_LEASE_SECONDS = 300

    assert tasks.deliver(notice_id=notice.pk, claimant="run-2") == "skipped"
    # The same task run again (its worker died before sending) takes its own claim over.
    assert tasks.deliver(notice_id=notice.pk, claimant="run-1") == "sent"
    assert len(mail.outbox) == 2  # the first at queueing, this one for the claimed notice


def test_failed_notices_are_sent_again_on_request(settings):
    settings.EMAIL_BACKEND = DEAD
    settings.OUTBOX_RETRY_MINUTES = []
    _queue("a@daklak.gov.vn")
    notice = Notice.objects.get()
    assert notice.status == NoticeStatus.FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.notice_resend(notice=notice) is True
    assert services.notice_resend(notice=notice) is False

    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 1)
    assert len(mail.outbox) == 1


def test_sent_notices_are_pruned_after_the_days_kept():
    _queue("a@daklak.gov.vn", "b@daklak.gov.vn")
    Notice.objects.filter(recipient="a@daklak.gov.vn").update(sent_at="2020-01-01T00:00:00Z")

    assert services.notices_prune(keep_days=90) == 1
    assert list(Notice.objects.values_list("recipient", flat=True)) == ["b@daklak.gov.vn"]
