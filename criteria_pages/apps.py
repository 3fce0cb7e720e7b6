from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaPagesConfig(AppConfig):
    name = "criteria_pages"
    verbose_name = _("Bộ tiêu chí")
