"""A target, a value and a verdict as people say them (criteria_pages.wording): the one place the review page,
the commune's form and the exports ask."""

import pytest

from criteria_pages.spec import Comparison, IndicatorSpec, ValueType
from criteria_pages.wording import target_words, value_words, verdict_words

LEVELS = ("Mức độ 1", "Mức độ 2", "Mức độ 3")


def indicator(value_type, comparison=Comparison.GTE, unit="", **kwargs):
    return IndicatorSpec(code="1.1", name="Chỉ tiêu", value_type=value_type, comparison=comparison, unit=unit, **kwargs)


@pytest.mark.parametrize(
    ("spec", "target", "words"),
    [
        (indicator(ValueType.PERCENTAGE, unit="%"), "90", "≥ 90 %"),
        (indicator(ValueType.PERCENTAGE), "92,5", "≥ 92,5 %"),  # a percentage without a unit still reads "%"
        (indicator(ValueType.NUMBER, Comparison.LTE, unit="km"), "1500.5", "≤ 1.500,5 km"),
        (indicator(ValueType.INTEGER, Comparison.EQ), "3", "= 3"),
        (indicator(ValueType.BOOLEAN), "có", "= Có"),  # yes/no has no order: always an equality
        (indicator(ValueType.BOOLEAN, Comparison.EQ), "yes", "= Có"),
        (indicator(ValueType.CHOICE, choices=LEVELS), "mức độ 2", "≥ Mức độ 2"),
        (indicator(ValueType.DATE), "2026-01-01", "≥ 01/01/2026"),
        (indicator(ValueType.DATE, Comparison.LTE), "31/12/2026", "≤ 31/12/2026"),
        (
            indicator(ValueType.CHOICE, Comparison.IN, choices=LEVELS),
            "Mức độ 2; Mức độ 3",
            "là một trong: Mức độ 2; Mức độ 3",
        ),
        (indicator(ValueType.PERCENTAGE, unit="%"), "n/a", "Không áp dụng"),
        (indicator(ValueType.PERCENTAGE, unit="%"), "", ""),
    ],
)
def test_a_target_reads_with_its_comparison_and_unit(spec, target, words):
    assert target_words(spec, target=target) == words


def test_the_target_of_the_units_group_is_read():
    spec = indicator(ValueType.PERCENTAGE, unit="%", target="100", targets={"TN": "90"})
    assert (target_words(spec, "TN"), target_words(spec, "DBSH"), target_words(spec)) == (
        "≥ 90 %",
        "≥ 100 %",
        "≥ 100 %",
    )


@pytest.mark.parametrize(
    ("spec", "raw", "words"),
    [
        (indicator(ValueType.BOOLEAN), "yes", "Có"),
        (indicator(ValueType.BOOLEAN), "no", "Không"),
        (indicator(ValueType.PERCENTAGE, unit="%"), "85", "85 %"),
        (indicator(ValueType.NUMBER, unit="km"), "7.5", "7,5 km"),
        (indicator(ValueType.DATE), "2026-03-01", "01/03/2026"),
        (indicator(ValueType.NUMBER), "nhiều", "nhiều"),  # unreadable: shown as the commune typed it
        (indicator(ValueType.NUMBER), "", ""),
    ],
)
def test_a_value_reads_in_words(spec, raw, words):
    assert value_words(spec, raw) == words


def test_verdicts_read_in_words():
    assert [verdict_words(status) for status in ("met", "not_met", "not_applicable")] == [
        "Đạt",
        "Chưa đạt",
        "Không áp dụng",
    ]
    assert verdict_words("missing", entered=False) == "Chưa nhập"
    assert verdict_words("") == "Chưa nhập"
