"""The OCOP scoring rule (``SetSpec.scoring``) in a file: JSON's ``scoring`` object or the XLSX set sheet's keys."""

from collections.abc import Callable
from typing import Any

from ..spec import ScoreAverage, ScoreRounding, ScoringRule
from .cells import to_bool, to_decimal, to_enum, to_int, to_text

#: The scoring rule's fields: the XLSX key of the set sheet -> the ``ScoringRule`` attribute (the JSON key).
SCORING_KEYS = {
    "score_average": "average",
    "score_decimals": "decimals",
    "score_rounding": "rounding",
    "score_gap": "gap",
    "certificate_months": "certificate_months",
    "reminder_days": "reminder_days",
    "min_recognised_stars": "min_recognised_stars",
    "national_stars": "national_stars",
    "bands_verified": "bands_verified",
    "bands_source": "bands_source",
}


def read_scoring(read: Callable[..., Any], present: Callable[[str], bool]) -> ScoringRule | None:
    """The scoring rule of a file, or None when it names none of its fields (a file from before OCOP).

    ``read(attribute, convert, *args, default=...)`` reads one field (recording a problem where it cannot);
    ``present(attribute)`` says whether the file has it. Absent fields take the rule's defaults."""
    if not any(present(attribute) for attribute in SCORING_KEYS.values()):
        return None
    default = ScoringRule()

    def number(attribute: str) -> int:
        value = read(attribute, to_int)
        return getattr(default, attribute) if value is None else value

    gap = read("gap", to_decimal)
    return ScoringRule(
        average=read("average", to_enum, ScoreAverage, default.average, default=default.average),
        decimals=number("decimals"),
        rounding=read("rounding", to_enum, ScoreRounding, default.rounding, default=default.rounding),
        gap=default.gap if gap is None else gap,
        certificate_months=number("certificate_months"),
        reminder_days=number("reminder_days"),
        min_recognised_stars=number("min_recognised_stars"),
        national_stars=number("national_stars"),
        bands_verified=read("bands_verified", to_bool, False, default=False),
        bands_source=read("bands_source", to_text, default=""),
    )
