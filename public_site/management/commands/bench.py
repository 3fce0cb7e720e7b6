"""Benchmark report: runs against a throw-away test database on the configured backend.

manage.py bench --output bench-report.md            # SQLite (default)
DATABASE_URL=postgres://... manage.py bench --output bench-report.md --append
"""

import datetime
import platform
import resource
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection

from cms.directory import demo, services


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
        return rows
