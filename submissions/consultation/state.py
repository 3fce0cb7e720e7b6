"""Where a consultation stands today (upcoming, open, closed): one rule, read by the pages and the API
(:mod:`submissions.consultation.selectors` re-exports it) and by :func:`submissions.access.consultation_takes_answers`
(who may comment or answer the survey). It sits apart from the selectors, which read the access module, so that
the access module can read it too.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from submissions.consultation.models import Consultation, ConsultationStatus
from submissions.models import SubmissionStatus


class State:
    """Where a consultation stands for the people reading it (its stored status and today's date together)."""

    UPCOMING = "upcoming"  # opened by the office, its period not begun: nothing of it is public
    OPEN = "open"  # within its period: the public reads and comments
    CLOSED = "closed"  # closed by the office or the scheduler, or its period ended


def state_of(consultation: Consultation, today: datetime.date | None = None) -> str:
    """The state of ``consultation`` today: closed once the office or the scheduler closed it, its period ended, or
    its submission was recognised (recognition ends the consultation even if the office did not close it)."""
    today = today or timezone.localdate()
    if (
        consultation.status == ConsultationStatus.CLOSED
        or consultation.closes_on < today
        or consultation.submission.status == SubmissionStatus.RECOGNISED
    ):
        return State.CLOSED
    if consultation.opens_on > today:
        return State.UPCOMING
    return State.OPEN


def state_q(state: str, today: datetime.date, prefix: str = "") -> Q:
    """The database twin of :func:`state_of`."""
    closed = (
        Q(**{f"{prefix}status": ConsultationStatus.CLOSED})
        | Q(**{f"{prefix}closes_on__lt": today})
        | Q(**{f"{prefix}submission__status": SubmissionStatus.RECOGNISED})
    )
    if state == State.CLOSED:
        return closed
    if state == State.UPCOMING:
        return ~closed & Q(**{f"{prefix}opens_on__gt": today})
    return ~closed & Q(**{f"{prefix}opens_on__lte": today})
