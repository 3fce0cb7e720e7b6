"""``/api/v1/ocop/products/`` and the OCOP round's summary and results: anonymous callers read the published
recognised products only, never a score or a producer's contact; the office of the province reads the council's
score and may list the unpublished; an office of another province reads only what the public reads. A published
OCOP round never becomes the NTM home's current round nor enters a commune's history."""

import json

from django.test import Client

import pytest

from cms.directory.models import Role
from public_site.selectors import current_round
from submissions.models import Basis, Submission
from submissions.reports.statistics import latest_round, results_by_round, unit_history
from submissions.review.bulk import submissions_publish
from tests.factories import commune, member, province, shared_layer
from tests.submissions.ocop.factories import group
from tests.submissions.ocop.recognised import recognised_round

LIST = "/api/v1/ocop/products/"
CONTACT = ("0987 654 321", "lienhe", "Nguyễn Thị Liên Hệ", "Ấp ")


@shared_layer
def catalogue(area):
    """Đắk Lắk: six "Mật ong" products (5★, 4★, 4★, 3★, 3★ unpublished, 2★) in two communes; Long An: two
    "Bánh pía" products (4★, 3★), published; each province with its office."""
    communes = [area["communes"]["hoa_thuan"], area["communes"]["ea_kly"]]
    honey, drinks = group("tp-mat-ong-nong-san-khac"), group("do-uong")
    dak_lak = recognised_round(
        area["province"],
        communes,
        area["office"],
        [(92, 92, 92), (75, 75, 75), (80, 81, 82), (55, 55, 55), (60, 60, 60), (40, 40, 40)],
        prefix="Mật ong",
        groups=[honey, drinks],
    )
    unpublished = Submission.objects.get(round=dak_lak.round, product__name="Mật ong 5")
    submissions_publish(submissions=[unpublished], user=area["office"], published=False)
    long_an = province("80", "Tỉnh Long An")
    long_an_communes = [commune(long_an, "27001", "Xã Mỹ Lệ")]
    other_office = member(Role.OFFICE_EDITOR, unit=long_an, username="vanphong_longan")
    other = recognised_round(long_an, long_an_communes, other_office, [(72, 72, 72), (52, 52, 52)], prefix="Bánh pía")
    return {
        "round": dak_lak.round,
        "other_round": other.round,
        "unpublished": unpublished.product_id,
        "other_office": other_office,
        "commune": area["communes"]["hoa_thuan"],
    }


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


def test_anonymous_reads_published_recognised_products_only_and_no_score_nor_contact(catalogue):
    response = client_for().get(LIST)
    assert response.status_code == 200
    data = response.json()
    assert names(response) == {"Mật ong 1", "Mật ong 2", "Mật ong 3", "Mật ong 4", "Bánh pía 1", "Bánh pía 2"}
    assert data["count"] == 6
    first = data["results"][0]
    assert first["stars"] == 5 and first["name"] == "Mật ong 1"
    assert first["group"] == {"code": "thuc-pham", "name": "Thực phẩm"}
    assert first["sub_group"]["code"] == "tp-mat-ong-nong-san-khac"
    assert first["producer"]["kind_label"] and set(first["producer"]) == {"id", "name", "kind", "kind_label"}
    assert first["commune"] == {"code": "24400", "name": "Xã Hòa Thuận"}
    assert first["decision"]["number"] == "567/QĐ-BNN" and first["valid_until"] == "2029-11-19"
    for row in data["results"]:
        assert not {"score", "council", "published", "points"} & set(row)
    text = response.content.decode()
    assert not any(value in text for value in CONTACT)
    assert "92.00" not in text and "92,00" not in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?stars=4", {"Mật ong 2", "Mật ong 3", "Bánh pía 1"}),
        ("?stars=5", {"Mật ong 1"}),
        ("?group=thuc-pham", {"Mật ong 1", "Mật ong 3", "Bánh pía 2"}),
        ("?group=tp-mat-ong-nong-san-khac", {"Mật ong 1", "Mật ong 3", "Bánh pía 2"}),
        ("?group=do-uong", {"Mật ong 2", "Mật ong 4", "Bánh pía 1"}),
        ("?commune=24401", {"Mật ong 4"}),
        ("?q=mat ong 4", {"Mật ong 4"}),
        ("?q=MẬT ONG", {"Mật ong 1", "Mật ong 2", "Mật ong 3", "Mật ong 4"}),
        ("?q=banh pia&stars=3", {"Bánh pía 2"}),
        ("?q=hop tac xa mat ong 1", {"Mật ong 1", "Mật ong 2", "Mật ong 3"}),
    ],
)
def test_filters(catalogue, query, expected):
    response = client_for().get(LIST + query)
    assert response.status_code == 200, response.content
    assert names(response) == expected


def test_filter_by_round_and_producer(catalogue):
    response = client_for().get(f"{LIST}?round={catalogue['other_round'].pk}")
    assert names(response) == {"Bánh pía 1", "Bánh pía 2"}
    producer = client_for().get(LIST + "?q=mat ong 4").json()["results"][0]["producer"]["id"]
    assert names(client_for().get(f"{LIST}?producer={producer}")) == {"Mật ong 4"}


@pytest.mark.parametrize("query", ["?stars=7", "?stars=nam", "?status=secret", "?producer=abc"])
def test_bad_filters_are_a_clear_400(catalogue, query):
    response = client_for().get(LIST + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert json.dumps(response.json(), ensure_ascii=False)


def test_office_of_the_province_sees_scores_and_may_list_the_unpublished(catalogue, area):
    office = client_for(area["office"])
    rows = {row["name"]: row for row in office.get(LIST).json()["results"]}
    assert "Mật ong 5" not in rows
    assert rows["Mật ong 1"]["score"] == "92.00"
    assert rows["Mật ong 1"]["council"]["name"] == "Hội đồng OCOP tỉnh"
    assert "score" not in rows["Bánh pía 1"]  # another province's product: public fields only
    everything = {row["name"]: row for row in office.get(LIST + "?status=all").json()["results"]}
    assert everything["Mật ong 5"]["published"] is False and everything["Mật ong 5"]["score"] == "60.00"
    assert "Mật ong 6" not in everything  # two stars: never recognised
    assert office.get(f"{LIST}{catalogue['unpublished']}/").json()["score"] == "60.00"


def test_office_of_another_province_reads_only_the_public(catalogue):
    other = client_for(catalogue["other_office"])
    rows = {row["name"]: row for row in other.get(LIST + "?status=all").json()["results"]}
    assert "Mật ong 5" not in rows
    assert "score" not in rows["Mật ong 1"]
    assert rows["Bánh pía 1"]["score"] == "72.00"
    assert other.get(f"{LIST}{catalogue['unpublished']}/").status_code == 404


def test_detail_public_and_404_for_the_unpublished(catalogue):
    anonymous = client_for()
    public = anonymous.get(LIST + "?stars=5").json()["results"][0]
    detail = anonymous.get(f"{LIST}{public['id']}/")
    assert detail.status_code == 200 and detail.json()["name"] == "Mật ong 1" and "score" not in detail.json()
    missing = anonymous.get(f"{LIST}{catalogue['unpublished']}/")
    assert missing.status_code == 404 and "Không tìm thấy" in missing.content.decode()
    assert anonymous.get(f"{LIST}?status=all").json()["count"] == 6


def test_the_list_costs_a_fixed_number_of_queries(catalogue, area, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client_for().get(LIST).status_code == 200
    office = client_for(area["office"])
    office.get(LIST)  # session and scopes warmed up
    with django_assert_max_num_queries(10):
        assert office.get(LIST + "?status=all").status_code == 200


def test_round_summary_names_products_and_results_hide_the_score_from_the_public(catalogue, area):
    url = f"/api/v1/rounds/{catalogue['round'].pk}"
    public = client_for().get(f"{url}/summary/").json()
    assert public["products_recognised"] == 4
    assert public["products_by_stars"] == {"5": 1, "4": 2, "3": 1}
    assert not any(key.startswith("units") for key in public)
    office = client_for(area["office"]).get(f"{url}/summary/").json()
    assert office["products_recognised"] == 5 and office["products_in_scope"] == 6
    assert office["products_by_stars"] == {"5": 1, "4": 2, "3": 2}
    rows = client_for().get(f"{url}/results/").json()["results"]
    assert [row["product_name"] for row in rows][:1] == ["Mật ong 1"] and len(rows) == 4
    assert all("score" not in row for row in rows)
    office_rows = client_for(area["office"]).get(f"{url}/results/").json()["results"]
    assert len(office_rows) == 6 and office_rows[0]["score"] == "92.00"


def test_a_published_ocop_round_is_never_the_ntm_current_round_nor_a_communes_history(catalogue, area):
    assert latest_round(basis=Basis.PUBLISHED) is None
    assert current_round(area["province"]) is None
    assert results_by_round(basis=Basis.PUBLISHED) == []
    assert unit_history(catalogue["commune"], basis=Basis.PUBLISHED) == []
