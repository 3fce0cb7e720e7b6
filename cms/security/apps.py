from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "cms.security"
    label = "security"
    verbose_name = _("Bảo mật đăng nhập")

    def ready(self):
        # Connect the lockout receiver and register the deployment checks once the app registry is ready.
        from cms.audit.history import register_history  # noqa: PLC0415

        from . import access, checks, signals  # noqa: F401, PLC0415
        from .models import IntegratorToken  # noqa: PLC0415

        # A token's history (created, revoked) is read by those who manage it.
        register_history(IntegratorToken, access.tokens_managed_by)
