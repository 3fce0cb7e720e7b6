"""Bar 1 of issue 16: council scores whose recognised result is exactly Đồng Tháp's (357 products at 3–5 stars:
1 five-star, 81 four-star, 275 three-star; 20 at 2 stars and 6 at 1 star never counted), read back from the
statistics, the round summary API, the products API and the recognised-list xlsx."""

import io
from collections import Counter

from django.test import Client

import openpyxl
import pytest

from cms.directory.models import Role
from submissions.models import Basis, SubmissionStatus
from submissions.ocop.models import Certificate, RecognitionLevel
from submissions.reports.exports import ExportKind, export_round
from submissions.reports.statistics import Filters
from submissions.reports.statistics import products as product_statistics
from tests.factories import commune, member, province, shared_layer
from tests.submissions.ocop.recognised import recognised_round

EXPECTED = {5: 1, 4: 81, 3: 275}


def member_totals() -> list[tuple]:
    """383 products' member totals: 1 at ≥ 90, 81 in [70, 90), 275 in [50, 70), 20 at 2 stars, 6 at 1 star, with
    every band edge among them (the mean of the exact totals rounded half up once)."""
    five = [(92, 93, "91.5")]
    four = [("69.99", 70, 70), ("89.98", "89.99", 90), (70, 70, 70)]
    four += [(70 + i % 19, 71 + i % 19, 72 + i % 18) for i in range(81 - len(four))]
    three = [("49.99", 50, 50), (70, 70, "69.98"), (50, 50, 50)]
    three += [(50 + i % 19, 51 + i % 19, 52 + i % 17) for i in range(275 - len(three))]
    two = [(50, 50, "49.98"), ("29.99", 30, 30)]
    two += [(30 + i % 19, 31 + i % 19, 32 + i % 17) for i in range(20 - len(two))]
    one = [(30, 30, "29.98"), (0, 0, 0)] + [(10 + i, 12 + i, 14 + i) for i in range(4)]
    return five + four + three + two + one


@shared_layer
def dong_thap():
    """Đồng Tháp (two-level list: 12 communes), its office, and the OCOP round of 383 products, recognised and
    published."""
    dt = province("87", "Tỉnh Đồng Tháp")
    communes = [commune(dt, f"30{index:03d}", f"Xã Đồng Tháp {index + 1}") for index in range(12)]
    office = member(Role.OFFICE_EDITOR, unit=dt, username="vanphong_dongthap")
    built = recognised_round(dt, communes, office, member_totals(), prefix="Đặc sản Đồng Tháp")
    return {"province": dt, "round": built.round, "office": office}


def test_the_council_gave_exactly_the_stars_and_only_3_to_5_stars_were_recognised(dong_thap):
    round_ = dong_thap["round"]
    stars = Counter(round_.submissions.values_list("stars", flat=True))
    assert stars == {5: 1, 4: 81, 3: 275, 2: 20, 1: 6}
    assert round_.submissions.filter(status=SubmissionStatus.RECOGNISED, published=True).count() == 357
    assert round_.submissions.filter(stars__lt=3, status=SubmissionStatus.RECOGNISED).count() == 0
    national = Certificate.objects.filter(decision__level=RecognitionLevel.NATIONAL)
    assert list(national.values_list("stars", flat=True)) == [5]
    assert Certificate.objects.public().filter(submission__round=round_).count() == 357


def test_statistics_read_back_357(dong_thap, django_assert_max_num_queries):
    filters = Filters(dong_thap["round"], basis=Basis.PUBLISHED)
    with django_assert_max_num_queries(1):
        counts = product_statistics.stars_counts(filters)
    assert counts == EXPECTED
    assert sum(counts.values()) == 357
    with django_assert_max_num_queries(2):
        summary = product_statistics.products_summary(filters)
    assert (summary.products_in_scope, summary.products_recognised) == (383, 357)
    with django_assert_max_num_queries(2):
        communes = product_statistics.by_commune(filters)
    assert len(communes) == 12 and sum(item.products for item in communes) == 357
    with django_assert_max_num_queries(2):
        groups = product_statistics.by_group(filters)
    # products cycle through 4 rows of the classification, two of them sub-groups of "Thực phẩm"
    assert {item.name: item.products for item in groups} == {
        "Thực phẩm": 178,
        "Đồ uống": 90,
        "Dược liệu và sản phẩm từ dược liệu": 89,
    }
    with django_assert_max_num_queries(1):
        bins = product_statistics.score_distribution(Filters(dong_thap["round"], basis=Basis.ALL))
    assert sum(item.products for item in bins) == 383
    assert bins[9].products == 1  # 90–100: the five-star product
    assert sum(item.products for item in bins[5:7]) == 275


def test_round_summary_api_anonymous_reads_357(dong_thap):
    response = Client().get(f"/api/v1/rounds/{dong_thap['round'].pk}/summary/")
    assert response.status_code == 200
    data = response.json()
    assert data["products_recognised"] == 357
    assert data["products_by_stars"] == {"5": 1, "4": 81, "3": 275}
    assert not any(key.startswith("units") for key in data)


@pytest.mark.parametrize(("query", "count"), [("", 357), ("?stars=5", 1), ("?stars=4", 81), ("?stars=3", 275)])
def test_products_api_counts(dong_thap, query, count):
    response = Client().get(f"/api/v1/ocop/products/{query}")
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_recognised_list_xlsx_has_357_rows_and_the_stars_tally(dong_thap):
    content = export_round(dong_thap["round"], ExportKind.OCOP_RECOGNISED, basis=Basis.PUBLISHED)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "stt")
    stars_column = header.index("stars")
    rows = [row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int | float)]
    assert len(rows) == 357
    assert [row[0] for row in rows] == list(range(1, 358))
    assert Counter(int(row[stars_column]) for row in rows) == EXPECTED
