"""manage.py erase_consultation_contacts — erase the names and contacts residents left with their comments once
``CONSULTATION_CONTACT_RETENTION_DAYS`` have passed (Decree 13/2023/NĐ-CP: personal data kept no longer than needed).
Run it daily from the scheduler, beside the other daily commands."""

from django.core.management.base import BaseCommand

from submissions.consultation.services import consultation_contacts_erase


class Command(BaseCommand):
    help = "Erase commenters' names and contacts older than CONSULTATION_CONTACT_RETENTION_DAYS."

    def handle(self, *args, **options):
        erased = consultation_contacts_erase()
        self.stdout.write(self.style.SUCCESS(f"Erased the name and contact of {erased} comment(s)"))
