"""The evaluation function: reading values, comparing them with targets, criterion and set verdicts."""

import datetime
from decimal import Decimal

import pytest

from criteria_pages.evaluation import (
    CriterionStatus,
    EvaluationResult,
    IndicatorStatus,
    InvalidValue,
    band_for,
    coerce_value,
    evaluate,
    evaluate_indicator,
    parse_target,
)
from criteria_pages.spec import (
    NOT_APPLICABLE,
    Comparison,
    CriterionRule,
    CriterionSpec,
    IndicatorSpec,
    ScoreBand,
    SetSpec,
    StandardRule,
    ValueType,
)

D = Decimal
MET, NOT_MET, NA, MISSING = (
    IndicatorStatus.MET,
    IndicatorStatus.NOT_MET,
    IndicatorStatus.NOT_APPLICABLE,
    IndicatorStatus.MISSING,
)
LEVELS = ("Trung bình", "Khá", "Tốt")
#: A valid target of each value type.
A_TARGET = {
    ValueType.BOOLEAN: "có",
    ValueType.NUMBER: "1,5",
    ValueType.PERCENTAGE: "95",
    ValueType.INTEGER: "1",
    ValueType.CHOICE: "Khá",
    ValueType.TEXT: "Đạt",
    ValueType.DATE: "01/01/2026",
    ValueType.SCORE: "",  # a scored item (OCOP) has no target: any valid score counts
}


# --- Factories ------------------------------------------------------------------------------


def indicator(
    code: str = "1.1",
    value_type: str = ValueType.NUMBER,
    comparison: str = Comparison.GTE,
    target: str = "10",
    **fields,
) -> IndicatorSpec:
    if value_type == ValueType.CHOICE:
        fields.setdefault("choices", LEVELS)
    return IndicatorSpec(
        code=code, name=f"Chỉ tiêu {code}", value_type=value_type, comparison=comparison, target=target, **fields
    )


def yes(code: str, points=None, **fields) -> IndicatorSpec:
    """A yes/no indicator that is met when the value is "có"."""
    return indicator(code, ValueType.BOOLEAN, Comparison.EQ, "có", points=points, **fields)


def criterion(number: int, *indicators: IndicatorSpec, rule=CriterionRule.ALL, rule_min=None) -> CriterionSpec:
    return CriterionSpec(number=number, name=f"Tiêu chí {number}", indicators=indicators, rule=rule, rule_min=rule_min)


def criteria_set(*criteria: CriterionSpec, rule=StandardRule.ALL, minimum=None, bands=()) -> SetSpec:
    return SetSpec(
        code="THU",
        name="Bộ thử",
        criteria=criteria,
        classification="region",
        standard_rule=rule,
        standard_min=minimum,
        bands=bands,
    )


def status_of(spec: IndicatorSpec, value, group=None) -> str:
    return evaluate_indicator(spec, value, group).status


def message_of(spec: IndicatorSpec, raw) -> str:
    with pytest.raises(InvalidValue) as caught:
        coerce_value(spec, raw)
    return str(caught.value)


# --- Reading values -------------------------------------------------------------------------


@pytest.mark.parametrize("value_type", list(ValueType))
@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n"])
def test_nothing_entered_reads_as_no_value(value_type, raw):
    assert coerce_value(indicator(value_type=value_type), raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("có", True),
        ("Có", True),
        ("CÓ", True),
        ("co\u0301", True),  # "có" typed with a combining accent
        ("co", True),
        ("không", False),
        ("Không", False),
        ("khong", False),
        ("yes", True),
        ("YES", True),
        ("no", False),
        ("No", False),
        ("true", True),
        ("True", True),
        ("false", False),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        (" có ", True),
        (1, True),
        (0, False),
    ],
)
def test_boolean_values(raw, expected):
    assert coerce_value(indicator(value_type=ValueType.BOOLEAN), raw) is expected


@pytest.mark.parametrize("raw", ["đạt", "maybe", "2", 2, "có không", 1.5])
def test_boolean_rejects_other_answers(raw):
    assert message_of(indicator(value_type=ValueType.BOOLEAN), raw) == "Hãy chọn “Có” hoặc “Không”."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15,93", D("15.93")),
        ("15.93", D("15.93")),
        ("15", D("15")),
        ("  15,5  ", D("15.5")),
        ("-2,5", D("-2.5")),
        ("+3", D("3")),
        ("1.234,5", D("1234.5")),
        ("1.234.567", D("1234567")),
        ("1,234.5", D("1234.5")),
        ("1 234,5", D("1234.5")),
        ("1\u00a0234", D("1234")),
        ("0,5", D("0.5")),
        (D("7.25"), D("7.25")),
        (7, D("7")),
        (0.1, D("0.1")),
    ],
)
def test_number_accepts_decimal_comma_and_dot(raw, expected):
    value = coerce_value(indicator(value_type=ValueType.NUMBER), raw)
    assert value == expected
    assert isinstance(value, Decimal)


@pytest.mark.parametrize(
    "raw", ["abc", "15,5,3", "1..5", ",5", "5,", "1e5", "12 kg", "15%", float("inf"), float("nan"), True, [1]]
)
def test_number_rejects_what_is_not_a_number(raw):
    assert message_of(indicator(value_type=ValueType.NUMBER), raw) == "Hãy nhập một số, ví dụ 15,5."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0", D("0")), ("100", D("100")), ("99,5", D("99.5")), ("15.93", D("15.93")), ("80 %", D("80")), (D("50"), D(50))],
)
def test_percentage_within_zero_and_hundred(raw, expected):
    assert coerce_value(indicator(value_type=ValueType.PERCENTAGE), raw) == expected


@pytest.mark.parametrize("raw", ["100,01", "101", "-1", "-0,5", D("250"), 1000])
def test_percentage_out_of_range_is_refused(raw):
    message = message_of(indicator(value_type=ValueType.PERCENTAGE), raw)
    assert message == "Tỷ lệ phải nằm trong khoảng từ 0 đến 100."


def test_percentage_that_is_not_a_number_asks_for_a_number():
    assert message_of(indicator(value_type=ValueType.PERCENTAGE), "nhiều") == "Hãy nhập một số, ví dụ 15,5."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("120", 120), ("0", 0), (" 7 ", 7), ("1 500", 1500), ("+4", 4), (12, 12), (D("12"), 12), (3.0, 3)],
)
def test_integer_values(raw, expected):
    value = coerce_value(indicator(value_type=ValueType.INTEGER), raw)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize("raw", ["12,5", "12.5", "1.500", "12,0", D("12.5"), 2.5, "abc"])
def test_integer_rejects_fractions_and_separators(raw):
    message = message_of(indicator(value_type=ValueType.INTEGER), raw)
    assert message == "Hãy nhập một số nguyên, không có phần thập phân, ví dụ 120."


@pytest.mark.parametrize("raw", ["-3", -3, D("-1")])
def test_integer_rejects_negative_numbers(raw):
    assert message_of(indicator(value_type=ValueType.INTEGER), raw) == "Số nguyên không được âm."


@pytest.mark.parametrize(
    ("raw", "expected"), [("Khá", "Khá"), ("khá", "Khá"), ("  TỐT ", "Tốt"), ("Trung bình", "Trung bình")]
)
def test_choice_reads_one_of_the_levels(raw, expected):
    assert coerce_value(indicator(value_type=ValueType.CHOICE), raw) == expected


@pytest.mark.parametrize("raw", ["Xuất sắc", "Kha", "Khá; Tốt", 3])
def test_choice_outside_the_levels_lists_them(raw):
    message = message_of(indicator(value_type=ValueType.CHOICE), raw)
    assert message == "Hãy chọn một trong các mức: Trung bình; Khá; Tốt."


@pytest.mark.parametrize(("raw", "expected"), [("  Đã có quy hoạch ", "Đã có quy hoạch"), ("x", "x"), (42, "42")])
def test_text_is_stripped(raw, expected):
    assert coerce_value(indicator(value_type=ValueType.TEXT), raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-01", datetime.date(2026, 3, 1)),
        ("01/03/2026", datetime.date(2026, 3, 1)),
        ("1/3/2026", datetime.date(2026, 3, 1)),
        (" 31/12/2025 ", datetime.date(2025, 12, 31)),
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)),
        (datetime.datetime(2026, 3, 1, 8, 30), datetime.date(2026, 3, 1)),  # noqa: DTZ001
    ],
)
def test_dates_in_iso_and_vietnamese_order(raw, expected):
    value = coerce_value(indicator(value_type=ValueType.DATE), raw)
    assert value == expected
    assert type(value) is datetime.date


@pytest.mark.parametrize("raw", ["31/02/2026", "2026-13-01", "03/01/26", "mùng 1 tháng 3", "20260301", 20260301])
def test_invalid_dates_show_the_expected_format(raw):
    message = message_of(indicator(value_type=ValueType.DATE), raw)
    assert message == "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 01/03/2026."


def test_invalid_value_is_a_value_error_carrying_its_message():
    with pytest.raises(ValueError, match="Hãy nhập một số") as caught:
        coerce_value(indicator(), "abc")
    assert str(caught.value.message) == "Hãy nhập một số, ví dụ 15,5."


# --- Reading targets ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["n/a", "N/A", " N/a "])
def test_target_na_means_not_applicable(text):
    assert parse_target(indicator(), text) == NOT_APPLICABLE


@pytest.mark.parametrize("text", ["", "  ", None])
def test_empty_target_means_no_target(text):
    assert parse_target(indicator(), text) is None


@pytest.mark.parametrize(
    ("value_type", "text", "expected"),
    [
        (ValueType.NUMBER, "15,93", D("15.93")),
        (ValueType.PERCENTAGE, "95", D("95")),
        (ValueType.INTEGER, "3", 3),
        (ValueType.BOOLEAN, "có", True),
        (ValueType.CHOICE, "khá", "Khá"),
        (ValueType.TEXT, " Đạt ", "Đạt"),
        (ValueType.DATE, "01/03/2026", datetime.date(2026, 3, 1)),
    ],
)
def test_single_targets_are_typed_like_values(value_type, text, expected):
    assert parse_target(indicator(value_type=value_type, comparison=Comparison.EQ), text) == expected


@pytest.mark.parametrize(
    ("value_type", "text", "expected"),
    [
        (ValueType.NUMBER, "1; 2,5;3", (D("1"), D("2.5"), D("3"))),
        (ValueType.INTEGER, "1;2", (1, 2)),
        (ValueType.BOOLEAN, "có;không", (True, False)),
        (ValueType.CHOICE, "Khá;Tốt", ("Khá", "Tốt")),
        (ValueType.TEXT, "Loại A ; Loại B;", ("Loại A", "Loại B")),
        (ValueType.DATE, "2026-03-01;02/03/2026", (datetime.date(2026, 3, 1), datetime.date(2026, 3, 2))),
    ],
)
def test_in_target_is_a_semicolon_separated_list(value_type, text, expected):
    assert parse_target(indicator(value_type=value_type, comparison=Comparison.IN), text) == expected


@pytest.mark.parametrize(
    ("value_type", "comparison", "text", "message"),
    [
        (ValueType.NUMBER, Comparison.GTE, "nhiều", "Hãy nhập một số"),
        (ValueType.PERCENTAGE, Comparison.GTE, "120", "Tỷ lệ phải nằm trong khoảng"),
        (ValueType.CHOICE, Comparison.IN, "Khá;Xuất sắc", "Hãy chọn một trong các mức"),
        (ValueType.INTEGER, Comparison.IN, "1;2,5", "Hãy nhập một số nguyên"),
    ],
)
def test_unreadable_target_raises(value_type, comparison, text, message):
    with pytest.raises(InvalidValue, match=message):
        parse_target(indicator(value_type=value_type, comparison=comparison), text)


# --- Every value type against every comparison ---------------------------------------------


@pytest.mark.parametrize(
    ("value_type", "comparison", "target", "value", "expected"),
    [
        # Numbers, with a decimal comma or dot on either side.
        (ValueType.NUMBER, Comparison.GTE, "15,5", "15,5", MET),
        (ValueType.NUMBER, Comparison.GTE, "15,5", "15.6", MET),
        (ValueType.NUMBER, Comparison.GTE, "15.5", "15,49", NOT_MET),
        (ValueType.NUMBER, Comparison.LTE, "2,5", "2,5", MET),
        (ValueType.NUMBER, Comparison.LTE, "2,5", "2.51", NOT_MET),
        (ValueType.NUMBER, Comparison.LTE, "2,5", D("-1"), MET),
        (ValueType.NUMBER, Comparison.EQ, "15", "15,0", MET),
        (ValueType.NUMBER, Comparison.EQ, "15", "15,01", NOT_MET),
        (ValueType.NUMBER, Comparison.IN, "1;2,5", "2.5", MET),
        (ValueType.NUMBER, Comparison.IN, "1;2,5", "2", NOT_MET),
        # Percentages.
        (ValueType.PERCENTAGE, Comparison.GTE, "95", "95", MET),
        (ValueType.PERCENTAGE, Comparison.GTE, "95", "94,99", NOT_MET),
        (ValueType.PERCENTAGE, Comparison.GTE, "15,93", "15,93", MET),
        (ValueType.PERCENTAGE, Comparison.LTE, "5", "4,5", MET),
        (ValueType.PERCENTAGE, Comparison.LTE, "5", "5,5", NOT_MET),
        (ValueType.PERCENTAGE, Comparison.EQ, "100", "100", MET),
        (ValueType.PERCENTAGE, Comparison.EQ, "100", "99,9", NOT_MET),
        (ValueType.PERCENTAGE, Comparison.IN, "0;100", "0", MET),
        (ValueType.PERCENTAGE, Comparison.IN, "0;100", "50", NOT_MET),
        # Whole numbers.
        (ValueType.INTEGER, Comparison.GTE, "3", "3", MET),
        (ValueType.INTEGER, Comparison.GTE, "3", "2", NOT_MET),
        (ValueType.INTEGER, Comparison.LTE, "0", "0", MET),
        (ValueType.INTEGER, Comparison.LTE, "0", "1", NOT_MET),
        (ValueType.INTEGER, Comparison.EQ, "2", 2, MET),
        (ValueType.INTEGER, Comparison.EQ, "2", "3", NOT_MET),
        (ValueType.INTEGER, Comparison.IN, "1;3;5", "3", MET),
        (ValueType.INTEGER, Comparison.IN, "1;3;5", "4", NOT_MET),
        # Yes/no: GTE and LTE are read as equality.
        (ValueType.BOOLEAN, Comparison.EQ, "có", "yes", MET),
        (ValueType.BOOLEAN, Comparison.EQ, "có", "no", NOT_MET),
        (ValueType.BOOLEAN, Comparison.EQ, "không", "Không", MET),
        (ValueType.BOOLEAN, Comparison.EQ, "không", True, NOT_MET),
        (ValueType.BOOLEAN, Comparison.GTE, "có", "có", MET),
        (ValueType.BOOLEAN, Comparison.GTE, "có", "không", NOT_MET),
        (ValueType.BOOLEAN, Comparison.GTE, "không", "có", NOT_MET),
        (ValueType.BOOLEAN, Comparison.LTE, "không", "có", NOT_MET),
        (ValueType.BOOLEAN, Comparison.IN, "có", "1", MET),
        (ValueType.BOOLEAN, Comparison.IN, "có", "0", NOT_MET),
        (ValueType.BOOLEAN, Comparison.IN, "có;không", "0", MET),
        # Choices: ordered by their position, lowest first.
        (ValueType.CHOICE, Comparison.GTE, "Khá", "Tốt", MET),
        (ValueType.CHOICE, Comparison.GTE, "Khá", "Khá", MET),
        (ValueType.CHOICE, Comparison.GTE, "Khá", "Trung bình", NOT_MET),
        (ValueType.CHOICE, Comparison.LTE, "Khá", "Trung bình", MET),
        (ValueType.CHOICE, Comparison.LTE, "Khá", "Khá", MET),
        (ValueType.CHOICE, Comparison.LTE, "Khá", "Tốt", NOT_MET),
        (ValueType.CHOICE, Comparison.EQ, "Khá", "khá", MET),
        (ValueType.CHOICE, Comparison.EQ, "Khá", "Tốt", NOT_MET),
        (ValueType.CHOICE, Comparison.IN, "Trung bình;Tốt", "Tốt", MET),
        (ValueType.CHOICE, Comparison.IN, "Trung bình;Tốt", "Khá", NOT_MET),
        # Text: equality ignores case and surrounding spaces; GTE/LTE are equality too.
        (ValueType.TEXT, Comparison.EQ, "Đã phê duyệt", "  đã PHÊ DUYỆT ", MET),
        (ValueType.TEXT, Comparison.EQ, "Đã phê duyệt", "Chưa phê duyệt", NOT_MET),
        (ValueType.TEXT, Comparison.GTE, "Đạt", "đạt", MET),
        (ValueType.TEXT, Comparison.LTE, "Đạt", "Chưa đạt", NOT_MET),
        (ValueType.TEXT, Comparison.IN, "Loại A;Loại B", "loại b", MET),
        (ValueType.TEXT, Comparison.IN, "Loại A;Loại B", "Loại C", NOT_MET),
        # Dates: GTE is on or after, LTE on or before, in either format.
        (ValueType.DATE, Comparison.GTE, "01/03/2026", "2026-03-01", MET),
        (ValueType.DATE, Comparison.GTE, "01/03/2026", "02/03/2026", MET),
        (ValueType.DATE, Comparison.GTE, "01/03/2026", "28/02/2026", NOT_MET),
        (ValueType.DATE, Comparison.LTE, "2025-12-31", "31/12/2025", MET),
        (ValueType.DATE, Comparison.LTE, "2025-12-31", "01/01/2026", NOT_MET),
        (ValueType.DATE, Comparison.EQ, "2026-03-01", datetime.date(2026, 3, 1), MET),
        (ValueType.DATE, Comparison.EQ, "2026-03-01", "02/03/2026", NOT_MET),
        (ValueType.DATE, Comparison.IN, "01/03/2026;2026-06-01", "01/06/2026", MET),
        (ValueType.DATE, Comparison.IN, "01/03/2026;2026-06-01", "01/07/2026", NOT_MET),
    ],
)
def test_value_type_and_comparison(value_type, comparison, target, value, expected):
    verdict = evaluate_indicator(indicator("5.1", value_type, comparison, target), value)
    assert verdict.status == expected
    assert verdict.error == ""
    assert verdict.target == target


def test_verdict_keeps_the_typed_value():
    verdict = evaluate_indicator(indicator(target="15,5"), "15,93")
    assert verdict.value == D("15.93")
    assert verdict.code == "1.1"


# --- Targets per region / group -------------------------------------------------------------


@pytest.fixture
def by_region():
    """Households with clean water: 90 % in Tây Nguyên, 95 % elsewhere, not assessed in one region."""
    return indicator(
        "17.1",
        ValueType.PERCENTAGE,
        Comparison.GTE,
        target="95",
        targets={"TN": "90", "MNPB": NOT_APPLICABLE, "DBSCL": "N/A", "BTB": ""},
    )


@pytest.mark.parametrize(
    ("group", "value", "expected_target", "expected"),
    [
        ("TN", "92", "90", MET),
        ("TN", "89,9", "90", NOT_MET),
        ("DBSH", "92", "95", NOT_MET),
        ("DBSH", "95", "95", MET),
        (None, "92", "95", NOT_MET),
        ("", "96", "95", MET),
        ("MNPB", "10", NOT_APPLICABLE, NA),
        ("MNPB", None, NOT_APPLICABLE, NA),
        ("DBSCL", "10", "N/A", NA),
        ("BTB", "10", "", NA),
    ],
)
def test_group_targets(by_region, group, value, expected_target, expected):
    verdict = evaluate_indicator(by_region, value, group)
    assert verdict.status == expected
    assert verdict.target == expected_target


def test_group_target_reaches_the_set_result(by_region):
    spec = criteria_set(criterion(17, by_region))
    assert evaluate(spec, {"17.1": "92"}, group="TN").standard_reached is True
    assert evaluate(spec, {"17.1": "92"}, group="DBSH").standard_reached is False
    in_mountains = evaluate(spec, {"17.1": "92"}, group="MNPB")
    assert in_mountains.criterion(17).status == CriterionStatus.NOT_APPLICABLE
    assert in_mountains.criteria_applicable == 0


def test_indicator_with_only_group_targets_does_not_apply_to_other_groups():
    spec = indicator(target="", targets={"TN": "90"})
    assert status_of(spec, "95", "TN") == MET
    assert status_of(spec, "95", "DBSH") == NA
    assert status_of(spec, "95", None) == NA


# --- Informative, missing and invalid values ------------------------------------------------


@pytest.mark.parametrize("value", ["5", "50", None])
def test_informative_indicator_is_never_counted(value):
    verdict = evaluate_indicator(indicator(target="10", assessed=False), value)
    assert verdict.status == NA


def test_informative_indicator_keeps_its_value_and_reports_a_bad_one():
    assert evaluate_indicator(indicator(assessed=False), "12,5").value == D("12.5")
    verdict = evaluate_indicator(indicator(assessed=False), "abc")
    assert verdict.status == NA
    assert verdict.error == "Hãy nhập một số, ví dụ 15,5."


def test_informative_indicator_does_not_hold_back_its_criterion():
    spec = criteria_set(criterion(1, yes("1.1"), indicator("1.2", assessed=False)))
    result = evaluate(spec, {"1.1": "có"})
    assert result.criterion(1).met
    assert result.criterion(1).applicable_count == 1
    assert result.criterion(1).complete


@pytest.mark.parametrize("value_type", list(ValueType))
@pytest.mark.parametrize("value", [None, "", "  "])
def test_no_value_is_missing(value_type, value):
    spec = indicator(value_type=value_type, comparison=Comparison.EQ, target=A_TARGET[value_type])
    verdict = evaluate_indicator(spec, value)
    assert verdict.status == MISSING
    assert verdict.value is None
    assert verdict.error == ""


@pytest.mark.parametrize(
    ("value_type", "value", "message"),
    [
        (ValueType.NUMBER, "abc", "Hãy nhập một số, ví dụ 15,5."),
        (ValueType.PERCENTAGE, "120", "Tỷ lệ phải nằm trong khoảng từ 0 đến 100."),
        (ValueType.INTEGER, "2,5", "Hãy nhập một số nguyên, không có phần thập phân, ví dụ 120."),
        (ValueType.BOOLEAN, "có lẽ", "Hãy chọn “Có” hoặc “Không”."),
        (ValueType.CHOICE, "Xuất sắc", "Hãy chọn một trong các mức: Trung bình; Khá; Tốt."),
        (ValueType.DATE, "30/02/2026", "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 01/03/2026."),
    ],
)
def test_unreadable_value_is_missing_with_its_message(value_type, value, message):
    spec = indicator("2.1", value_type, Comparison.EQ, A_TARGET[value_type])
    result = evaluate(criteria_set(criterion(2, spec)), {"2.1": value})
    verdict = result.indicator("2.1")
    assert verdict.status == MISSING
    assert verdict.value is None
    assert verdict.error == message
    assert result.criterion(2).complete is False
    assert result.standard_reached is False


def test_unreadable_target_is_reported_without_raising():
    spec = indicator("3.1", ValueType.NUMBER, Comparison.GTE, target="nhiều")
    verdict = evaluate(criteria_set(criterion(3, spec)), {"3.1": "5"}).indicator("3.1")
    assert verdict.status == MISSING
    assert verdict.error == "Mức cần đạt “nhiều” không hợp lệ: Hãy nhập một số, ví dụ 15,5."


def test_values_of_unknown_indicators_are_ignored():
    result = evaluate(criteria_set(criterion(1, yes("1.1"))), {"1.1": "có", "99.9": "abc"})
    assert result.standard_reached is True


# --- Criterion rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "status", "met_count", "complete"),
    [
        ({"1.1": "có", "1.2": "có", "1.3": "có"}, CriterionStatus.MET, 3, True),
        ({"1.1": "có", "1.2": "không", "1.3": "có"}, CriterionStatus.NOT_MET, 2, True),
        ({"1.1": "có", "1.2": "có"}, CriterionStatus.NOT_MET, 2, False),
        ({}, CriterionStatus.NOT_MET, 0, False),
    ],
)
def test_rule_all(values, status, met_count, complete):
    spec = criteria_set(criterion(1, yes("1.1"), yes("1.2"), yes("1.3")))
    verdict = evaluate(spec, values).criterion(1)
    assert (verdict.status, verdict.met_count, verdict.applicable_count, verdict.complete) == (
        status,
        met_count,
        3,
        complete,
    )


def test_rule_all_counts_only_applicable_indicators():
    spec = criteria_set(criterion(1, yes("1.1"), yes("1.2", targets={"TN": "n/a"})))
    verdict = evaluate(spec, {"1.1": "có"}, group="TN").criterion(1)
    assert verdict.met
    assert verdict.applicable_count == 1
    assert verdict.complete


@pytest.mark.parametrize(
    "indicators",
    [
        (),
        (yes("1.1", assessed=False), yes("1.2", assessed=False)),
        (yes("1.1", targets={"TN": "n/a"}), indicator("1.2", targets={"TN": "N/A"})),
    ],
    ids=["no indicators", "all informative", "all n/a for the group"],
)
@pytest.mark.parametrize(
    ("rule", "rule_min"), [(CriterionRule.ALL, None), (CriterionRule.AT_LEAST, D(0)), (CriterionRule.POINTS, D(0))]
)
def test_criterion_without_applicable_indicators_is_not_applicable(indicators, rule, rule_min):
    spec = criteria_set(criterion(1, *indicators, rule=rule, rule_min=rule_min), criterion(2, yes("2.1")))
    result = evaluate(spec, {"1.1": "có", "1.2": "50", "2.1": "có"}, group="TN")
    assert result.criterion(1).status == CriterionStatus.NOT_APPLICABLE
    assert result.criterion(1).met is False
    assert (result.criteria_met, result.criteria_applicable) == (1, 1)
    assert result.standard_reached is True


@pytest.mark.parametrize(
    ("values", "met"),
    [
        ({"4.1": "có", "4.2": "có", "4.3": "không", "4.4": "không"}, True),
        ({"4.1": "có", "4.2": "có", "4.3": "có", "4.4": "có"}, True),
        ({"4.1": "có", "4.2": "không", "4.3": "không", "4.4": "không"}, False),
        ({"4.1": "có", "4.2": "abc"}, False),
        ({"4.3": "có", "4.4": "có"}, True),
    ],
)
def test_rule_at_least_k_indicators(values, met):
    spec = criteria_set(
        criterion(4, yes("4.1"), yes("4.2"), yes("4.3"), yes("4.4"), rule=CriterionRule.AT_LEAST, rule_min=D(2))
    )
    verdict = evaluate(spec, values).criterion(4)
    assert verdict.met is met
    assert verdict.status == (CriterionStatus.MET if met else CriterionStatus.NOT_MET)


def test_rule_at_least_can_be_met_while_data_is_still_missing():
    spec = criteria_set(criterion(4, yes("4.1"), yes("4.2"), yes("4.3"), rule=CriterionRule.AT_LEAST, rule_min=D(2)))
    verdict = evaluate(spec, {"4.1": "có", "4.2": "có"}).criterion(4)
    assert verdict.met
    assert verdict.complete is False


@pytest.mark.parametrize(
    ("values", "points", "met"),
    [
        ({"5.1": "có", "5.2": "có", "5.3": "có"}, D("35.5"), True),
        ({"5.1": "có", "5.2": "có"}, D("30"), True),
        ({"5.1": "có", "5.3": "có"}, D("25.5"), False),
        ({"5.1": "không", "5.2": "có", "5.3": "có"}, D("15.5"), False),
        ({}, D("0"), False),
    ],
)
def test_rule_points(values, points, met):
    spec = criteria_set(
        criterion(
            5,
            yes("5.1", points=D(20)),
            yes("5.2", points=D(10)),
            yes("5.3", points=D("5.5")),
            yes("5.4"),  # no points: counts 0 even when met
            rule=CriterionRule.POINTS,
            rule_min=D(30),
        )
    )
    verdict = evaluate(spec, {**values, "5.4": "có"}).criterion(5)
    assert verdict.points == points
    assert verdict.met is met


def test_points_of_unmet_or_not_applicable_indicators_do_not_count():
    spec = criteria_set(
        criterion(
            6,
            yes("6.1", points=D(10)),
            yes("6.2", points=D(10), assessed=False),
            yes("6.3", points=D(10), targets={"TN": "n/a"}),
            rule=CriterionRule.POINTS,
            rule_min=D(10),
        )
    )
    result = evaluate(spec, {"6.1": "không", "6.2": "có", "6.3": "có"}, group="TN")
    assert result.points == D(0)
    assert result.criterion(6).status == CriterionStatus.NOT_MET


@pytest.mark.parametrize("rule", [CriterionRule.AT_LEAST, CriterionRule.POINTS])
def test_criterion_rule_without_a_minimum_requires_every_indicator(rule):
    spec = criteria_set(criterion(7, yes("7.1"), yes("7.2"), rule=rule, rule_min=None))
    assert evaluate(spec, {"7.1": "có", "7.2": "có"}).criterion(7).met
    assert not evaluate(spec, {"7.1": "có", "7.2": "không"}).criterion(7).met


# --- Standard rules and score bands ---------------------------------------------------------


def three_criteria(rule=StandardRule.ALL, minimum=None, bands=()) -> SetSpec:
    return criteria_set(
        criterion(1, yes("1.1", points=D(40))),
        criterion(2, yes("2.1", points=D(30))),
        criterion(3, yes("3.1", points=D(20)), yes("3.2", points=D(10), targets={"TN": "n/a"})),
        rule=rule,
        minimum=minimum,
        bands=bands,
    )


@pytest.mark.parametrize(
    ("values", "group", "reached", "met", "applicable"),
    [
        ({"1.1": "có", "2.1": "có", "3.1": "có", "3.2": "có"}, None, True, 3, 3),
        ({"1.1": "có", "2.1": "có", "3.1": "có", "3.2": "không"}, None, False, 2, 3),
        ({"1.1": "có", "2.1": "có", "3.1": "có"}, "TN", True, 3, 3),
        ({"1.1": "có", "2.1": "có", "3.1": "có"}, None, False, 2, 3),
    ],
)
def test_standard_all(values, group, reached, met, applicable):
    result = evaluate(three_criteria(), values, group=group)
    assert (result.standard_reached, result.criteria_met, result.criteria_applicable) == (reached, met, applicable)


def test_standard_all_skips_criteria_that_do_not_apply():
    spec = criteria_set(criterion(1, yes("1.1")), criterion(2, yes("2.1", targets={"TN": "n/a"})))
    result = evaluate(spec, {"1.1": "có"}, group="TN")
    assert result.standard_reached is True
    assert (result.criteria_met, result.criteria_applicable) == (1, 1)


def test_standard_all_needs_at_least_one_applicable_criterion():
    assert evaluate(criteria_set(), {}).standard_reached is False
    only_informative = criteria_set(criterion(1, yes("1.1", assessed=False)))
    assert evaluate(only_informative, {"1.1": "có"}).standard_reached is False


@pytest.mark.parametrize(
    ("values", "reached", "met"),
    [
        ({"1.1": "có", "2.1": "có"}, True, 2),
        ({"1.1": "có", "2.1": "có", "3.1": "có", "3.2": "có"}, True, 3),
        ({"1.1": "có", "2.1": "không", "3.1": "có"}, False, 1),
        ({}, False, 0),
    ],
)
def test_standard_at_least_n_criteria(values, reached, met):
    result = evaluate(three_criteria(StandardRule.AT_LEAST, D(2)), values)
    assert result.standard_reached is reached
    assert result.criteria_met == met


def test_standard_at_least_without_a_minimum_requires_every_criterion():
    spec = three_criteria(StandardRule.AT_LEAST, None)
    assert evaluate(spec, {"1.1": "có", "2.1": "có", "3.1": "có", "3.2": "có"}).standard_reached is True
    assert evaluate(spec, {"1.1": "có", "2.1": "có"}).standard_reached is False


@pytest.mark.parametrize(
    ("values", "points", "reached"),
    [
        ({"1.1": "có", "2.1": "có"}, D(70), True),
        ({"1.1": "có", "3.1": "có", "3.2": "có"}, D(70), True),
        ({"1.1": "có", "3.1": "có"}, D(60), False),
        ({}, D(0), False),
    ],
)
def test_standard_score_sums_points_of_met_indicators_across_criteria(values, points, reached):
    result = evaluate(three_criteria(StandardRule.SCORE, D(70)), values)
    assert result.points == points
    assert isinstance(result.points, Decimal)
    assert result.standard_reached is reached


def test_points_of_met_indicators_count_even_when_their_criterion_is_not_met():
    result = evaluate(three_criteria(StandardRule.SCORE, D(20)), {"3.1": "có", "3.2": "không"})
    assert result.criterion(3).met is False
    assert result.points == D(20)
    assert result.standard_reached is True


OCOP_BANDS = (
    ScoreBand("1 sao", D(0)),
    ScoreBand("3 sao", D(50)),
    ScoreBand("5 sao", D(90)),
    ScoreBand("2 sao", D(30)),
    ScoreBand("4 sao", D(70)),
)


def ocop_product(points: int) -> tuple[SetSpec, dict]:
    """One scored criterion of 100 one-point questions; ``points`` of them answered "có"."""
    questions = tuple(yes(f"1.{n}", points=D(1)) for n in range(1, 101))
    spec = criteria_set(
        criterion(1, *questions, rule=CriterionRule.POINTS, rule_min=D(50)),
        rule=StandardRule.SCORE,
        minimum=D(50),
        bands=OCOP_BANDS,
    )
    return spec, {f"1.{n}": "có" if n <= points else "không" for n in range(1, 101)}


@pytest.mark.parametrize(
    ("points", "band", "reached"),
    [
        (0, "1 sao", False),
        (29, "1 sao", False),
        (30, "2 sao", False),
        (42, "2 sao", False),
        (49, "2 sao", False),
        (50, "3 sao", True),
        (69, "3 sao", True),
        (70, "4 sao", True),
        (89, "4 sao", True),
        (90, "5 sao", True),
        (100, "5 sao", True),
    ],
)
def test_ocop_star_bands(points, band, reached):
    spec, values = ocop_product(points)
    result = evaluate(spec, values)
    assert result.points == D(points)
    assert result.band == band
    assert result.standard_reached is reached
    assert result.criterion(1).met is reached


@pytest.mark.parametrize(
    ("bands", "points", "band"),
    [
        ((), D(100), None),
        ((ScoreBand("Khá", D(50)), ScoreBand("Tốt", D(80))), D(49), None),
        ((ScoreBand("Khá", D(50)), ScoreBand("Tốt", D(80))), D("79.99"), "Khá"),
        ((ScoreBand("Tốt", D(80)), ScoreBand("Khá", D(50))), D(80), "Tốt"),
    ],
)
def test_band_is_the_highest_reached(bands, points, band):
    assert band_for(bands, points) == band


def test_band_without_points_is_the_lowest_band_from_zero():
    spec = criteria_set(criterion(1, yes("1.1", points=D(5))), rule=StandardRule.SCORE, minimum=D(5), bands=OCOP_BANDS)
    result = evaluate(spec, {})
    assert (result.points, result.band, result.standard_reached) == (D(0), "1 sao", False)


# --- The result as the pages use it ---------------------------------------------------------


@pytest.fixture
def result() -> EvaluationResult:
    spec = criteria_set(
        criterion(1, yes("1.1"), indicator("1.2", ValueType.PERCENTAGE, Comparison.GTE, "95")),
        criterion(2, indicator("2.1", ValueType.INTEGER, Comparison.LTE, "0")),
    )
    return evaluate(spec, {"1.1": "Có", "1.2": "96,5", "2.1": "2"})


def test_result_lookups(result):
    assert result.indicator("1.2").status == MET
    assert result.indicator("1.2").value == D("96.5")
    assert result.indicator("2.1").status == NOT_MET
    assert result.criterion(1).met
    assert not result.criterion(2).met
    assert [criterion.number for criterion in result.criteria] == [1, 2]
    assert [verdict.code for verdict in result.criterion(1).indicators] == ["1.1", "1.2"]


@pytest.mark.parametrize(("lookup", "key"), [("indicator", "9.9"), ("criterion", 9)])
def test_result_lookup_of_unknown_key_raises_key_error(result, lookup, key):
    with pytest.raises(KeyError):
        getattr(result, lookup)(key)


def test_result_totals(result):
    assert (result.criteria_met, result.criteria_applicable, result.standard_reached) == (1, 2, False)
    assert result.complete is True
    assert result.band is None


def test_verdicts_are_frozen(result):
    with pytest.raises(AttributeError):
        result.criteria_met = 5  # type: ignore[misc]


def test_status_labels_are_vietnamese():
    assert [label for _value, label in IndicatorStatus.choices] == [
        "Đạt",
        "Chưa đạt",
        "Không áp dụng",
        "Chưa có số liệu",
    ]
    assert [label for _value, label in CriterionStatus.choices] == ["Đạt", "Chưa đạt", "Không áp dụng"]
    assert IndicatorStatus.MISSING == "missing"
    assert CriterionStatus.NOT_APPLICABLE == "not_applicable"


def test_a_57_indicator_form_evaluates_in_one_pass():
    criteria = tuple(
        criterion(number, *(indicator(f"{number}.{n}", target="50") for n in range(1, 4))) for number in range(1, 20)
    )
    spec = criteria_set(*criteria)
    values = {f"{number}.{n}": "60,5" for number in range(1, 20) for n in range(1, 4)}
    values["19.3"] = "49"
    result = evaluate(spec, values)
    assert sum(len(criterion.indicators) for criterion in result.criteria) == 57
    assert (result.criteria_met, result.criteria_applicable, result.standard_reached) == (18, 19, False)
