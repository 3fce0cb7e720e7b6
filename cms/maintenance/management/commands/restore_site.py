"""Restore a backup made by ``backup_site`` into a fresh install (an empty, or new, database and storage).

    manage.py restore_site ntm-backup-20261130-0200.tar.gz

The database is migrated, emptied and loaded; every file is written back under its own name; the search index is
rebuilt. A database that already has people in it is refused unless ``--replace`` is given.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.maintenance import services


class Command(BaseCommand):
    help = "Khôi phục dữ liệu và tệp từ một bản sao lưu .tar.gz vào hệ thống mới."

    def add_arguments(self, parser):
        parser.add_argument("source", help="Tệp .tar.gz do backup_site tạo ra.")
        parser.add_argument(
            "--replace", action="store_true", help="Xoá toàn bộ dữ liệu hiện có của cơ sở dữ liệu đích rồi khôi phục."
        )

    def handle(self, *args, source, replace, **options):
        try:
            summary = services.site_restore(source=Path(source), replace=replace)
        except services.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {summary.objects} bản ghi, {summary.files.get('media', 0)} tệp media, "
                f"{summary.files.get('private', 0)} tệp riêng tư ({summary.size} byte)."
            )
        )
