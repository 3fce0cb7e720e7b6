"""Admin registration for criteria sets. Every wagtail-modeladmin import lives in this file."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from . import access, views
from .models import CriteriaSetPage, CriterionPage


@hooks.register("before_publish_page")
def publish_set_with_its_criteria(request, page):
    """A set is published with its criteria's unpublished changes; a set without criteria is refused."""
    if isinstance(page.specific, CriteriaSetPage):
        return views.before_publish_set(request, page.specific)
    return None


@hooks.register("after_publish_page")
def freeze_published_set(request, page):
    """Publishing a set freezes its next version (only if something changed since the last one); publishing a
    criterion alone says that the set must be published again."""
    specific = page.specific
    if isinstance(specific, CriteriaSetPage):
        return views.after_publish_set(request, specific)
    if isinstance(specific, CriterionPage):
        return views.after_publish_criterion(request, specific)
    return None


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("criteria/sets/<int:page_id>/versions/", views.set_versions, name="criteria_set_versions"),
        path("criteria/sets/<int:page_id>/export.<str:fmt>", views.set_export, name="criteria_set_export"),
        path("criteria/import/", views.set_import, name="criteria_set_import"),
    ]


@hooks.register("register_page_listing_more_buttons")
def set_version_buttons(page, user, next_url=None):
    if isinstance(page.specific_deferred, CriteriaSetPage) and user.has_perm(views.VIEW_VERSIONS):
        yield Button(_("Phiên bản"), reverse("criteria_set_versions", args=[page.pk]), priority=55, icon_name="history")
        for fmt, label in (("xlsx", _("Xuất Excel")), ("json", _("Xuất JSON"))):
            yield Button(label, reverse("criteria_set_export", args=[page.pk, fmt]), priority=56, icon_name="download")


class ImportSetMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(access.import_indexes_for(request.user))


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportSetMenuItem(_("Nhập bộ tiêu chí"), reverse("criteria_set_import"), icon_name="upload", order=300)
