from django.conf import settings
from django.core.management.base import BaseCommand

from cms.directory import demo as directory_demo
from criteria_pages import demo as criteria_demo
from public_site import demo as public_demo
from submissions import demo as submissions_demo


class Command(BaseCommand):
    help = "Load demo data: Đắk Lắk units, departments, one user per role, criteria sets. Safe to run again."

    def handle(self, *args, **options):
        logins = directory_demo.load()
        sets = criteria_demo.load()
        round_ = submissions_demo.load()
        public_demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded (flagged as demo / illustrative data)."))
        for page in sets:
            flag = " [illustrative targets]" if page.is_illustrative else ""
            self.stdout.write(f"  criteria set: {page.title}{flag}")
        self.stdout.write(f"  open round: {round_.name} ({round_.submissions.count()} communes)")
        self.stdout.write(f"Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/")
        self.stdout.write(f"Commune form: {settings.WAGTAILADMIN_BASE_URL}/danh-gia/ (canbo_xa)")
        self.stdout.write(f"Review queue: {settings.WAGTAILADMIN_BASE_URL}/xet-duyet/ (thamtra_huyen, thamdinh_so)")
        self.stdout.write(f"Password for every demo user: {directory_demo.DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.username:<15} {login.role:<30} {login.scope}")
