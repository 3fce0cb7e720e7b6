"""Delivery of one notice, the outbox's background task: claim it (one conditional UPDATE), send it, record the
outcome; on failure try again later, then mark it failed. Claim, send, mark: a notice already sent is never sent
again, and a run of the same task after its worker died (:mod:`cms.outbox.worker`) takes its own claim over."""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone

from django_tasks import TaskContext, task

from .models import ERROR_MAX, Notice, NoticeStatus

logger = logging.getLogger(__name__)


@task(takes_context=True)
def notices_deliver(context: TaskContext, notice_ids: list[int]) -> dict[str, int]:
    """Deliver each of ``notice_ids`` (one task for the notices of one action); what happened, counted."""
    outcomes: dict[str, int] = {}
    for notice_id in notice_ids:
        outcome = deliver(notice_id=notice_id, claimant=str(context.task_result.id))
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def max_attempts() -> int:
    return len(settings.OUTBOX_RETRY_MINUTES) + 1


def retry_delays() -> list[datetime.timedelta]:
    return [datetime.timedelta(minutes=minutes) for minutes in settings.OUTBOX_RETRY_MINUTES]


def message_id(key: str) -> str:
    """The ``Message-ID`` of a notice: the same for every attempt (a mail server or reader seeing it twice, after
    a worker died between sending and recording, keeps one)."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost"
    return f"<ntm.{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def email_of(notice: Notice) -> EmailMessage:
    return EmailMessage(
        notice.subject,
        notice.body,
        notice.from_email or settings.DEFAULT_FROM_EMAIL,
        [notice.recipient],
        headers={"Message-ID": message_id(notice.key)},
    )


def _claim(notice_id: int, claimant: str, now) -> bool:
    """Take the notice for sending (one conditional UPDATE: of two runs, one wins). A notice already sent or
    failed is never taken; one being sent is taken over by the same task run again (its worker died) or after
    the lease."""
    lease_start = now - datetime.timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    claimable = Q(status=NoticeStatus.PENDING) | Q(status=NoticeStatus.SENDING) & (
        Q(claimed_by=claimant) | Q(claimed_at__lt=lease_start)
    )
    return bool(
        Notice.objects.filter(claimable, pk=notice_id).update(
            status=NoticeStatus.SENDING, claimed_by=claimant, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def deliver(*, notice_id: int, claimant: str) -> str:
    """Claim, send, record. On failure: try again later (``OUTBOX_RETRY_MINUTES``), or, after the last attempt,
    mark the notice failed for the office to see. Returns what happened (``sent``, ``retry``, ``failed``,
    ``skipped``)."""
    now = timezone.now()
    if not _claim(notice_id, claimant, now):
        return "skipped"
    notice = Notice.objects.get(pk=notice_id)
    try:
        email_of(notice).send()
    except Exception as error:  # noqa: BLE001  (any failure of the mail server is recorded, never lost)
        return _failed(notice, claimant, error)
    Notice.objects.filter(pk=notice_id, claimed_by=claimant).update(
        status=NoticeStatus.SENT, sent_at=timezone.now(), next_attempt_at=None, claimed_by="", last_error=""
    )
    return "sent"


def _failed(notice: Notice, claimant: str, error: Exception) -> str:
    message = (f"{type(error).__name__}: {error}")[:ERROR_MAX]
    logger.warning("Notice %s to %s not sent (attempt %s): %s", notice.pk, notice.recipient, notice.attempts, message)
    delays = retry_delays()
    if notice.attempts > len(delays):
        Notice.objects.filter(pk=notice.pk, claimed_by=claimant).update(
            status=NoticeStatus.FAILED, last_error=message, next_attempt_at=None, claimed_by=""
        )
        return "failed"
    run_after = timezone.now() + delays[notice.attempts - 1]
    Notice.objects.filter(pk=notice.pk, claimed_by=claimant).update(
        status=NoticeStatus.PENDING, last_error=message, next_attempt_at=run_after, claimed_by=""
    )
    if notices_deliver.get_backend().supports_defer:
        notices_deliver.using(run_after=run_after).enqueue([notice.pk])
    else:
        # A backend that cannot wait (the immediate one) tries again at once.
        notices_deliver.enqueue([notice.pk])
    return "retry"
