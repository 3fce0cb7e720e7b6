"""Every kind of set the seeds name, as starter sets read from the research notes through the importer (issue 15):
xã NTM (2021–2025, 2026–2030), xã NTM nâng cao, xã NTM kiểu mẫu, huyện NTM, huyện NTM nâng cao, and the
illustrative sets. Unverified items are flagged, nothing is presented as official, and each set names the title it
grants and its recognition preconditions (the chain NTM → nâng cao → kiểu mẫu as "holds title" preconditions)."""

import datetime
from decimal import Decimal

import pytest

from cms.directory.demo import DEMO_DEPARTMENTS
from criteria_pages import demo as criteria_demo
from criteria_pages import research_notes, starter
from criteria_pages.models import CriteriaSetPage, PreconditionRow
from criteria_pages.spec import (
    FigureSource,
    PreconditionKind,
    SetLevel,
    TitleKind,
    ValueType,
    criteria_without_indicators,
)
from submissions.errors import SubmissionError
from submissions.models import Round, RoundKind
from submissions.rounds import services as round_services
from tests.factories import DepartmentFactory, province

#: code -> (level, title granted, title required first, illustrative)
SETS = {
    "XA_NTM_2021_2025": (SetLevel.COMMUNE, TitleKind.XA_NTM, "", False),
    "XA_NTM_2026_2030": (SetLevel.COMMUNE, TitleKind.XA_NTM, "", False),
    "XA_NTM_NANG_CAO_2021_2025": (SetLevel.COMMUNE, TitleKind.XA_NTM_NANG_CAO, TitleKind.XA_NTM, False),
    "XA_NTM_KIEU_MAU_2021_2025": (SetLevel.COMMUNE, TitleKind.XA_NTM_KIEU_MAU, TitleKind.XA_NTM_NANG_CAO, False),
    "HUYEN_NTM_2021_2025": (SetLevel.DISTRICT, TitleKind.HUYEN_NTM, "", False),
    "HUYEN_NTM_NANG_CAO_2021_2025": (SetLevel.DISTRICT, TitleKind.HUYEN_NTM_NANG_CAO, TitleKind.HUYEN_NTM, False),
    "DEMO_XA_NTM_MINH_HOA": (SetLevel.COMMUNE, TitleKind.XA_NTM, "", True),
    "DEMO_HUYEN_NTM_MINH_HOA": (SetLevel.DISTRICT, TitleKind.HUYEN_NTM, "", True),
}


def specs():
    return {spec.code: spec for spec in starter.starter_specs()}


def test_every_kind_of_set_is_a_starter_file_the_importer_reads():
    found = specs()
    assert set(found) == set(SETS)
    for code, (level, grants, requires, illustrative) in SETS.items():
        spec = found[code]
        assert (spec.level, spec.grants_title, spec.is_illustrative) == (level, grants, illustrative), code
        assert not any(indicator.verified for _criterion, indicator in spec.indicators()), code
        if illustrative:
            assert spec.name.startswith("[Minh họa]")
        else:
            assert "[Minh họa]" not in spec.name
        kinds = [precondition.kind for precondition in spec.preconditions]
        held = [p.required_title for p in spec.preconditions if p.kind == PreconditionKind.TITLE]
        assert held == ([requires] if requires else []), code
        assert kinds.count(PreconditionKind.CONFIRMATION) == 2 and kinds.count(PreconditionKind.FIGURE) == 1, code


def test_recognition_preconditions_are_flagged_unverified_with_a_placeholder_threshold():
    spec = starter.national_2021_2025()
    debt, satisfaction, security = spec.preconditions
    assert [p.code for p in spec.preconditions] == ["DK1", "DK2", "DK3"]
    assert (debt.kind, debt.department) == (PreconditionKind.CONFIRMATION, "so-tc")
    assert "nợ đọng xây dựng cơ bản" in debt.name
    assert (satisfaction.kind, satisfaction.source) == (PreconditionKind.FIGURE, FigureSource.SATISFACTION)
    assert (satisfaction.threshold, satisfaction.unit) == (Decimal(research_notes.SATISFACTION_PLACEHOLDER), "%")
    assert "mức tạm" in satisfaction.name  # the rule's figure is not in the notes: said where the office reads it
    assert (security.department, security.kind) == ("ca-tinh", PreconditionKind.CONFIRMATION)
    for precondition in spec.preconditions:
        assert not precondition.verified
        assert "18/2022/QĐ-TTg" in precondition.legal_basis and "03/2024/QĐ-TTg" in precondition.legal_basis
        assert "chưa đối chiếu" in precondition.legal_basis
    district_rule = starter.national_huyen_2021_2025().preconditions[0].legal_basis
    assert "áp dụng tạm cho huyện" in district_rule
    assert "2026-2030" in starter.national_2026_2030().preconditions[0].legal_basis


def test_the_title_chain_ntm_nang_cao_kieu_mau():
    nang_cao, kieu_mau = starter.national_nang_cao_2021_2025(), starter.national_kieu_mau_2021_2025()
    assert nang_cao.preconditions[0].kind == PreconditionKind.TITLE
    assert nang_cao.preconditions[0].required_title == TitleKind.XA_NTM
    assert nang_cao.preconditions[0].name == "Đang giữ danh hiệu “Xã đạt chuẩn nông thôn mới”"
    assert kieu_mau.preconditions[0].required_title == TitleKind.XA_NTM_NANG_CAO
    assert starter.national_huyen_nang_cao_2021_2025().preconditions[0].required_title == TitleKind.HUYEN_NTM


def test_kieu_mau_has_its_four_conditions():
    """Condition 1 (the nâng cao title) is the precondition; conditions 2–4 are criteria with the sourced targets."""
    spec = starter.national_kieu_mau_2021_2025()
    assert [criterion.number for criterion in spec.criteria] == [2, 3, 4]
    income, smart_village, field = (criterion.indicators[0] for criterion in spec.criteria)
    assert (income.value_type, income.comparison, income.target) == (ValueType.NUMBER, "gte", "110")
    assert "nâng cao" in income.unit
    assert (smart_village.value_type, smart_village.target) == (ValueType.INTEGER, "1")
    assert "thôn thông minh" in smart_village.name
    assert field.target == "1" and "chuyển đổi số" in field.guidance
    assert all(indicator.source_text.startswith("Nguồn: https://") for _c, indicator in spec.indicators())
    assert criteria_without_indicators(spec) == []  # every condition is known: a kiểu mẫu round can open


def test_nang_cao_keeps_the_sourced_electricity_targets_and_waits_for_the_annex():
    spec = starter.national_nang_cao_2021_2025()
    assert len(spec.criteria) == 19
    electricity = next(criterion for criterion in spec.criteria if criterion.number == 4)
    (indicator,) = electricity.indicators
    assert indicator.code == "4.1"
    assert indicator.targets == {
        "DBSH": "100", "DNB": "100", "BTB": "99", "DHNTB": "99", "DBSCL": "99", "TDMNPB": "98", "TN": "98",
    }  # fmt: skip
    assert "1327/QĐ-BCT" in electricity.description
    pending = criteria_without_indicators(spec)
    assert len(pending) == 18
    assert all("Chưa có danh mục chỉ tiêu" in criterion.description for criterion in pending)


def test_district_sets_list_what_the_notes_know_and_nothing_more():
    huyen, nang_cao = starter.national_huyen_2021_2025(), starter.national_huyen_nang_cao_2021_2025()
    assert [criterion.number for criterion in huyen.criteria] == list(range(1, 10))
    transport = next(criterion for criterion in huyen.criteria if criterion.number == 2)
    assert [indicator.code for indicator in transport.indicators] == ["2.1", "2.2", "2.3", "2.4"]
    by_code = {indicator.code: indicator for indicator in transport.indicators}
    assert (by_code["2.1"].target, by_code["2.2"].target) == ("có", "100")
    assert by_code["2.3"].target == "" and "chưa xác định nội dung" in by_code["2.3"].name
    assert len(criteria_without_indicators(huyen)) == 8
    assert criteria_without_indicators(nang_cao) == list(nang_cao.criteria)
    assert huyen.valid_to == datetime.date(2025, 6, 30)  # the district level ended on 01/07/2025
    district_set = starter.illustrative_district_set()
    assert criteria_without_indicators(district_set) == []
    assert district_set.classification == ""


@pytest.fixture
def demo_sets(db):
    for code, name, _short in DEMO_DEPARTMENTS:
        DepartmentFactory(code=code, name=name)
    return {page.code: page for page in criteria_demo.load()}


def test_the_demo_imports_every_starter_set_with_its_preconditions(demo_sets):
    assert set(SETS) | {starter.DEMO_2026_2030_CODE, starter.DEMO_OCOP_CODE} == set(demo_sets)
    for code, page in demo_sets.items():
        frozen = page.latest_version.set_spec
        expected = next((spec for spec in starter.starter_specs() if spec.code == code), None)
        if expected is not None:
            assert frozen == expected, code
        if code == starter.DEMO_OCOP_CODE:  # products are recognised with stars, not a locality's title
            assert frozen == starter.illustrative_ocop_set() and not frozen.grants_title
        else:
            assert frozen.grants_title
    rows = PreconditionRow.objects.filter(page__code="XA_NTM_KIEU_MAU_2021_2025").order_by("sort_order")
    assert [(row.code, row.kind, row.department.code if row.department else "") for row in rows] == [
        ("DK1", PreconditionKind.TITLE, ""),
        ("DK2", PreconditionKind.CONFIRMATION, "so-tc"),
        ("DK3", PreconditionKind.FIGURE, ""),
        ("DK4", PreconditionKind.CONFIRMATION, "ca-tinh"),
    ]
    national = CriteriaSetPage.objects.get(code="HUYEN_NTM_2021_2025")
    assert national.get_parent().specific.province_id is None  # the national library, not a province's own
    assert not national.is_illustrative


def test_a_set_pending_its_annex_cannot_open_a_round(demo_sets):
    version = demo_sets["XA_NTM_NANG_CAO_2021_2025"].latest_version
    round_ = Round.objects.create(
        name="Đánh giá xã nông thôn mới nâng cao",
        kind=RoundKind.YEARLY,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 6, 30),
        criteria_version=version,
        scope_root=province(),
        opens_on=datetime.date(2025, 1, 1),
        due_on=datetime.date(2025, 6, 30),
    )
    with pytest.raises(SubmissionError) as refused:
        round_services.round_open(round_=round_)
    assert "18 tiêu chí của phiên bản bộ tiêu chí đợt dùng chưa có chỉ tiêu nào" in refused.value.message
