"""What the portal keeps about a person beyond Django's user, and the one-time invitations that activate an account.

A :class:`Profile` holds the phone number (Django's user has none), the province whose office keeps the record
and when the person accepted the personal-data notice (Decree 13/2023/NĐ-CP). An :class:`Invitation` is one way
in for a new account: an e-mail with a one-time link (Django's token machinery, :mod:`cms.people.tokens`) or a
printed letter with a one-time code, stored hashed. Both expire, are used once, and a newer invitation cancels
the older ones.
"""

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="people_profile", verbose_name=_("người dùng")
    )
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True, db_index=True)
    province_code = models.CharField(
        _("mã tỉnh quản lý"), max_length=20, blank=True, help_text=_("Văn phòng Điều phối của tỉnh giữ hồ sơ này.")
    )
    privacy_accepted_at = models.DateTimeField(_("đồng ý thông báo dữ liệu cá nhân lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ người dùng")
        verbose_name_plural = _("hồ sơ người dùng")

    def __str__(self):
        return str(self.user)


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    LETTER = "letter", _("Thư kích hoạt in giấy")


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        """Invitations that can still activate an account: not used, not cancelled, not expired."""
        return self.filter(used_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("người dùng")
    )
    channel = models.CharField(_("hình thức"), max_length=10, choices=Channel.choices)
    code_hash = models.CharField(max_length=128, blank=True, editable=False)
    failed_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("dùng lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lời mời kích hoạt")
        verbose_name_plural = _("lời mời kích hoạt")

    def __str__(self):
        return f"{self.user} – {self.get_channel_display()} – {self.created_at:%d/%m/%Y}"

    def set_code(self, code: str) -> None:
        self.code_hash = make_password(code)

    def code_matches(self, code: str) -> bool:
        return bool(self.code_hash) and check_password(code, self.code_hash)
