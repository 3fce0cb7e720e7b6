from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.directory.models import Unit, UnitLevel
from criteria_pages import selectors, services


class Command(BaseCommand):
    help = (
        "Import a whole criteria set from .xlsx or .json (the admin's template); publishes a new version. "
        "Into the default site's index, a province's own (--province) or the national library (--national)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--province", help="Into this province's own sets (its code, e.g. 66).")
        where.add_argument("--national", action="store_true", help="Into the national library (every province).")

    def handle(self, *args, file: Path, province=None, national=False, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        if national:
            index = services.criteria_national_index_ensure()
        elif province:
            unit = Unit.objects.filter(code=province, level=UnitLevel.PROVINCE).order_by("-edition__date").first()
            index = selectors.index_for_province(unit) if unit else None
            if index is None:
                raise CommandError(f"Province {province} has no site yet: run create_province_site first.")
        else:
            index = services.criteria_index_ensure()
            if index is None:
                raise CommandError("No home page yet: run migrate first.")
        report = services.criteria_set_import_file(data=file.read_bytes(), filename=file.name, parent=index)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(report.problems)} problem(s); nothing was imported.")
        page, version = report.page, report.version
        self.stdout.write(self.style.SUCCESS(f"Imported {page.title} (code {page.code}): version {version.number}"))
