from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from criteria_pages import selectors, transfer
from criteria_pages.models import CriteriaSetPage


class Command(BaseCommand):
    help = "Export a criteria set (by code) as it is published now, to .xlsx or .json (by the output's suffix)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args, code: str, output: Path, **options):
        page = CriteriaSetPage.objects.filter(code=code).first()
        if page is None:
            raise CommandError(f"No criteria set with code {code}")
        spec = page.as_spec()
        if output.suffix == ".json":
            output.write_text(transfer.spec_to_json(spec), encoding="utf-8")
        elif output.suffix == ".xlsx":
            output.write_bytes(transfer.spec_to_xlsx(spec, group_codes=selectors.group_codes_for(spec)))
        else:
            raise CommandError("The output must end in .xlsx or .json")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
