from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class PublicSiteConfig(AppConfig):
    name = "public_site"
    verbose_name = _("Trang công khai")

    def ready(self):
        # Imported here because models must be loaded first.
        from wagtail.models import Page, PageViewRestriction, Site  # noqa: PLC0415
        from wagtail.signals import page_published, page_unpublished, post_page_move  # noqa: PLC0415

        from cms.directory.models import Unit  # noqa: PLC0415
        from cms.directory.signals import memberships_changed, units_imported  # noqa: PLC0415
        from submissions.models import Round, Submission, Title  # noqa: PLC0415
        from submissions.signals import results_changed, submissions_changed  # noqa: PLC0415

        from . import catalogue_sync, invalidation, services  # noqa: PLC0415

        post_migrate.connect(services.public_pages_ensure_after_migrate, dispatch_uid="public_site_sections")
        # Everything that changes what a public page shows makes the cached pages stale (public_site.invalidation).
        results_changed.connect(invalidation.on_results_changed, dispatch_uid="public_site_results")
        post_save.connect(invalidation.on_submission_saved, sender=Submission, dispatch_uid="public_site_submission")
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(invalidation.on_anything_changed, dispatch_uid="public_site_pages")
        # a title saved through the model (the admin, a script): it shows on its commune's and successors' pages
        for model in (Site, Unit, Round, PageViewRestriction, Title):
            for signal in (post_save, post_delete):
                signal.connect(invalidation.on_anything_changed, sender=model, dispatch_uid=f"public_site_{model}")
        # a page deleted (Wagtail sends no unpublish then): the cached routing of its site too
        post_delete.connect(invalidation.on_anything_changed, sender=Page, dispatch_uid="public_site_page_deleted")
        units_imported.connect(invalidation.on_anything_changed, dispatch_uid="public_site_units_cache")
        units_imported.connect(services.commune_pages_after_import, dispatch_uid="public_site_commune_pages")
        memberships_changed.connect(services.province_editors_after_memberships, dispatch_uid="public_site_editors")
        # the OCOP catalogue: a product's page appears while it is public, goes when it no longer is
        results_changed.connect(catalogue_sync.on_catalogue_results_changed, dispatch_uid="public_site_catalogue")
        submissions_changed.connect(
            catalogue_sync.on_catalogue_submissions_changed, dispatch_uid="public_site_catalogue_submissions"
        )
        # a certificate's QR code leads to its product's public page
        from submissions.ocop.recognition.links import register_product_url_resolver  # noqa: PLC0415

        from .products import product_page_url  # noqa: PLC0415

        register_product_url_resolver(product_page_url)
