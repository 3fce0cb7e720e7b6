"""manage.py prune_exports — delete background exports past their retention (``EXPORT_RETENTION_DAYS``), files
included. Run it daily from the scheduler (cron or a systemd timer), beside the other daily commands."""

from django.core.management.base import BaseCommand

from submissions.reports.jobs.services import export_jobs_prune


class Command(BaseCommand):
    help = "Delete background export jobs and their files once their retention period (EXPORT_RETENTION_DAYS) ends."

    def handle(self, *args, **options):
        deleted = export_jobs_prune()
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} expired export job(s)"))
