"""Admin registration: the outbox's page and its menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from .menu import OutboxMenuItem


@hooks.register("register_admin_urls")
def register_outbox_urls():
    return [path("thu-thong-bao/", include("cms.outbox.admin_urls"))]


@hooks.register("register_admin_menu_item")
def register_outbox_menu_item():
    return OutboxMenuItem(_("Thư thông báo"), reverse("outbox_index"), name="ntm-outbox", icon_name="mail", order=950)
