from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from criteria_pages import services
from criteria_pages.models import CriteriaIndexPage


class Command(BaseCommand):
    help = "Import a whole criteria set from .xlsx or .json (the admin's template); publishes a new version."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        report = services.criteria_set_import_file(
            data=file.read_bytes(), filename=file.name, parent=CriteriaIndexPage.objects.get()
        )
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(report.problems)} problem(s); nothing was imported.")
        page, version = report.page, report.version
        self.stdout.write(self.style.SUCCESS(f"Imported {page.title} (code {page.code}): version {version.number}"))
