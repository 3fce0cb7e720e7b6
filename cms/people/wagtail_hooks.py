"""Admin registration: the office's people pages and their menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .access import may_manage_people


@hooks.register("register_admin_urls")
def register_people_urls():
    return [path("nguoi-dung/", include("cms.people.admin_urls"))]


class PeopleMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage_people(request.user)


@hooks.register("register_admin_menu_item")
def register_people_menu_item():
    return PeopleMenuItem(_("Người dùng của tỉnh"), reverse("people_index"), icon_name="group", order=900)
