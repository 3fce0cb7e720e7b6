"""The anonymous API throttle counts in the shared cache: two real server processes (gunicorn, production
settings) share one real Redis, and a client that alternates between them and makes up a new
``X-Forwarded-For`` for every request is still throttled after ``API_ANON_THROTTLE`` requests."""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

import pytest

pytestmark = pytest.mark.multiprocess

RATE = 5
STARTUP_SECONDS = 60
#: A path under /api/ that no DRF view serves: it answers 404 without touching the throttle.
PROBE = "/api/v1/ready-probe/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Service:
    """A process started for this test in its own session, with its output in a log file; :meth:`stop` ends it
    (and, if it does not stop in time, everything it started) and reaps it."""

    def __init__(self, name: str, command: list[str], *, log: Path, **kwargs):
        self.name = name
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def check_running(self) -> None:
        assert self.process.poll() is None, f"{self.name} exited ({self.process.returncode}):\n{self.output()}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: the process and its children
                self.process.wait(timeout=10)


def wait_until(ready, service: Service) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        service.check_running()
        if ready():
            return
        time.sleep(0.1)
    raise AssertionError(f"{service.name} did not start in {STARTUP_SECONDS}s:\n{service.output()}")


def get(url: str, **headers) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310  (http://127.0.0.1 only)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def answers(base_url: str) -> bool:
    try:
        get(base_url + PROBE)
    except (OSError, ValueError):
        return False
    return True


@pytest.fixture
def redis_url(tmp_path):
    """A real redis-server on a free port, in a temporary folder, storing nothing on disk."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: apt-get install -y redis-server (.ci/run installs it)"
    port = free_port()
    redis = Service(
        "redis-server",
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(tmp_path),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        log=tmp_path / "redis.log",
    )
    try:

        def accepts() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as peer:
                    peer.sendall(b"PING\r\n")
                    return peer.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_until(accepts, redis)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        redis.stop()


#: Run with the servers' environment: builds their throw-away SQLite database from the models (what the
#: migrations build, as ``makemigrations --check`` guarantees, in a second instead of half a minute) and adds
#: the one edition the unit list needs to answer 200.
PREPARE_DATABASE = """
import datetime
import django
from django.conf import settings


class NoMigrations(dict):
    def __contains__(self, app):
        return True

    def __getitem__(self, app):
        return None


settings.MIGRATION_MODULES = NoMigrations()
django.setup()
from django.core.management import call_command
from django.db import connection

with connection.cursor() as cursor:
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA journal_mode=MEMORY")
call_command("migrate", run_syncdb=True, verbosity=0)
from cms.directory.models import Edition

Edition.objects.create(date=datetime.date(2025, 7, 1), name="Danh mục 01/07/2025", tiers=2)
"""


@pytest.fixture
def environment(tmp_path, redis_url):
    """Production settings, the Redis cache, a throw-away SQLite database, the throttle at 5/minute, and no
    trusted proxy (the default: X-Forwarded-For is ignored)."""
    inherited = {"TRUSTED_PROXY_COUNT", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
    return {
        **{name: value for name, value in os.environ.items() if name not in inherited},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": redis_url,
        "API_ANON_THROTTLE": f"{RATE}/minute",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


@pytest.fixture
def servers(tmp_path, environment):
    """Two gunicorn processes (one worker each) on the same database and the same Redis; the database is
    prepared while they start."""
    started = []
    try:
        for number in (1, 2):
            port = free_port()
            command = [sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", "1", "-b", f"127.0.0.1:{port}"]
            service = Service(
                f"gunicorn {number}",
                [*command, "cms.wsgi"],
                log=tmp_path / f"gunicorn-{number}.log",
                cwd=settings.BASE_DIR,
                env=environment,
            )
            started.append((service, f"http://127.0.0.1:{port}"))
        prepared = subprocess.run(  # noqa: S603
            [sys.executable, "-c", PREPARE_DATABASE],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=STARTUP_SECONDS,
            check=False,
        )
        assert prepared.returncode == 0, prepared.stderr[-3000:]
        for service, base_url in started:
            wait_until(lambda base_url=base_url: answers(base_url), service)
        yield [base_url for _service, base_url in started]
    finally:
        for service, _base_url in started:
            service.stop()


def random_address() -> str:
    return ".".join(str(secrets.randbelow(254) + 1) for _ in range(4))


def test_the_anonymous_throttle_is_shared_by_processes_and_ignores_made_up_headers(servers):
    statuses = []
    for number in range(RATE + 1):
        status, body = get(servers[number % 2] + "/api/v1/units/", **{"X-Forwarded-For": random_address()})
        statuses.append(status)
    assert statuses == [200] * RATE + [429]
    assert set(body) == {"message", "code"}
    assert body["code"] == "throttled"
    assert body["message"]
