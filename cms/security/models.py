"""What the security app stores: the integrators' API tokens. Failed login attempts live in django-axes' tables,
TOTP devices in django-otp's. It names its audit actions here, so every history view reads them as words."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.audit.models import register_actions
from cms.directory.models import Department, Role, Unit, UnitLevel


class SecurityAction(models.TextChoices):
    LOGIN_LOCKED = "login_locked", _("Khóa đăng nhập sau nhiều lần sai mật khẩu")
    LOGIN_UNLOCKED = "login_unlocked", _("Mở khóa đăng nhập")
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Thiết lập xác thực hai bước")
    TWO_FACTOR_RESET = "two_factor_reset", _("Gỡ thiết bị xác thực hai bước")
    API_TOKEN_CREATED = "api_token_created", _("Tạo mã truy cập API")
    API_TOKEN_REVOKED = "api_token_revoked", _("Thu hồi mã truy cập API")


register_actions(SecurityAction)


class Integrator(models.Model):
    """A system that calls the API on behalf of a province (e.g. the province's open data portal): the name its
    tokens are listed under. It belongs to the province of the office that created it."""

    name = models.CharField(_("tên hệ thống"), max_length=255)
    province = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        limit_choices_to={"level": UnitLevel.PROVINCE},
        related_name="+",
        verbose_name=_("tỉnh"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="unique_integrator_per_province")]
        verbose_name = _("hệ thống tích hợp")
        verbose_name_plural = _("hệ thống tích hợp")

    def __str__(self):
        return self.name


class IntegratorTokenQuerySet(models.QuerySet):
    def usable(self, at=None):
        """Tokens neither revoked nor expired (at ``at``, now by default)."""
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=at)
        )


class IntegratorToken(models.Model):
    """One API token of an integrator. The secret is shown once, at creation; only its SHA-256 is stored.

    Each token authenticates as its own ``account``: a user without a usable password who cannot log in to the
    web, holding the token's role (if any) as an ordinary membership, so the access modules treat a token's
    calls exactly as the calls of a person with that role and scope. A token without a role holds no
    membership: it reads what anonymous callers read (published data), identified and throttled per token.
    """

    integrator = models.ForeignKey(
        Integrator, on_delete=models.PROTECT, related_name="tokens", verbose_name=_("hệ thống tích hợp")
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="integrator_token", editable=False
    )
    name = models.CharField(_("tên mã"), max_length=255)
    #: The visible start of the key, unique: identifies the token in lists and logs.
    prefix = models.CharField(_("tiền tố"), max_length=16, unique=True, editable=False)
    #: SHA-256 (hex) of the whole key.
    key_hash = models.CharField(max_length=64, editable=False)
    read_only = models.BooleanField(_("chỉ đọc"), default=True)
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đơn vị")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("sở, ngành")
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = IntegratorTokenQuerySet.as_manager()

    class Meta:
        ordering = ["integrator__name", "-created_at"]
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self):
        return f"{self.integrator.name} – {self.name} ({self.prefix})"

    @property
    def scope(self):
        """The role's scope: a department for an appraiser, otherwise a unit (``None`` without a role)."""
        return self.department if self.role == Role.DEPARTMENT_APPRAISER else self.unit

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def last_day(self) -> datetime.date | None:
        """The last day the token works on, local time (it expires at the end of it)."""
        if self.expires_at is None:
            return None
        return timezone.localtime(self.expires_at - datetime.timedelta(microseconds=1)).date()

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
