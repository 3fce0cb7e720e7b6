"""The multi-node install the tests of this folder run against, started once for the module: two app servers (A and
B) and one task worker, sharing a throw-away PostgreSQL database, a Redis of their own and an S3-compatible bucket;
every process is stopped and the database dropped afterwards, whatever happens. It takes 3 minutes on two cores
under a load of 11, 100 s of which are the migration (``timings.txt`` in its folder has each phase).

Run alone with ``pytest -m multinode`` (PostgreSQL must be reachable at ``MULTINODE_PG_URL``, or ``DATABASE_URL``
when it is a PostgreSQL URL, or postgres://postgres@127.0.0.1:5432)."""

import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.multinode import cluster
from tests.multinode.browser import Browser

#: Seconds the test e-mail backend takes to send (tests.multinode.mail): the window in which the worker is killed.
MAIL_DELAY = 5
#: The worker beats every second and is taken for dead after three silent seconds (the lease of a notice being sent
#: stays production's: a killed worker's notice is taken over because its task runs again, not because time passed).
WORKER_ENV = {
    "MULTINODE_MAIL_DELAY": str(MAIL_DELAY),
    "WORKER_HEARTBEAT_SECONDS": "1",
    "WORKER_DEAD_AFTER_SECONDS": "3",
}
SEED = "from tests.multinode import seed; seed.main()"


@dataclass
class Install:
    folder: Path
    env: dict
    a: str  # app server A's address
    b: str  # app server B's address
    data: dict  # what tests.multinode.seed wrote
    workers: list = field(default_factory=list)
    services: list = field(default_factory=list)

    @property
    def mail_dir(self) -> Path:
        return Path(self.env["EMAIL_FILE_PATH"])

    @property
    def worker(self) -> cluster.Service:
        return self.workers[-1]

    def start_worker(self) -> cluster.Service:
        worker = cluster.start_worker(self.env, self.folder, len(self.workers) + 1)
        self.workers.append(worker)
        self.services.append(worker)
        return worker

    def local_files(self) -> list[Path]:
        """Every file on the nodes' local disks (media and private media of A, B and the worker)."""
        return [path for path in self.folder.glob("disk-*/**/*") if path.is_file()]


class Timings:
    """How long each phase took, written to ``timings.txt`` in the install's folder (kept by pytest's tmp_path)."""

    def __init__(self, path: Path):
        self.path = path
        self.last = time.monotonic()

    def lap(self, phase: str) -> None:
        now = time.monotonic()
        with self.path.open("a", encoding="utf-8") as out:
            out.write(f"{phase}: {now - self.last:.1f} s\n")
        self.last = now


def stop(services: list[cluster.Service], timings: Timings) -> None:
    cluster.stop_all(services)
    timings.lap("processes stopped")


@pytest.fixture(scope="module")
def install(tmp_path_factory):
    folder = tmp_path_factory.mktemp("multinode")
    mail_dir = folder / "mail"
    mail_dir.mkdir()
    services: list[cluster.Service] = []
    timings = Timings(folder / "timings.txt")
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(cluster.throwaway_database())
        stack.callback(stop, services, timings)  # first (the database is dropped after)
        redis, redis_url = cluster.start_redis(folder)
        services.append(redis)
        s3, s3_url = cluster.start_s3(folder)
        services.append(s3)
        env = cluster.environment(database_url=database_url, redis_url=redis_url, s3_url=s3_url, mail_dir=mail_dir)
        env.update(WORKER_ENV)
        cluster.s3_client(env).create_bucket(Bucket=env["S3_BUCKET"])
        # The servers boot while the database is migrated; they are asked nothing before it is.
        server_a, a = cluster.start_app_server("a", env, folder)
        server_b, b = cluster.start_app_server("b", env, folder)
        services += [server_a, server_b]
        timings.lap("redis, moto, bucket")
        migrate = cluster.manage("migrate", "--no-input", "--skip-checks", "-v", "0")
        cluster.run(migrate, env, seconds=cluster.MIGRATE_SECONDS)
        timings.lap("migrate")
        seed_env = {**env, "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
        data = json.loads(cluster.run(cluster.manage("shell", "-c", SEED), seed_env).strip().splitlines()[-1])
        timings.lap("seed")
        for server, address in ((server_a, a), (server_b, b)):
            cluster.wait_until(lambda address=address: cluster.answers_http(address + "/dang-nhap/"), server)
        timings.lap("servers answer")
        built = Install(folder=folder, env=env, a=a, b=b, data=data, services=services)
        built.start_worker()
        yield built
        timings.lap("tests")
    timings.lap("database dropped")


@pytest.fixture
def browser():
    browser = Browser()
    yield browser
    browser.session.close()
