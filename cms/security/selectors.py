"""Reads: the logins locked right now, a user's TOTP device, integrators' API tokens."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Max, Sum
from django.utils import timezone

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import tokens
from .access import tokens_managed_by, unlockable_usernames
from .models import IntegratorToken


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


def token_for_key(key: str) -> IntegratorToken | None:
    """The token whose key is ``key`` (revoked and expired ones too: the caller tells them apart), or ``None``.

    Found by its prefix, then the hash of the whole key compared in constant time: one indexed query.
    """
    prefix = tokens.prefix_of(key)
    if prefix is None:
        return None
    token = IntegratorToken.objects.select_related("account", "integrator").filter(prefix=prefix).first()
    if token is None or not tokens.matches(key, token.key_hash):
        return None
    return token


def integrator_tokens(*, viewer):
    """The tokens ``viewer`` manages, by province and integrator, the ones in use first, newest first."""
    return (
        tokens_managed_by(viewer)
        .select_related("integrator__province__edition", "unit", "department", "created_by", "revoked_by")
        .order_by(
            "integrator__province__code",
            "integrator__name",
            "integrator_id",
            F("revoked_at").desc(nulls_first=True),
            "-created_at",
        )
    )
