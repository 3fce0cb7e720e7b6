from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from criteria_pages import selectors, services, transfer
from criteria_pages.models import CriteriaIndexPage


class Command(BaseCommand):
    help = "Import a whole criteria set from .xlsx or .json (the admin's template); publishes a new version."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        departments, groups = selectors.transfer_vocabulary()
        spec, problems = transfer.spec_from_file(file.read_bytes(), file.name, departments=departments, groups=groups)
        if spec is None or problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(problems)} problem(s); nothing was imported.")
        page, version = services.criteria_set_import(spec=spec, parent=CriteriaIndexPage.objects.get())
        self.stdout.write(self.style.SUCCESS(f"Imported {page.title} (code {spec.code}): version {version.number}"))
