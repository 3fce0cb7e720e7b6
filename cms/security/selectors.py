"""Reads: the logins locked right now, and a user's TOTP device."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum
from django.utils import timezone

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import unlockable_usernames


@dataclass(frozen=True)
class LockedLogin:
    """One account locked from one address."""

    username: str
    ip_address: str
    failures: int
    last_attempt: datetime.datetime
    #: When the lock ends by itself (``None``: only an unlock ends it).
    locked_until: datetime.datetime | None


def locked_logins(*, viewer) -> list[LockedLogin]:
    """The accounts locked from an address now, newest first, that ``viewer`` may unlock.

    django-axes keeps one row per account, address and browser; the lock counts the account and address
    across browsers, and, with a cool-off, only failures within it.
    """
    attempts = AccessAttempt.objects.exclude(username__isnull=True).exclude(ip_address__isnull=True)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    rows = (
        attempts.order_by()
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt", "username")
    )
    rows = list(rows)
    allowed = unlockable_usernames(viewer, (row["username"] for row in rows))
    return [
        LockedLogin(
            username=row["username"],
            ip_address=row["ip_address"],
            failures=row["failures"],
            last_attempt=row["last_attempt"],
            locked_until=row["last_attempt"] + cool_off if cool_off is not None else None,
        )
        for row in rows
        if row["username"] in allowed
    ]


def account_named(username: str):
    """The account with this username, or ``None``."""
    user_model = get_user_model()
    return user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).first()


def totp_device_of(user, *, confirmed: bool = True) -> TOTPDevice | None:
    """The user's TOTP device in use (``confirmed``), or the one being set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()
