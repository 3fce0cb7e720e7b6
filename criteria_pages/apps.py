from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CriteriaPagesConfig(AppConfig):
    name = "criteria_pages"
    verbose_name = _("Bộ tiêu chí")

    def ready(self):
        # Imported here because models must be loaded first.
        from cms.directory.models import Role  # noqa: PLC0415
        from cms.directory.roles import grant  # noqa: PLC0415

        from . import services  # noqa: PLC0415

        for role in (Role.OFFICE_EDITOR, Role.DISTRICT_REVIEWER, Role.DEPARTMENT_APPRAISER):
            grant(role, "criteria_pages.view_criteriasetversion")
        post_migrate.connect(services.criteria_index_ensure_after_migrate, dispatch_uid="criteria_pages_index")
