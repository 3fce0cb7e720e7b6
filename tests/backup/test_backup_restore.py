"""A backup restored into a fresh install gives the same public pages and the same files.

The site is built here (published commune pages, a recognised and published result, evidence, a Wagtail image),
backed up with ``backup_site``, then restored by ``restore_site`` in another process into a new empty database (a
new SQLite file, or a new PostgreSQL database) and a new empty storage (new folders, or a new bucket), on the local
disk and on a real S3-compatible server. That process then serves the pages and the files."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from wagtail.images.models import Image

import psycopg
import pytest
from PIL import Image as PillowImage

from cms.storage import S3
from submissions.models import Evidence
from tests.submissions.factories import EvidenceFactory, RoundFactory, result

ROOT = Path(settings.BASE_DIR)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n% bien ban kiem tra\n"
ALL_MET = {1: True, 2: True, 10: True}
RESTORE_SECONDS = 600


@pytest.fixture
def built(files, site, published_set):
    """A small site: commune pages, Hòa Thuận recognised and published with an evidence file, Ea Kly's result
    published, and a photo with a rendition."""
    scope = {"criteria_version": published_set["version"], "scope_root": site["province"], "scope_unit_types": "Xã"}
    round_2026 = RoundFactory(year=2026, **scope)
    communes = site["communes"]
    hoa_thuan = result(round_2026, communes["hoa_thuan"], ALL_MET, decision_number="125/QĐ-UBND")
    result(round_2026, communes["ea_kly"], {1: True, 2: False, 10: True})
    evidence = EvidenceFactory(
        submission=hoa_thuan, file__data=PDF, file__filename="bien-ban.pdf", sha256=hashlib.sha256(PDF).hexdigest()
    )
    photo = io.BytesIO()
    PillowImage.new("RGB", (60, 40), (200, 30, 30)).save(photo, "PNG")
    image = Image.objects.create(title="Đường làng", file=ImageFile(photo, name="duong-lang.png"))
    rendition = image.get_rendition("fill-30x30")
    return {"evidence": evidence, "rendition": rendition, "officer": site["officers"]["hoa_thuan"].username}


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database of the same engine as the test run's."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    params = connection.settings_dict
    name = f"ntm_restore_{uuid.uuid4().hex[:12]}"
    server = {"host": params["HOST"] or "127.0.0.1", "port": params["PORT"] or 5432, "user": params["USER"]}
    if params["PASSWORD"]:
        server["password"] = params["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    yield f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_install_environ(files, database_url: str, tmp_path: Path) -> dict[str, str]:
    environ = {
        key: value for key, value in os.environ.items() if not key.startswith(("S3_", "STORAGE_", "DJANGO_SETTINGS"))
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="tests.backup.restore_settings",
        DATABASE_URL=database_url,
        RESTORE_MEDIA_ROOT=str(tmp_path / "restored-media"),
        RESTORE_PRIVATE_MEDIA_ROOT=str(tmp_path / "restored-private"),
    )
    if files.backend == S3:
        environ.update(files.server.environ(bucket=files.server.create_bucket()))
    return environ


def run(arguments: list[str], environ: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and scripts
        [sys.executable, *arguments],
        check=False,
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=RESTORE_SECONDS,
    )


def test_a_backup_restored_into_a_fresh_install_serves_the_same_pages_and_files(
    files, built, fresh_database, tmp_path, client
):
    pages = ["/", "/xa/xa-hoa-thuan/", "/xa/xa-ea-kly/", "/tieu-chi/1/", f"/media/{built['rendition'].file.name}"]
    before = {url: client.get(url) for url in pages}
    assert "Quyết định số 125/QĐ-UBND" in before["/xa/xa-hoa-thuan/"].text
    evidence = built["evidence"]

    archive = tmp_path / "ntm-backup.tar.gz"
    output = io.StringIO()
    call_command("backup_site", str(archive), stdout=output)
    assert "tệp riêng tư" in output.getvalue()
    with tarfile.open(archive) as backup:
        names = set(backup.getnames())
    assert {"data.json", "manifest.json", f"files/private/{evidence.file.name}"} <= names
    assert f"files/media/{built['rendition'].file.name}" in names

    environ = fresh_install_environ(files, fresh_database, tmp_path)
    restored = run(["manage.py", "restore_site", str(archive)], environ)
    assert restored.returncode == 0, restored.stderr
    assert "Đã khôi phục" in restored.stdout

    evidence_url = f"/danh-gia/minh-chung/{evidence.pk}/"
    inspected = run(["-m", "tests.backup.inspect_site", *pages[:-1], f"{evidence_url}:{built['officer']}"], environ)
    assert inspected.returncode == 0, inspected.stderr
    after = json.loads(inspected.stdout)
    for url in pages[:-1]:
        assert after["pages"][url] == {"status": 200, "html": before[url].content.decode()}, url
    assert after["files"][f"{evidence_url}:{built['officer']}"] == {
        "status": 200,
        "sha256": hashlib.sha256(PDF).hexdigest(),
    }
    media = run(["-m", "tests.backup.inspect_site", pages[-1] + ":" + built["officer"]], environ)
    image_before = hashlib.sha256(b"".join(before[pages[-1]].streaming_content)).hexdigest()
    assert json.loads(media.stdout)["files"][pages[-1] + ":" + built["officer"]]["sha256"] == image_before

    # A second restore into the now populated install is refused unless told to replace it.
    again = run(["manage.py", "restore_site", str(archive)], environ)
    assert again.returncode != 0
    assert "đã có người dùng" in again.stderr


def test_a_file_that_is_not_a_backup_is_refused_in_vietnamese(tmp_path, db):
    not_a_backup = tmp_path / "anh.tar.gz"
    with tarfile.open(not_a_backup, "w:gz") as archive:
        archive.addfile(tarfile.TarInfo("readme.txt"), io.BytesIO(b""))
    with pytest.raises(CommandError, match="không phải là một bản sao lưu"):
        call_command("restore_site", str(not_a_backup))
    assert Evidence.objects.count() == 0
    assert Client().get("/").status_code in (200, 404)
