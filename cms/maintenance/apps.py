from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    name = "cms.maintenance"
    label = "maintenance"
    verbose_name = _("Sao lưu và khôi phục")
