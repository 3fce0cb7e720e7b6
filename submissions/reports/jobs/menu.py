"""The admin menu's item "Tệp xuất của tôi", shown to the people who export rounds."""

from wagtail.admin.menu import MenuItem

from submissions import access


class ExportJobsMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may_export(request.user)
