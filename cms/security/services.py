"""Writes: recording a lockout, unlocking a login, enrolling and removing TOTP devices.

Every change is an entry of the one audit trail about the account concerned.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from axes.utils import reset as axes_reset
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms import errors
from cms.audit.models import AuditEntry
from cms.audit.services import audit_record
from cms.directory.access import scopes_of

from .access import may_unlock
from .models import SecurityAction
from .selectors import account_named, totp_device_of

#: Name of a TOTP device while it is being set up, and once in use.
PENDING_DEVICE_NAME = "pending"
DEVICE_NAME = "TOTP"


def _source_language():
    """Audit comments are stored in the source language (Vietnamese), whatever the actor's language."""
    return translation.override(settings.LANGUAGE_CODE)


def lockout_record(*, username: str, ip_address: str, failures: int) -> AuditEntry | None:
    """Record that ``username`` got locked from ``ip_address`` (nothing when no such account exists)."""
    account = account_named(username)
    if account is None:
        return None
    with _source_language():
        comment = _("Từ địa chỉ %(ip)s, sau %(failures)s lần nhập sai mật khẩu.") % {
            "ip": ip_address,
            "failures": failures,
        }
    return audit_record(
        subject=account,
        action=SecurityAction.LOGIN_LOCKED,
        comment=comment,
        after={"ip_address": ip_address, "failures": failures},
    )


@transaction.atomic
def login_unlock(*, username: str, ip_address: str, user) -> int:
    """Unlock ``username``'s login from ``ip_address`` (the failed attempts are forgotten); how many records went."""
    if not may_unlock(user, username):
        raise errors.DomainError(_("Bạn không có quyền mở khóa tài khoản này."), code=errors.FORBIDDEN)
    removed = axes_reset(ip=ip_address, username=username)
    account = account_named(username)
    if removed and account is not None:
        with _source_language():
            comment = _("Mở khóa đăng nhập từ địa chỉ %(ip)s.") % {"ip": ip_address}
        audit_record(
            subject=account,
            action=SecurityAction.LOGIN_UNLOCKED,
            user=user,
            role=scopes_of(user).audit_role(),
            comment=comment,
            before={"ip_address": ip_address},
        )
    return removed


@transaction.atomic
def totp_device_start(*, user) -> TOTPDevice:
    """The TOTP device ``user`` is setting up (a new secret the first time; the same one until confirmed)."""
    device = totp_device_of(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=PENDING_DEVICE_NAME, confirmed=False)
    return device


def totp_token_check(*, user, device: TOTPDevice, token: str) -> bool:
    """Whether ``token`` is the current code of ``user``'s ``device`` (django-otp throttles repeated failures)."""
    return verify_token(user, device.persistent_id, token) is not None


@transaction.atomic
def totp_device_confirm(*, user, device: TOTPDevice, token: str) -> bool:
    """Put ``device`` in use if ``token`` is its current code, replacing any earlier device; whether it was."""
    if device.user_id != user.pk or not totp_token_check(user=user, device=device, token=token):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True, name=DEVICE_NAME)
    device.refresh_from_db()
    audit_record(
        subject=user,
        action=SecurityAction.TWO_FACTOR_ENROLLED,
        user=user,
        role=scopes_of(user).audit_role(),
    )
    return True


@transaction.atomic
def two_factor_reset(*, account, user=None, comment: str = "") -> int:
    """Remove ``account``'s TOTP devices (a lost phone): they enrol again at their next login."""
    removed, _counts = TOTPDevice.objects.filter(user=account).delete()
    if removed:
        audit_record(
            subject=account,
            action=SecurityAction.TWO_FACTOR_RESET,
            user=user,
            role=scopes_of(user).audit_role() if user is not None else "",
            comment=comment,
        )
    return removed
