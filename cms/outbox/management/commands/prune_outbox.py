"""``manage.py prune_outbox``: delete sent notices older than ``OUTBOX_KEEP_DAYS`` days (failed and pending ones
stay for the office). Run daily by the scheduler, beside ``prune_db_task_results``."""

from django.conf import settings
from django.core.management.base import BaseCommand

from cms.outbox import services


class Command(BaseCommand):
    help = "Xóa thư thông báo đã gửi cũ hơn số ngày lưu giữ (OUTBOX_KEEP_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Days kept (default: OUTBOX_KEEP_DAYS).")

    def handle(self, *args, days=None, **options):
        deleted = services.notices_prune(keep_days=settings.OUTBOX_KEEP_DAYS if days is None else days)
        self.stdout.write(f"Deleted {deleted} sent notice(s).")
