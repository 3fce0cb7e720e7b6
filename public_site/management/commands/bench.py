"""Benchmark report: runs against a throw-away test database on the configured backend.

manage.py bench --output bench-report.md            # SQLite (default)
DATABASE_URL=postgres://... manage.py bench --output bench-report.md --append
"""

import datetime
import platform
import resource
import statistics
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection

from cms.directory import demo, services
from cms.directory.models import Department, Unit, UnitLevel
from criteria_pages import services as criteria_services
from criteria_pages import starter
from criteria_pages.models import CriteriaIndexPage
from submissions import services as submission_services
from submissions.models import Round, Submission


class Command(BaseCommand):
    help = "Measure import and query timings on a temporary database and write a Markdown report."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=Path("bench-report.md"))
        parser.add_argument("--append", action="store_true", help="Add to the report instead of replacing it.")

    def handle(self, *args, output: Path, append: bool, **options):
        vendor = connection.vendor
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            rows = self.run_benchmarks()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        lines = [
            f"## {vendor} — {datetime.datetime.now():%Y-%m-%d %H:%M}",
            "",
            f"Python {platform.python_version()}, {platform.machine()}, peak RSS {self.peak_mb():.0f} MB",
            "",
            "| measurement | result |",
            "|---|---|",
            *(f"| {name} | {value} |" for name, value in rows),
            "",
        ]
        text = "\n".join(lines)
        if append and output.exists():
            output.write_text(output.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
        else:
            output.write_text("# Benchmark report\n\n" + text, encoding="utf-8")
        self.stdout.write(text)

    @staticmethod
    def peak_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def run_benchmarks(self) -> list[tuple[str, str]]:
        rows = []
        for label, path, date in [
            ("import three-level list (10,047 communes), new", demo.THREE_LEVEL_FILE, demo.THREE_LEVEL_DATE),
            ("import two-level list (3,321 units + merged-from), new", demo.TWO_LEVEL_FILE, demo.TWO_LEVEL_DATE),
            ("re-import three-level list (all unchanged)", demo.THREE_LEVEL_FILE, demo.THREE_LEVEL_DATE),
        ]:
            started = time.perf_counter()
            report = services.units_import(data=path.read_bytes(), filename=path.name, edition_date=date)
            elapsed = time.perf_counter() - started
            if not report.ok:
                raise RuntimeError(report.problems[:5])
            rows.append((label, f"{elapsed:.2f} s ({report.total.total():,} units)"))
        rows += self.bench_rounds()
        return rows

    def bench_rounds(self) -> list[tuple[str, str]]:
        for code, name, _short in demo.DEMO_DEPARTMENTS:
            Department.objects.get_or_create(code=code, defaults={"name": name})
        index = CriteriaIndexPage.objects.get()
        _page, version = criteria_services.criteria_set_import(spec=starter.illustrative_demo_set(), parent=index)
        communes = Unit.objects.filter(edition__date=demo.THREE_LEVEL_DATE, level=UnitLevel.COMMUNE)
        round_ = Round.objects.create(
            name="Bench",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
            criteria_version=version,
            opens_on=datetime.date(2026, 1, 1),
            due_on=datetime.date(2026, 12, 31),
        )
        round_.scope_units.set(communes.values_list("pk", flat=True))
        started = time.perf_counter()
        created = submission_services.round_open(round_=round_)
        opened = time.perf_counter() - started
        spec = round_.spec
        values = {indicator.code: self.sample_value(indicator) for _criterion, indicator in spec.indicators()}
        timings = []
        for submission in Submission.objects.filter(round=round_).select_related("round__criteria_version")[:30]:
            started = time.perf_counter()
            submission_services.submission_save(submission=submission, raws=values)
            timings.append(time.perf_counter() - started)
        return [
            (f"open a round for all {created:,} commune-level units", f"{opened:.2f} s"),
            (
                f"save a {len(values)}-indicator form (median of {len(timings)}, first save)",
                f"{statistics.median(timings) * 1000:.1f} ms",
            ),
        ]

    @staticmethod
    def sample_value(indicator) -> str:
        samples = {"boolean": "có", "percentage": "95", "number": "50", "integer": "3", "date": "01/06/2026"}
        if indicator.value_type == "choice":
            return indicator.choices[-1]
        return samples.get(indicator.value_type, "Đã thực hiện")
