"""The security app stores nothing of its own: failed attempts live in django-axes' tables, TOTP devices in
django-otp's. It names its audit actions here, so every history view reads them as words."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.audit.models import register_actions


class SecurityAction(models.TextChoices):
    LOGIN_LOCKED = "login_locked", _("Khóa đăng nhập sau nhiều lần sai mật khẩu")
    LOGIN_UNLOCKED = "login_unlocked", _("Mở khóa đăng nhập")
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Thiết lập xác thực hai bước")
    TWO_FACTOR_RESET = "two_factor_reset", _("Gỡ thiết bị xác thực hai bước")


register_actions(SecurityAction)
