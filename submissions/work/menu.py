"""The admin menu's item "Chờ xét duyệt (N)": shown to everyone with a review queue, counting what waits
for their own action (one query)."""

from django.utils.translation import gettext as _

from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem

from submissions import access
from submissions.review import selectors as review_selectors


class ReviewQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_reviewer(request.user)

    def render_component(self, request):
        label = _("Chờ xét duyệt (%(count)s)") % {"count": review_selectors.waiting_count(request.user)}
        return LinkMenuItem(
            self.name, label, self.url, icon_name=self.icon_name, classname=self.classname, attrs=self.attrs
        )
