"""Benchmark report: runs against a throw-away test database on the configured backend.

manage.py bench --output bench-report.md            # SQLite (default)
DATABASE_URL=postgres://... manage.py bench --output bench-report.md --append
"""

import datetime
import platform
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client

from cms.directory import demo, services
from cms.directory.models import Department, Unit, UnitLevel
from criteria_pages import services as criteria_services
from criteria_pages import starter
from public_site import demo as public_demo
from public_site.models import CommunePage
from submissions.entry import services as submission_services
from submissions.models import (
    AppraisalStatus,
    CriterionAppraisal,
    CriterionResult,
    Round,
    RoundStatus,
    Submission,
    SubmissionStatus,
)
from submissions.reports import exports as submission_exports
from submissions.reports import statistics as round_statistics
from submissions.rounds import services as round_services
from submissions.signals import results_changed

#: Targets of the statistics issue, checked in the report.
NATIONAL_STATISTICS_TARGET = 1.0  # seconds
PROVINCE_STATISTICS_TARGET = 0.050  # seconds
NATIONAL_XLSX_TARGET = 15.0  # seconds
NATIONAL_XLSX_MEMORY_TARGET = 300  # MB
BENCH_PROVINCE = "66"
BATCH = 5000


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
        rows += self.bench_statistics(Round.objects.select_related("criteria_version").get(name="Bench"))
        rows += self.bench_public_pages()
        return rows

    def bench_public_pages(self, runs: int = 30) -> list[tuple[str, str]]:
        """In-process (test client) timings of public pages and API endpoints, against a plain Wagtail page.

        Compare the ratios within one run, not absolute numbers across machines.
        """
        public_demo.load(province_code="66")
        round_ = Round.objects.get(name="Bench")
        commune = CommunePage.objects.filter(unit__path__startswith="66/").order_by("pk").first()
        client = Client()
        cache.clear()

        def median_ms(path: str, *, warm: bool) -> float:
            """``warm``: pages come from their cache; API calls are never cached (the cache is cleared so the
            anonymous throttle's request history does not refuse the benchmark itself)."""
            timings = []
            for _ in range(runs):
                if not warm or path.startswith("/api/"):
                    cache.clear()
                started = time.perf_counter()
                response = client.get(path)
                timings.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: HTTP {response.status_code}")
            return statistics.median(timings) * 1000

        plain = criteria_services.criteria_index_ensure().url
        pages = [
            ("plain Wagtail page (criteria index)", plain),
            ("province home page", "/"),
            ("commune page", commune.url),
            ("criterion page", "/tieu-chi/1/"),
            ("search 'ea'", "/tim-kiem/?q=ea"),
        ]
        rows = []
        baseline = median_ms(plain, warm=False)
        for label, path in pages:
            cold, warm = median_ms(path, warm=False), median_ms(path, warm=True)
            rows.append(
                (
                    f"{label}: median, uncached / cached",
                    f"{cold:.1f} ms / {warm:.1f} ms ({cold / baseline:.1f}× the plain page uncached)",
                )
            )
        for label, path in [
            ("API units (newest edition, page 1)", "/api/v1/units/"),
            (
                "API units filtered (parent=66, level=commune)",
                "/api/v1/units/?edition=2025-03-01&parent=66&level=commune",
            ),
            ("API national round summary (published)", f"/api/v1/rounds/{round_.pk}/summary/"),
            ("API province round summary (published)", f"/api/v1/rounds/{round_.pk}/summary/?parent=66"),
            ("API results of one province (page 1)", f"/api/v1/rounds/{round_.pk}/results/?parent=66"),
        ]:
            rows.append((label, f"{median_ms(path, warm=True):.1f} ms median"))
        return rows

    def bench_rounds(self) -> list[tuple[str, str]]:
        province = Unit.objects.get(edition__date=demo.THREE_LEVEL_DATE, code="66")
        for code, name, _short in demo.DEMO_DEPARTMENTS:
            Department.objects.get_or_create(code=code, province=province, defaults={"name": name})
        index = criteria_services.criteria_index_ensure()
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
        created = round_services.round_open(round_=round_)
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

    # --- statistics and exports at national scale ----------------------------------------------------

    def bench_statistics(self, round_: Round) -> list[tuple[str, str]]:
        started = time.perf_counter()
        results, appraisals, missed = self.synthetic_verdicts(round_)
        built = time.perf_counter() - started
        started = time.perf_counter()
        previous = self.synthetic_previous_round(round_, missed)
        built_previous = time.perf_counter() - started
        with connection.cursor() as cursor:
            # Fresh planner statistics after the bulk load, as autovacuum would gather on a live database.
            cursor.execute("ANALYZE")
        province = Unit.objects.get(edition__date=demo.THREE_LEVEL_DATE, code=BENCH_PROVINCE)
        national_first = self.timed(lambda: round_statistics.round_statistics(round_))
        national = self.median_time(lambda: round_statistics.round_statistics(round_), 3)
        national_summary = self.median_time(lambda: round_statistics.round_summary(round_), 5)
        local = self.median_time(lambda: round_statistics.round_statistics(round_, parent=province), 9)
        local_summary = self.median_time(lambda: round_statistics.round_summary(round_, parent=province), 9)
        stats = round_statistics.round_statistics(round_, parent=province)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "tong-hop.xlsx"
            export_time = self.timed(lambda: submission_exports.export_summary(round_, str(path)))
            size = path.stat().st_size
            tracemalloc.start()
            submission_exports.export_summary(round_, str(path))
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            statistics_time = self.timed(
                lambda: submission_exports.export_statistics(round_, str(Path(folder) / "thong-ke.xlsx"))
            )
        peak_mb = peak / 1024 / 1024
        summary = round_statistics.round_summary(round_)
        changes = round_statistics.round_changes(round_)
        return [
            (
                f"synthetic verdicts for {summary.units_in_scope:,} submissions "
                f"({results:,} criterion results, {appraisals:,} appraisals, seeded)",
                f"{built:.2f} s",
            ),
            (f"synthetic previous round ({previous:,} criterion results)", f"{built_previous:.2f} s"),
            (
                "national verdicts generated",
                f"{summary.units_meeting_all:,} meet all {summary.criteria_count}; "
                f"average {summary.average_criteria_met} criteria met; since the previous round "
                f"{changes.units_improved:,} units improved, {changes.units_declined:,} declined",
            ),
            (
                "national round statistics (summary, distribution, stages, departments, groups, changes)",
                f"{national * 1000:.0f} ms median of 3, first {national_first * 1000:.0f} ms "
                f"{self.verdict(national, NATIONAL_STATISTICS_TARGET)}",
            ),
            ("national summary only (API summary)", f"{national_summary * 1000:.0f} ms median of 5"),
            (
                f"province {BENCH_PROVINCE} statistics ({stats.summary.units_in_scope} units, everything)",
                f"{local * 1000:.1f} ms median of 9 {self.verdict(local, PROVINCE_STATISTICS_TARGET)}",
            ),
            (f"province {BENCH_PROVINCE} summary only", f"{local_summary * 1000:.1f} ms median of 9"),
            (
                f"national summary xlsx ({summary.units_in_scope:,} rows, {size / 1024 / 1024:.1f} MB file)",
                f"{export_time:.2f} s {self.verdict(export_time, NATIONAL_XLSX_TARGET)}; "
                f"peak Python memory {peak_mb:.1f} MB (tracemalloc) "
                f"{self.verdict(peak_mb, NATIONAL_XLSX_MEMORY_TARGET, unit=' MB')}",
            ),
            ("national statistics xlsx", f"{statistics_time:.2f} s"),
        ]

    @staticmethod
    def synthetic_verdicts(round_: Round) -> tuple[int, int, dict[int, set[int]]]:
        """Realistic, seeded verdicts for every submission of the round, written in bulk (benchmark data,
        not a service): about 60 % of communes meet every criterion, the others miss 1–12, the harder
        criteria more often; all recognised and published, every criterion appraised."""
        rng = random.Random(2026)  # noqa: S311 - synthetic data
        spec = round_.spec
        numbers = [criterion.number for criterion in spec.criteria]
        difficulty = [rng.uniform(0.5, 3.0) for _ in numbers]
        department_ids = dict(Department.objects.values_list("code", "pk"))
        department_of = {criterion.number: department_ids.get(criterion.department) for criterion in spec.criteria}
        CriterionResult.objects.filter(submission__round=round_).delete()
        CriterionAppraisal.objects.filter(submission__round=round_).delete()
        submission_units = list(Submission.objects.filter(round=round_).order_by("pk").values_list("pk", "unit_id"))
        by_count: dict[int, list[int]] = {}
        missed_by_unit: dict[int, set[int]] = {}
        results, appraisals = [], []
        now = datetime.datetime.now(datetime.UTC)
        written = [0, 0]

        def flush(force=False):
            if len(results) >= BATCH or (force and results):
                CriterionResult.objects.bulk_create(results, batch_size=BATCH)
                written[0] += len(results)
                results.clear()
            if len(appraisals) >= BATCH or (force and appraisals):
                CriterionAppraisal.objects.bulk_create(appraisals, batch_size=BATCH)
                written[1] += len(appraisals)
                appraisals.clear()

        for submission_id, unit_id in submission_units:
            missed = set()
            if rng.random() > 0.6:
                missed = set(rng.choices(numbers, weights=difficulty, k=rng.randint(1, 12)))
            missed_by_unit[unit_id] = missed
            by_count.setdefault(len(numbers) - len(missed), []).append(submission_id)
            for number in numbers:
                met = number not in missed
                status = "met" if met else "not_met"
                results.append(
                    CriterionResult(
                        submission_id=submission_id, number=number, status=status, met=met, computed_met=met
                    )
                )
                appraisals.append(
                    CriterionAppraisal(
                        submission_id=submission_id,
                        number=number,
                        department_id=department_of[number],
                        status=AppraisalStatus.APPROVED,
                        appraised_at=now,
                    )
                )
            flush()
        flush(force=True)
        Command.recognise_by_count(by_count, len(numbers), now)
        return written[0], written[1], missed_by_unit

    @staticmethod
    def recognise_by_count(by_count: dict[int, list[int]], total: int, now: datetime.datetime) -> None:
        """Store each submission's number of criteria met (one UPDATE per count): recognised, published."""
        for count, ids in by_count.items():
            for start in range(0, len(ids), BATCH):
                Submission.objects.filter(pk__in=ids[start : start + BATCH]).update(
                    criteria_met=count,
                    criteria_applicable=total,
                    standard_reached=count == total,
                    status=SubmissionStatus.RECOGNISED,
                    published=True,
                    first_submitted_at=now,
                    submitted_at=now,
                    recognised_at=now,
                    stage_entered_at=now,
                )
        # written in bulk, past the services: the cached statistics and pages are told, as a publication tells them
        results_changed.send(sender=Submission, unit_ids=None)

    @staticmethod
    def synthetic_previous_round(round_: Round, missed_by_unit: dict[int, set[int]]) -> int:
        """A closed earlier round of the same set for the same units, with verdicts that differ a little
        (units missed one more criterion a third of the time, one fewer a tenth of the time), so the
        change from the previous round is measured on real volumes."""
        rng = random.Random(2025)  # noqa: S311 - synthetic data
        numbers = [criterion.number for criterion in round_.spec.criteria]
        previous = Round.objects.create(
            name="Bench 2025",
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            criteria_version=round_.criteria_version,
            opens_on=datetime.date(2025, 1, 1),
            due_on=datetime.date(2025, 12, 31),
            status=RoundStatus.CLOSED,
        )
        submissions = Submission.objects.bulk_create(
            [Submission(round=previous, unit_id=unit_id) for unit_id in missed_by_unit], batch_size=BATCH
        )
        by_count: dict[int, list[int]] = {}
        results, written = [], 0
        for submission in submissions:
            missed = set(missed_by_unit[submission.unit_id])
            if rng.random() < 0.33:
                missed.add(rng.choice(numbers))
            if missed and rng.random() < 0.1:
                missed.discard(rng.choice(sorted(missed)))
            by_count.setdefault(len(numbers) - len(missed), []).append(submission.pk)
            for number in numbers:
                met = number not in missed
                results.append(
                    CriterionResult(
                        submission_id=submission.pk,
                        number=number,
                        status="met" if met else "not_met",
                        met=met,
                        computed_met=met,
                    )
                )
            if len(results) >= BATCH:
                CriterionResult.objects.bulk_create(results, batch_size=BATCH)
                written += len(results)
                results.clear()
        CriterionResult.objects.bulk_create(results, batch_size=BATCH)
        written += len(results)
        Command.recognise_by_count(by_count, len(numbers), datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC))
        return written

    @staticmethod
    def timed(function) -> float:
        started = time.perf_counter()
        function()
        return time.perf_counter() - started

    def median_time(self, function, runs: int) -> float:
        return statistics.median(self.timed(function) for _ in range(runs))

    @staticmethod
    def verdict(value: float, target: float, unit: str = " s") -> str:
        shown = f"{target * 1000:.0f} ms" if unit == " s" and target < 1 else f"{target:g}{unit}"
        return f"(target < {shown}: {'met' if value < target else 'MISSED'})"
