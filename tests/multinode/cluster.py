"""The processes of a multi-node install, started for a test: a throw-away PostgreSQL database, a Redis of its own,
an S3-compatible server (moto) with a bucket, app servers (gunicorn) and a task worker, all sharing one
environment. Every process runs in its own session with its output in a log file; :func:`stop_all` ends them
and everything they started, and :meth:`Service.kill` ends it the way a dying machine does (SIGKILL)."""

import contextlib
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
from collections.abc import Callable
from pathlib import Path

import boto3
import psycopg
from psycopg import sql

#: The project's root: the servers run there (and import this package from there).
ROOT = Path(__file__).resolve().parents[2]
#: Seconds a process may take to start or a command to run.
STARTUP_SECONDS = 90
#: Seconds a stopped service may take to exit before it is killed.
STOP_SECONDS = 3
#: Seconds the migration of the whole project may take (35 s on two cores with a load of 4; 100–115 s at 11).
MIGRATE_SECONDS = 300
#: The settings every process of the install runs with: production's, plus the test's e-mail folder
#: (tests/multinode/settings.py).
SETTINGS = "tests.multinode.settings"
#: The PostgreSQL server holding the throw-away databases (MULTINODE_PG_URL overrides it).
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REGION = "us-east-1"
#: The site's public address: what the load balancer passes on as the Host of every request.
PUBLIC_HOST = "ntm.example.gov.vn"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(ready: Callable[[], bool], service: "Service | None" = None, *, seconds: float = STARTUP_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if service is not None:
            service.check_running()
        if ready():
            return
        time.sleep(0.1)
    where = f"{service.name} did not get ready" if service else "condition not met"
    raise AssertionError(f"{where} in {seconds}s" + (f":\n{service.output()}" if service else ""))


class Service:
    """A process in its own session, its output in ``log``."""

    def __init__(
        self, name: str, command: list[str], *, log: Path, env: dict, cwd: Path = ROOT, stop_signal=signal.SIGTERM
    ):
        self.name = name
        self.log = log
        self.stop_signal = stop_signal
        with log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=cwd, env=env
            )

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def check_running(self) -> None:
        assert self.running, f"{self.name} exited ({self.process.returncode}):\n{self.output()}"

    def kill(self) -> None:
        """SIGKILL the process and everything it started (its session), as when its machine dies."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def stop_all(services: list[Service]) -> None:
    """Stop every service at once (its stop signal), then SIGKILL what is left of each one's session."""
    for service in services:
        if service.running:
            service.process.send_signal(service.stop_signal)
    deadline = time.monotonic() + STOP_SECONDS
    for service in services:
        try:
            service.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):  # still running, or anything it left behind in its session
            os.killpg(service.process.pid, signal.SIGKILL)
        service.process.wait(timeout=10)


def answers_http(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):  # noqa: S310  (http://127.0.0.1 only)
            return True
    except urllib.error.HTTPError:
        return True  # it answers (any status)
    except OSError:
        return False


# --- PostgreSQL ---------------------------------------------------------------------------------------------


def pg_server_url() -> str:
    url = os.environ.get("MULTINODE_PG_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else DEFAULT_PG_URL


@contextlib.contextmanager
def throwaway_database():
    """A new, empty database on the PostgreSQL server (``ntm_multinode_<pid>``), dropped afterwards; yields its
    URL."""
    server = pg_server_url()
    name = f"ntm_multinode_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# --- Redis and the S3-compatible server -----------------------------------------------------------------------


def start_redis(folder: Path) -> tuple[Service, str]:
    """A redis-server of its own on a free port, storing nothing on disk."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: apt-get install -y redis-server (.ci/run installs it)"
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", ""]
    redis = Service("redis-server", [*command, "--appendonly", "no"], log=folder / "redis.log", env=dict(os.environ))

    def pong() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as peer:
                peer.sendall(b"PING\r\n")
                return peer.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    wait_until(pong, redis)
    return redis, f"redis://127.0.0.1:{port}/0"


def start_s3(folder: Path) -> tuple[Service, str]:
    """moto in server mode (a real S3-compatible HTTP server) on a free port."""
    binary = Path(sys.executable).with_name("moto_server")
    assert binary.exists(), "moto_server is missing: pip install 'moto[server]' (make install does)"
    port = free_port()
    command = [str(binary), "-H", "127.0.0.1", "-p", str(port)]
    s3 = Service("moto_server", command, log=folder / "moto.log", env=dict(os.environ))
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: answers_http(url), s3)
    return s3, url


def s3_client(environment: dict):
    return boto3.client(
        "s3",
        endpoint_url=environment["S3_ENDPOINT_URL"],
        aws_access_key_id=environment["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=environment["S3_SECRET_ACCESS_KEY"],
        region_name=environment["S3_REGION"],
    )


def bucket_objects(environment: dict) -> dict[str, bytes]:
    """Every object of the install's bucket: key → bytes."""
    client = s3_client(environment)
    objects = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=environment["S3_BUCKET"]):
        for item in page.get("Contents", []):
            body = client.get_object(Bucket=environment["S3_BUCKET"], Key=item["Key"])["Body"]
            objects[item["Key"]] = body.read()
    return objects


# --- the install's environment and its processes ---------------------------------------------------------------


def environment(*, database_url: str, redis_url: str, s3_url: str, mail_dir: Path) -> dict:
    """What every process of the install shares: production settings without the HTTPS redirect (the test stands
    in for the load balancer that terminates TLS), one database, one Redis, one bucket."""
    inherited = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "S3_"))}
    for name in ("DATABASE_URL", "REDIS_URL", "STORAGE_BACKEND", "EMAIL_BACKEND", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
        inherited.pop(name, None)
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        # The public host (the load balancer passes it on) and the servers' own address (its health probes).
        "DJANGO_ALLOWED_HOSTS": f"{PUBLIC_HOST},127.0.0.1",
        "PUBLIC_BASE_URL": f"https://{PUBLIC_HOST}",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "STORAGE_BACKEND": "s3",
        "S3_ENDPOINT_URL": s3_url,
        "S3_BUCKET": "ntm-multinode",
        "S3_ACCESS_KEY_ID": "multinode",
        "S3_SECRET_ACCESS_KEY": "multinode-secret",
        "S3_REGION": REGION,
        "REQUIRE_TWO_FACTOR_FOR_STAFF": "false",
        "EMAIL_BACKEND": "tests.multinode.mail.SlowFileBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def run(command: list[str], env: dict, *, seconds: float = STARTUP_SECONDS) -> str:
    """Run a command of the install to its end; its output (it must succeed)."""
    done = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds, check=False
    )
    assert done.returncode == 0, f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


def manage(*arguments: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *arguments]


def local_disk(folder: Path, name: str) -> Path:
    """The local disk of one node (its MEDIA_ROOT and PRIVATE_MEDIA_ROOT): no other node reads it."""
    return folder / f"disk-{name}"


def node_env(env: dict, folder: Path, name: str) -> dict:
    disk = local_disk(folder, name)
    return {**env, "MEDIA_ROOT": str(disk / "media"), "PRIVATE_MEDIA_ROOT": str(disk / "private")}


def start_app_server(name: str, env: dict, folder: Path) -> tuple[Service, str]:
    """gunicorn with two workers on a free port, with a local disk of its own."""
    port = free_port()
    own = node_env(env, folder, name)
    command = [sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", "2", "--preload"]
    command += ["-b", f"127.0.0.1:{port}"]
    command += ["--timeout", "60", "cms.wsgi"]
    # SIGINT: gunicorn's quick shutdown (SIGTERM waits for its workers' graceful timeout).
    server = Service(f"gunicorn {name}", command, log=folder / f"{name}.log", env=own, stop_signal=signal.SIGINT)
    return server, f"http://127.0.0.1:{port}"


def start_worker(env: dict, folder: Path, number: int) -> Service:
    """``manage.py run_worker``: re-queues the tasks a dead worker left running, then works the queue."""
    own = node_env(env, folder, "worker")
    return Service(f"worker {number}", manage("run_worker"), log=folder / f"worker-{number}.log", env=own)
