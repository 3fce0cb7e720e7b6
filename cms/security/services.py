"""Writes: recording a lockout, unlocking a login, enrolling and removing TOTP devices, creating and revoking
integrators' API tokens.

Every change is an entry of the one audit trail about the account (or the token) concerned.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from axes.utils import reset as axes_reset
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms import errors
from cms.audit.models import AuditEntry
from cms.audit.services import audit_record
from cms.directory import services as directory_services
from cms.directory.access import scopes_of
from cms.directory.models import Department, Role, Unit

from . import tokens
from .access import may_grant_token_role, may_unlock, token_scope_inside, tokens_managed_by
from .models import Integrator, IntegratorToken, SecurityAction
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


# --- integrators' API tokens -----------------------------------------------------------------------------------

#: A token's last use is written at most this often, not on every call.
LAST_USE_RESOLUTION = datetime.timedelta(minutes=1)
#: The username of a token's account: this and the token's prefix.
ACCOUNT_USERNAME_START = "api-"


@dataclass(frozen=True)
class CreatedToken:
    """A token just created and its key, which exists nowhere else: show it once, never store it."""

    token: IntegratorToken
    key: str


def token_words(token: IntegratorToken) -> dict[str, str]:
    """A token as a person reads it, for its audit entries (in the source language)."""
    with _source_language():
        return {
            _("hệ thống"): token.integrator.name,
            _("tên mã"): token.name,
            _("tiền tố"): token.prefix,
            _("vai trò"): str(token.get_role_display()) if token.role else _("Không có (chỉ đọc dữ liệu công khai)"),
            _("phạm vi"): str(token.scope) if token.scope is not None else "—",
            _("chỉ đọc"): _("Có") if token.read_only else _("Không"),
            _("dùng được đến hết ngày"): date_format(token.last_day, "d/m/Y") if token.last_day else _("Không hết hạn"),
        }


def _actor_role(user) -> str:
    return scopes_of(user).audit_role() if user is not None else ""


def _unused_key() -> tokens.NewKey:
    """A new key whose prefix no token (and no account name) uses yet: 36^8 prefixes make a retry very rare."""
    accounts = get_user_model().objects
    while True:
        made = tokens.new_key()
        taken = IntegratorToken.objects.filter(prefix=made.prefix).exists()
        if not taken and not accounts.filter(username=f"{ACCOUNT_USERNAME_START}{made.prefix}").exists():
            return made


@transaction.atomic
def integrator_token_create(
    *,
    province: Unit,
    integrator_name: str,
    name: str,
    user=None,
    role: str = "",
    unit: Unit | None = None,
    department: Department | None = None,
    read_only: bool = True,
    expires_at: datetime.datetime | None = None,
) -> CreatedToken:
    """A new token of the integrator ``integrator_name`` of ``province`` (created on first use), made by ``user``
    (``None``: an operator at the command line).

    A token without a role is read-only. A token with a role gets its own account holding that role over its
    scope (an office editor's scope is the province itself); ``read_only`` keeps it to reading even then.
    """
    if role == Role.OFFICE_EDITOR:
        unit = province
    if not token_scope_inside(province=province, role=role, unit=unit, department=department):
        raise errors.DomainError(_("Phạm vi này không thuộc tỉnh của hệ thống tích hợp."), details=["scope"])
    if user is not None and not may_grant_token_role(
        user, province=province, role=role, unit=unit, department=department
    ):
        raise errors.DomainError(
            _("Bạn không có quyền tạo mã truy cập với vai trò và phạm vi này."), code=errors.FORBIDDEN
        )
    if not role and not read_only:
        raise errors.DomainError(_("Mã không có vai trò chỉ được đọc dữ liệu."), details=["read_only"])
    if expires_at is not None and expires_at <= timezone.now():
        raise errors.DomainError(_("Ngày hết hạn không được trước hôm nay."), details=["expires_on"])
    integrator_name, name = integrator_name.strip(), name.strip()
    if not integrator_name or not name:
        raise errors.DomainError(_("Cần tên hệ thống và tên mã."), details=["integrator", "name"])
    # One integrator per name in a province, whichever edition's unit the province is reached through.
    integrator = Integrator.objects.filter(province__code=province.code, name=integrator_name).first()
    if integrator is None:
        integrator = Integrator.objects.create(province=province, name=integrator_name, created_by=user)
    made = _unused_key()
    account = get_user_model().objects.create_user(
        username=f"{ACCOUNT_USERNAME_START}{made.prefix}",
        password=None,  # unusable: the account never logs in (cms.security.backends refuses it too)
        first_name=integrator.name[:150],
        last_name=f"({name})"[:150],
    )
    token = IntegratorToken.objects.create(
        integrator=integrator,
        account=account,
        name=name,
        prefix=made.prefix,
        key_hash=made.key_hash,
        read_only=read_only,
        role=role,
        unit=unit if role and role != Role.DEPARTMENT_APPRAISER else None,
        department=department if role == Role.DEPARTMENT_APPRAISER else None,
        created_by=user,
        expires_at=expires_at,
    )
    if role:
        directory_services.membership_create(
            user=account, role=role, unit=token.unit, department=token.department, actor=user
        )
    audit_record(
        subject=token,
        action=SecurityAction.API_TOKEN_CREATED,
        user=user,
        role=_actor_role(user),
        after=token_words(token),
    )
    return CreatedToken(token=token, key=made.key)


@transaction.atomic
def integrator_token_revoke(*, token: IntegratorToken, user=None, comment: str = "") -> IntegratorToken:
    """Revoke ``token`` for good: it authenticates no more, its account is switched off and its role taken back."""
    token = IntegratorToken.objects.select_for_update().select_related("integrator", "account").get(pk=token.pk)
    if user is not None and not tokens_managed_by(user).filter(pk=token.pk).exists():
        raise errors.DomainError(_("Bạn không có quyền thu hồi mã truy cập này."), code=errors.FORBIDDEN)
    if token.revoked_at is not None:
        raise errors.DomainError(_("Mã truy cập này đã bị thu hồi."), code=errors.WRONG_STATE)
    token.revoked_at = timezone.now()
    token.revoked_by = user
    token.save(update_fields=["revoked_at", "revoked_by"])
    account = token.account
    account.is_active = False
    account.save(update_fields=["is_active"])
    for membership in account.memberships.select_related("unit", "department"):
        directory_services.membership_delete(membership=membership, actor=user)
    audit_record(
        subject=token,
        action=SecurityAction.API_TOKEN_REVOKED,
        user=user,
        role=_actor_role(user),
        comment=comment,
        before=token_words(token),
    )
    return token


def integrator_token_touch(*, token: IntegratorToken, at: datetime.datetime | None = None) -> bool:
    """Record that ``token`` was just used, unless that was recorded less than :data:`LAST_USE_RESOLUTION` ago
    (one row update, not a write per API call); whether it wrote."""
    at = at or timezone.now()
    if token.last_used_at is not None and at - token.last_used_at < LAST_USE_RESOLUTION:
        return False
    IntegratorToken.objects.filter(pk=token.pk).update(last_used_at=at)
    token.last_used_at = at
    return True
