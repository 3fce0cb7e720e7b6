"""Where files live: the local disk by default, one private S3-compatible bucket when ``STORAGE_BACKEND=s3``.

Two storages, both used only through Django's storage API (never a local path, so either backend works):

- ``default`` — Wagtail's media (images and their renditions, documents): ``MEDIA_ROOT`` on disk, or the bucket's
  ``media/`` prefix;
- ``private`` — evidence, decision documents, uploaded imports: ``PRIVATE_MEDIA_ROOT`` on disk (outside the public
  media folder), or the bucket's ``private/`` prefix. Private files have no URL: views stream them after the access
  module's check.

The bucket stays private (no ACL is ever set on an object); browsers never talk to it. Images are served by
:func:`cms.media.media_serve` under ``MEDIA_URL``, documents by Wagtail's serve view (which checks a collection's
privacy first).
"""

import os
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.http import FileResponse, Http404
from django.utils.encoding import filepath_to_uri
from django.utils.functional import LazyObject, empty

from storages.backends.s3 import S3Storage

LOCAL = "local"
S3 = "s3"
BACKENDS = (LOCAL, S3)
#: The bucket's prefixes: Wagtail's media and the private files.
MEDIA_PREFIX = "media"
PRIVATE_PREFIX = "private"
PRIVATE_ALIAS = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """Private files on disk: outside MEDIA_ROOT, without a URL; served only by a view that checks scope."""

    def __init__(self, **kwargs):
        kwargs.setdefault("location", settings.PRIVATE_MEDIA_ROOT)
        super().__init__(base_url=None, **kwargs)

    def url(self, name):
        raise NotImplementedError("Private files have no public URL; use the view that checks scope.")


class PrivateS3Storage(S3Storage):
    """Private files in the bucket under ``private/``: no URL either (no presigned link leaves the server)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError("Private files have no public URL; use the view that checks scope.")


class MediaS3Storage(S3Storage):
    """Wagtail's media in the bucket under ``media/``. Its URLs are this site's ``MEDIA_URL`` (served by
    :func:`cms.media.media_serve`), so cached pages never hold a presigned link that expires."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name).lstrip("/")


def storages_setting(environ=os.environ, *, media_prefix: str = MEDIA_PREFIX, private_prefix: str = PRIVATE_PREFIX):
    """The ``default`` and ``private`` entries of ``STORAGES``, from the environment (``STORAGE_BACKEND``,
    ``S3_ENDPOINT_URL``, ``S3_BUCKET``, ``S3_ACCESS_KEY_ID``, ``S3_SECRET_ACCESS_KEY``, ``S3_REGION``)."""
    backend = environ.get("STORAGE_BACKEND", LOCAL) or LOCAL
    if backend not in BACKENDS:
        raise ImproperlyConfigured(f"STORAGE_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}.")
    if backend == LOCAL:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            PRIVATE_ALIAS: {"BACKEND": "cms.storage.PrivateFileSystemStorage"},
        }
    if not environ.get("S3_BUCKET"):
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs S3_BUCKET (and S3_ENDPOINT_URL, S3_ACCESS_KEY_ID, ...).")
    common = {
        "bucket_name": environ["S3_BUCKET"],
        "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,
        "access_key": environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("S3_SECRET_ACCESS_KEY") or None,
        "region_name": environ.get("S3_REGION", "us-east-1") or "us-east-1",
        # The bucket is private: objects get no ACL of their own, and names are never overwritten (two uploads of
        # "anh.jpg" keep both files).
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
    }
    return {
        "default": {"BACKEND": "cms.storage.MediaS3Storage", "OPTIONS": {**common, "location": media_prefix}},
        PRIVATE_ALIAS: {"BACKEND": "cms.storage.PrivateS3Storage", "OPTIONS": {**common, "location": private_prefix}},
    }


class PrivateStorageProxy(LazyObject):
    """The ``private`` storage, looked up on first use (and again after a test changes ``STORAGES``), as Django's
    ``default_storage`` is. Model fields hold this object."""

    def _setup(self):
        self._wrapped = storages[PRIVATE_ALIAS]


private_storage = PrivateStorageProxy()


def private_storage_callable():
    """The ``private`` storage for a model's ``FileField(storage=...)``: a callable, so migrations stay the same
    whichever storage is configured."""
    return private_storage


def _reset_private_storage(*, setting, **kwargs):
    if setting in {"STORAGES", "PRIVATE_MEDIA_ROOT"}:
        private_storage._wrapped = empty
        storages._storages.pop(PRIVATE_ALIAS, None)


setting_changed.connect(_reset_private_storage)


def walk(storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``folder`` (recursively), through the storage API only."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder.rstrip('/')}/" if folder else ""
    for name in sorted(files):
        yield f"{prefix}{name}"
    for child in sorted(folders):
        yield from walk(storage, f"{prefix}{child}")


def private_file_response(file, *, filename: str, content_type: str = "") -> FileResponse:
    """A private file (evidence, a registration's or a precondition's file, a scanned survey, a decision), streamed
    after the caller's permission check: never redirected to a presigned URL (no link that works without the check
    can be forwarded or logged, the bucket needs no public address), with its original name and no-store headers.
    A file missing from the storage is a 404."""
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=filename)
    if content_type:
        response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
