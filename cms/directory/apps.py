from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "cms.directory"
    label = "directory"
    verbose_name = _("Danh mục dùng chung")

    def ready(self):
        from django.contrib.auth import get_user_model  # noqa: PLC0415  (app registry must be ready)

        from cms.audit.history import register_history  # noqa: PLC0415

        from . import access, audit, roles  # noqa: F401, PLC0415  (audit registers the directory's actions)

        register_history(get_user_model(), access.people_managed_by)

        post_migrate.connect(roles.sync_role_groups_after_migrate, dispatch_uid="directory_sync_role_groups")
