"""Back up the whole site into one .tar.gz: the database's content and every stored file (media and private).

    manage.py backup_site /var/backups/ntm/ntm-backup-20261130-0200.tar.gz

Works with SQLite or PostgreSQL and with the local disk or the S3-compatible bucket. ``restore_site`` reads it.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from cms.maintenance import services


class Command(BaseCommand):
    help = "Sao lưu toàn bộ dữ liệu và tệp của hệ thống vào một tệp .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("output", nargs="?", help="Tệp .tar.gz sẽ ghi (mặc định: ntm-backup-<ngày-giờ>.tar.gz).")

    def handle(self, *args, output, **options):
        path = Path(output or services.backup_name())
        summary = services.site_backup(output=path)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu vào {path}: {summary.objects} bản ghi, {summary.files.get('media', 0)} tệp media, "
                f"{summary.files.get('private', 0)} tệp riêng tư ({summary.size} byte)."
            )
        )
