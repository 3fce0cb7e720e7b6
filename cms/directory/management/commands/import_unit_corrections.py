from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.directory import corrections


class Command(BaseCommand):
    help = (
        "Record and apply corrections of official unit lists from a CSV/XLSX file "
        "(columns: edition, old_code, new_code, legal_basis, note). All or nothing; applying twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?", help="Default: every file shipped in data/corrections/.")

    def handle(self, *args, file: Path | None, **options):
        if file is None:
            paths = sorted(corrections.SHIPPED_DIR.glob("*.csv"))
        elif file.exists():
            paths = [file]
        else:
            raise CommandError(f"No such file: {file}")
        for path in paths:
            report = corrections.corrections_import(data=path.read_bytes(), filename=path.name)
            if not report.ok:
                for problem in report.problems:
                    self.stderr.write(str(problem))
                raise CommandError(f"{path.name}: {len(report.problems)} problem(s); nothing was recorded.")
            for row in report.applied:
                self.stdout.write(f"{row.edition_date}: {row.old_code} -> {row.new_code} applied to {row.unit}")
            for row in report.recorded:
                self.stdout.write(f"{row.edition_date}: {row.old_code} -> {row.new_code} recorded (no unit changed)")
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path.name}: {len(report.applied)} applied, {len(report.recorded)} recorded, "
                    f"{report.unchanged} already recorded, in {report.seconds:.2f} s"
                )
            )
