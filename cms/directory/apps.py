from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "cms.directory"
    label = "directory"
    verbose_name = _("Danh mục dùng chung")

    def ready(self):
        from . import roles  # noqa: PLC0415  (app registry must be ready)

        post_migrate.connect(roles.sync_role_groups_after_migrate, dispatch_uid="directory_sync_role_groups")
