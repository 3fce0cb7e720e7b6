import datetime

from django.core.management.base import BaseCommand, CommandError

from cms.directory import selectors as directory_selectors
from cms.directory.models import Edition, Unit, UnitLevel
from public_site import services


class Command(BaseCommand):
    help = "Create the missing public commune pages (one per commune-level unit). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--province", help="Only the communes of this province (its code, e.g. 66).")
        parser.add_argument(
            "--edition", help="Official list date, YYYY-MM-DD (default: the newest edition).", default=None
        )

    def handle(self, *args, province=None, edition=None, **options):
        if edition:
            try:
                date = datetime.date.fromisoformat(edition)
            except ValueError as exc:
                raise CommandError("--edition: use YYYY-MM-DD.") from exc
            chosen = Edition.objects.filter(date=date).first()
        else:
            chosen = directory_selectors.edition_latest()
        if chosen is None:
            raise CommandError("No such edition of the unit list; import one first.")
        units = Unit.objects.filter(edition=chosen, level=UnitLevel.COMMUNE)
        if province:
            root = Unit.objects.filter(edition=chosen, code=province, level=UnitLevel.PROVINCE).first()
            if root is None:
                raise CommandError(f"No province {province} in the list of {chosen.date:%d/%m/%Y}.")
            units = units.filter(path__startswith=root.path)
        created = services.commune_pages_ensure(units=units)
        self.stdout.write(
            self.style.SUCCESS(f"{len(created)} commune page(s) created ({units.count()} communes in scope).")
        )
