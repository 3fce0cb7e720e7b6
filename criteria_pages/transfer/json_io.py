"""A whole set as JSON: :meth:`SetSpec.to_dict` (format ``ntm-criteria-set/1``) as UTF-8 text.

``spec_to_json`` writes it indented, Vietnamese letters kept as they are; ``spec_from_json`` reads
it back, reporting every problem with the path of the value (``criteria[0].indicators[2].target``).
"""

import json
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from cms.directory.text import nfc

from ..spec import (
    FORMAT,
    Comparison,
    CriterionRule,
    CriterionSpec,
    EvidenceSpec,
    FigureSource,
    IndicatorSpec,
    PreconditionKind,
    PreconditionSpec,
    ScoreBand,
    SetLevel,
    SetSpec,
    StandardRule,
    TitleKind,
    ValueType,
)
from .cells import Collector, to_bool, to_choices, to_code, to_date, to_decimal, to_enum, to_int, to_target, to_text
from .layout import JSON_SHEET
from .scoring_io import read_scoring
from .validation import JsonLocator, Problem, Where, merge, validate_spec


def spec_to_json(spec: SetSpec) -> str:
    """``spec`` as JSON text (format ``ntm-criteria-set/1``), Vietnamese letters unescaped."""
    return json.dumps(spec.to_dict(), ensure_ascii=False, indent=2)


def spec_from_json(
    text: str | bytes,
    *,
    known_departments: set[str] | None = None,
    known_groups: dict[str, set[str]] | None = None,
) -> tuple[SetSpec | None, list[Problem]]:
    """Read a set written by :func:`spec_to_json`: the spec, or None and every problem found.

    Without ``known_departments`` / ``known_groups`` department and group codes are not checked.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [Problem(JSON_SHEET, None, "", _("Tệp không được mã hoá UTF-8."))]
    try:
        data = json.loads(text)
    except ValueError as exc:
        return None, [Problem(JSON_SHEET, None, "", _("Tệp JSON không hợp lệ: %(error)s") % {"error": exc})]
    if not isinstance(data, dict):
        return None, [Problem(JSON_SHEET, None, "", _("Tệp JSON phải là một đối tượng bộ tiêu chí."))]
    where = JsonLocator()
    got = Collector()
    if data.get("format", FORMAT) != FORMAT:
        got.add(
            where.set("format"),
            _("Định dạng “%(found)s” không được hỗ trợ (cần “%(format)s”).")
            % {"found": data.get("format"), "format": FORMAT},
        )

    def items(value: Any, place: Where) -> list:
        if value is None:
            return []
        if isinstance(value, list):
            return value
        got.add(place, _("Cần một danh sách."))
        return []

    def mapping(value: Any, place: Where) -> dict:
        if isinstance(value, dict):
            return value
        if value is not None:
            got.add(place, _("Cần một đối tượng."))
        return {}

    criteria = []
    for ci, raw in enumerate(items(data.get("criteria"), where.set("criteria"))):
        c = mapping(raw, where.criterion(ci, ""))

        def cat(field: str, ci: int = ci) -> Where:
            return where.criterion(ci, field)

        indicators = []
        for ii, raw_indicator in enumerate(items(c.get("indicators"), cat("indicators"))):
            i = mapping(raw_indicator, where.indicator(ci, ii, ""))

            def at(field: str, ci: int = ci, ii: int = ii) -> Where:
                return where.indicator(ci, ii, field)

            value_type = got.read(
                at("value_type"), to_enum, i.get("value_type"), ValueType, ValueType.BOOLEAN, default=""
            )
            evidence = mapping(i.get("evidence"), at("evidence"))
            targets = {}
            for group, target in mapping(i.get("targets"), at("targets")).items():
                targets[nfc(str(group))] = got.read(at(f"targets.{group}"), to_target, target, default="")
            indicators.append(
                IndicatorSpec(
                    code=got.read(at("code"), to_code, i.get("code"), default=""),
                    name=got.read(at("name"), to_text, i.get("name"), default=""),
                    value_type=value_type,
                    comparison=got.read(at("comparison"), to_enum, i.get("comparison"), Comparison, Comparison.EQ),
                    target=got.read(at("target"), to_target, i.get("target"), default=""),
                    targets=targets,
                    choices=got.read(at("choices"), to_choices, i.get("choices"), default=()),
                    unit=got.read(at("unit"), to_text, i.get("unit"), default=""),
                    guidance=got.read(at("guidance"), to_text, i.get("guidance"), default=""),
                    assessed=got.read(at("assessed"), to_bool, i.get("assessed"), True, default=True),
                    evidence=EvidenceSpec(
                        description=got.read(
                            at("evidence_description"), to_text, evidence.get("description"), default=""
                        ),
                        required=got.read(
                            at("evidence_required"), to_bool, evidence.get("required"), False, default=False
                        ),
                        min_files=got.read(at("evidence_min_files"), to_int, evidence.get("min_files"), default=0) or 0,
                    ),
                    department=got.read(at("department"), to_code, i.get("department"), default=""),
                    points=got.read(at("points"), to_decimal, i.get("points")),
                    source_text=got.read(at("source_text"), to_text, i.get("source_text"), default=""),
                    verified=got.read(at("verified"), to_bool, i.get("verified"), False, default=False),
                )
            )
        number = got.read(cat("number"), to_int, c.get("number"))
        if c.get("number") is None:
            got.add(cat("number"), _("Thiếu số thứ tự tiêu chí."))
        criteria.append(
            CriterionSpec(
                number=number if number is not None else 0,
                name=got.read(cat("name"), to_text, c.get("name"), default=""),
                indicators=tuple(indicators),
                group=got.read(cat("group"), to_text, c.get("group"), default=""),
                department=got.read(cat("department"), to_code, c.get("department"), default=""),
                description=got.read(cat("description"), to_text, c.get("description"), default=""),
                rule=got.read(cat("rule"), to_enum, c.get("rule"), CriterionRule, CriterionRule.ALL),
                rule_min=got.read(cat("rule_min"), to_decimal, c.get("rule_min")),
            )
        )
    bands = []
    for bi, raw in enumerate(items(data.get("bands"), where.set("bands"))):
        b = mapping(raw, where.band(bi, ""))
        bands.append(
            ScoreBand(
                label=got.read(where.band(bi, "label"), to_text, b.get("label"), default=""),
                min_points=got.read(where.band(bi, "min_points"), to_decimal, b.get("min_points")),
                stars=got.read(where.band(bi, "stars"), to_int, b.get("stars")),
            )
        )

    def field(name: str, convert: Callable[..., Any], *args: Any, default: Any = None) -> Any:
        return got.read(where.set(name), convert, data.get(name), *args, default=default)

    preconditions = []
    for pi, raw in enumerate(items(data.get("preconditions"), where.set("preconditions"))):
        p = mapping(raw, where.set(f"preconditions[{pi}]"))

        def on(name: str, convert: Callable[..., Any], *args: Any, default: Any = None, pi: int = pi, p=p) -> Any:
            return got.read(where.set(f"preconditions[{pi}].{name}"), convert, p.get(name), *args, default=default)

        preconditions.append(
            PreconditionSpec(
                code=on("code", to_code, default=""),
                name=on("name", to_text, default=""),
                kind=on("kind", to_enum, PreconditionKind, PreconditionKind.CONFIRMATION, default=""),
                department=on("department", to_code, default=""),
                evidence=on("evidence", to_text, default=""),
                comparison=on("comparison", to_enum, Comparison, Comparison.GTE, default=""),
                threshold=on("threshold", to_decimal),
                unit=on("unit", to_text, default=""),
                source=on("source", to_enum, FigureSource, FigureSource.ENTERED, default=""),
                required_title=on("required_title", to_enum, TitleKind, "", default=""),
                legal_basis=on("legal_basis", to_text, default=""),
                verified=on("verified", to_bool, False, default=False),
            )
        )

    scoring_data = mapping(data.get("scoring"), where.set("scoring"))

    def scoring_field(name: str, convert: Callable[..., Any], *args: Any, default: Any = None) -> Any:
        return got.read(where.set(f"scoring.{name}"), convert, scoring_data.get(name), *args, default=default)

    spec = SetSpec(
        code=field("code", to_code, default=""),
        name=field("name", to_text, default=""),
        criteria=tuple(criteria),
        legal_basis=field("legal_basis", to_text, default=""),
        decision_number=field("decision_number", to_text, default=""),
        decision_date=field("decision_date", to_date),
        valid_from=field("valid_from", to_date),
        valid_to=field("valid_to", to_date),
        level=field("level", to_enum, SetLevel, SetLevel.COMMUNE, default=""),
        classification=field("classification", to_code, default=""),
        standard_rule=field("standard_rule", to_enum, StandardRule, StandardRule.ALL, default=""),
        standard_min=field("standard_min", to_decimal),
        bands=tuple(bands),
        is_illustrative=field("is_illustrative", to_bool, False, default=False),
        grants_title=field("grants_title", to_enum, TitleKind, "", default=""),
        preconditions=tuple(preconditions),
        scoring=read_scoring(scoring_field, lambda name: name in scoring_data),
    )
    problems = merge(
        got.problems,
        validate_spec(spec, known_departments=known_departments, known_groups=known_groups, locator=where),
    )
    return (None, problems) if problems else (spec, [])
