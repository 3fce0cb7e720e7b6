"""Real services for the operations tests: a redis-server of their own on a free port, and processes started in
their own session and always stopped."""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Service:
    """A process in its own session with its output in a log file; :meth:`stop` ends it and reaps it."""

    def __init__(self, name: str, command: list[str], *, log: Path, **kwargs):
        self.name = name
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until(self, ready) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{self.name} exited:\n{self.output()[-3000:]}"
            if ready():
                return
            time.sleep(0.1)
        raise AssertionError(f"{self.name} did not start in {STARTUP_SECONDS}s:\n{self.output()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as peer:
            peer.sendall(b"PING\r\n")
            return peer.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_server(tmp_path):
    """A real redis-server on a free port, storing nothing on disk; the test may stop it early."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: apt-get install -y redis-server (.ci/run installs it)"
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path), "--save", ""]
    redis = Service("redis-server", [*command, "--appendonly", "no"], log=tmp_path / "redis.log")
    try:
        redis.wait_until(lambda: redis_answers(port))
        redis.url = f"redis://127.0.0.1:{port}/0"
        yield redis
    finally:
        redis.stop()
