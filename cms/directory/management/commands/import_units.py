import datetime
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.directory import services

_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


class Command(BaseCommand):
    help = "Import an official administrative-unit list (CSV or XLSX) into an edition. All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--edition",
            type=datetime.date.fromisoformat,
            help="Date of the official list (YYYY-MM-DD); default: the date in the file name.",
        )
        parser.add_argument("--name", default="", help="Name of the edition (default: from its date).")
        parser.add_argument("--province", default="", help="Import only this province's subtree (its code).")

    def handle(self, *args, file: Path, edition, name, province, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        if edition is None:
            match = _DATE_IN_NAME.search(file.name)
            if not match:
                raise CommandError("Give --edition YYYY-MM-DD: the file name holds no date.")
            edition = datetime.date.fromisoformat(match.group(1))
        report = services.units_import(
            data=file.read_bytes(), filename=file.name, edition_date=edition, edition_name=name, province_code=province
        )
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(report.problems)} problem(s); nothing was imported.")
        for level, created, updated, unchanged in report.summary_rows():
            self.stdout.write(f"{level}: {created} new, {updated} updated, {unchanged} unchanged")
        if report.successions:
            self.stdout.write(f"{report.successions} merged-from links")
        if report.pending:
            waiting = (
                report.pending_edition.date.isoformat() if report.pending_edition else "an edition not imported yet"
            )
            self.stdout.write(f"{report.pending} merged-from links pending (waiting for {waiting})")
        if report.resolved:
            self.stdout.write(f"{report.resolved} pending merged-from links resolved")
        if report.left_out_rows:
            self.stdout.write(f"{report.left_out_rows} rows of {report.left_out_provinces} other provinces left out")
        if report.corrected:
            self.stdout.write(f"{report.corrected} codes read through recorded corrections")
        self.stdout.write(self.style.SUCCESS(f"Imported {report.edition} in {report.seconds:.1f} s"))
