"""Admin registration for the directory: the modeladmin group, the unit import page and its menu item."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.options import modeladmin_register

from . import views
from .admin import DirectoryGroup

modeladmin_register(DirectoryGroup)


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("directory/import-units/", views.unit_import, name="directory_unit_import")]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.IMPORT_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("Nhập danh mục ĐVHC"), reverse("directory_unit_import"), icon_name="upload", order=901)
