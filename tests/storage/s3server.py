"""A real S3-compatible server for the tests: moto in server mode, started as a subprocess on a free port."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3

MOTO_SERVER = Path(sys.executable).with_name("moto_server")
ACCESS_KEY = "ntm-test"
SECRET_KEY = "ntm-test-secret"  # noqa: S105 - moto accepts any key
REGION = "us-east-1"
STARTUP_SECONDS = 30


@dataclass
class S3Server:
    endpoint_url: str
    bucket: str
    process: subprocess.Popen

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def environ(self, *, bucket: str | None = None) -> dict[str, str]:
        """The environment variables that point the product at this server (cms.storage.storages_setting)."""
        return {
            "STORAGE_BACKEND": "s3",
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_BUCKET": bucket or self.bucket,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_REGION": REGION,
        }

    def create_bucket(self, name: str | None = None) -> str:
        name = name or f"ntm-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str | None = None, prefix: str = "") -> set[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket or self.bucket, Prefix=prefix)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(log_path: Path) -> S3Server:
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = log_path.open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own venv's moto_server
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)  # noqa: S310 - a local http URL
            break
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"moto_server did not start: see {log_path}") from error
            time.sleep(0.2)
    server = S3Server(endpoint_url=endpoint, bucket="", process=process)
    server.bucket = server.create_bucket("ntm-test")
    return server


def stop(server: S3Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
