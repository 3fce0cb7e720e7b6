from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PublicSiteConfig(AppConfig):
    name = "public_site"
    verbose_name = _("Trang công khai")

    def ready(self):
        # Imported here because models must be loaded first.
        from cms.directory.signals import memberships_changed, units_imported  # noqa: PLC0415

        from . import services  # noqa: PLC0415

        post_migrate.connect(services.public_pages_ensure_after_migrate, dispatch_uid="public_site_sections")
        units_imported.connect(services.commune_pages_after_import, dispatch_uid="public_site_commune_pages")
        memberships_changed.connect(services.province_editors_after_memberships, dispatch_uid="public_site_editors")
