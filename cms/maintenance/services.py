"""Backup and restore of a whole site: the database's content and every stored file (media and private).

A backup is one ``.tar.gz``: ``data.json`` (``dumpdata --natural-foreign`` of every app but what migrations and
logins recreate), ``files/media/…`` and ``files/private/…`` (walked through the storage API, so the disk and the
bucket are backed up alike) and ``manifest.json`` (format, date, database, each file's size and SHA-256). It does not
depend on the database engine: a SQLite site restores into PostgreSQL and the other way round.

Restoring migrates the target database, empties it, loads the data, writes the files back under their own names and
rebuilds the search index. It refuses a database that already has people in it unless told to replace it.
"""

import datetime
import hashlib
import io
import json
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.storage import private_storage, walk

FORMAT = 1
DATA = "data.json"
MANIFEST = "manifest.json"
FILES = "files"
#: Rebuilt by migrate/flush (content types, permissions), by logging in (sessions), or by ``update_index`` (the
#: search index, whose SQLite full-text table cannot be loaded row by row).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "wagtailsearch"]
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be read or restored here; the message says why, in the operator's language."""


def backed_up_storages() -> dict:
    """The storages a backup holds, by the folder they take in the archive."""
    return {"media": default_storage, "private": private_storage}


@dataclass
class Summary:
    objects: int = 0
    files: dict[str, int] = field(default_factory=dict)
    size: int = 0


class _Hashing(io.RawIOBase):
    """Reads through to ``handle`` and keeps the SHA-256 of what was read."""

    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size=-1):
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


def _dump(path: Path, using: str) -> None:
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and connection.in_atomic_block and not connection.savepoint_ids:
            # One snapshot for every table, even while people keep working.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=EXCLUDED,
            output=str(path),
            database=using,
            verbosity=0,
            stdout=io.StringIO(),
        )


def site_backup(*, output: Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the database's content and every stored file into ``output`` (a ``.tar.gz``)."""
    summary = Summary()
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connections[using].vendor,
        "files": {},
    }
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / DATA
        _dump(data, using)
        summary.objects = len(json.loads(data.read_text(encoding="utf-8")))
        manifest["objects"] = summary.objects
        with tarfile.open(output, "w:gz") as archive:
            archive.add(data, arcname=DATA)
            for folder, storage in backed_up_storages().items():
                entries = manifest["files"][folder] = []
                for name in walk(storage):
                    info = tarfile.TarInfo(f"{FILES}/{folder}/{name}")
                    info.size = storage.size(name)
                    info.mtime = int(storage.get_modified_time(name).timestamp())
                    with storage.open(name, "rb") as handle:
                        reader = _Hashing(handle)
                        archive.addfile(info, reader)
                    entries.append({"name": name, "size": info.size, "sha256": reader.digest.hexdigest()})
                    summary.size += info.size
                summary.files[folder] = len(entries)
            encoded = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(encoded), int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(encoded))
    return summary


def _manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError(_("Tệp này không phải là một bản sao lưu của hệ thống (thiếu manifest.json).")) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("Bản sao lưu có định dạng %(found)s, phiên bản này chỉ đọc được định dạng %(expected)s.")
            % {"found": manifest.get("format"), "expected": FORMAT}
        )
    return manifest


def _restore_file(archive: tarfile.TarFile, storage, folder: str, entry: dict) -> None:
    name = entry["name"]
    member = archive.extractfile(f"{FILES}/{folder}/{name}")
    with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as buffer:
        digest = hashlib.sha256()
        while chunk := member.read(CHUNK):
            digest.update(chunk)
            buffer.write(chunk)
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(_("Tệp “%(name)s” trong bản sao lưu bị hỏng (sai mã SHA-256).") % {"name": name})
        buffer.seek(0)
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, File(buffer, name=name))
    if saved != name:
        raise BackupError(_("Không ghi được tệp “%(name)s” đúng tên cũ (%(saved)s).") % {"name": name, "saved": saved})


def site_restore(*, source: Path, replace: bool = False, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Restore a backup made by :func:`site_backup` into this install's database and storages."""
    try:
        archive = tarfile.open(source, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(_("Không đọc được tệp sao lưu “%(name)s”.") % {"name": source}) from error
    with archive:
        manifest = _manifest(archive)
        call_command("migrate", interactive=False, database=using, verbosity=0, stdout=io.StringIO())
        if not replace and get_user_model().objects.using(using).exists():
            raise BackupError(
                _(
                    "Cơ sở dữ liệu đích đã có người dùng: chỉ khôi phục vào một hệ thống mới, hoặc dùng --replace để "
                    "xoá toàn bộ dữ liệu hiện có."
                )
            )
        # Empty it: migrations created rows (the root page, the default site, classifications…) the backup holds.
        call_command("flush", interactive=False, database=using, verbosity=0, stdout=io.StringIO())
        with tempfile.TemporaryDirectory() as work:
            archive.extract(DATA, path=work, filter="data")
            call_command("loaddata", str(Path(work) / DATA), database=using, verbosity=0, stdout=io.StringIO())
        summary = Summary(objects=manifest.get("objects", 0))
        for folder, storage in backed_up_storages().items():
            entries = manifest["files"].get(folder, [])
            for entry in entries:
                _restore_file(archive, storage, folder, entry)
                summary.size += entry["size"]
            summary.files[folder] = len(entries)
    call_command("update_index", verbosity=0, stdout=io.StringIO())
    return summary


def backup_name(moment: datetime.datetime | None = None) -> str:
    """The default file name of a backup: ``ntm-backup-YYYYmmdd-HHMM.tar.gz`` (local time)."""
    moment = timezone.localtime(moment or timezone.now())
    return f"ntm-backup-{moment:%Y%m%d-%H%M}.tar.gz"
