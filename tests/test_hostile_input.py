"""Hostile input, as an attacker with (or without) an account sends it: control characters, JSON nested 50,000
deep, bodies over the limits, unknown formats, to every API route the URL resolver knows and to the web forms.

Nothing answers 5xx; every API error is the project's JSON error (``message`` and ``code``); PostgreSQL, which
refuses NUL in text, never sees one. Run on SQLite and on PostgreSQL.
"""

import datetime
import json
import re

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver
from django.utils import timezone

import pytest

from cms import api as cms_api
from cms.directory import api as directory_api
from cms.input import JSON_MAX_DEPTH, JSONTooDeep, json_errors
from submissions.consultation.models import Consultation
from submissions.models import Evidence, IndicatorValue, Submission, SubmissionStatus
from submissions.reports.jobs import services as export_jobs
from tests.factories import shared_layer
from tests.submissions.factories import PDF, fill_and_submit
from tests.submissions.ocop.factories import ProducerFactory, ProductFactory

FORBIDDEN = "Có ký tự điều khiển không hợp lệ"  # the start of cms.input.FORBIDDEN_MESSAGE
NUL_QUERY = "q=%00&search=a%00b&status=%00&round=%00&edition=%00&parent=%01&level=%1f&fields=%00&order=%00"
DEEP_JSON = "[" * 50_000 + "]" * 50_000
#: Routes whose successful answer is not JSON, or is streamed (errors still are JSON).
NOT_JSON_WHEN_OK = {
    "/api/v1/schema/",
    "/api/v1/schema/ui/",
    "/api/v1/rounds/<int:pk>/open-data.csv",
    "/api/v1/rounds/<int:pk>/open-data.json",
    "/api/v1/exports/<int:pk>/download/",
}


# --- the routes -------------------------------------------------------------------------------------------------


def _api_routes() -> list[str]:
    """Every route under /api/ as the URL resolver knows it (``/api/v1/rounds/<int:pk>/``), plus an unknown one."""
    routes = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).removeprefix("^").removesuffix("$")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif route.startswith("api/v"):
                routes.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return [*routes, "/api/v1/no-such-thing/"]


API_ROUTES = _api_routes()
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def _url(route: str, ids: dict) -> str:
    """``route`` with the id of a real object for each parameter, chosen by the route's first segment."""
    segment = route.split("/")[3]
    if PARAMETER.search(route) and segment not in ids:
        raise AssertionError(f"No object for {route}: add one for {segment!r} to the targets.")
    return PARAMETER.sub(lambda _match: str(ids[segment]), route)


@shared_layer
def hostile_targets(area, published_set, open_round):
    """Hòa Thuận's submission as a draft (its officer may write it) and Ea Kly's, submitted (Krông Pắc's
    reviewer may act on it)."""
    question = "q_" + published_set["form_page"].sections[0].value["questions"][0].id
    ea_kly = Submission.objects.get(round=open_round, unit=area["communes"]["ea_kly"])
    fill_and_submit(ea_kly, area["officers"]["ea_kly"], question)
    draft = Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])
    return {"draft": draft, "submitted": ea_kly, "question": question}


def _public_consultation(area, open_round) -> Consultation:
    """Ea Wer's submission, appraised, under a public consultation (``/api/v1/consultations/``)."""
    submission = Submission.objects.get(round=open_round, unit=area["communes"]["ea_wer"])
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.RECOGNITION)
    today = timezone.localdate()
    return Consultation.objects.create(
        submission=submission, opens_on=today, closes_on=today + datetime.timedelta(days=30)
    )


@pytest.fixture
def ids(area, published_set, open_round, hostile_targets):
    return {
        "consultations": _public_consultation(area, open_round).pk,
        "units": area["communes"]["hoa_thuan"].code,
        "criteria-sets": published_set["page"].pk,
        "rounds": open_round.pk,
        "submissions": hostile_targets["draft"].pk,
        "review": hostile_targets["submitted"].pk,
        "pages": published_set["page"].pk,
        # A product of Hòa Thuận (not public): the OCOP routes answer hostile input about it, or a JSON 404 for the
        # councils and sheets that no caller here sits on.
        "ocop": ProductFactory(producer=ProducerFactory(commune=area["communes"]["hoa_thuan"])).pk,
        # The office's background export (still queued): not any of the callers'.
        "exports": export_jobs.export_job_start(
            user=area["office"], round_=open_round, kind="summary", parent=area["province"], basis="all"
        ).pk,
    }


@pytest.fixture(params=["anonymous", "officer", "reviewer"])
def caller(request, client, area):
    """The test client, as anonymous, Hòa Thuận's commune officer or Krông Pắc's district reviewer."""
    if request.param == "officer":
        client.force_login(area["officers"]["hoa_thuan"])
    elif request.param == "reviewer":
        client.force_login(area["reviewer"])
    client.raise_request_exception = False  # a 500 is an answer to check, not an exception in the test
    return client


# --- checks -----------------------------------------------------------------------------------------------------


def _problem(response, *, route: str, refused: bool = False, status: int | None = None) -> str | None:
    """What is wrong with an API answer, or None: no 5xx; errors (and, unless ``route`` answers otherwise,
    everything) in JSON, errors with ``message`` and ``code``; ``refused``: an error; ``status``: exactly it."""
    if response.status_code >= 500:
        return f"{response.status_code}"
    if status is not None and response.status_code != status:
        return f"{response.status_code}, not {status}: {response.content[:200]!r}"
    if refused and response.status_code < 400:
        return f"accepted ({response.status_code})"
    if response.status_code < 400 and (route in NOT_JSON_WHEN_OK or 300 <= response.status_code < 400):
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return f"{response.status_code} not JSON ({response.get('Content-Type')}): {response.content[:120]!r}"
    if response.status_code >= 400 and not (isinstance(body, dict) and body.get("message") and body.get("code")):
        return f"{response.status_code} without message and code: {body!r:.200}"
    return None


def _hostile_requests(client, url: str, route: str, lock_version: int, question: str):
    """(what was sent, the answer, what it must be) for every hostile input to one route. The bodies are valid
    but for their control characters (NUL, which PostgreSQL refuses, and others, which it would store)."""
    bodies_with_controls = [
        {"lock_version": lock_version, "values": {"1.1": "9\x00"}},
        {"lock_version": lock_version, "notes": {"1.1": "ghi chú\x1b"}},
        {"lock_version": lock_version, "answers": {question: "Nguyễn\x00"}},
        {"lock_version": lock_version, "comment": "ý kiến\x01", "number": 1, "reason": "\x02", "published": True},
    ]
    oversized = b'{"comment": "' + b"a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b'"}'
    yield "GET ?NUL", client.get(f"{url}?{NUL_QUERY}"), {}
    yield "GET ?format=garbage", client.get(f"{url}?format=garbage"), {"status": 404}
    for method in ("post", "put", "patch"):
        send = getattr(client, method)
        for body in bodies_with_controls:
            yield f"{method} {body}", send(url, body, content_type="application/json"), {"refused": True}
        yield f"{method} deep JSON", send(url, DEEP_JSON, content_type="application/json"), {"refused": True}
        yield f"{method} oversized", send(url, oversized, content_type="application/json"), {"status": 413}
    form = f"comment=%00&indicator_code=1.1%00&lock_version={lock_version}&number=1%01"
    yield "POST NUL form", client.post(url, form, content_type="application/x-www-form-urlencoded"), {"refused": True}
    if PARAMETER.search(route):
        yield "NUL in the path", client.get(PARAMETER.sub("%00", route)), {"status": 404}


@pytest.mark.parametrize("route", API_ROUTES)
def test_every_api_route_answers_hostile_input_in_json(caller, route, ids, hostile_targets):
    url = _url(route, ids)
    target = {"submissions": "draft", "review": "submitted"}.get(route.split("/")[3])
    lock_version = hostile_targets[target].lock_version if target else 0  # so a write would not stop at 409
    problems = [
        f"{sent}: {problem}"
        for sent, response, expected in _hostile_requests(caller, url, route, lock_version, hostile_targets["question"])
        if (problem := _problem(response, route=route, **expected))
    ]
    assert not problems, f"{url}:\n" + "\n".join(problems)


def test_the_matrix_covers_every_kind_of_endpoint():
    """The resolver's routes: units, editions, criteria sets, rounds, submissions, review, schema, Wagtail's."""
    assert len(API_ROUTES) >= 29
    for route in (
        "/api/v1/units/<str:code>/",
        "/api/v1/submissions/<int:pk>/values/",
        "/api/v1/review/submissions/<int:pk>/return/",
        "/api/v1/schema/",
        "/api/v2/pages/",
        "/api/v2/pages/<int:pk>/",
    ):
        assert route in API_ROUTES


# --- search parameters: stripped ----------------------------------------------------------------------------


def test_search_parameters_lose_their_control_characters_and_go_on(client, area, site):
    everything = client.get("/api/v1/units/").json()
    assert client.get("/api/v1/units/?q=%00").json() == everything
    found = client.get("/api/v1/units/?q=H%00%C3%B2a%01%20Thu%1F%E1%BA%ADn").json()
    assert [unit["code"] for unit in found["results"]] == ["24400"]
    response = client.get("/api/v2/pages/?search=%00")
    assert response.status_code == 200
    assert "items" in response.json()
    found = client.get("/api/v2/pages/find/?html_path=%00/")
    assert found.status_code in (302, 404)


# --- bodies: refused, naming the field ------------------------------------------------------------------------


def test_api_refuses_control_characters_in_values_notes_and_names(client, area, hostile_targets):
    submission = hostile_targets["draft"]
    client.force_login(area["officers"]["hoa_thuan"])
    url = f"/api/v1/submissions/{submission.pk}/values/"
    body = {
        "lock_version": submission.lock_version,
        "values": {"1.1": "có\x00", "2.1": "9\x015"},
        "notes": {"2.2": "\x0c"},
    }

    response = client.patch(url, body, content_type="application/json")

    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"values", "notes"}
    assert set(error["fields"]["values"]) == {"1.1", "2.1"}
    assert error["fields"]["notes"]["2.2"][0].startswith(FORBIDDEN)
    response = client.patch(url, '{"lock_version": 0, "values": {"x\\u0000": "1", "\\ud800": "2"}}', "application/json")
    assert response.status_code == 400
    assert set(response.json()["fields"]["values"]) == {"x\ufffd", "\ufffd"}
    submission.refresh_from_db()
    assert submission.lock_version == hostile_targets["draft"].lock_version
    assert not IndicatorValue.objects.filter(submission=submission).exclude(raw="").exists()


def test_api_keeps_vietnamese_tabs_and_newlines(client, area, hostile_targets):
    submission = hostile_targets["draft"]
    client.force_login(area["officers"]["hoa_thuan"])
    note = "Đường trục xã\tđã bê tông hoá 95%\r\nCòn 2 km đường đất — Ấp Ea Kmút"
    body = {"lock_version": submission.lock_version, "values": {"2.1": "95,5"}, "notes": {"2.1": note}}

    response = client.patch(f"/api/v1/submissions/{submission.pk}/values/", body, content_type="application/json")

    assert response.status_code == 200, response.content
    assert IndicatorValue.objects.get(submission=submission, code="2.1").note == note


def test_deep_json_is_a_400_not_a_recursion_error(client, area, hostile_targets):
    client.force_login(area["officers"]["hoa_thuan"])
    url = f"/api/v1/submissions/{hostile_targets['draft'].pk}/values/"
    for body in (DEEP_JSON, '{"a": ' * 65 + "1" + "}" * 65):
        response = client.patch(url, body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["code"] == "parse_error"
        assert str(JSON_MAX_DEPTH) in response.json()["message"]
    nested = '{"lock_version": 0, "answers": ' + '{"a": ' * (JSON_MAX_DEPTH - 2) + "1" + "}" * (JSON_MAX_DEPTH - 1)
    response = client.patch(url, nested, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"  # read, then refused by the serializer: no depth error


def test_json_depth_and_text_check_walks_without_recursing():
    deep = []
    for _level in range(100_000):
        deep = [deep]
    with pytest.raises(JSONTooDeep):
        json_errors(deep)
    fine = "x"
    for _level in range(JSON_MAX_DEPTH - 1):
        fine = {"a": fine}
    assert json_errors([fine]) == {}
    assert json_errors({"items": [{"comment": "ok"}, {"comment": "\x07"}]}) == {
        "items": {"1": {"comment": [json_errors("\x00")["non_field_errors"][0]]}}
    }
    assert json_errors("tab\tand\r\nnewlines, Tiếng Việt") == {}


# --- sizes ------------------------------------------------------------------------------------------------------


def test_oversized_bodies_are_a_json_413_and_evidence_files_still_upload(client, area, hostile_targets):
    submission = hostile_targets["draft"]
    client.force_login(area["officers"]["hoa_thuan"])
    values = f"/api/v1/submissions/{submission.pk}/values/"
    evidence = f"/api/v1/submissions/{submission.pk}/evidence/"

    forty_mb = b'{"lock_version": 0, "notes": {"1.1": "' + b"a" * (40 * 1024 * 1024) + b'"}}'
    response = client.patch(values, forty_mb, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"message": "Dữ liệu gửi lên quá lớn (tối đa 5,0\xa0MB).", "code": "too_large"}
    english = client.patch(values, forty_mb, content_type="application/json", headers={"accept-language": "en"})
    assert english.json()["message"].startswith("The request body is too large")

    # A multipart body within the upload limit whose text field alone is over DATA_UPLOAD_MAX_MEMORY_SIZE.
    text = "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(evidence, {"indicator_code": text})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"

    # A file larger than DATA_UPLOAD_MAX_MEMORY_SIZE (files are streamed, not counted) is an evidence file.
    big_pdf = PDF + b"%" + b"0" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024) + b"\n"
    response = client.post(evidence, {"indicator_code": "1.1", "file": SimpleUploadedFile("bien-ban.pdf", big_pdf)})
    assert response.status_code == 201, response.content
    assert Evidence.objects.get(pk=response.json()["id"]).size == len(big_pdf)


def test_too_many_fields_is_a_json_400(client, area, hostile_targets):
    client.force_login(area["officers"]["hoa_thuan"])
    body = "&".join(["a=1"] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.post(
        f"/api/v1/submissions/{hostile_targets['draft'].pk}/evidence/",
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


# --- formats and Django's own errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/units/", "/api/v2/pages/", "/api/v1/schema/", "/api/v1/schema/ui/"])
def test_an_unknown_format_is_a_json_404_even_for_a_browser(client, url, area):
    response = client.get(f"{url}?format=garbage", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_known_formats_still_work(client, area):
    assert client.get("/api/v1/units/?format=json").json()["count"] == 7
    assert client.get("/api/v1/units/?format=api")["Content-Type"].startswith("text/html")
    assert client.get("/api/v1/schema/")["Content-Type"].startswith("application/vnd.oai.openapi")


def test_a_server_error_under_the_api_is_json_and_elsewhere_the_page(client, area, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(directory_api.EditionListView, "get", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/editions/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"

    page = cms_api.server_error(RequestFactory().get("/tin-tuc/"))
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


def test_django_error_views_answer_json_under_the_api_only():
    factory = RequestFactory()
    for view, status in ((cms_api.bad_request, 400), (cms_api.permission_denied, 403), (cms_api.page_not_found, 404)):
        api_answer = view(factory.get("/api/v1/units/"), Exception())
        assert api_answer.status_code == status
        assert set(json.loads(api_answer.content)) == {"message", "code"}
        assert view(factory.get("/xet-duyet/"), Exception())["Content-Type"].startswith("text/html")


def test_control_characters_in_headers_cookies_and_paths_are_refused(client, area):
    client.raise_request_exception = False
    response = client.get("/api/v1/submissions/", HTTP_AUTHORIZATION="Token \x00abc")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    client.cookies["sessionid"] = "abcdefghij\x00klmnop"  # sent quoted, "\000": Django decodes it to NUL
    assert client.get("/danh-gia/").status_code == 400
    del client.cookies["sessionid"]
    assert client.get("/%00/").status_code == 404
    assert client.get("/api/v1/units/%00/").json()["code"] == "not_found"


# --- the web forms ----------------------------------------------------------------------------------------------


def test_commune_form_refuses_control_characters_next_to_the_field_and_keeps_the_input(client, area, hostile_targets):
    submission = hostile_targets["draft"]
    question = hostile_targets["question"]
    client.force_login(area["officers"]["hoa_thuan"])
    url = f"/danh-gia/ho-so/{submission.pk}/"
    typed = {
        "v_2_1": "95\x00",
        "n_2_1": "đường\x00",
        "n_2_2": "ghi\x0bchú",
        question: "Nguyễn\x1fVăn An",
        "v_10_1": "50",
    }

    response = client.post(url, {"lock_version": submission.lock_version, "save": "1", **typed})

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"v_2_1", "n_2_1", "n_2_2", question}
    for name in form.errors:
        assert form.errors[name] == [form.errors[name][0]]
        assert form.errors[name][0].startswith(FORBIDDEN)
        assert form[name].value() == typed[name]  # the typed input is kept
    assert form["v_10_1"].value() == "50"
    content = response.content.decode()
    start = content.index('id="error-summary"')
    summary = content[start : content.index("</div>", start)]
    for name in form.errors:
        field_id = form[name].auto_id
        # Next to the field, once, and the field points at it; the error summary links to the field with it.
        assert content.count(f'<p class="error-message" id="{field_id}_error">{FORBIDDEN}') == 1
        assert re.search(rf'<(input|textarea)[^>]*aria-describedby="{field_id}_error"[^>]*id="{field_id}"', content)
        assert re.search(rf'<a href="#{field_id}">[^<]*: {FORBIDDEN}', summary)
    # GOV.UK's pattern: each message twice, beside its field and in the summary, never more.
    assert content.count(FORBIDDEN) == 2 * len(form.errors)
    assert summary.count(FORBIDDEN) == len(form.errors)
    assert "Chưa lưu" in content
    submission.refresh_from_db()
    assert submission.lock_version == hostile_targets["draft"].lock_version
    assert not IndicatorValue.objects.filter(submission=submission).exclude(raw="").exists()


def test_commune_form_keeps_vietnamese_tabs_and_newlines(client, area, hostile_targets):
    submission = hostile_targets["draft"]
    client.force_login(area["officers"]["hoa_thuan"])
    note = "Đã kiểm tra\tngày 12/11\r\nCòn thiếu biên bản của Ấp Ea Kmút"

    response = client.post(
        f"/danh-gia/ho-so/{submission.pk}/",
        {"lock_version": submission.lock_version, "save": "1", "v_2_1": "95", "n_2_1": note},
    )

    assert response.status_code == 302
    assert IndicatorValue.objects.get(submission=submission, code="2.1").note == note


def test_web_forms_answer_control_characters_without_a_server_error(client, area, hostile_targets):
    """The commune's form (every field) and the reviewers' actions, by their own users and anonymously."""
    client.raise_request_exception = False
    draft, submitted = hostile_targets["draft"], hostile_targets["submitted"]
    commune_form = f"/danh-gia/ho-so/{draft.pk}/"
    forward = f"/xet-duyet/ho-so/{submitted.pk}/chuyen/"
    fields = dict.fromkeys(("v_1_1", "v_2_1", "v_2_2", "v_10_1", "n_1_1", hostile_targets["question"]), "\x00")
    posts = {
        commune_form: {"lock_version": "\x00", "delete_evidence": "\x00", **fields},
        forward: {"lock_version": submitted.lock_version, "comment": "ý kiến\x00"},
        f"/xet-duyet/ho-so/{submitted.pk}/tra-lai/": {"comment": "\x00", "item_target": "c:1", "item_comment": "\x00"},
        "/xet-duyet/tham-dinh-nhieu/": {"number": "1", "submission": str(submitted.pk), "comment": "\x00"},
    }
    answers = {}
    for caller, user in (
        ("anonymous", None),
        ("officer", area["officers"]["hoa_thuan"]),
        ("reviewer", area["reviewer"]),
    ):
        client.logout()
        if user:
            client.force_login(user)
        for url, data in posts.items():
            answers[caller, url] = client.post(url, data).status_code
            answers[caller, url, "GET"] = client.get(f"{url}?q=%00&status=%00").status_code
    assert not {key: status for key, status in answers.items() if status >= 500}
    assert answers["officer", commune_form] == 400
    assert answers["reviewer", forward] == 302  # back to the page, with the message; nothing done
    submitted_now = Submission.objects.get(pk=submitted.pk)
    assert (submitted_now.status, submitted_now.lock_version) == (submitted.status, submitted.lock_version)
