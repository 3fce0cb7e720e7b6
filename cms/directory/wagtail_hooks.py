"""Admin registration for the directory: the modeladmin group, the import pages and their menu items."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.options import modeladmin_register

from . import views
from .admin import DirectoryGroup
from .products.admin import ProductsGroup

modeladmin_register(DirectoryGroup)
modeladmin_register(ProductsGroup)  # OCOP producers, products and the product classification


@hooks.register("register_admin_urls")
def register_import_url():
    return [
        path("directory/import-units/", views.unit_import, name="directory_unit_import"),
        path("directory/unit-corrections/", views.unit_corrections, name="directory_unit_corrections"),
        path("directory/import-classification/", views.classification_import, name="directory_classification_import"),
        path(
            "directory/import-classification/template/",
            views.classification_template,
            name="directory_classification_template",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.IMPORT_PERMISSION)


class ClassifyMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.CLASSIFY_PERMISSION)


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("Nhập danh mục ĐVHC"), reverse("directory_unit_import"), icon_name="upload", order=901)


@hooks.register("register_admin_menu_item")
def register_classification_menu_item():
    return ClassifyMenuItem(
        _("Nhập phân loại đơn vị"), reverse("directory_classification_import"), icon_name="tag", order=902
    )


@hooks.register("register_admin_menu_item")
def register_corrections_menu_item():
    return SuperuserMenuItem(
        _("Đính chính mã ĐVHC"), reverse("directory_unit_corrections"), icon_name="edit", order=903
    )
