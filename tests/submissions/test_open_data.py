"""The open data of a round (``/api/v1/rounds/{id}/open-data.csv`` and ``.json``): anonymous callers get exactly
the recognised, published results that ``/results/`` shows them, streamed, with a stable header and a BOM; nothing
unpublished ever appears; ``updated_since`` follows the publication time; the public home page links to it."""

import csv
import datetime
import io
import json

from django.template.loader import render_to_string
from django.utils import timezone

import pytest

from cms.directory.models import Role
from submissions.models import Submission
from submissions.reports.open_data import FIXED_COLUMNS
from submissions.reports.statistics import Basis
from tests.factories import member
from tests.submissions.factories import CRITERIA, Data, tree_order

HEADER = [*FIXED_COLUMNS, *(f"criterion_{number}" for number in range(1, CRITERIA + 1))]


@pytest.fixture
def data(statistics_data) -> Data:
    return statistics_data


def url(data, fmt: str, query: str = "") -> str:
    return f"/api/v1/rounds/{data.round.pk}/open-data.{fmt}{query}"


def published_codes(data, province: str | None = None) -> list[str]:
    return [
        row.code
        for row in tree_order(data.rows)
        if row.counted(Basis.PUBLISHED) and (province is None or row.province == province)
    ]


def read_csv(response) -> tuple[str, list[list[str]]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return text, list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def read_json(response) -> dict:
    return json.loads(b"".join(response.streaming_content))


def anonymous_results(client, data, query: str = "") -> list[dict]:
    results, page = [], f"/api/v1/rounds/{data.round.pk}/results/{query}"
    while page:
        body = client.get(page).json()
        results += body["results"]
        page = body["next"]
    return results


def test_csv_has_a_bom_a_stable_header_and_only_published_results(client, data, django_assert_max_num_queries):
    response = client.get(url(data, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="open-data-round-{data.round.pk}.csv"' in response["Content-Disposition"]
    with django_assert_max_num_queries(6):
        text, rows = read_csv(response)
    assert text.startswith("\ufeffround_id,unit_code,unit_name,")
    assert rows[0] == HEADER
    expected = published_codes(data)
    assert 0 < len(expected) < len(data.rows)
    assert [row[1] for row in rows[1:]] == expected
    unpublished = {row.code for row in data.rows} - set(expected)
    assert not unpublished & {row[1] for row in rows[1:]}
    first = dict(zip(HEADER, rows[1], strict=True))
    assert first["round_id"] == str(data.round.pk) and first["unit_name"] == f"Xã {first['unit_code']}"
    assert first["criteria_total"] == str(CRITERIA)
    assert {first[f"criterion_{n}"] for n in range(1, CRITERIA + 1)} <= {"0", "1"}


def test_json_matches_what_results_show_anonymously(client, data):
    response = client.get(url(data, "json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = read_json(response)
    assert (document["round_id"], document["basis"]) == (data.round.pk, Basis.PUBLISHED)
    assert [item["number"] for item in document["criteria"]] == list(range(1, CRITERIA + 1))
    shown = {
        item["unit_code"]: (item["criteria_met"], item["standard_reached"], item["criteria"])
        for item in anonymous_results(client, data)
    }
    assert {
        item["unit_code"]: (item["criteria_met"], item["standard_reached"], item["criteria"])
        for item in document["results"]
    } == shown
    assert [item["unit_code"] for item in document["results"]] == published_codes(data)


def test_the_subtree_filter_and_the_office_basis(client, data):
    _text, rows = read_csv(client.get(url(data, "csv", "?parent=67")))
    assert [row[1] for row in rows[1:]] == published_codes(data, "67")
    assert client.get(url(data, "csv", "?basis=all")).status_code == 403
    client.force_login(data.office)
    _text, rows = read_csv(client.get(url(data, "csv")))
    assert [row[1] for row in rows[1:]] == published_codes(data)  # open data: published, even for the office
    _text, rows = read_csv(client.get(url(data, "csv", "?basis=all")))
    assert [row[1] for row in rows[1:]] == [row.code for row in tree_order(data.rows) if row.province == "66"]
    other = member(Role.OFFICE_EDITOR, unit=data.provinces["67"], username="vanphong67")
    client.force_login(other)
    assert client.get(url(data, "json", "?basis=all&parent=66")).status_code == 403


def test_updated_since_follows_the_publication_time(client, data):
    codes = published_codes(data)
    moment = timezone.now() - datetime.timedelta(days=3)
    Submission.objects.filter(round=data.round).update(published_at=moment - datetime.timedelta(days=30))
    Submission.objects.filter(round=data.round, unit__code__in=codes[:2]).update(published_at=moment)
    since = timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S")
    _text, rows = read_csv(client.get(url(data, "csv", f"?updated_since={since}")))
    assert [row[1] for row in rows[1:]] == codes[:2]
    assert rows[1][HEADER.index("published_at")].startswith(timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M"))
    document = read_json(client.get(url(data, "json", f"?updated_since={moment.date().isoformat()}")))
    assert [item["unit_code"] for item in document["results"]] == codes[:2]
    results = anonymous_results(client, data, f"?updated_since={since}")
    assert [item["unit_code"] for item in results] == codes[:2]


def test_errors_are_json_in_vietnamese(client, data):
    invalid = client.get(url(data, "csv", "?updated_since=h%C3%B4m-qua"), HTTP_ACCEPT="text/csv")
    assert invalid.status_code == 400
    assert invalid["Content-Type"] == "application/json"
    assert "ISO 8601" in invalid.json()["fields"]["updated_since"][0]
    missing = client.get("/api/v1/rounds/0/open-data.json")
    assert (missing.status_code, missing.json()["message"]) == (404, "Không tìm thấy đợt đánh giá này.")


def test_the_public_statistics_link_to_the_open_data(data):
    html = render_to_string(
        "public_site/includes/open_data_links.html", {"round": data.round, "province": data.provinces["66"]}
    )
    assert f"/api/v1/rounds/{data.round.pk}/open-data.csv?parent=66" in html
    assert f"/api/v1/rounds/{data.round.pk}/open-data.json?parent=66" in html
    assert "Dữ liệu mở" in html
