"""Structured logs: with LOG_FORMAT=json every request writes one JSON line on stdout with its time, level,
logger, message, request id, method, path, status, duration and the signed-in user's id — never an e-mail
address, never an activation or password-reset token."""

import io
import json
import logging.config

from django.conf import settings

import pytest

from cms.logging import logging_config
from tests.factories import UserFactory

EMAIL = "canbo.xa@example.gov.vn"


@pytest.fixture
def json_logs(db):
    """The production logging configuration (set up after the test database, whose creation configures logging
    again), its stdout handler writing into a buffer this test reads."""
    config = logging_config("json", "WARNING")
    assert config["handlers"]["console"]["stream"] == "ext://sys.stdout"
    stdout = io.StringIO()
    config["handlers"]["console"]["stream"] = stdout
    logging.config.dictConfig(config)
    yield lambda: [json.loads(line) for line in stdout.getvalue().splitlines()]
    logging.config.dictConfig(settings.LOGGING)


def request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "cms.request"]


@pytest.mark.django_db
def test_a_request_writes_one_parseable_json_line(client, json_logs):
    response = client.get("/dang-nhap/", HTTP_X_REQUEST_ID="lb-4f2a9c")

    (line,) = request_lines(json_logs())
    assert response["X-Request-ID"] == "lb-4f2a9c"  # the front proxy's id, kept and returned
    assert line["level"] == "INFO"
    assert line["message"] == "GET /dang-nhap/ 200"
    assert line["request_id"] == "lb-4f2a9c"
    assert line["method"] == "GET"
    assert line["path"] == "/dang-nhap/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["user_id"] is None
    assert line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_the_signed_in_user_is_logged_by_id_only(client, json_logs):
    user = UserFactory(email=EMAIL, username="canbo_xa_log", first_name="Nguyễn", last_name="Văn A")
    client.force_login(user)
    client.get("/cong-viec/")

    output = json_logs()
    (line,) = request_lines(output)
    assert line["user_id"] == user.pk
    assert len(line["request_id"]) == 32  # made here when the proxy sent none
    text = json.dumps(output, ensure_ascii=False)
    assert EMAIL not in text
    assert "canbo_xa_log" not in text
    assert "Nguyễn" not in text


@pytest.mark.django_db
def test_tokens_in_links_are_masked_and_forged_request_ids_replaced(client, json_logs):
    client.get("/kich-hoat/MTIz/cz8k1d-0a1b2c3d4e5f6a7b8c9d/", HTTP_X_REQUEST_ID="bad\nid {json}")

    (line,) = request_lines(json_logs())
    assert line["path"] == "/kich-hoat/***/***/"
    assert "cz8k1d" not in line["message"]
    assert line["request_id"] != "bad\nid {json}"
    assert len(line["request_id"]) == 32


def test_text_format_is_plain_and_unknown_formats_refused():
    config = logging_config("text", "INFO")
    assert config["handlers"]["console"]["formatter"] == "text"
    assert config["handlers"]["console"]["stream"] == "ext://sys.stdout"
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config("xml")
