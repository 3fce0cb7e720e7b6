"""The plain-data description of a criteria set: the contract between the Wagtail pages, frozen
versions, the evaluation function, import/export and every later part of the product.

A :class:`SetSpec` is built from the live pages when a set is published, stored as JSON in an
immutable :class:`~criteria_pages.models.CriteriaSetVersion`, exported and imported as JSON or
XLSX, and evaluated by :mod:`criteria_pages.evaluation`. It never touches the database.
"""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

FORMAT = "ntm-criteria-set/1"

#: A per-group target with this text means "this indicator does not apply to units of that group".
NOT_APPLICABLE = "n/a"


class ValueType(models.TextChoices):
    BOOLEAN = "boolean", _("Có/Không")
    NUMBER = "number", _("Số")
    PERCENTAGE = "percentage", _("Tỷ lệ (%)")
    INTEGER = "integer", _("Số nguyên")
    CHOICE = "choice", _("Chọn một mức")
    TEXT = "text", _("Văn bản")
    DATE = "date", _("Ngày")
    SCORE = "score", _("Điểm chấm (0 đến điểm tối đa)")


class Comparison(models.TextChoices):
    GTE = "gte", "≥"
    LTE = "lte", "≤"
    EQ = "eq", "="
    IN = "in", _("là một trong")


class CriterionRule(models.TextChoices):
    ALL = "all", _("Đạt tất cả chỉ tiêu")
    AT_LEAST = "at_least", _("Đạt ít nhất k chỉ tiêu")
    POINTS = "points", _("Tổng điểm các chỉ tiêu đạt")


class StandardRule(models.TextChoices):
    ALL = "all", _("Đạt tất cả tiêu chí")
    AT_LEAST = "at_least", _("Đạt ít nhất N tiêu chí")
    SCORE = "score", _("Tổng điểm đạt ngưỡng (xếp hạng theo khung điểm)")


class SetLevel(models.TextChoices):
    COMMUNE = "commune", _("Xã")
    DISTRICT = "district", _("Huyện")
    VILLAGE = "village", _("Thôn")
    PRODUCT = "product", _("Sản phẩm")


class TitleKind(models.TextChoices):
    """The titles a locality is recognised with (Decision 18/2022/QĐ-TTg as amended by 03/2024/QĐ-TTg); a set
    names the one its recognition grants, and a precondition can require one already held."""

    XA_NTM = "xa_ntm", _("Xã đạt chuẩn nông thôn mới")
    XA_NTM_NANG_CAO = "xa_ntm_nang_cao", _("Xã đạt chuẩn nông thôn mới nâng cao")
    XA_NTM_KIEU_MAU = "xa_ntm_kieu_mau", _("Xã nông thôn mới kiểu mẫu")
    HUYEN_NTM = "huyen_ntm", _("Huyện đạt chuẩn nông thôn mới")
    HUYEN_NTM_NANG_CAO = "huyen_ntm_nang_cao", _("Huyện đạt chuẩn nông thôn mới nâng cao")


class PreconditionKind(models.TextChoices):
    """What a recognition precondition asks for, outside the criteria score."""

    CONFIRMATION = "confirmation", _("Xác nhận Có/Không của sở, ngành, kèm minh chứng")
    FIGURE = "figure", _("Số liệu so với ngưỡng")
    TITLE = "title", _("Đang giữ danh hiệu")


class FigureSource(models.TextChoices):
    """Where a figure precondition's value comes from."""

    ENTERED = "entered", _("Nhập và xác nhận bởi sở, ngành")
    SATISFACTION = "satisfaction", _("Tỷ lệ hài lòng của người dân (khảo sát)")


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class EvidenceSpec:
    description: str = ""
    required: bool = False
    min_files: int = 0


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    value_type: str = ValueType.BOOLEAN
    comparison: str = Comparison.EQ
    target: str = ""  # the common target; "" when only per-group targets exist
    targets: dict[str, str] = field(default_factory=dict)  # classification value code -> target
    choices: tuple[str, ...] = ()  # for CHOICE: the levels, lowest first
    unit: str = ""
    guidance: str = ""
    assessed: bool = True  # False: informative only, never counted
    evidence: EvidenceSpec = field(default_factory=EvidenceSpec)
    department: str = ""  # department code overriding the criterion's
    points: Decimal | None = None
    source_text: str = ""
    verified: bool = False

    def target_for(self, group: str | None) -> str:
        """The target that applies to a unit of classification value ``group`` ("" if none)."""
        if group and group in self.targets:
            return self.targets[group]
        return self.target


@dataclass(frozen=True)
class CriterionSpec:
    number: int
    name: str
    indicators: tuple[IndicatorSpec, ...] = ()
    group: str = ""
    department: str = ""  # department code
    description: str = ""
    rule: str = CriterionRule.ALL
    rule_min: Decimal | None = None  # k indicators (AT_LEAST) or minimum points (POINTS)


@dataclass(frozen=True)
class ScoreBand:
    label: str
    min_points: Decimal
    stars: int | None = None  # OCOP: the stars a score in this band proposes


class ScoreAverage(models.TextChoices):
    """How a council's score comes from its members' totals."""

    MEAN = "mean", _("Trung bình cộng điểm của các thành viên")
    TRIMMED_MEAN = "trimmed_mean", _("Trung bình sau khi bỏ điểm cao nhất và thấp nhất (từ 5 thành viên)")


class ScoreRounding(models.TextChoices):
    HALF_UP = "half_up", _("Làm tròn lên từ 5 (0,005 → 0,01)")
    HALF_EVEN = "half_even", _("Làm tròn về số chẵn gần nhất")
    DOWN = "down", _("Bỏ phần lẻ")


@dataclass(frozen=True)
class ScoringRule:
    """How a council's score and stars are reached (OCOP), frozen with the bands they apply to, so a score on a
    band's edge is never ambiguous: the mean of the members' exact totals, rounded once to ``decimals``, then
    the highest band whose minimum it reaches."""

    average: str = ScoreAverage.MEAN
    decimals: int = 2
    rounding: str = ScoreRounding.HALF_UP
    gap: Decimal = Decimal(10)  # members' totals further apart than this are flagged for discussion
    certificate_months: int = 36
    reminder_days: int = 90  # remind the producer and the office this many days before a certificate ends
    min_recognised_stars: int = 3
    national_stars: int = 5  # from this many stars the product is proposed for national recognition
    bands_verified: bool = False
    bands_source: str = ""


@dataclass(frozen=True)
class PreconditionSpec:
    """A condition recognition needs besides the criteria (no construction debt, residents' satisfaction, the
    security-and-order standard, holding the previous title), frozen with the set's version."""

    code: str  # "DK1", unique in the set
    name: str
    kind: str = PreconditionKind.CONFIRMATION
    department: str = ""  # department code of the one who confirms (CONFIRMATION, FIGURE entered)
    evidence: str = ""  # the evidence asked for
    comparison: str = Comparison.GTE  # FIGURE: the value against the threshold
    threshold: Decimal | None = None  # FIGURE
    unit: str = ""  # FIGURE, e.g. "%"
    source: str = FigureSource.ENTERED  # FIGURE
    required_title: str = ""  # TITLE: the TitleKind the unit must hold
    legal_basis: str = ""
    verified: bool = False  # checked against the decision's text


@dataclass(frozen=True)
class SetSpec:
    code: str
    name: str
    criteria: tuple[CriterionSpec, ...] = ()
    legal_basis: str = ""
    decision_number: str = ""
    decision_date: datetime.date | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    level: str = SetLevel.COMMUNE
    classification: str = ""  # code of the directory classification its targets depend on
    standard_rule: str = StandardRule.ALL
    standard_min: Decimal | None = None  # N criteria (AT_LEAST) or the score threshold (SCORE)
    bands: tuple[ScoreBand, ...] = ()  # highest first
    is_illustrative: bool = False
    grants_title: str = ""  # the TitleKind recognition under this set grants ("" for none)
    preconditions: tuple[PreconditionSpec, ...] = ()
    scoring: ScoringRule | None = None  # OCOP (level PRODUCT): the council's scoring rule

    def indicators(self):
        for criterion in self.criteria:
            yield from ((criterion, indicator) for indicator in criterion.indicators)

    def to_dict(self) -> dict:
        """JSON-safe: dates as ISO strings, decimals as strings."""
        data = _jsonable(asdict(self))
        for band in data["bands"]:
            if band["stars"] is None:
                del band["stars"]
        for key in _OPTIONAL_KEYS:  # absent when unused: versions frozen before they existed keep their checksum
            if not data[key]:
                del data[key]
        return {"format": FORMAT, **data}

    @classmethod
    def from_dict(cls, data: dict) -> "SetSpec":
        return cls(
            code=data["code"],
            name=data["name"],
            legal_basis=data.get("legal_basis", ""),
            decision_number=data.get("decision_number", ""),
            decision_date=_date(data.get("decision_date")),
            valid_from=_date(data.get("valid_from")),
            valid_to=_date(data.get("valid_to")),
            level=data.get("level", SetLevel.COMMUNE),
            classification=data.get("classification", ""),
            standard_rule=data.get("standard_rule", StandardRule.ALL),
            standard_min=_decimal(data.get("standard_min")),
            bands=tuple(
                ScoreBand(b["label"], _decimal(b["min_points"]), _int(b.get("stars"))) for b in data.get("bands", ())
            ),
            is_illustrative=bool(data.get("is_illustrative", False)),
            grants_title=data.get("grants_title", "") or "",
            preconditions=tuple(_precondition(p) for p in data.get("preconditions", ())),
            scoring=_scoring(data["scoring"]) if data.get("scoring") else None,
            criteria=tuple(
                CriterionSpec(
                    number=int(c["number"]),
                    name=c["name"],
                    group=c.get("group", ""),
                    department=c.get("department", ""),
                    description=c.get("description", ""),
                    rule=c.get("rule", CriterionRule.ALL),
                    rule_min=_decimal(c.get("rule_min")),
                    indicators=tuple(_indicator(i) for i in c.get("indicators", ())),
                )
                for c in data.get("criteria", ())
            ),
        )


def criteria_without_indicators(spec: SetSpec) -> list[CriterionSpec]:
    """The criteria of ``spec`` that list no indicator: a version holding them cannot be evaluated, so a round
    may not open on it (the 2026–2030 national starter set has them until an office enters the annex)."""
    return [criterion for criterion in spec.criteria if not criterion.indicators]


#: SetSpec keys written only when set.
_OPTIONAL_KEYS = ("grants_title", "preconditions", "scoring")


def _int(value) -> int | None:
    return None if value in (None, "") else int(value)


def _scoring(data: dict) -> ScoringRule:
    default = ScoringRule()
    return ScoringRule(
        average=data.get("average", default.average),
        decimals=int(data.get("decimals", default.decimals)),
        rounding=data.get("rounding", default.rounding),
        gap=_decimal(data.get("gap", default.gap)),
        certificate_months=int(data.get("certificate_months", default.certificate_months)),
        reminder_days=int(data.get("reminder_days", default.reminder_days)),
        min_recognised_stars=int(data.get("min_recognised_stars", default.min_recognised_stars)),
        national_stars=int(data.get("national_stars", default.national_stars)),
        bands_verified=bool(data.get("bands_verified", False)),
        bands_source=data.get("bands_source", "") or "",
    )


def _precondition(data: dict) -> PreconditionSpec:
    return PreconditionSpec(
        code=str(data["code"]),
        name=data["name"],
        kind=data.get("kind", PreconditionKind.CONFIRMATION),
        department=data.get("department", "") or "",
        evidence=data.get("evidence", "") or "",
        comparison=data.get("comparison", Comparison.GTE),
        threshold=_decimal(data.get("threshold")),
        unit=data.get("unit", "") or "",
        source=data.get("source", FigureSource.ENTERED),
        required_title=data.get("required_title", "") or "",
        legal_basis=data.get("legal_basis", "") or "",
        verified=bool(data.get("verified", False)),
    )


def _indicator(data: dict) -> IndicatorSpec:
    evidence = data.get("evidence") or {}
    return IndicatorSpec(
        code=str(data["code"]),
        name=data["name"],
        value_type=data.get("value_type", ValueType.BOOLEAN),
        comparison=data.get("comparison", Comparison.EQ),
        target=str(data.get("target", "") or ""),
        targets={str(k): str(v) for k, v in (data.get("targets") or {}).items()},
        choices=tuple(data.get("choices", ())),
        unit=data.get("unit", ""),
        guidance=data.get("guidance", ""),
        assessed=bool(data.get("assessed", True)),
        evidence=EvidenceSpec(
            description=evidence.get("description", ""),
            required=bool(evidence.get("required", False)),
            min_files=int(evidence.get("min_files", 0) or 0),
        ),
        department=data.get("department", ""),
        points=_decimal(data.get("points")),
        source_text=data.get("source_text", ""),
        verified=bool(data.get("verified", False)),
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value.normalize())
    return value
