"""HTTP benchmark: the product against a bare Wagtail project of the same version, over HTTP, side by side.

manage.py bench_http --output bench-report.md --append
BENCH_HTTP_SECONDS=5 manage.py bench_http ...          # shorter runs (CI)

Builds a throw-away PostgreSQL database with the demo (``load_demo``) and, as ``manage.py bench`` does, a national
round with published results (the commune, criterion and summary measured are real ones), and serves the
product with gunicorn (2 sync workers, production settings without the HTTPS redirect, its own redis-server,
``DB_CONN_MAX_AGE`` 60); makes a bare Wagtail project with ``wagtail start`` (same venv, same PostgreSQL server,
its own database, gunicorn 2 workers, DEBUG off); then measures with ``wrk``, interleaved (bare home, page 1,
bare home, page 2, ...), at least three runs. Each page's ratio is its requests per second over the bare home
page's measured just before it; the report gives the median ratio of the runs. Every process and database it made
is removed, even on failure.
"""

import datetime
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from public_site import http_bench
from public_site.cache import HIT_HEADER
from public_site.http_bench import BenchError, Target

DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"
#: A query parameter the page cache does not key (public_site.cache.CACHEABLE_PARAMETERS): rendered every time.
UNCACHED_QUERY = "?bench=uncached"
COMMUNE_GOAL, UNCACHED_GOAL, API_GOAL = 1.0, 0.5, 0.5
WARMUP_SECONDS = 1

#: Run in the product's environment after the demo: national scale with published results, as `manage.py bench`
#: builds it (the national unit lists, a round over every commune, seeded verdicts, all published), and the
#: public pages of province 66.
NATIONAL_RESULTS = """
import django

django.setup()
from cms.directory import demo, services
from public_site import demo as public_demo
from public_site.management.commands.bench import Command
from submissions.models import Round

for path, date in ((demo.THREE_LEVEL_FILE, demo.THREE_LEVEL_DATE), (demo.TWO_LEVEL_FILE, demo.TWO_LEVEL_DATE)):
    report = services.units_import(data=path.read_bytes(), filename=path.name, edition_date=date)
    assert report.ok, report.problems[:5]
bench = Command()
bench.bench_rounds()
bench.synthetic_verdicts(Round.objects.select_related("criteria_version").get(name="Bench"))
public_demo.load(province_code="66")
"""

#: Run in the product's environment after the data is ready: the paths to measure.
FIND_PATHS = """
import json
import django

django.setup()
from public_site.models import CommunePage, CriteriaProgressPage
from submissions.models import Round, Submission

def path(page):
    return page.get_url_parts()[2]

published = Submission.objects.filter(round__name="Bench", published=True).values("unit_id")
commune = CommunePage.objects.live().public().filter(unit_id__in=published).order_by("pk").first()
criteria = CriteriaProgressPage.objects.live().public().first()
print(json.dumps({
    "commune": path(commune) if commune else None,
    "criteria": path(criteria) if criteria else None,
    "rounds": list(Round.objects.filter(name="Bench").values_list("pk", flat=True)),
}))
"""


class Command(BaseCommand):
    help = "Measure the product over HTTP (gunicorn, PostgreSQL, Redis) against a bare Wagtail home page with wrk."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=Path("bench-report.md"))
        parser.add_argument("--append", action="store_true", help="Add to the report instead of replacing it.")
        parser.add_argument(
            "--seconds", type=float, default=float(os.environ.get("BENCH_HTTP_SECONDS", "10")), help="per wrk run"
        )
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument(
            "--pg-url",
            default=os.environ.get("BENCH_PG_URL", DEFAULT_SERVER_URL),
            help="PostgreSQL server to create the throw-away databases on (its database name is not used).",
        )

    def handle(self, *args, output: Path, append: bool, seconds: float, runs: int, pg_url: str, **options):
        if runs < 3:
            raise CommandError("At least three runs.")
        folder = Path(tempfile.mkdtemp(prefix="ntm-bench-http-"))
        databases = http_bench.Databases(pg_url)
        processes = http_bench.Processes(folder)
        try:
            bare_url, product_url = self.start(folder, databases, processes, pg_url)
            targets = self.targets(product_url)
            load_before = os.getloadavg()
            self.measure(bare_url, targets, seconds=seconds, runs=runs)
            load_after = os.getloadavg()
        except BenchError as error:
            raise CommandError(str(error)) from error
        finally:
            processes.close()
            databases.close()
            shutil.rmtree(folder, ignore_errors=True)
        text = self.report(targets, seconds=seconds, runs=runs, loads=(load_before, load_after))
        if append and output.exists():
            output.write_text(output.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
        else:
            output.write_text("# Benchmark report\n\n" + text, encoding="utf-8")
        self.stdout.write(text)

    # --- servers ---------------------------------------------------------------------------------------------

    def start(self, folder: Path, databases, processes, pg_url: str) -> tuple[str, str]:
        suffix = f"{os.getpid()}"
        redis_port = http_bench.free_port()
        redis = processes.start("redis", http_bench.redis_command(redis_port, folder))
        processes.wait_for("redis", redis, lambda: http_bench.redis_answers(redis_port))

        self.stdout.write("bench_http: bare Wagtail project (wagtail start) ...")
        bare_folder = http_bench.make_bare_wagtail(folder / "bare")
        bare_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": f"{http_bench.BARE_PROJECT}.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": databases.create(f"ntm_bench_http_bare_{suffix}"),
            "PYTHONPATH": str(bare_folder),
        }
        manage = [sys.executable, "manage.py"]
        http_bench.run([*manage, "migrate", "--no-input", "-v0"], cwd=bare_folder, env=bare_env)
        http_bench.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=bare_folder, env=bare_env)

        self.stdout.write("bench_http: the product on PostgreSQL with the demo (migrate, load_demo) ...")
        product_env = {
            **{name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_"))},
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": databases.create(f"ntm_bench_http_product_{suffix}"),
            "DB_CONN_MAX_AGE": "60",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "PUBLIC_BASE_URL": "https://ntm.example.gov.vn",
            "API_ANON_THROTTLE": "100000000/minute",  # wrk is one client: measure the API, not the throttle
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "MEDIA_ROOT": str(folder / "media"),
            "PRIVATE_MEDIA_ROOT": str(folder / "private"),
            "STORAGE_BACKEND": "local",
            "FRONTEND_CACHE_URL": "",
        }
        http_bench.run([*manage, "migrate", "--no-input", "-v0"], cwd=settings.BASE_DIR, env=product_env)
        http_bench.run([*manage, "load_demo"], cwd=settings.BASE_DIR, env=product_env)
        self.stdout.write("bench_http: national round with published results (as manage.py bench) ...")
        http_bench.run([sys.executable, "-c", NATIONAL_RESULTS], cwd=settings.BASE_DIR, env=product_env)
        http_bench.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=settings.BASE_DIR, env=product_env)
        found = json.loads(
            http_bench.run([sys.executable, "-c", FIND_PATHS], cwd=settings.BASE_DIR, env=product_env).splitlines()[-1]
        )
        self.paths = found

        bare_port, product_port = http_bench.free_port(), http_bench.free_port()
        bare = processes.start(
            "gunicorn-bare",
            http_bench.gunicorn_command(bare_port, f"{http_bench.BARE_PROJECT}.wsgi"),
            cwd=bare_folder,
            env=bare_env,
        )
        product = processes.start(
            "gunicorn-product",
            http_bench.gunicorn_command(product_port, "cms.wsgi"),
            cwd=settings.BASE_DIR,
            env=product_env,
        )
        bare_url, product_url = f"http://127.0.0.1:{bare_port}", f"http://127.0.0.1:{product_port}"
        processes.wait_for("gunicorn-bare", bare, lambda: http_bench.fetch(bare_url + "/")[0] == 200)
        processes.wait_for("gunicorn-product", product, lambda: http_bench.fetch(product_url + "/healthz/app/")[0])
        return bare_url + "/", product_url

    def targets(self, product_url: str) -> list[Target]:
        commune, criteria = self.paths["commune"], self.paths["criteria"]
        if not commune or not criteria:
            raise BenchError(f"the demo has no commune page or criteria page: {self.paths}")
        summary = self.summary_path(product_url)
        criterion = self.criterion_path(product_url, criteria)
        return [
            Target("commune page, cached", product_url + commune, COMMUNE_GOAL),
            Target("home page, cached", product_url + "/"),
            Target("criterion page, cached", product_url + criteria + "1/"),
            Target("API national round summary", product_url + summary, API_GOAL),
            Target("commune page, uncached", product_url + commune + UNCACHED_QUERY, UNCACHED_GOAL),
            Target("home page, uncached", product_url + "/" + UNCACHED_QUERY, UNCACHED_GOAL),
            Target("criterion page, uncached", product_url + criterion + UNCACHED_QUERY, UNCACHED_GOAL),
        ]

    def criterion_path(self, product_url: str, criteria: str) -> str:
        """The first criterion linked from the criteria page (``<criteria>/<number>/``)."""
        _status, _headers, body = http_bench.fetch(product_url + criteria)
        found = re.search(rf'href="({re.escape(criteria)}\d+/)"', body.decode(errors="replace"))
        if not found:
            raise BenchError(f"the criteria page {criteria} links to no criterion")
        return found.group(1)

    def summary_path(self, product_url: str) -> str:
        """The national round's whole summary (no ``parent``), as an anonymous caller reads it."""
        for pk in self.paths["rounds"]:
            path = f"/api/v1/rounds/{pk}/summary/"
            status, _headers, body = http_bench.fetch(product_url + path)
            if status == 200 and json.loads(body).get("units_published", 1):
                return path
        raise BenchError(f"no round summary answers 200 anonymously (rounds {self.paths['rounds']})")

    # --- measuring -----------------------------------------------------------------------------------------

    def measure(self, bare_url: str, targets: list[Target], *, seconds: float, runs: int) -> None:
        for target in targets:
            status, _headers, _body = http_bench.fetch(target.url)
            if status != 200:
                raise BenchError(f"{target.name}: {target.url} answers {status}")
            http_bench.wrk(target.url, seconds=WARMUP_SECONDS)  # fills the cache, warms both workers
            target.cache = http_bench.fetch(target.url)[1].get(HIT_HEADER, "—")
        http_bench.wrk(bare_url, seconds=WARMUP_SECONDS)
        self.bare: list[http_bench.Measure] = []
        for number in range(1, runs + 1):
            self.stdout.write(f"bench_http: run {number}/{runs} ({len(targets) * 2} x {seconds:g} s) ...")
            for target in targets:
                bare = http_bench.wrk(bare_url, seconds=seconds)
                measured = http_bench.wrk(target.url, seconds=seconds)
                self.bare.append(bare)
                target.measures.append(measured)
                target.ratios.append(measured.requests_per_second / bare.requests_per_second)

    def report(self, targets: list[Target], *, seconds: float, runs: int, loads) -> str:
        bare = Target("bare Wagtail home page", "/", measures=self.bare)
        cores = os.cpu_count()
        load = ", ".join(f"{value:.2f}" for value in loads[0])
        load_end = ", ".join(f"{value:.2f}" for value in loads[1])
        lines = [
            f"## HTTP, PostgreSQL — {datetime.datetime.now():%Y-%m-%d %H:%M}",
            "",
            f"gunicorn 2 sync workers per site, `wrk -t2 -c8 -d{seconds:g}s`, {runs} runs interleaved (bare home, "
            f"page, bare home, page, ...); ratio = the page's requests/s over the bare page's just before it, "
            f"median of the runs. {cores} cores; load average {load} at the start, {load_end} at the end.",
            "",
            f"Bare Wagtail home page: {bare.rps:.0f} req/s (median), p50 {bare.p50:.1f} ms.",
            "",
            f"| page | {HIT_HEADER} | req/s (median) | p50 ms | ratio to bare home | runs' ratios | target | errors |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for target in targets:
            path = target.url.split("/", 3)[3]
            lines.append(
                f"| {target.name} (`/{path}`) | {target.cache} | {target.rps:.0f} | {target.p50:.1f} "
                f"| **{target.ratio:.2f}×** "
                f"| {', '.join(f'{r:.2f}' for r in target.ratios)} | {target.verdict()} | {target.errors} |"
            )
        return "\n".join([*lines, ""])
