"""The pieces of ``manage.py bench_http``: throw-away PostgreSQL databases, processes started in their own session
and always stopped, a bare Wagtail project made by ``wagtail start``, and ``wrk`` runs read into numbers."""

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

STARTUP_SECONDS = 120
BARE_PROJECT = "barewagtail"
#: The bare project's own settings, added beside those ``wagtail start`` wrote (its production.py imports them).
BARE_LOCAL_SETTINGS = """
import os

import dj_database_url

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)}
"""


class BenchError(RuntimeError):
    """The benchmark could not run (a server did not start, a page did not answer 200)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


class Databases:
    """Throw-away databases on one PostgreSQL server, dropped (even with connections still open) on close."""

    def __init__(self, server_url: str):
        self.admin_url = database_url(server_url, "postgres")
        self.server_url = server_url
        self.names: list[str] = []

    def create(self, name: str) -> str:
        self.drop(name)
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.names.append(name)
        return database_url(self.server_url, name)

    def drop(self, name: str) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def close(self) -> None:
        for name in reversed(self.names):
            self.drop(name)
        self.names.clear()


class Processes:
    """Processes started in their own session, output to a log file; :meth:`close` stops every one."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], **kwargs) -> subprocess.Popen:
        with (self.folder / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(  # noqa: S603
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
            )
        self.started.append((name, process))
        return process

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def wait_for(self, name: str, process: subprocess.Popen, ready) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise BenchError(f"{name} exited ({process.returncode}):\n{self.log(name)}")
            if ready():
                return
            time.sleep(0.2)
        raise BenchError(f"{name} did not start in {STARTUP_SECONDS}s:\n{self.log(name)}")

    def close(self) -> None:
        for _name, process in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process in reversed(self.started):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)
        self.started.clear()


def run(command: list[str], **kwargs) -> str:
    """Run a step to completion; its output goes into the error if it fails."""
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # noqa: S603
    if done.returncode:
        raise BenchError(f"{' '.join(command[:4])} failed ({done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}")
    return done.stdout


def fetch(url: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url)  # noqa: S310  (http://127.0.0.1 only)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError:
        return 0, {}, b""


def make_bare_wagtail(folder: Path) -> Path:
    """``wagtail start`` from this venv (the same Wagtail), with production settings on PostgreSQL."""
    wagtail = Path(sys.executable).with_name("wagtail")
    folder.mkdir(parents=True)
    run([str(wagtail), "start", BARE_PROJECT, str(folder)])
    (folder / BARE_PROJECT / "settings" / "local.py").write_text(BARE_LOCAL_SETTINGS, encoding="utf-8")
    return folder


def gunicorn_command(port: int, wsgi: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--no-control-socket",
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        wsgi,
    ]


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as peer:
            peer.sendall(b"PING\r\n")
            return peer.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_command(port: int, folder: Path) -> list[str]:
    binary = shutil.which("redis-server")
    if not binary:
        raise BenchError("redis-server is missing: apt-get install -y redis-server")
    return [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(folder),
        "--save",
        "",
        "--appendonly",
        "no",
    ]


# --- wrk ----------------------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Measure:
    requests_per_second: float
    p50_ms: float
    errors: int


def wrk(url: str, *, seconds: float, threads: int = 2, connections: int = 8) -> Measure:
    """One ``wrk`` run; non-2xx/3xx answers and socket errors are counted as errors."""
    binary = shutil.which("wrk")
    if not binary:
        raise BenchError("wrk is missing: apt-get install -y wrk (.ci/run installs it)")
    out = run([binary, f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency", url])
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    if not rps or not p50:
        raise BenchError(f"unexpected wrk output:\n{out}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return Measure(float(rps.group(1)), float(p50.group(1)) * UNITS[p50.group(2)], errors)


@dataclass
class Target:
    """A page of the product measured against the bare home page, run after run (A B A B ...)."""

    name: str
    url: str
    goal: float | None = None
    cache: str = "—"
    measures: list[Measure] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def rps(self) -> float:
        return statistics.median(m.requests_per_second for m in self.measures)

    @property
    def p50(self) -> float:
        return statistics.median(m.p50_ms for m in self.measures)

    @property
    def errors(self) -> int:
        return sum(m.errors for m in self.measures)

    def verdict(self) -> str:
        if self.goal is None:
            return "—"
        return f"≥ {self.goal:.1f}× {'met' if self.ratio >= self.goal else 'NOT MET'}"
