"""manage.py export_round ROUND_ID --output FILE [--kind summary|unit|departments|statistics] [--unit CODE]

Writes the same xlsx files as the admin's export buttons (``submissions.exports``), streamed to FILE.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from submissions.models import Round
from submissions.reports import exports, statistics
from submissions.reports.exports import ExportKind
from submissions.reports.statistics import Basis


class Command(BaseCommand):
    help = "Write an xlsx export of a round: summary matrix, one unit's report, departments' lists or statistics."

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)
        parser.add_argument("--output", type=Path, required=True, help="The .xlsx file to write.")
        parser.add_argument("--kind", choices=ExportKind.values, default=ExportKind.SUMMARY)
        parser.add_argument("--unit", default="", help="Unit code (required for --kind unit).")
        parser.add_argument("--parent", default="", help="Only the subtree of this province or district code.")
        parser.add_argument("--basis", choices=Basis.values, default=Basis.ALL)

    def handle(self, *args, round_id: int, output: Path, kind: str, unit: str, parent: str, basis: str, **options):
        round_ = Round.objects.select_related("criteria_version").filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(f"No round {round_id}")
        units = {}
        for name, code in (("unit", unit), ("parent", parent)):
            if code:
                units[name] = statistics.unit_in_round(round_, code)
                if units[name] is None:
                    raise CommandError(f"No unit {code} in the edition of round {round_id}")
        if kind == ExportKind.UNIT and "unit" not in units:
            raise CommandError("--kind unit needs --unit CODE")
        try:
            exports.export_round(
                round_, kind, str(output), parent=units.get("parent"), unit=units.get("unit"), basis=basis
            )
        except exports.ExportError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
