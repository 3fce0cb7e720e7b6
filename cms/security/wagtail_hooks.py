"""Admin registration: the locked logins and API tokens pages, and the menu items of the security pages."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .access import may_manage_lockouts, may_manage_tokens, needs_two_factor


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("security/locked-logins/", views.locked_logins, name="security_locked_logins"),
        path("security/locked-logins/unlock/", views.login_unlock, name="security_login_unlock"),
        path("security/api-tokens/", views.integrator_tokens, name="security_integrator_tokens"),
        path("security/api-tokens/new/", views.integrator_token_create, name="security_integrator_token_create"),
        path(
            "security/api-tokens/<int:pk>/revoke/",
            views.integrator_token_revoke,
            name="security_integrator_token_revoke",
        ),
    ]


class LockedLoginsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage_lockouts(request.user)


class IntegratorTokensMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage_tokens(request.user)


class TwoFactorMenuItem(MenuItem):
    def is_shown(self, request):
        return needs_two_factor(request.user)


@hooks.register("register_admin_menu_item")
def register_locked_logins_menu_item():
    return LockedLoginsMenuItem(_("Tài khoản bị khóa"), reverse("security_locked_logins"), icon_name="lock", order=950)


@hooks.register("register_admin_menu_item")
def register_two_factor_menu_item():
    return TwoFactorMenuItem(_("Xác thực hai bước"), reverse("two_factor_enrol"), icon_name="key", order=951)


@hooks.register("register_admin_menu_item")
def register_integrator_tokens_menu_item():
    return IntegratorTokensMenuItem(
        _("Mã truy cập API"), reverse("security_integrator_tokens"), icon_name="password", order=952
    )
