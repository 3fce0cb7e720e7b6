"""Delete private files (evidence, decision documents, registration files, precondition evidence, scanned paper
surveys, title decisions and revocations: ``submissions.entry.services.PRIVATE_FOLDERS``) that no database row
refers to.

A save that failed or was killed after writing its file leaves such a file; run this daily (cron or a
systemd timer), e.g. ``manage.py remove_orphan_files``. Files younger than an hour are left alone.
"""

import datetime

from django.core.management.base import BaseCommand

from submissions.entry import services


class Command(BaseCommand):
    help = "Delete private files that no database row (evidence, decision, registration, title...) refers to."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=60, help="Leave younger files alone.")
        parser.add_argument("--dry-run", action="store_true", help="List the files without deleting them.")

    def handle(self, *args, older_than_minutes, dry_run, **options):
        removed = services.orphan_files_remove(
            older_than=datetime.timedelta(minutes=older_than_minutes), dry_run=dry_run
        )
        for name in removed:
            self.stdout.write(name)
        verb = "sẽ xoá" if dry_run else "đã xoá"
        self.stdout.write(self.style.SUCCESS(f"{len(removed)} tệp không thuộc hồ sơ nào: {verb}."))
