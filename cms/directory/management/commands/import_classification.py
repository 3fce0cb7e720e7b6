import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.directory import classifying
from cms.directory.models import Classification, Edition


class Command(BaseCommand):
    help = (
        "Assign a classification's values to units from a CSV/XLSX of unit code -> value "
        "(columns ma_don_vi, gia_tri; an empty value clears it). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--classification", required=True, help="Code of the classification, e.g. commune_group.")
        parser.add_argument(
            "--edition",
            type=datetime.date.fromisoformat,
            help="Date of the unit list the codes are in (YYYY-MM-DD); default: the newest.",
        )

    def handle(self, *args, file: Path, classification, edition, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        found = Classification.objects.filter(code=classification).first()
        if found is None:
            codes = ", ".join(Classification.objects.values_list("code", flat=True))
            raise CommandError(f"No classification {classification!r}; use one of: {codes}")
        chosen = None
        if edition is not None:
            chosen = Edition.objects.filter(date=edition).first()
            if chosen is None:
                raise CommandError(f"No unit list dated {edition.isoformat()}")
        report = classifying.classification_import(
            classification=found, data=file.read_bytes(), filename=file.name, edition=chosen
        )
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(report.problems)} problem(s); no unit was changed.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{found.code} in {report.edition}: {report.assigned} assigned, {report.changed} changed, "
                f"{report.cleared} cleared, {report.unchanged} unchanged, in {report.seconds:.2f} s"
            )
        )
