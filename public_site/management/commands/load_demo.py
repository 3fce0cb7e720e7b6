from django.conf import settings
from django.core.management.base import BaseCommand

from cms.directory import demo as directory_demo
from cms.outbox import worker
from cms.people import demo as people_demo
from criteria_pages import demo as criteria_demo
from public_site import demo as public_demo
from submissions import demo as submissions_demo


class Command(BaseCommand):
    help = (
        "Load demo data: Đắk Lắk in the three-level list (history) and the two-level list (in force), departments, "
        "accounts (through the people import), criteria sets and their rounds, and an illustrative OCOP round "
        "(producers, a council, recognised products in the public catalogue). Safe to run again."
    )

    def handle(self, *args, **options):
        logins = directory_demo.load()
        people = people_demo.load()
        sets = criteria_demo.load()
        rounds = submissions_demo.load()
        public_demo.load()
        # Wagtail queued its search-index and reference updates: run them now, so the demo is searchable at once.
        ran = worker.tasks_run_ready()
        self.stdout.write(self.style.SUCCESS("Demo data loaded (flagged as demo / illustrative data)."))
        self.stdout.write(f"  background tasks run: {ran} (search index, references, e-mails)")
        for page in sets:
            flag = " [illustrative targets]" if page.is_illustrative else ""
            self.stdout.write(f"  criteria set: {page.title}{flag}")
        for round_ in rounds:
            counted = "product dossiers" if round_.evaluates_products else "communes"
            self.stdout.write(f"  round: {round_.name} ({round_.submissions.count()} {counted})")
        self.stdout.write(
            f"  accounts from the people import: {len(people.created)} created, "
            f"{people.memberships_created} roles granted ({people.seconds:.1f} s)"
        )
        self.stdout.write(f"Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/")
        self.stdout.write(f"After login, everyone lands on their work: {settings.WAGTAILADMIN_BASE_URL}/cong-viec/")
        self.stdout.write(f"Password for every demo user: {directory_demo.DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.username:<15} {login.role:<40} {login.scope}")
        self.stdout.write(
            "  canbo_<commune code>, thamdinh_<department>: one per commune and department of the 2026 round"
        )
