"""The admin menu's item "Danh hiệu", shown to the offices (and national readers, to read)."""

from wagtail.admin.menu import MenuItem

from submissions import access


class TitlesMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may_read_titles(request.user)
