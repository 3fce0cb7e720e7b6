"""Import / export of whole criteria sets (JSON and XLSX) and the starter sets; no database needed."""

import datetime
import io
import json
import unicodedata
from collections.abc import Callable
from decimal import Decimal

import openpyxl
import pytest
import yaml

from cms.xlsx import Book, write_table
from criteria_pages import starter
from criteria_pages.spec import (
    Comparison,
    CriterionRule,
    CriterionSpec,
    EvidenceSpec,
    IndicatorSpec,
    ScoreBand,
    SetSpec,
    StandardRule,
    ValueType,
)
from criteria_pages.transfer import (
    BAND_COLUMNS,
    CRITERION_COLUMNS,
    INDICATOR_COLUMNS,
    SET_FIELDS,
    SHEET_BANDS,
    SHEET_CRITERIA,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_PRECONDITIONS,
    SHEET_SET,
    Problem,
    spec_from_json,
    spec_from_xlsx,
    spec_to_json,
    spec_to_xlsx,
    validate_spec,
)

DEPARTMENTS = {
    "so-nnmt",
    "so-xd",
    "so-ct",
    "so-gddt",
    "so-yt",
    "so-vhttdl",
    "so-khcn",
    "so-tc",
    "so-nv",
    "so-tp",
    "ca-tinh",
    "bchqs-tinh",
}
GROUP_ORDER = {
    "region": ["TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL"],
    "commune_group": ["NHOM_1", "NHOM_2", "NHOM_3"],
}
GROUPS = {code: set(values) for code, values in GROUP_ORDER.items()}
INDICATOR_CODES = [column.code for column in INDICATOR_COLUMNS]


def export(spec: SetSpec) -> bytes:
    return spec_to_xlsx(spec, group_codes=GROUP_ORDER.get(spec.classification, []))


def read(data: bytes) -> tuple[SetSpec | None, list[Problem]]:
    return spec_from_xlsx(data, known_departments=DEPARTMENTS, known_groups=GROUPS)


def edited(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    """``data`` opened with openpyxl, changed by ``change`` and saved again."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def column_of(sheet, code: str) -> int:
    """1-based column of the machine code ``code`` in the code header row (row 2)."""
    for cell in sheet[2]:
        if cell.value == code:
            return cell.column
    raise KeyError(code)


def row_of(sheet, code: str, value) -> int:
    """The first data row whose ``code`` column holds ``value``."""
    col = column_of(sheet, code)
    for row in range(3, sheet.max_row + 1):
        if sheet.cell(row, col).value == value:
            return row
    raise KeyError(value)


def set_cell(sheet_name: str, key_code: str, key_value, code: str, value):
    """A change writing ``value`` in column ``code`` of the row whose ``key_code`` is ``key_value``."""

    def change(workbook):
        sheet = workbook[sheet_name]
        sheet.cell(row_of(sheet, key_code, key_value), column_of(sheet, code)).value = value

    return change


def places(problems: list[Problem]) -> set[tuple[str, int | None, str]]:
    return {(problem.sheet, problem.row, problem.column) for problem in problems}


@pytest.fixture(scope="module")
def demo() -> SetSpec:
    return starter.illustrative_demo_set()


@pytest.fixture(scope="module")
def demo_xlsx(demo) -> bytes:
    return export(demo)


def full_spec() -> SetSpec:
    """A small set using every field, including bands, points, decimals and awkward text."""
    return SetSpec(
        code="THU_NGHIEM",
        name="Bộ thử nghiệm: Môi trường và an toàn thực phẩm",
        legal_basis="Quyết định 318/QĐ-TTg",
        decision_number="318/QĐ-TTg",
        decision_date=datetime.date(2022, 3, 8),
        valid_from=datetime.date(2022, 3, 8),
        valid_to=datetime.date(2025, 12, 31),
        classification="region",
        standard_rule=StandardRule.SCORE,
        standard_min=Decimal("50.5"),
        bands=(ScoreBand("5 sao", Decimal(90)), ScoreBand("4 sao", Decimal("70.25")), ScoreBand("3 sao", Decimal(50))),
        criteria=(
            CriterionSpec(
                number=1,
                name="Đường giao thông",
                group="II. Hạ tầng",
                department="so-xd",
                description="Dòng 1\nDòng 2",
                rule=CriterionRule.POINTS,
                rule_min=Decimal("2.5"),
                indicators=(
                    IndicatorSpec(
                        code="1.10",
                        name="=1+1 không phải công thức",
                        value_type=ValueType.PERCENTAGE,
                        comparison=Comparison.GTE,
                        target="95.5",
                        targets={"TN": "90", "DBSCL": "n/a"},
                        unit="%",
                        guidance="Hướng dẫn\ncó hai dòng",
                        evidence=EvidenceSpec(description="Biên bản", required=True, min_files=2),
                        department="so-ct",
                        points=Decimal("1.5"),
                        source_text="https://example.org/318",
                        verified=True,
                    ),
                    IndicatorSpec(
                        code="1.2",
                        name="Loại đường",
                        value_type=ValueType.CHOICE,
                        comparison=Comparison.IN,
                        choices=("Đất", "Cấp phối", "Bê tông; nhựa"),
                        target="Cấp phối",
                        assessed=False,
                        points=Decimal(1),
                    ),
                ),
            ),
            CriterionSpec(
                number=2,
                name="Ngày hoàn thành",
                rule=CriterionRule.AT_LEAST,
                rule_min=Decimal(1),
                indicators=(
                    IndicatorSpec(
                        code="2",
                        name="Ngày công nhận",
                        value_type=ValueType.DATE,
                        comparison=Comparison.LTE,
                        target="2025-12-31",
                    ),
                ),
            ),
        ),
    )


# --------------------------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize(
    "make", [starter.national_2021_2025, starter.national_2026_2030, starter.illustrative_demo_set]
)
def test_xlsx_round_trip_of_starter_sets(make):
    spec = make()
    back, problems = read(export(spec))
    assert problems == []
    assert back == spec


@pytest.mark.parametrize(
    "make", [starter.national_2021_2025, starter.national_2026_2030, starter.illustrative_demo_set]
)
def test_json_round_trip_of_starter_sets(make):
    spec = make()
    back, problems = spec_from_json(spec_to_json(spec), known_departments=DEPARTMENTS, known_groups=GROUPS)
    assert problems == []
    assert back == spec


def test_round_trips_of_a_set_using_every_field():
    spec = full_spec()
    assert validate_spec(spec, known_departments=DEPARTMENTS, known_groups=GROUPS) == []
    back, problems = read(export(spec))
    assert problems == []
    assert back == spec
    back, problems = spec_from_json(spec_to_json(spec))
    assert problems == []
    assert back == spec


def test_formula_like_text_is_written_as_text():
    sheet = openpyxl.load_workbook(io.BytesIO(export(full_spec())))[SHEET_INDICATORS]
    cell = sheet.cell(row_of(sheet, "code", "1.10"), column_of(sheet, "name"))
    assert cell.value == "=1+1 không phải công thức"
    assert cell.data_type == "s"


def test_group_columns_cover_targets_outside_group_codes():
    spec = full_spec()
    data = spec_to_xlsx(spec, group_codes=["TN"])
    sheet = openpyxl.load_workbook(io.BytesIO(data))[SHEET_INDICATORS]
    headers = [cell.value for cell in sheet[2]]
    assert headers[len(INDICATOR_CODES) :] == ["mức: TN", "mức: DBSCL"]
    assert read(data) == (spec, [])


# --------------------------------------------------------------------------------------------
# Workbook layout


def test_workbook_has_the_documented_sheets_and_headers(demo_xlsx):
    workbook = openpyxl.load_workbook(io.BytesIO(demo_xlsx))
    assert workbook.sheetnames == [
        SHEET_GUIDE,
        SHEET_SET,
        SHEET_CRITERIA,
        SHEET_INDICATORS,
        SHEET_BANDS,
        SHEET_PRECONDITIONS,
    ]
    assert workbook.sheetnames == [
        "Hướng dẫn",
        "Bộ tiêu chí",
        "Tiêu chí",
        "Chỉ tiêu",
        "Xếp hạng",
        "Điều kiện công nhận",
    ]

    set_sheet = workbook[SHEET_SET]
    assert [cell.value for cell in set_sheet[2]] == ["key", "label", "value"]
    keys = [set_sheet.cell(row, 1).value for row in range(3, set_sheet.max_row + 1)]
    assert keys == [column.code for column in SET_FIELDS]
    assert keys[1:] == [
        "code",
        "name",
        "legal_basis",
        "decision_number",
        "decision_date",
        "valid_from",
        "valid_to",
        "level",
        "classification",
        "standard_rule",
        "standard_min",
        "is_illustrative",
        "grants_title",
    ]
    criteria = workbook[SHEET_CRITERIA]
    assert [cell.value for cell in criteria[2]] == [
        "number",
        "name",
        "group",
        "department",
        "rule",
        "rule_min",
        "description",
    ]
    assert criteria.freeze_panes == "A3"
    assert criteria["A1"].value == "Số TT tiêu chí *"
    indicators = workbook[SHEET_INDICATORS]
    assert [cell.value for cell in indicators[2]] == [
        "criterion",
        "code",
        "name",
        "guidance",
        "value_type",
        "unit",
        "comparison",
        "target",
        "choices",
        "assessed",
        "evidence_description",
        "evidence_required",
        "evidence_min_files",
        "department",
        "points",
        "source_text",
        "verified",
        *(f"mức: {code}" for code in GROUP_ORDER["region"]),
    ]
    assert indicators.auto_filter.ref.startswith("A2:")
    assert indicators.max_row == 2 + 57
    assert [cell.value for cell in workbook[SHEET_BANDS][2]] == [column.code for column in BAND_COLUMNS]
    guide_text = " ".join(
        str(cell.value) for row in workbook[SHEET_GUIDE].iter_rows() for cell in row if cell.value is not None
    )
    for column in (*SET_FIELDS, *CRITERION_COLUMNS, *INDICATOR_COLUMNS, *BAND_COLUMNS):
        assert column.code in guide_text
    assert "mức: TN" in guide_text


def test_values_are_written_for_people(demo_xlsx):
    workbook = openpyxl.load_workbook(io.BytesIO(demo_xlsx))
    set_sheet = workbook[SHEET_SET]
    assert set_sheet.cell(row_of(set_sheet, "key", "is_illustrative"), 3).value == "có"
    assert set_sheet.cell(row_of(set_sheet, "key", "valid_from"), 3).value == datetime.datetime(2022, 3, 8)
    indicators = workbook[SHEET_INDICATORS]
    row = row_of(indicators, "code", "14.1")
    assert indicators.cell(row, column_of(indicators, "choices")).value == "Mức độ 1\nMức độ 2\nMức độ 3"
    assert indicators.cell(row, column_of(indicators, "criterion")).value == 14
    row = row_of(indicators, "code", "2.1")
    assert indicators.cell(row, column_of(indicators, "mức: TN")).value == "90"
    assert indicators.cell(row, column_of(indicators, "evidence_required")).value == "có"


# --------------------------------------------------------------------------------------------
# Diacritics


def test_diacritics_survive_both_formats():
    spec = starter.national_2021_2025()
    by_number = {criterion.number: criterion for criterion in spec.criteria}
    assert by_number[17].name == "Môi trường và an toàn thực phẩm"
    assert by_number[18].name == "Hệ thống chính trị và tiếp cận pháp luật"
    text = spec_to_json(spec)
    assert "Môi trường và an toàn thực phẩm" in text
    assert "\\u" not in text
    json_back, _problems = spec_from_json(text.encode("utf-8"))
    xlsx_back, _problems = read(export(spec))
    for back in (json_back, xlsx_back):
        assert {c.number: c.name for c in back.criteria}[17] == "Môi trường và an toàn thực phẩm"
        assert back.name == "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021-2025"


def test_decomposed_text_is_read_as_composed(demo, demo_xlsx):
    decomposed = unicodedata.normalize("NFD", "Môi trường và an toàn thực phẩm")
    data = edited(demo_xlsx, set_cell(SHEET_CRITERIA, "number", 17, "name", decomposed))
    back, problems = read(data)
    assert problems == []
    assert back == demo


# --------------------------------------------------------------------------------------------
# What Excel does to values


def test_excel_typing_is_understood(demo, demo_xlsx):
    def change(workbook):
        indicators = workbook[SHEET_INDICATORS]
        row = row_of(indicators, "code", "8.4")
        indicators.cell(row, column_of(indicators, "code")).value = 8.4  # Excel turned the code into a number
        indicators.cell(row, column_of(indicators, "criterion")).value = 8.0
        indicators.cell(row, column_of(indicators, "assessed")).value = True
        indicators.cell(row, column_of(indicators, "verified")).value = False
        indicators.cell(row, column_of(indicators, "evidence_min_files")).value = "0"
        row = row_of(indicators, "code", "2.1")
        indicators.cell(row, column_of(indicators, "value_type")).value = "Tỷ lệ (%)"  # the label, not the code
        indicators.cell(row, column_of(indicators, "comparison")).value = "≥"
        indicators.cell(row, column_of(indicators, "target")).value = 100  # a number, not text
        indicators.cell(row, column_of(indicators, "mức: TN")).value = 90.0
        indicators.cell(row, column_of(indicators, "evidence_required")).value = "x"
        indicators.cell(row, column_of(indicators, "verified")).value = "Không"
        criteria = workbook[SHEET_CRITERIA]
        criteria.cell(row_of(criteria, "number", 3), 1).value = "3"
        criteria.cell(row_of(criteria, "number", 4), column_of(criteria, "rule")).value = "Đạt tất cả chỉ tiêu"
        set_sheet = workbook[SHEET_SET]
        set_sheet.cell(row_of(set_sheet, "key", "valid_from"), 3).value = "08/03/2022"
        set_sheet.cell(row_of(set_sheet, "key", "is_illustrative"), 3).value = 1

    back, problems = read(edited(demo_xlsx, change))
    assert problems == []
    assert back == demo


def test_label_row_may_be_deleted(demo, demo_xlsx):
    def change(workbook):
        for name in (SHEET_SET, SHEET_CRITERIA, SHEET_INDICATORS, SHEET_BANDS):
            workbook[name].delete_rows(1)

    assert read(edited(demo_xlsx, change)) == (demo, [])


def test_blank_rows_are_skipped(demo, demo_xlsx):
    def change(workbook):
        workbook[SHEET_INDICATORS].insert_rows(10, amount=2)

    assert read(edited(demo_xlsx, change)) == (demo, [])


def test_missing_bands_sheet_means_no_bands(demo, demo_xlsx):
    def change(workbook):
        del workbook[SHEET_BANDS]

    assert read(edited(demo_xlsx, change)) == (demo, [])


# --------------------------------------------------------------------------------------------
# Broken workbooks


def delete_sheet(name):
    def change(workbook):
        del workbook[name]

    return change


def rename_header(sheet_name, code, new):
    def change(workbook):
        sheet = workbook[sheet_name]
        sheet.cell(2, column_of(sheet, code)).value = new

    return change


def copy_value(sheet_name, key_code, from_value, to_value, code):
    """Give the row of ``to_value`` the ``code`` cell of the row of ``from_value``."""

    def change(workbook):
        sheet = workbook[sheet_name]
        col = column_of(sheet, code)
        sheet.cell(row_of(sheet, key_code, to_value), col).value = sheet.cell(
            row_of(sheet, key_code, from_value), col
        ).value

    return change


def demo_row(sheet_name, key_code, key_value) -> int:
    sheet = openpyxl.load_workbook(io.BytesIO(export(starter.illustrative_demo_set())))[sheet_name]
    return row_of(sheet, key_code, key_value)


BROKEN = {
    "missing sheet": (delete_sheet(SHEET_CRITERIA), (SHEET_CRITERIA, None, "")),
    "missing indicator sheet": (delete_sheet(SHEET_INDICATORS), (SHEET_INDICATORS, None, "")),
    "missing required column": (
        rename_header(SHEET_INDICATORS, "value_type", None),
        (SHEET_INDICATORS, 2, "value_type"),
    ),
    "missing criterion name column": (rename_header(SHEET_CRITERIA, "name", "ten"), (SHEET_CRITERIA, 2, "name")),
    "bad value type": (
        set_cell(SHEET_INDICATORS, "code", "2.1", "value_type", "số thực"),
        (SHEET_INDICATORS, ("code", "2.1"), "value_type"),
    ),
    "bad comparison": (
        set_cell(SHEET_INDICATORS, "code", "2.1", "comparison", "lớn hơn"),
        (SHEET_INDICATORS, ("code", "2.1"), "comparison"),
    ),
    "bad criterion rule": (
        set_cell(SHEET_CRITERIA, "number", 5, "rule", "most"),
        (SHEET_CRITERIA, ("number", 5), "rule"),
    ),
    "bad standard rule": (
        set_cell(SHEET_SET, "key", "standard_rule", "value", "half"),
        (SHEET_SET, ("key", "standard_rule"), "standard_rule"),
    ),
    "bad level": (set_cell(SHEET_SET, "key", "level", "value", "tinh"), (SHEET_SET, ("key", "level"), "level")),
    "unknown criterion department": (
        set_cell(SHEET_CRITERIA, "number", 3, "department", "so-khong-co"),
        (SHEET_CRITERIA, ("number", 3), "department"),
    ),
    "unknown indicator department": (
        set_cell(SHEET_INDICATORS, "code", "3.2", "department", "so-gtvt"),
        (SHEET_INDICATORS, ("code", "3.2"), "department"),
    ),
    "duplicate indicator code": (
        set_cell(SHEET_INDICATORS, "code", "2.2", "code", "2.1"),
        (SHEET_INDICATORS, ("code", "2.2"), "code"),
    ),
    "duplicate criterion number": (
        set_cell(SHEET_CRITERIA, "number", 7, "number", 6),
        (SHEET_CRITERIA, ("number", 7), "number"),
    ),
    "indicator of an unknown criterion": (
        set_cell(SHEET_INDICATORS, "code", "4.1", "criterion", 99),
        (SHEET_INDICATORS, ("code", "4.1"), "criterion"),
    ),
    "target for an unknown group": (
        rename_header(SHEET_INDICATORS, "mức: TN", "mức: XYZ"),
        (SHEET_INDICATORS, 2, "mức: XYZ"),
    ),
    "unknown classification": (
        set_cell(SHEET_SET, "key", "classification", "value", "vung_mien"),
        (SHEET_SET, ("key", "classification"), "classification"),
    ),
    "bad number": (
        set_cell(SHEET_INDICATORS, "code", "6.1", "points", "ba điểm"),
        (SHEET_INDICATORS, ("code", "6.1"), "points"),
    ),
    "bad integer": (
        set_cell(SHEET_INDICATORS, "code", "6.2", "evidence_min_files", 1.5),
        (SHEET_INDICATORS, ("code", "6.2"), "evidence_min_files"),
    ),
    "bad criterion number": (
        set_cell(SHEET_CRITERIA, "number", 8, "number", "tám"),
        (SHEET_CRITERIA, ("name", "Thông tin và Truyền thông"), "number"),
    ),
    "bad date": (
        set_cell(SHEET_SET, "key", "valid_from", "value", "31/02/2022"),
        (SHEET_SET, ("key", "valid_from"), "valid_from"),
    ),
    "bad boolean": (
        set_cell(SHEET_INDICATORS, "code", "9.2", "assessed", "có lẽ"),
        (SHEET_INDICATORS, ("code", "9.2"), "assessed"),
    ),
    "bad target": (
        set_cell(SHEET_INDICATORS, "code", "9.2", "target", "nhiều"),
        (SHEET_INDICATORS, ("code", "9.2"), "target"),
    ),
    "bad group target": (
        set_cell(SHEET_INDICATORS, "code", "9.2", "mức: TN", "150"),
        (SHEET_INDICATORS, ("code", "9.2"), "mức: TN"),
    ),
    "empty criterion name": (
        set_cell(SHEET_CRITERIA, "number", 10, "name", None),
        (SHEET_CRITERIA, ("number", 10), "name"),
    ),
    "empty indicator name": (
        set_cell(SHEET_INDICATORS, "code", "12.1", "name", "   "),
        (SHEET_INDICATORS, ("code", "12.1"), "name"),
    ),
    "empty set name": (set_cell(SHEET_SET, "key", "name", "value", None), (SHEET_SET, ("key", "name"), "name")),
    "choice without choices": (
        set_cell(SHEET_INDICATORS, "code", "14.1", "choices", None),
        (SHEET_INDICATORS, ("code", "14.1"), "choices"),
    ),
    "unknown set key": (set_cell(SHEET_SET, "key", "level", "key", "cap"), (SHEET_SET, ("key", "level"), "key")),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_workbook_is_refused_with_the_right_problem(demo_xlsx, case):
    change, (sheet, row, column) = BROKEN[case]
    if isinstance(row, tuple):
        row = demo_row(sheet, *row)
    spec, problems = read(edited(demo_xlsx, change))
    assert spec is None
    assert (sheet, row, column) in places(problems), [str(p) for p in problems]
    for problem in problems:
        assert problem.message
        assert str(problem).startswith(problem.sheet)


def test_every_problem_is_listed(demo_xlsx):
    changes = [BROKEN[case][0] for case in ("bad value type", "unknown criterion department", "bad date", "bad target")]

    def change(workbook):
        for each in changes:
            each(workbook)

    spec, problems = read(edited(demo_xlsx, change))
    assert spec is None
    assert places(problems) == {
        (SHEET_INDICATORS, demo_row(SHEET_INDICATORS, "code", "2.1"), "value_type"),
        (SHEET_CRITERIA, demo_row(SHEET_CRITERIA, "number", 3), "department"),
        (SHEET_SET, demo_row(SHEET_SET, "key", "valid_from"), "valid_from"),
        (SHEET_INDICATORS, demo_row(SHEET_INDICATORS, "code", "9.2"), "target"),
    }


def test_problem_messages_are_vietnamese(demo_xlsx):
    _spec, problems = read(edited(demo_xlsx, BROKEN["unknown criterion department"][0]))
    assert problems == [
        Problem(
            SHEET_CRITERIA,
            demo_row(SHEET_CRITERIA, "number", 3),
            "department",
            "Không có sở, ngành mã “so-khong-co” trong danh mục.",
        )
    ]
    assert str(problems[0]).startswith("Tiêu chí, dòng ")


def test_a_missing_sheet_does_not_flood_other_sheets(demo_xlsx):
    _spec, problems = read(edited(demo_xlsx, delete_sheet(SHEET_CRITERIA)))
    assert places(problems) == {(SHEET_CRITERIA, None, "")}


def test_not_a_workbook():
    spec, problems = read(b"not an xlsx file")
    assert spec is None
    assert len(problems) == 1
    assert "Excel" in problems[0].message


def test_group_columns_need_a_classification(demo_xlsx):
    spec, problems = read(edited(demo_xlsx, set_cell(SHEET_SET, "key", "classification", "value", None)))
    assert spec is None
    assert (SHEET_INDICATORS, 2, "mức: TN") in places(problems)


def test_group_column_codes_ignore_case(demo, demo_xlsx):
    assert read(edited(demo_xlsx, rename_header(SHEET_INDICATORS, "mức: TN", "Mức:tn"))) == (demo, [])


# --------------------------------------------------------------------------------------------
# JSON input


def broken_json(change: Callable[[dict], None]) -> str:
    data = starter.illustrative_demo_set().to_dict()
    change(data)
    return json.dumps(data, ensure_ascii=False)


def read_json(text: str):
    return spec_from_json(text, known_departments=DEPARTMENTS, known_groups=GROUPS)


def test_json_validation_uses_the_same_rules():
    def change(data):
        data["classification"] = "region"
        data["criteria"][0]["department"] = "so-khong-co"
        data["criteria"][1]["number"] = data["criteria"][0]["number"]
        data["criteria"][2]["rule"] = "most"
        first = data["criteria"][3]["indicators"][0]
        first["value_type"] = "float"
        first["department"] = "so-gtvt"
        data["criteria"][3]["indicators"][1]["code"] = data["criteria"][2]["indicators"][0]["code"]
        data["criteria"][4]["indicators"][0]["targets"] = {"XYZ": "50"}
        data["criteria"][13]["indicators"][0]["choices"] = []
        data["decision_date"] = "2022-02-31"
        data["standard_min"] = "nhiều"

    spec, problems = read_json(broken_json(change))
    assert spec is None
    assert {problem.column for problem in problems} == {
        "criteria[0].department",
        "criteria[1].number",
        "criteria[2].rule",
        "criteria[3].indicators[0].value_type",
        "criteria[3].indicators[0].department",
        "criteria[3].indicators[1].code",
        "criteria[4].indicators[0].targets.XYZ",
        "criteria[13].indicators[0].choices",
        "decision_date",
        "standard_min",
    }
    assert all(problem.sheet == "JSON" and problem.row is None for problem in problems)


def test_json_unknown_classification():
    spec, problems = read_json(broken_json(lambda data: data.update(classification="khong_co")))
    assert spec is None
    assert [problem.column for problem in problems] == ["classification"]


def test_json_without_known_codes_skips_directory_checks():
    text = broken_json(lambda data: data["criteria"][0].update(department="so-khac"))
    spec, problems = spec_from_json(text)
    assert problems == []
    assert spec.criteria[0].department == "so-khac"


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("{not json", ""),
        ("[1, 2]", ""),
        (json.dumps({"format": "other/9", "code": "X", "name": "Y"}), "format"),
        (json.dumps({"code": "X", "name": "Y", "criteria": {"a": 1}}), "criteria"),
        (json.dumps({"code": "X", "name": "Y", "criteria": [{"name": "Không số"}]}), "criteria[0].number"),
        (json.dumps({"code": "X Y", "name": "Tên"}), "code"),
    ],
)
def test_broken_json(text, column):
    spec, problems = read_json(text)
    assert spec is None
    assert column in {problem.column for problem in problems}


# --------------------------------------------------------------------------------------------
# Starter sets


def yaml_2021_2025() -> dict:
    return yaml.safe_load((starter.DATA_DIR / "xa_ntm_2021_2025.yaml").read_text(encoding="utf-8"))


def test_data_files_are_part_of_the_product():
    assert (starter.DATA_DIR / "xa_ntm_2021_2025.yaml").is_file()
    assert (starter.DATA_DIR / "xa_ntm_2026_2030.yaml").is_file()


def test_starter_specs_are_valid():
    specs = starter.starter_specs()
    assert [spec.code for spec in specs] == [
        "XA_NTM_2021_2025",
        "XA_NTM_2026_2030",
        "XA_NTM_NANG_CAO_2021_2025",
        "XA_NTM_KIEU_MAU_2021_2025",
        "HUYEN_NTM_2021_2025",
        "HUYEN_NTM_NANG_CAO_2021_2025",
        "DEMO_XA_NTM_MINH_HOA",
        "DEMO_HUYEN_NTM_MINH_HOA",
    ]  # tests/criteria_pages/test_starter_sets.py checks each kind
    for spec in specs:
        assert validate_spec(spec, known_departments=DEPARTMENTS, known_groups=GROUPS) == []


def test_national_2021_2025():
    spec = starter.national_2021_2025()
    raw = yaml_2021_2025()
    assert len(spec.criteria) == 19
    assert [c.number for c in spec.criteria] == list(range(1, 20))
    assert [c.name for c in spec.criteria] == [c["name_vi"] for c in raw["criteria"]]
    assert spec.classification == "region"
    assert spec.decision_number == "318/QĐ-TTg"
    assert not spec.is_illustrative
    indicators = [indicator for _c, indicator in spec.indicators()]
    assert len(indicators) == sum(len(c["indicators"]) for c in raw["criteria"]) == 55
    assert len({indicator.code for indicator in indicators}) == len(indicators)
    assert not any(indicator.verified for indicator in indicators)
    assert all(indicator.assessed and indicator.source_text for indicator in indicators)
    assert {c.group for c in spec.criteria if c.number in (2, 8)} == {"II. Hạ tầng kinh tế - xã hội"}
    by_code = {indicator.code: indicator for indicator in indicators}
    assert by_code["17.8"].name.startswith("Tỷ lệ hộ gia đình và cơ sở sản xuất, kinh doanh thực phẩm")
    assert by_code["17.3"].name == "Cảnh quan, không gian xanh - sạch - đẹp, an toàn"
    assert by_code["11"].comparison == Comparison.LTE
    assert by_code["10"].value_type == ValueType.NUMBER
    assert by_code["8.2"].source_text.startswith("Nguồn: https://")
    assert "memory (unverified)" in by_code["2.1"].source_text


def test_national_2021_2025_takes_only_sourced_targets():
    spec = starter.national_2021_2025()
    by_code = {indicator.code: indicator for _c, indicator in spec.indicators()}
    raw_items = [item for criterion in yaml_2021_2025()["criteria"] for item in criterion["indicators"]]
    unverified = [item for item in raw_items if "target_memory_unverified" in item]
    assert unverified, "the notes keep some recalled targets apart"
    for item in unverified:
        indicator = by_code[item["code"]]
        assert indicator.target == ""
        assert indicator.targets == {}
    with_target = {code for code, indicator in by_code.items() if indicator.target or indicator.targets}
    sourced = {item["code"] for item in raw_items if isinstance(item.get("targets"), dict)}
    assert with_target == sourced == {"8.1"}
    assert by_code["8.1"].target == "có"  # "Đạt" in the notes, in the product's Có/Không notation
    assert "target_memory_unverified" not in spec_to_json(spec)


def test_national_2026_2030():
    spec = starter.national_2026_2030()
    assert spec.code == "XA_NTM_2026_2030"
    assert len(spec.criteria) == 10
    assert spec.classification == "commune_group"
    assert spec.decision_number == "51/2025/QĐ-TTg"
    assert spec.decision_date == datetime.date(2025, 12, 29)
    assert spec.valid_from == datetime.date(2026, 2, 15)
    assert "51/2025/QĐ-TTg" in spec.legal_basis
    assert list(spec.indicators()) == []
    assert all("Chưa có danh mục chỉ tiêu" in c.description for c in spec.criteria)
    assert spec.criteria[6].name == "Khoa học công nghệ và chuyển đổi số"


def test_illustrative_demo_set_is_complete():
    spec = starter.illustrative_demo_set()
    assert spec.code == "DEMO_XA_NTM_MINH_HOA"
    assert spec.is_illustrative
    assert spec.name.startswith("[Minh họa]")
    assert "(minh họa)" in spec.legal_basis
    assert spec.standard_rule == StandardRule.ALL
    assert spec.classification == "region"
    assert len(spec.criteria) == 19
    assert [c.name for c in spec.criteria] == [c.name for c in starter.national_2021_2025().criteria]
    indicators = [indicator for _c, indicator in spec.indicators()]
    assert len(indicators) == 57
    assert all(1 <= len(c.indicators) <= 10 for c in spec.criteria)
    for indicator in indicators:
        assert indicator.name and "chưa xác định" not in indicator.name
        assert not indicator.assessed or indicator.target
        assert indicator.source_text == "Mức minh họa cho bản demo, không phải mức chính thức"
        assert not indicator.verified
    types = {indicator.value_type for indicator in indicators}
    assert types >= {
        ValueType.BOOLEAN,
        ValueType.PERCENTAGE,
        ValueType.NUMBER,
        ValueType.INTEGER,
        ValueType.CHOICE,
        ValueType.DATE,
    }
    assert sum(1 for indicator in indicators if "TN" in indicator.targets) >= 10
    required = [indicator for indicator in indicators if indicator.evidence.required]
    assert required and all(indicator.evidence.min_files == 1 for indicator in required)
    departments = {c.department for c in spec.criteria} | {i.department for i in indicators if i.department}
    assert departments == DEPARTMENTS


def test_starter_specs_do_not_share_mutable_state():
    first = starter.illustrative_demo_set()
    first.criteria[1].indicators[0].targets["TN"] = "0"
    assert starter.illustrative_demo_set().criteria[1].indicators[0].targets["TN"] == "90"


# --------------------------------------------------------------------------------------------
# cms.xlsx


def test_write_table_helper():
    book = Book()
    sheet = book.add_sheet("Thống kê: xã/phường")
    next_row = write_table(sheet, ["Xã", "Số tiêu chí đạt", "Ngày"], [["Xã Hòa Thuận", 19, datetime.date(2026, 3, 1)]])
    assert next_row == 2
    data = book.close()
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Thống kê xã phường"]
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == ["Xã", "Số tiêu chí đạt", "Ngày"]
    assert [cell.value for cell in sheet[2]] == ["Xã Hòa Thuận", 19, datetime.datetime(2026, 3, 1)]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C2"
    assert sheet["A1"].font.b
