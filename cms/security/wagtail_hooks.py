"""Admin registration: the locked logins page and the menu items of the security pages."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .access import may_manage_lockouts, needs_two_factor


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("security/locked-logins/", views.locked_logins, name="security_locked_logins"),
        path("security/locked-logins/unlock/", views.login_unlock, name="security_login_unlock"),
    ]


class LockedLoginsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage_lockouts(request.user)


class TwoFactorMenuItem(MenuItem):
    def is_shown(self, request):
        return needs_two_factor(request.user)


@hooks.register("register_admin_menu_item")
def register_locked_logins_menu_item():
    return LockedLoginsMenuItem(_("Tài khoản bị khóa"), reverse("security_locked_logins"), icon_name="lock", order=950)


@hooks.register("register_admin_menu_item")
def register_two_factor_menu_item():
    return TwoFactorMenuItem(_("Xác thực hai bước"), reverse("two_factor_enrol"), icon_name="key", order=951)
