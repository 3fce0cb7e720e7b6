"""The example configuration of docs/deploy.md is valid: nginx parses it (``nginx -t``, paths moved into a
temporary folder, a throw-away certificate) and gunicorn accepts its config file."""

import os
import shutil
import subprocess
import sys

from django.conf import settings

DEPLOY = settings.BASE_DIR / "docs" / "deploy"


def test_nginx_accepts_the_example_configuration(tmp_path):
    nginx, openssl = shutil.which("nginx") or "/usr/sbin/nginx", shutil.which("openssl")
    assert os.path.exists(nginx), "nginx is missing: apt-get install -y nginx"
    assert openssl, "openssl is missing"
    subprocess.run(  # noqa: S603
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=ntm.example.gov.vn"]
        + ["-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "ntm.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/ssl/ntm/", f"{tmp_path}/").replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "ntm.conf").write_text(site, encoding="utf-8")
    main = f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
    main += f"http {{\n    access_log off;\n    include {tmp_path}/ntm.conf;\n}}\n"
    (tmp_path / "nginx.conf").write_text(main, encoding="utf-8")

    checked = subprocess.run(  # noqa: S603
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def test_gunicorn_accepts_the_example_configuration():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    checked = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", str(DEPLOY / "gunicorn.conf.py"), "cms.wsgi"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
