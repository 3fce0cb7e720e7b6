"""Fixtures shared by the storage and backup suites: one moto server per test session, and the product's storages
pointed at the local disk or at that server (a fresh prefix per test), through ``cms.storage.storages_setting``."""

import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.core.files.storage import default_storage

import pytest

from cms.storage import LOCAL, S3, private_storage, storages_setting
from tests.storage import s3server

BACKENDS = (LOCAL, S3)


@dataclass
class Files:
    """The storages a test runs against, and how to look behind them (the disk or the bucket itself)."""

    backend: str
    server: s3server.S3Server | None
    prefix: str

    @property
    def media(self):
        return default_storage

    @property
    def private(self):
        return private_storage

    def stored(self, folder: str) -> set[str]:
        """The names really present in the disk folder or bucket prefix behind ``folder`` (``private`` or
        ``media``), seen without the product's code."""
        if self.backend == S3:
            start = f"{self.prefix}/{folder}/"
            return {key.removeprefix(start) for key in self.server.keys(prefix=start)}
        root = self.private.location if folder == "private" else self.media.location
        return {str(path.relative_to(root)) for path in Path(root).rglob("*") if path.is_file()}


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    server = s3server.start(tmp_path_factory.mktemp("moto") / "moto_server.log")
    yield server
    s3server.stop(server)


def use_storage(backend: str, *, settings, tmp_path, s3_server) -> Files:
    """Point ``default`` and ``private`` at fresh, empty places: folders of ``tmp_path``, or a new prefix of the
    session's bucket."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    prefix = f"t{uuid.uuid4().hex[:10]}"
    cache.clear()  # Wagtail caches renditions by image id, and ids come back after a rollback
    environ = s3_server.environ() if backend == S3 else {}
    settings.STORAGES = {
        **storages_setting(environ, media_prefix=f"{prefix}/media", private_prefix=f"{prefix}/private"),
        "staticfiles": settings.STORAGES["staticfiles"],
    }
    return Files(backend=backend, server=s3_server if backend == S3 else None, prefix=prefix)


@pytest.fixture(params=BACKENDS)
def files(request, settings, tmp_path, s3_server) -> Files:
    return use_storage(request.param, settings=settings, tmp_path=tmp_path, s3_server=s3_server)
