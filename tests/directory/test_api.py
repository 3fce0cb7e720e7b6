import datetime

import pytest

from cms.directory.models import ClassificationValue, UnitClassification, UnitSuccession
from tests.factories import EditionFactory, commune, district, province

URL = "/api/v1/units/"


@pytest.fixture
def editions(db):
    old = EditionFactory(date=datetime.date(2025, 3, 1))
    dak_lak = province(edition=old)
    krong_pac = district(dak_lak, "652", "Huyện Krông Pắc")
    hoa_thuan = commune(krong_pac, "24400", "Xã Hòa Thuận")
    commune(krong_pac, "24401", "Xã Ea Kly")
    new = EditionFactory(date=datetime.date(2025, 7, 1), tiers=2)
    new_dak_lak = province(edition=new)
    merged = commune(new_dak_lak, "24400", "Xã Krông Pắc")
    UnitSuccession.objects.create(successor=merged, predecessor=hoa_thuan, kind="partial")
    tay_nguyen = ClassificationValue.objects.get(classification__code="region", code="TN")
    group_2 = ClassificationValue.objects.get(classification__code="commune_group", code="NHOM_2")
    UnitClassification.objects.create(unit=merged, classification=group_2.classification, value=group_2)
    UnitClassification.objects.create(unit=hoa_thuan, classification=tay_nguyen.classification, value=tay_nguyen)
    return old, new


def test_defaults_to_the_newest_edition_with_classifications_and_history(client, editions):
    body = client.get(URL).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    merged = next(unit for unit in body["results"] if unit["code"] == "24400")
    assert merged == {
        "code": "24400",
        "name": "Xã Krông Pắc",
        "type": "Xã",
        "level": "commune",
        "parent_code": "66",
        "edition": "2025-07-01",
        "classifications": {"commune_group": "NHOM_2"},
        "merged_from": [{"code": "24400", "name": "Xã Hòa Thuận", "edition": "2025-03-01", "kind": "partial"}],
    }


def test_filters_by_edition_level_parent_name_and_classification(client, editions):
    def codes(**params):
        return [unit["code"] for unit in client.get(URL, params).json()["results"]]

    assert codes(edition="2025-03-01", level="commune") == ["24400", "24401"]
    assert codes(edition="2025-03-01", parent="66", level="commune") == ["24400", "24401"]
    assert codes(edition="2025-03-01", parent="652") == ["24400", "24401"]
    assert codes(edition="2025-03-01", q="hoa thuan") == ["24400"]
    assert codes(edition="2025-03-01", region="TN") == ["24400"]
    assert codes(commune_group="NHOM_2") == ["24400"]


def test_one_unit_by_code(client, editions):
    body = client.get(f"{URL}24400/", {"edition": "2025-03-01"}).json()
    assert (body["name"], body["parent_code"], body["classifications"]) == ("Xã Hòa Thuận", "652", {"region": "TN"})


def test_bad_input_gets_a_structured_translated_error(client, editions):
    response = client.get(URL, {"edition": "01/07/2025", "level": "commune"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"] == "Dữ liệu gửi lên không hợp lệ."
    assert "edition" in body["fields"]

    english = client.get(URL, {"edition": "1999-01-01"}, headers={"accept-language": "en"}).json()
    assert english["message"] == "The submitted data is not valid."
    assert english["fields"]["edition"] == ["There is no unit list dated 1999-01-01."]

    assert client.get(URL, {"level": "planet"}).json()["fields"]["level"]
    assert client.get(URL, {"parent": "99999"}).status_code == 400


def test_unknown_api_paths_answer_json(client, db):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_query_count_does_not_grow_with_units(client, editions, django_assert_max_num_queries):
    krong_pac = editions[0].units.get(code="652")
    for number in range(30):
        commune(krong_pac, f"25{number:03d}", f"Xã Thêm {number}")
    with django_assert_max_num_queries(8):
        body = client.get(URL, {"edition": "2025-03-01"}).json()
    assert body["count"] == 34


def test_schema_documents_the_units_endpoint(client, db):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/units/"]["get"]["parameters"]}
    assert {"edition", "level", "parent", "q"} <= parameters
