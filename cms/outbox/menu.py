"""The admin menu's item "Thư thông báo", or "Thư không gửi được (N)" while notices of the viewer's provinces
failed (one query)."""

from django.utils.translation import gettext as _

from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem

from . import access, selectors


class OutboxMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may_view_notices(request.user)

    def render_component(self, request):
        failed = selectors.failed_count(request.user)
        label = _("Thư không gửi được (%(count)s)") % {"count": failed} if failed else self.label
        return LinkMenuItem(
            self.name, label, self.url, icon_name=self.icon_name, classname=self.classname, attrs=self.attrs
        )
