from django.conf import settings
from django.core.management.base import BaseCommand

from cms.directory import demo


class Command(BaseCommand):
    help = "Load demo data (Đắk Lắk units, departments, one user per role). Safe to run again."

    def handle(self, *args, **options):
        logins = demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded (flagged as demo data)."))
        self.stdout.write(
            f"Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/   password for every demo user: {demo.DEMO_PASSWORD}"
        )
        for login in logins:
            self.stdout.write(f"  {login.username:<15} {login.role:<30} {login.scope}")
