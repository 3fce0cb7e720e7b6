"""Targets are checked where they are typed: the page editor (an office editor over HTTP), the XLSX import and the
JSON import refuse the same targets with the same Vietnamese message, next to the field, row or path; every value
type, valid and invalid; per-group targets only for values of the set's classification."""

import json

import pytest

from cms.directory.models import Classification, Role
from criteria_pages.models import CriteriaIndexPage, CriterionPage
from criteria_pages.spec import Comparison, CriterionSpec, IndicatorSpec, SetSpec, ValueType
from criteria_pages.targets import canonical_target, indicator_target_problems, typed_target
from criteria_pages.transfer import SHEET_INDICATORS, spec_from_json, spec_from_xlsx, spec_to_json, spec_to_xlsx
from tests.criteria_pages.factories import CriteriaSetPageFactory, criterion_form, indicator_form
from tests.factories import DepartmentFactory, member, province, shared_layer

LEVELS = ("Mức độ 1", "Mức độ 2", "Mức độ 3")
GROUPS = {"region": {"TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL"}, "commune_group": {"NHOM_1", "NHOM_2"}}

# (value type, comparison, choices, a valid target, an invalid target, the message for the invalid one)
CASES = {
    "number": (ValueType.NUMBER, Comparison.GTE, (), "15,5", "tám mươi", "“tám mươi” không phải là một số"),
    "percentage typed in words": (
        ValueType.PERCENTAGE,
        Comparison.GTE,
        (),
        "80",
        "tám mươi",
        "“tám mươi” không phải là một số",
    ),
    "percentage over 100": (
        ValueType.PERCENTAGE,
        Comparison.GTE,
        (),
        "80 %",
        "120",
        "Tỷ lệ “120” nằm ngoài khoảng từ 0 đến 100.",
    ),
    "whole count": (
        ValueType.INTEGER,
        Comparison.GTE,
        (),
        "2",
        "1,5",
        "“1,5” không phải là một số nguyên không âm",
    ),
    "yes/no": (ValueType.BOOLEAN, Comparison.EQ, (), "Có", "nhiều", "“nhiều” không phải là Có hoặc Không."),
    "level": (
        ValueType.CHOICE,
        Comparison.GTE,
        LEVELS,
        "Mức độ 2",
        "Mức độ 4",
        "“Mức độ 4” không phải là một trong các mức: Mức độ 1; Mức độ 2; Mức độ 3.",
    ),
    "date": (
        ValueType.DATE,
        Comparison.LTE,
        (),
        "31/12/2025",
        "31/02/2026",
        "“31/02/2026” không phải là một ngày theo dạng dd/mm/yyyy",
    ),
    "date in words": (
        ValueType.DATE,
        Comparison.LTE,
        (),
        "01/03/2026",
        "tháng 3 năm 2026",
        "“tháng 3 năm 2026” không phải là một ngày theo dạng dd/mm/yyyy",
    ),
    "one of several numbers": (
        ValueType.INTEGER,
        Comparison.IN,
        (),
        "1; 2",
        "1; hai",
        "“hai” không phải là một số nguyên không âm",
    ),
}


def indicator(case: str, target: str, targets=None) -> IndicatorSpec:
    value_type, comparison, choices, *_rest = CASES[case]
    return IndicatorSpec(
        code="2.1",
        name="Chỉ tiêu thử",
        value_type=value_type,
        comparison=comparison,
        choices=choices,
        target=target,
        targets=targets or {},
    )


# --- the one check ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES))
def test_each_value_type_takes_its_targets_and_refuses_others_naming_the_value(case):
    _type, _comparison, _choices, valid, invalid, message = CASES[case]
    assert indicator_target_problems(indicator(case, valid), classification="region", groups=GROUPS["region"]) == []
    problems = indicator_target_problems(indicator(case, invalid), classification="region", groups=GROUPS["region"])
    assert [problem.group for problem in problems] == [""]
    assert message in problems[0].message


def test_not_applicable_and_empty_targets_stay_allowed():
    for case in CASES:
        spec = indicator(case, "n/a", {"TN": "N/A"})
        assert indicator_target_problems(spec, classification="region", groups=GROUPS["region"]) == []
        assert indicator_target_problems(indicator(case, ""), classification="", groups=set()) == []


def test_group_targets_name_only_values_of_the_sets_classification():
    spec = indicator("percentage typed in words", "80", {"TN": "70", "NHOM_1": "90"})
    problems = indicator_target_problems(spec, classification="commune_group", groups=GROUPS["commune_group"])
    assert [problem.group for problem in problems] == ["TN"]
    assert "“TN” không thuộc phân loại “commune_group”" in problems[0].message
    without = indicator_target_problems(spec, classification="", groups=set())
    assert {problem.group for problem in without} == {"TN", "NHOM_1"}
    assert "chưa chọn phân loại" in without[0].message


def test_date_targets_are_typed_dd_mm_yyyy_and_frozen_as_iso():
    spec = indicator("date", "")
    assert canonical_target(spec, "31/12/2025") == "2025-12-31"
    assert canonical_target(spec, "2025-12-31") == "2025-12-31"
    assert typed_target(spec, "2025-12-31") == "31/12/2025"
    assert typed_target(spec, "n/a") == "n/a"
    assert typed_target(indicator("number", ""), "2025") == "2025"


# --- the imports -----------------------------------------------------------------------------------------------------


def imported_set(targets: dict[str, str], *, classification: str = "region", group_targets=None) -> SetSpec:
    """One criterion with one indicator per case, each with the target given for its case."""
    indicators = []
    for number, (case, target) in enumerate(targets.items(), start=1):
        spec = indicator(case, target, (group_targets or {}).get(case))
        indicators.append(
            IndicatorSpec(**{**spec.__dict__, "code": f"2.{number}", "name": f"Chỉ tiêu {case}"})  # one code per case
        )
    return SetSpec(
        code="THU",
        name="Bộ thử",
        classification=classification,
        criteria=(CriterionSpec(number=2, name="Giao thông", indicators=tuple(indicators)),),
    )


def xlsx_read(spec: SetSpec):
    data = spec_to_xlsx(spec, group_codes=sorted(GROUPS.get(spec.classification, ())))
    return spec_from_xlsx(data, known_departments=set(), known_groups=GROUPS)


def test_imports_take_every_valid_target():
    spec = imported_set({case: CASES[case][3] for case in CASES})
    assert xlsx_read(spec) == (spec, [])
    assert spec_from_json(spec_to_json(spec), known_groups=GROUPS) == (spec, [])


def test_xlsx_import_refuses_each_invalid_target_on_its_row_and_column():
    spec = imported_set({case: CASES[case][4] for case in CASES})
    back, problems = xlsx_read(spec)
    assert back is None
    found = {(problem.sheet, problem.row, problem.column): problem.message for problem in problems}
    for row, case in enumerate(CASES, start=3):  # the label row, the code row, then one row per indicator
        message = found[(SHEET_INDICATORS, row, "target")]
        assert CASES[case][5] in message, (case, message)


def test_json_import_refuses_each_invalid_target_at_its_path():
    spec = imported_set({case: CASES[case][4] for case in CASES})
    back, problems = spec_from_json(spec_to_json(spec), known_groups=GROUPS)
    assert back is None
    found = {problem.column: problem.message for problem in problems}
    for index, case in enumerate(CASES):
        assert CASES[case][5] in found[f"criteria[0].indicators[{index}].target"], case


def test_imports_refuse_a_region_target_on_a_set_by_commune_group():
    spec = imported_set(
        {"percentage typed in words": "80"},
        classification="commune_group",
        group_targets={"percentage typed in words": {"NHOM_1": "90", "TN": "70"}},
    )
    back, problems = spec_from_json(spec_to_json(spec), known_groups=GROUPS)
    assert back is None
    assert [problem.column for problem in problems] == ["criteria[0].indicators[0].targets.TN"]
    data = spec_to_xlsx(spec, group_codes=["NHOM_1", "NHOM_2", "TN"])
    back, problems = spec_from_xlsx(data, known_departments=set(), known_groups=GROUPS)
    assert back is None
    assert (SHEET_INDICATORS, 2, "mức: TN") in {(p.sheet, p.row, p.column) for p in problems}


def test_json_keeps_iso_dates_and_round_trips():
    spec = imported_set({"date": "2025-12-31"})
    text = spec_to_json(spec)
    assert json.loads(text)["criteria"][0]["indicators"][0]["target"] == "2025-12-31"
    assert spec_from_json(text) == (spec, [])


# --- the page editor, as an office editor ----------------------------------------------------------------------------


@shared_layer
def sets():
    """A set by region and one by commune group, under the province's index; a department for the criteria."""
    by_region = CriteriaSetPageFactory(title="Bộ theo vùng", code="THEO_VUNG")
    by_group = CriteriaSetPageFactory(
        title="Bộ theo nhóm xã", code="THEO_NHOM", classification=Classification.objects.get(code="commune_group")
    )
    return {"region": by_region, "commune_group": by_group, "department": DepartmentFactory(code="so-xd")}


@pytest.fixture
def office(client, sets):
    assert CriteriaIndexPage.objects.exists()
    client.force_login(member(Role.OFFICE_EDITOR, unit=province(), username="office"))
    return client


def post_criterion(office, set_page, department, row):
    return office.post(
        f"/admin/pages/add/criteria_pages/criterionpage/{set_page.pk}/",
        criterion_form(2, "Giao thông", department, [row]),
    )


def admin_row(case: str, target: str, **overrides) -> dict:
    value_type, comparison, choices, *_rest = CASES[case]
    return indicator_form(
        "2.1",
        "Tỷ lệ đường xã được nhựa hóa",
        target,
        value_type=str(value_type),
        comparison=str(comparison),
        choices="\n".join(choices),
        unit="",
        **overrides,
    )


def row_errors(response) -> dict:
    """The errors of the first indicator row, block errors of the per-group targets as JSON text."""
    form = response.context["form"].formsets["indicators"].forms[0]
    errors = {name: " ".join(str(message) for message in messages) for name, messages in form.errors.items()}
    if "group_targets" in form.errors:
        error = form.errors["group_targets"].as_data()[0]
        errors["group_targets"] = json.dumps(error.as_json_data(), ensure_ascii=False)
    return errors


@pytest.mark.parametrize("case", list(CASES))
def test_page_editor_refuses_an_invalid_target_next_to_the_field_and_keeps_what_was_typed(office, sets, case):
    response = post_criterion(office, sets["region"], sets["department"], admin_row(case, CASES[case][4]))
    assert response.status_code == 200
    assert CASES[case][5] in row_errors(response)["target"]
    assert not CriterionPage.objects.exists()
    assert f'value="{CASES[case][4]}"' in response.text


@pytest.mark.parametrize("case", list(CASES))
def test_page_editor_takes_a_valid_target(office, sets, case):
    response = post_criterion(office, sets["region"], sets["department"], admin_row(case, CASES[case][3]))
    assert response.status_code == 302, row_errors(response)
    assert CriterionPage.objects.get().indicators.get().target == CASES[case][3]


def test_page_editor_refuses_an_invalid_group_target_on_its_block(office, sets):
    row = admin_row("percentage typed in words", "100", tn_target="chín mươi")
    response = post_criterion(office, sets["region"], sets["department"], row)
    assert response.status_code == 200
    assert "“chín mươi” không phải là một số" in row_errors(response)["group_targets"]
    assert not CriterionPage.objects.exists()


def test_page_editor_refuses_a_region_target_on_a_set_by_commune_group(office, sets):
    row = admin_row("percentage typed in words", "100", tn_target="90")
    response = post_criterion(office, sets["commune_group"], sets["department"], row)
    assert response.status_code == 200
    errors = row_errors(response)["group_targets"]
    assert "“Tây Nguyên” không thuộc phân loại" in errors
    assert "Nhóm" in errors  # the values that may be used are named
    assert not CriterionPage.objects.exists()


def test_page_editor_keeps_dates_as_typed_and_freezes_them_as_iso(office, sets):
    response = post_criterion(office, sets["region"], sets["department"], admin_row("date", "2025-12-31"))
    assert response.status_code == 302, row_errors(response)
    criterion = CriterionPage.objects.get()
    assert criterion.indicators.get().target == "31/12/2025"
    assert criterion.as_spec().indicators[0].target == "2025-12-31"


def test_text_targets_take_any_words():
    text = IndicatorSpec(code="9.1", name="Ghi chú", value_type=ValueType.TEXT, comparison=Comparison.IN, target="A; b")
    assert indicator_target_problems(text, classification="", groups=set()) == []
