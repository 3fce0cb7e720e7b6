"""Writes of the outbox: queue notices (one per recipient and event, never two for one event), deliver one,
send a failed one again, prune old ones. Delivery runs in a background task (:mod:`cms.outbox.tasks`), enqueued
after the caller's transaction commits, so a refused action sends nothing and a slow mail server slows nobody."""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Notice, NoticeKind, NoticeProvince, NoticeStatus
from .tasks import notices_deliver

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    """One message to one person: the outbox makes it a :class:`Notice`."""

    recipient: str
    subject: str
    body: str
    user: object = None
    province_codes: tuple[str, ...] = field(default_factory=tuple)
    #: The mail's own event, when one call queues several (e.g. one invitation per person).
    event: str = ""


def notice_key(event: str, recipient: str) -> str:
    return f"{event}|{recipient.strip().lower()}"


def _enqueue_on_commit(notice_ids: list[int]) -> None:
    """Queue one task delivering ``notice_ids`` once the caller's transaction commits (at once outside one). A
    backend configured with ``"ENQUEUE_ON_COMMIT": False`` (the tests' immediate backend, which runs the task in
    place) queues at once, inside the transaction."""
    if not notice_ids:
        return
    if settings.TASKS.get(notices_deliver.backend, {}).get("ENQUEUE_ON_COMMIT", True):
        transaction.on_commit(lambda: notices_deliver.enqueue(notice_ids), robust=True)
    else:
        notices_deliver.enqueue(notice_ids)


@transaction.atomic
def mail_enqueue(*, mails: Iterable[Mail], event: str = "", kind: str = NoticeKind.OTHER, province_codes=()) -> int:
    """One notice per mail of ``event`` (keyed by event and recipient: an event queued again makes nothing new),
    delivered by the background task after commit. ``province_codes`` (and each mail's own) are the provinces
    whose office sees the notices. Returns how many notices are new."""
    wanted: dict[str, Mail] = {}
    for mail in mails:
        if mail.recipient:
            wanted.setdefault(notice_key(mail.event or event, mail.recipient), mail)
    if not wanted:
        return 0
    existing = set(Notice.objects.filter(key__in=list(wanted)).values_list("key", flat=True))
    new = [
        Notice(
            key=key,
            kind=kind,
            event=(mail.event or event)[:300],
            recipient=mail.recipient.strip(),
            user=mail.user,
            subject=" ".join(mail.subject.split())[:300],
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
        )
        for key, mail in wanted.items()
        if key not in existing
    ]
    if not new:
        return 0
    try:
        with transaction.atomic():
            created = Notice.objects.bulk_create(new)
    except IntegrityError:
        # Another process queued some of the same event meanwhile: keep only what is still new.
        created = []
        for notice in new:
            try:
                with transaction.atomic():
                    notice.save()
                created.append(notice)
            except IntegrityError:
                continue
    NoticeProvince.objects.bulk_create(
        [
            NoticeProvince(notice=notice, code=code)
            for notice in created
            for code in sorted(set(province_codes) | set(wanted[notice.key].province_codes))
            if code
        ]
    )
    _enqueue_on_commit([notice.pk for notice in created])
    return len(created)


@transaction.atomic
def notice_resend(*, notice: Notice) -> bool:
    """Send a failed notice again (the office's "Gửi lại"): a new round of attempts."""
    updated = Notice.objects.filter(pk=notice.pk, status=NoticeStatus.FAILED).update(
        status=NoticeStatus.PENDING, attempts=0, next_attempt_at=None, claimed_by=""
    )
    if updated:
        _enqueue_on_commit([notice.pk])
    return bool(updated)


def notices_requeue_stale(*, grace: datetime.timedelta) -> int:
    """Queue again the delivery of pending notices whose time came more than ``grace`` ago, and of notices claimed
    longer ago than that (their task was lost: the process died between commit and enqueue, or the task failed
    outside the delivery). Claims keep a duplicate task from sending twice."""
    now = timezone.now()
    stale = Notice.objects.filter(
        Q(status=NoticeStatus.PENDING)
        & (Q(next_attempt_at__lt=now - grace) | Q(next_attempt_at__isnull=True, created_at__lt=now - grace))
        | Q(status=NoticeStatus.SENDING, claimed_at__lt=now - grace)
    )
    ids = list(stale.values_list("pk", flat=True)[:500])
    if ids:
        Notice.objects.filter(pk__in=ids).update(next_attempt_at=now)
        notices_deliver.enqueue(ids)
    return len(ids)


def notices_prune(*, keep_days: int) -> int:
    """Delete sent notices older than ``keep_days`` days (failed and pending ones stay for the office)."""
    cutoff = timezone.now() - datetime.timedelta(days=keep_days)
    _total, counts = Notice.objects.filter(status=NoticeStatus.SENT, sent_at__lt=cutoff).delete()
    return counts.get(Notice._meta.label, 0)
