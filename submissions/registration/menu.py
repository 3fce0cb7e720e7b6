"""The admin menu's item "Đăng ký danh hiệu": shown to the offices (and, to read, national readers)."""

from wagtail.admin.menu import MenuItem

from submissions import access

MENU_NAME = "ntm-registration"


class RegistrationMenuItem(MenuItem):
    def is_shown(self, request):
        return access.reads_registrations(request.user)
