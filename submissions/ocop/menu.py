"""The admin menu's "OCOP" group: producers and products (office), councils (members and office), recognition (office).
Each item is shown to whom its screen serves; the group is shown when one of its items is."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from cms.directory.access import scopes_of
from cms.directory.models import Role
from submissions import access


class ProducersMenuItem(MenuItem):
    def is_shown(self, request):
        scopes = scopes_of(request.user)
        return scopes.is_superuser or scopes.has_role(Role.OFFICE_EDITOR, Role.COMMUNE_OFFICER)


class CouncilsMenuItem(MenuItem):
    def is_shown(self, request):
        """The office forms councils (no query); anyone else sees the item while sitting on one (one query per
        request: the menu asks more than once)."""
        if access.reviews_as_office(request.user):
            return True
        if not hasattr(request, "_ntm_sits_on_council"):
            request._ntm_sits_on_council = access.councils_of_member(request.user).exists()
        return request._ntm_sits_on_council


class RecognitionMenuItem(MenuItem):
    def is_shown(self, request):
        return access.reviews_as_office(request.user)


def ocop_menu_item() -> SubmenuMenuItem:
    menu = Menu(
        items=[
            ProducersMenuItem(_("Chủ thể, sản phẩm"), reverse_lazy("ocop_products:producer_list"), icon_name="group"),
            CouncilsMenuItem(_("Hội đồng chấm điểm"), reverse_lazy("councils:list"), icon_name="list-ol"),
            RecognitionMenuItem(
                _("Công nhận sản phẩm OCOP"), reverse_lazy("ocop_recognition:index"), icon_name="tick-inverse"
            ),
        ]
    )
    return SubmenuMenuItem(_("Sản phẩm OCOP"), menu, name="ntm-ocop", icon_name="pick", order=240)
