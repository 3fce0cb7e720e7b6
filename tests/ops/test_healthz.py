"""/healthz/: 200 with every part healthy; 503 naming the part when the cache, the database or the task queue
fails. Real parts only: the test database, a redis-server started and stopped here, a PostgreSQL address where
nothing listens, tasks really queued in django-tasks-db's table."""

import datetime
import json
import os
import secrets
import subprocess
import sys

from django.conf import settings
from django.test import override_settings
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from tests.ops.conftest import free_port

JSON = "application/json"


def redis_cache(url: str) -> dict:
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


def storage_parts() -> list[str]:
    """Every file storage of the site (public media, private evidence), whether on disk or S3."""
    return [f"storage:{alias}" for alias in settings.STORAGES if alias != "staticfiles"]


def queue_task(*, minutes_ago: int) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="cms.health.all_checks",
        backend_name="default",
        run_after=datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))
    return task


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_part_healthy_answers_200_in_text_and_json(client, redis_server):
    queue_task(minutes_ago=1)  # a task just queued is no backlog
    with override_settings(CACHES=redis_cache(redis_server.url)):
        text = client.get("/healthz/")
        answer = client.get("/healthz/", HTTP_ACCEPT=JSON)

    assert text.status_code == 200
    assert text["Content-Type"].startswith("text/plain")
    parts = ["database", "cache", *storage_parts(), "task_queue"]
    assert "storage:default" in parts
    assert text.content.decode().splitlines() == [f"{part}: OK" for part in parts]
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "failing": [],
        "parts": dict.fromkeys(parts, "OK"),
    }
    assert "no-store" in answer["Cache-Control"]  # never kept by Varnish, the page cache or a browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cache_down_answers_503_naming_the_cache(client, redis_server):
    with override_settings(CACHES=redis_cache(redis_server.url)):
        assert client.get("/healthz/", HTTP_ACCEPT=JSON).status_code == 200
        redis_server.stop()
        answer = client.get("/healthz/", HTTP_ACCEPT=JSON)
        text = client.get("/healthz/")

    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "error"
    assert body["failing"] == ["cache"]
    assert body["parts"]["database"] == "OK"
    assert body["parts"]["cache"].startswith("Unexpected Result: Connection Error")
    assert str(redis_server.url.rsplit(":", 1)[1].split("/")[0]) not in answer.content.decode()  # no address
    assert text.status_code == 503
    assert "cache: Unexpected Result: Connection Error" in text.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_stale_task_backlog_fails_the_queue_but_not_the_load_balancer_probe(client):
    queue_task(minutes_ago=settings.HEALTHZ_TASK_MAX_AGE_MINUTES + 5)

    answer = client.get("/healthz/", HTTP_ACCEPT=JSON)
    assert answer.status_code == 503
    assert answer.json()["failing"] == ["task_queue"]
    assert answer.json()["parts"]["task_queue"] == "Unavailable: 1 tasks waiting for more than 15 minutes"

    # The load balancer's probe: a stopped worker does not take the app servers out of rotation.
    probe = client.get("/healthz/app/", HTTP_ACCEPT=JSON)
    assert probe.status_code == 200
    assert set(probe.json()["parts"]) == {"database", "cache", *storage_parts()}

    with override_settings(HEALTHZ_TASK_LIMIT=1):  # a tolerated backlog
        assert client.get("/healthz/").status_code == 200


#: Serves one /healthz/ request with production settings through Django's test client, in a process of its own.
REQUEST_HEALTHZ = """
import json
import django
django.setup()
from django.test import Client
answer = Client().get("/healthz/", HTTP_ACCEPT="application/json", HTTP_HOST="localhost")
print("ANSWER", json.dumps({"status": answer.status_code, "body": answer.content.decode()}))
"""


def test_database_down_answers_503_naming_the_database(tmp_path, redis_server):
    """Production settings (HTTPS redirect on, JSON logs) with PostgreSQL at an address where nothing listens."""
    port = free_port()
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"postgres://postgres:not-a-real-password@127.0.0.1:{port}/ntm",
        "REDIS_URL": redis_server.url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-c", REQUEST_HEALTHZ],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answer = json.loads(next(line for line in run.stdout.splitlines() if line.startswith("ANSWER "))[7:])

    assert answer["status"] == 503  # not a redirect to HTTPS: load balancers probe over plain HTTP
    body = json.loads(answer["body"])
    assert "database" in body["failing"]
    assert body["parts"]["cache"] == "OK"
    assert body["parts"]["database"].startswith("Unavailable")
    assert str(port) not in answer["body"]
    assert "not-a-real-password" not in answer["body"]
    assert "not-a-real-password" not in run.stdout + run.stderr
