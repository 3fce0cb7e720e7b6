"""``updated_since`` on the public lists (units, criteria sets, rounds): what changed at or after a moment, given
as an ISO 8601 date or date-time (with or without an offset, even with the "+" sent unencoded); anything else is a
400 naming the field, in Vietnamese. Results and open data: ``tests/submissions/test_open_data.py``."""

import datetime
from urllib.parse import quote

from django.utils import timezone

import pytest

from cms.directory.models import Unit
from criteria_pages.models import CriteriaSetVersion
from submissions.models import Round
from submissions.rounds import services as round_services

LISTS = ("/api/v1/units/", "/api/v1/criteria-sets/", "/api/v1/rounds/")
LONG_AGO = timezone.make_aware(datetime.datetime(2025, 1, 1, 8, 0))


def codes(client, path: str, since: str, key: str = "code") -> list:
    response = client.get(f"{path}?updated_since={since}")
    assert response.status_code == 200, response.content
    return [item[key] for item in response.json()["results"]]


@pytest.mark.parametrize("path", LISTS)
def test_invalid_moments_are_refused_in_vietnamese(client, area, published_set, open_round, path):
    for value in ("hôm qua", "2026-13-01", "30/11/2026", "2026-11-30T25:00"):
        response = client.get(f"{path}?updated_since={quote(value)}")
        assert response.status_code == 400, (path, value)
        body = response.json()
        assert body["code"] == "invalid"
        assert "ISO 8601" in body["fields"]["updated_since"][0]


@pytest.mark.parametrize("path", LISTS)
def test_a_moment_in_the_future_lists_nothing_and_one_in_the_past_everything(
    client, area, published_set, open_round, path
):
    everything = client.get(path).json()["count"]
    assert everything > 0
    assert client.get(f"{path}?updated_since=2025-01-01").json()["count"] == everything
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert client.get(f"{path}?updated_since={tomorrow}").json()["count"] == 0


def test_units_changed_since(client, area):
    Unit.objects.update(updated_at=LONG_AGO)
    hoa_thuan = area["communes"]["hoa_thuan"]
    hoa_thuan.name = "Xã Hòa Thuận (mới)"
    hoa_thuan.save()
    moment = timezone.localtime(hoa_thuan.updated_at - datetime.timedelta(seconds=1))
    assert codes(client, "/api/v1/units/", quote(moment.isoformat(timespec="seconds"))) == ["24400"]
    # The "+" of the offset sent unencoded arrives as a space: still understood.
    assert codes(client, "/api/v1/units/", moment.isoformat(timespec="seconds")) == ["24400"]
    utc = moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert codes(client, "/api/v1/units/", utc) == ["24400"]
    # Bulk stamping (imports, classification changes) counts as a change too.
    Unit.objects.filter(code="24401").mark_updated()
    assert sorted(codes(client, "/api/v1/units/", quote(moment.isoformat()))) == ["24400", "24401"]


def test_criteria_sets_by_the_publication_of_their_newest_version(client, published_set):
    version = published_set["version"]
    CriteriaSetVersion.objects.filter(pk=version.pk).update(created_at=LONG_AGO)
    assert codes(client, "/api/v1/criteria-sets/", "2025-06-01", key="id") == []
    assert codes(client, "/api/v1/criteria-sets/", "2024-12-31", key="id") == [published_set["page"].pk]


def test_rounds_changed_since_including_a_status_change(client, area, open_round):
    Round.objects.update(updated_at=LONG_AGO)
    since = quote(timezone.localtime().isoformat(timespec="seconds"))
    assert codes(client, "/api/v1/rounds/", since, key="id") == []
    round_services.round_close(round_=Round.objects.get(pk=open_round.pk), user=area["office"])
    assert codes(
        client, "/api/v1/rounds/", quote((timezone.localtime() - datetime.timedelta(minutes=1)).isoformat()), key="id"
    ) == [open_round.pk]


def test_the_schema_documents_updated_since(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    for path in (*LISTS, "/api/v1/rounds/{id}/results/", "/api/v1/rounds/{id}/open-data.csv"):
        names = {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}
        assert "updated_since" in names, path
