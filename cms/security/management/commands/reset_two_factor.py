"""Remove a person's two-factor device (e.g. a lost phone); they set up a new one at their next login."""

from django.core.management.base import BaseCommand, CommandError

from cms.security import selectors, services


class Command(BaseCommand):
    help = "Gỡ thiết bị xác thực hai bước của một tài khoản (ví dụ khi mất điện thoại)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--comment", default="", help="Lý do, ghi vào nhật ký.")

    def handle(self, *args, username, comment, **options):
        account = selectors.account_named(username)
        if account is None:
            raise CommandError(f"Không có tài khoản {username}.")
        removed = services.two_factor_reset(account=account, comment=comment)
        self.stdout.write(f"Đã gỡ {removed} thiết bị của {username}.")
