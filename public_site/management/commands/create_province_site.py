from django.core.management.base import BaseCommand, CommandError

from cms.directory import selectors as directory_selectors
from cms.directory.models import Unit, UnitLevel
from public_site import services


class Command(BaseCommand):
    help = (
        "Create (or bring up to date) a province's public site: its home page answering HOST, its sections, its "
        "own criteria index, its commune pages and its office editors' page permissions. Safe to run again. "
        "The first province takes the existing home page of a single-province install."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="The province's code, e.g. 66.")
        parser.add_argument("--hostname", required=True, help="The host name the site answers, e.g. daklak.example.")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--site-name", default="", help="Shown in the admin (default: Nông thôn mới – <province>).")
        parser.add_argument(
            "--default", action="store_true", help="Make it the default site (answers every unknown host name)."
        )

    def handle(self, *args, province, hostname, port, site_name, default, **options):
        edition = directory_selectors.edition_latest()
        unit = (
            Unit.objects.filter(code=province, level=UnitLevel.PROVINCE, edition=edition).first()
            or Unit.objects.filter(code=province, level=UnitLevel.PROVINCE).order_by("-edition__date").first()
        )
        if unit is None:
            raise CommandError(f"No province {province} in the list of units; import it first.")
        try:
            home = services.province_site_ensure(
                province=unit, hostname=hostname, port=port, default=default, site_name=site_name
            )
        except services.ProvinceSiteError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{unit.name}: http://{hostname}{'' if port == 80 else f':{port}'}/ "))
        self.stdout.write(f"  home page: {home.title} (id {home.pk}); editors group: {home.editors.name}")
