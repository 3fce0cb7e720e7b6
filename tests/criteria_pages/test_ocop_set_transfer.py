"""An OCOP set in and out as JSON and XLSX: scored items, the stars of each band and the scoring rule make the round
trip; a file from before OCOP still imports, and the checksum of a version frozen from one does not change."""

import dataclasses
import io
import json
from decimal import Decimal

import openpyxl
import pytest

from cms.directory.models import Role
from criteria_pages import services, starter
from criteria_pages.models import CriteriaIndexPage, CriteriaSetPage
from criteria_pages.spec import ScoreAverage, ScoreBand, ScoreRounding, ScoringRule, SetSpec, ValueType
from criteria_pages.transfer import (
    SCORING_FIELDS,
    SET_FIELDS,
    SHEET_BANDS,
    SHEET_SET,
    spec_from_json,
    spec_from_xlsx,
    spec_to_json,
    spec_to_xlsx,
)
from tests.factories import member, province


def read_xlsx(data: bytes):
    return spec_from_xlsx(data, known_departments=set(), known_groups={})


@pytest.fixture(scope="module")
def ocop():
    return dataclasses.replace(
        starter.illustrative_ocop_set(),
        scoring=ScoringRule(
            average=ScoreAverage.TRIMMED_MEAN,
            decimals=1,
            rounding=ScoreRounding.HALF_EVEN,
            gap=Decimal("12.5"),
            certificate_months=24,
            reminder_days=60,
            min_recognised_stars=3,
            national_stars=5,
            bands_verified=True,
            bands_source="QĐ 1048/QĐ-TTg (2019)",
        ),
    )


@pytest.fixture(scope="module")
def old():
    """A set as it was before OCOP: bands without stars, no scoring rule (the committed illustrative set)."""
    spec = starter.illustrative_demo_set()
    return dataclasses.replace(spec, bands=(ScoreBand("Xuất sắc", Decimal(90)), ScoreBand("Đạt", Decimal(70))))


def test_json_round_trip_keeps_scored_items_stars_and_the_rule(ocop):
    spec, problems = spec_from_json(spec_to_json(ocop))
    assert problems == []
    assert spec == ocop
    assert spec.scoring.average == ScoreAverage.TRIMMED_MEAN and spec.scoring.gap == Decimal("12.5")
    assert [band.stars for band in spec.bands] == [5, 4, 3, 2, 1]
    assert {i.value_type for _c, i in spec.indicators()} == {ValueType.SCORE}


def test_xlsx_round_trip_keeps_scored_items_stars_and_the_rule(ocop):
    data = spec_to_xlsx(ocop, group_codes=[])
    spec, problems = read_xlsx(data)
    assert problems == []
    assert spec == ocop
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    keys = [row[0].value for row in workbook[SHEET_SET].iter_rows(min_row=3)]
    assert keys == [column.code for column in (*SET_FIELDS, *SCORING_FIELDS)]
    bands = [[cell.value for cell in row] for row in workbook[SHEET_BANDS].iter_rows(min_row=3)]
    assert bands[0] == ["5 sao", 90, 5]


def test_a_file_from_before_ocop_still_imports_and_keeps_its_checksum(old):
    checksum = services.spec_checksum(old)
    exported = old.to_dict()
    assert "scoring" not in exported and all("stars" not in band for band in exported["bands"])

    spec, problems = spec_from_json(json.dumps(exported, ensure_ascii=False))
    assert problems == [] and spec == old and spec.scoring is None
    assert services.spec_checksum(spec) == checksum

    # An old workbook: no scoring keys on the set sheet and no "stars" column on the bands sheet.
    workbook = openpyxl.load_workbook(io.BytesIO(spec_to_xlsx(old, group_codes=["TN"])))
    workbook[SHEET_BANDS].delete_cols(3)
    keys = [row[0].value for row in workbook[SHEET_SET].iter_rows(min_row=3)]
    assert not set(keys) & {column.code for column in SCORING_FIELDS}
    buffer = io.BytesIO()
    workbook.save(buffer)
    departments = {c.department for c in old.criteria} | {i.department for _c, i in old.indicators()}
    groups = {old.classification: {group for _c, i in old.indicators() for group in i.targets}}
    spec, problems = spec_from_xlsx(buffer.getvalue(), known_departments=departments - {""}, known_groups=groups)
    assert problems == [] and spec == old
    assert services.spec_checksum(spec) == checksum


def test_the_checksum_of_a_version_frozen_before_ocop_does_not_change(old):
    """A version's stored spec (a dict written before OCOP) read with today's code gives the same checksum."""
    stored = json.loads(json.dumps(old.to_dict()))
    assert services.spec_checksum(SetSpec.from_dict(stored)) == services.spec_checksum(old)
    assert SetSpec.from_dict(stored).to_dict() == stored


def test_bad_scoring_values_are_reported_in_words(ocop):
    data = json.loads(spec_to_json(ocop))
    data["scoring"].update(average="median", decimals=7, gap="-1")
    data["bands"][0]["stars"] = 9
    data["criteria"][0]["indicators"][0]["points"] = None
    spec, problems = spec_from_json(json.dumps(data, ensure_ascii=False))
    assert spec is None
    found = {problem.column: problem.message for problem in problems}
    assert "Cách tính điểm hội đồng “median” không hợp lệ" in found["scoring.average"]
    assert found["scoring.decimals"] == "Số chữ số thập phân của điểm hội đồng phải từ 0 đến 2."
    assert found["scoring.gap"] == "Chênh lệch cần thảo luận không được âm."
    assert found["bands[0].stars"] == "Số sao của hạng phải từ 1 đến 5."
    assert "cần điểm tối đa" in found["criteria[0].indicators[0].points"]


def test_a_product_set_without_stars_or_scored_items_is_refused(ocop):
    data = json.loads(spec_to_json(ocop))
    for band in data["bands"]:
        del band["stars"]
    data["standard_rule"] = "all"
    spec, problems = spec_from_json(json.dumps(data, ensure_ascii=False))
    assert spec is None
    found = {problem.column: problem.message for problem in problems}
    assert found["standard_rule"] == "Bộ cấp sản phẩm phải dùng điều kiện “Tổng điểm đạt ngưỡng”."
    assert found["bands"] == "Khung xếp hạng cần ghi số sao của từng hạng."


@pytest.mark.django_db
def test_the_illustrative_set_imports_and_exports_through_the_admin(client):
    client.force_login(member(Role.OFFICE_EDITOR, unit=province(), username="office"))
    name, content = starter.illustrative_ocop_file()
    report = services.criteria_set_import_file(data=content, filename=name, parent=CriteriaIndexPage.objects.get())
    assert report.ok, report.problems
    page = report.page
    expected = starter.illustrative_ocop_set()
    assert page.latest_version.set_spec == expected
    assert (page.bands_verified, page.min_recognised_stars, page.certificate_months) == (False, 3, 36)
    assert list(page.bands.values_list("stars", flat=True)) == [5, 4, 3, 2, 1]
    for fmt, read in (("json", spec_from_json), ("xlsx", read_xlsx)):
        exported = client.get(f"/admin/criteria/sets/{page.pk}/export.{fmt}")
        assert exported.status_code == 200
        spec, problems = read(exported.content)
        assert problems == [] and spec == expected, fmt
    assert CriteriaSetPage.objects.filter(code=starter.DEMO_OCOP_CODE).count() == 1
