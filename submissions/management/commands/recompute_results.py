from django.core.management.base import BaseCommand, CommandError

from submissions.entry import services
from submissions.models import Round


class Command(BaseCommand):
    help = "Recompute every stored verdict (indicator, criterion, standard) from the stored values."

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, help="Only this round (id).")

    def handle(self, *args, round=None, **options):  # noqa: A002 - the option's name
        round_ = None
        if round is not None:
            round_ = Round.objects.filter(pk=round).first()
            if round_ is None:
                raise CommandError(f"No round {round}")
        count = services.results_recompute(round_=round_)
        self.stdout.write(self.style.SUCCESS(f"Recomputed {count} submissions"))
