"""The front cache: a real Varnish (Debian's varnishd, with the VCL of docs/varnish) in front of the live server keeps
the anonymous public pages, and publishing or withdrawing a result purges them at once through Wagtail's
frontend-cache backend. Also: production refuses to start without the shared cache (Redis)."""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

import pytest

from cms.directory.models import Role
from criteria_pages import services as criteria_services
from public_site import services as public_services
from public_site.models import HomePage
from submissions.review import flow as review
from tests.criteria_pages.factories import criteria_index, round_spec
from tests.factories import commune, district, member, province
from tests.submissions.factories import RoundFactory, result

VCL = Path(settings.BASE_DIR) / "docs" / "varnish" / "default.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
#: The host the public reads (the default Wagtail site's): PURGEs carry it too.
HOST = "localhost"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"varnishd stopped: {process.stdout.read()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"varnishd did not listen on {port}")


@pytest.fixture
def varnish(live_server, transactional_db, django_db_serialized_rollback, settings):
    """varnishd in the foreground, with docs/varnish/default.vcl pointed at the live server; Wagtail purges it.

    Its files are in a folder of its own that the unprivileged user varnishd switches to can read."""
    if not Path(VARNISHD).exists():
        pytest.fail("varnishd is missing: install Debian's varnish (apt-get install varnish).")
    backend = re.match(r"http://([^:]+):(\d+)", live_server.url)
    vcl = VCL.read_text()
    vcl = vcl.replace('.host = "127.0.0.1";', f'.host = "{backend[1]}";').replace(
        '.port = "8000";', f'.port = "{backend[2]}";'
    )
    folder = Path(tempfile.mkdtemp(prefix="ntm-varnish-"))
    folder.chmod(0o755)
    (folder / "test.vcl").write_text(vcl)
    (folder / "test.vcl").chmod(0o644)
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [VARNISHD, "-F", "-a", f"127.0.0.1:{port}", "-f", str(folder / "test.vcl"), "-n", str(folder / "work")]
        + ["-s", "malloc,32m"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_port(port, process)
        settings.WAGTAILFRONTENDCACHE = {
            "varnish": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": f"http://127.0.0.1:{port}",
            }
        }
        cache.clear()
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
        cache.clear()


def read(base: str, path: str, **headers) -> tuple[str, dict]:
    request = urllib.request.Request(base + path, headers={"Host": HOST, **headers})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read().decode(), dict(response.headers)


def varnish_hit(headers: dict) -> bool:
    """Varnish names two transactions in X-Varnish when it answered from its cache."""
    return len(headers["X-Varnish"].split()) == 2


@pytest.fixture
def province_with_a_result(varnish):
    """Đắk Lắk with one commune, its page, a published set and a round whose result is recognised, not published."""
    dak_lak = province()
    hoa_thuan = commune(district(dak_lak, "652", "Huyện Krông Pắc"), "24400", "Xã Hòa Thuận")
    office = member(Role.OFFICE_EDITOR, unit=dak_lak, username="vanphong")
    _page, version = criteria_services.criteria_set_import(spec=round_spec(), parent=criteria_index())
    home = HomePage.objects.get()
    home.province = dak_lak
    home.save()
    public_services.commune_pages_ensure(units=[hoa_thuan])
    round_ = RoundFactory(year=2026, criteria_version=version, scope_root=dak_lak, scope_unit_types="Xã")
    submission = result(round_, hoa_thuan, {1: True, 2: True, 10: True}, published=False)
    return {"office": office, "submission": submission}


def test_varnish_keeps_the_page_and_a_published_result_purges_it(varnish, province_with_a_result):
    first, headers = read(varnish, "/xa/xa-hoa-thuan/")
    assert "Chưa có kết quả đánh giá nào của xã" in first
    assert not varnish_hit(headers)
    assert "s-maxage=60" in headers["Cache-Control"] and "Set-Cookie" not in headers
    again, headers = read(varnish, "/xa/xa-hoa-thuan/")
    assert varnish_hit(headers), headers
    assert again == first
    home, _headers = read(varnish, "/")
    assert varnish_hit(read(varnish, "/")[1])

    review.publish(submissions=[province_with_a_result["submission"]], user=province_with_a_result["office"])

    page, headers = read(varnish, "/xa/xa-hoa-thuan/")
    assert "Đạt 3/3 tiêu chí" in page
    assert not varnish_hit(headers)
    assert read(varnish, "/")[0] != home
    # withdrawn: gone at once too
    review.publish(
        submissions=[province_with_a_result["submission"]], user=province_with_a_result["office"], published=False
    )
    assert "Chưa có kết quả đánh giá nào của xã" in read(varnish, "/xa/xa-hoa-thuan/")[0]


def test_varnish_passes_logged_in_people_and_keeps_one_copy_per_language(varnish, province_with_a_result):
    read(varnish, "/xa/xa-hoa-thuan/")
    english, headers = read(varnish, "/xa/xa-hoa-thuan/", Cookie="django_language=en; _ga=1")
    assert headers["Content-Language"] == "en" and not varnish_hit(headers)
    assert varnish_hit(read(varnish, "/xa/xa-hoa-thuan/", Cookie="_ga=2; django_language=en")[1])
    assert varnish_hit(read(varnish, "/xa/xa-hoa-thuan/", Cookie="_ga=3")[1])
    assert english != read(varnish, "/xa/xa-hoa-thuan/")[0]
    _text, headers = read(varnish, "/xa/xa-hoa-thuan/", Cookie="sessionid=not-a-session")
    assert not varnish_hit(headers)
    _text, headers = read(varnish, "/xa/xa-hoa-thuan/", Cookie="sessionid=not-a-session")
    assert not varnish_hit(headers)


def test_production_refuses_to_start_without_redis(tmp_path):
    environment = {
        **{name: value for name, value in os.environ.items() if name not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode != 0
    assert "REDIS_URL must be set in production" in run.stderr
    run = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.CACHES)",
        ],
        env={**environment, "REDIS_URL": "redis://127.0.0.1:6379/0"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "RedisCache" in run.stdout
