from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "cms.security"
    label = "security"
    verbose_name = _("Bảo mật đăng nhập")

    def ready(self):
        # Connect the lockout receiver and register the deployment checks once the app registry is ready.
        from . import checks, signals  # noqa: F401, PLC0415
