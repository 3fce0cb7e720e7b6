from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "cms.people"
    label = "people"
    verbose_name = _("Người dùng của tỉnh")

    def ready(self):
        from . import audit, checks  # noqa: F401, PLC0415  (register the audit actions and the deploy check)
