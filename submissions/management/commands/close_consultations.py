"""manage.py close_consultations — close every public consultation whose period has ended (``closes_on`` before
today) and freeze its summary for the recognition dossier. Run it daily from the scheduler (cron or a systemd timer),
beside the other daily commands; the office can also close one earlier from the admin."""

from django.core.management.base import BaseCommand

from submissions.consultation.services import consultations_close_due


class Command(BaseCommand):
    help = "Close the public consultations whose period has ended and freeze their summaries."

    def handle(self, *args, **options):
        closed = consultations_close_due()
        self.stdout.write(self.style.SUCCESS(f"Closed {closed} consultation(s)"))
