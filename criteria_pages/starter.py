"""Starter criteria sets, built as :class:`~criteria_pages.spec.SetSpec` from the research notes.

The research YAML files (copied into ``criteria_pages/data/`` so the product does not depend on
the shared reference folder) record every fact with its source URL, and mark what was only
recalled as ``source: memory (unverified)``. Rules applied here:

* Only *sourced* targets are loaded: an indicator's ``targets`` when it is a mapping of real
  values (``chung`` is the common target, region codes are per-group targets). Values under
  ``target_memory_unverified`` are never read.
* Every indicator is ``verified=False``: the office checks it against the decision text and marks
  it verified. ``source_text`` carries the YAML source (a URL or "memory (unverified)") and notes.
* Indicators without a sourced target stay ``assessed=True`` with an empty target: they evaluate
  as "not applicable" until the office enters the official target, so they never make a unit
  pass or fail on a guessed value.

Three sets:

* :func:`national_2021_2025` — Decision 318/QĐ-TTg: 19 criteria in 5 groups, the indicators the
  notes list (55 of the official 57; codes written "17.x" in the notes get their position, e.g.
  "17.3"), targets by region (classification ``region``).
* :func:`national_2026_2030` — Decision 51/2025/QĐ-TTg: 10 criteria, targets by commune group
  (classification ``commune_group``); the 47 indicators were not retrieved, so none are listed.
* :func:`illustrative_demo_set` — a complete set with illustrative targets for the Đắk Lắk demo,
  flagged ``is_illustrative``; never an official set.
"""

import datetime
import functools
from pathlib import Path
from typing import Any

import yaml

from cms.directory.text import nfc

from .spec import (
    Comparison,
    CriterionRule,
    CriterionSpec,
    EvidenceSpec,
    IndicatorSpec,
    SetLevel,
    SetSpec,
    StandardRule,
    ValueType,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
FILE_2021_2025 = DATA_DIR / "xa_ntm_2021_2025.yaml"
FILE_2026_2030 = DATA_DIR / "xa_ntm_2026_2030.yaml"

MEMORY = "memory (unverified)"
ILLUSTRATIVE_SOURCE = "Mức minh họa cho bản demo, không phải mức chính thức"

#: YAML indicator ``type`` -> (value type, comparison, unit).
TYPE_MAP: dict[str, tuple[str, str, str]] = {
    "boolean": (ValueType.BOOLEAN, Comparison.EQ, ""),
    "percentage": (ValueType.PERCENTAGE, Comparison.GTE, "%"),
    "percentage_max": (ValueType.PERCENTAGE, Comparison.LTE, "%"),
    "amount_million_vnd_per_person_year": (ValueType.NUMBER, Comparison.GTE, "triệu đồng/người/năm"),
    "level": (ValueType.CHOICE, Comparison.GTE, ""),
    "number": (ValueType.NUMBER, Comparison.GTE, ""),
    "integer": (ValueType.INTEGER, Comparison.GTE, ""),
    "date": (ValueType.DATE, Comparison.GTE, ""),
    "text": (ValueType.TEXT, Comparison.EQ, ""),
}
#: Levels assumed for a YAML ``level`` indicator (universal education: mức độ 1-3), to be checked.
LEVEL_CHOICES = ("Mức độ 1", "Mức độ 2", "Mức độ 3")
#: Words a YAML target may use for "yes" / "no" on a Có/Không indicator.
_YES = {"có", "đạt", "yes", "true"}
_NO = {"không", "không đạt", "no", "false"}


@functools.lru_cache(maxsize=4)
def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _t(value: Any) -> str:
    return nfc(str(value)) if value is not None else ""


def _criterion_number(item: dict) -> int:
    """The criterion's ``no``: YAML 1.1 (PyYAML) reads the key ``no`` as the boolean False."""
    return int(item["no"] if "no" in item else item[False])


def _is_unknown(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower().startswith("unknown"))


def _target_text(value: Any, value_type: str) -> str:
    """A sourced YAML target in the product's notation ("100%" -> "100", "Đạt" -> "có")."""
    text = _t(value).strip()
    if value_type == ValueType.BOOLEAN:
        if text.lower() in _YES:
            return "có"
        if text.lower() in _NO:
            return "không"
    if value_type in (ValueType.PERCENTAGE, ValueType.NUMBER, ValueType.INTEGER):
        text = text.removesuffix("%").strip().replace(",", ".")
    return text


def _sourced_targets(item: dict, value_type: str) -> tuple[str, dict[str, str]]:
    """(common target, per-region targets) from ``targets`` only; never ``target_memory_unverified``."""
    targets = item.get("targets")
    if not isinstance(targets, dict):
        return "", {}
    common = ""
    by_group: dict[str, str] = {}
    for key, value in targets.items():
        if _is_unknown(value):
            continue
        if str(key).lower() == "chung":
            common = _target_text(value, value_type)
        else:
            by_group[str(key)] = _target_text(value, value_type)
    return common, by_group


def _source_text(item: dict, extra: str = "") -> str:
    lines = []
    source = _t(item.get("source")) or MEMORY
    lines.append(f"Nguồn: {source}")
    for key, label in (("content_source", "Nguồn nội dung"), ("note", "Ghi chú"), ("confidence", "Độ tin cậy")):
        if item.get(key):
            lines.append(f"{label}: {_t(item[key])}")
    if extra:
        lines.append(extra)
    lines.append("Chưa đối chiếu với văn bản quyết định.")
    return "\n".join(lines)


def _indicator_codes(criterion: dict) -> list[str]:
    """Codes of a criterion's indicators; a provisional "17.x" becomes its position ("17.3")."""
    codes = []
    for position, item in enumerate(criterion.get("indicators") or (), start=1):
        code = _t(item.get("code"))
        if code.endswith(".x"):
            code = f"{code[:-2]}.{position}"
        codes.append(code)
    return codes


def _groups_2021_2025(data: dict) -> dict[int, str]:
    groups: dict[int, str] = {}
    for group in data["set"]["groups"]:
        members = group.get("criteria")
        if isinstance(members, list):
            for number in members:
                groups[int(number)] = f"{group['code']}. {_t(group['name_vi'])}"
    return groups


def _ministry_text(criterion: dict) -> str:
    responsible = criterion.get("responsible") or {}
    parts = []
    if responsible.get("ministry") and not _is_unknown(responsible["ministry"]):
        text = f"Bộ, ngành hướng dẫn: {_t(responsible['ministry'])}"
        if _t(responsible.get("source")) == MEMORY:
            text += " (chưa kiểm chứng)"
        parts.append(text)
    if responsible.get("guidance"):
        parts.append(f"Văn bản hướng dẫn: {_t(responsible['guidance'])}")
    return "\n".join(parts)


def national_2021_2025() -> SetSpec:
    """The national commune NTM set 2021-2025 (Decision 318/QĐ-TTg), unverified where the notes are.

    19 criteria with sourced names and groups (criteria 18 and 19 sit in group IV, as the Thái
    Nguyên source lists them; the notes leave this unresolved). Indicators as the notes list them;
    only sourced targets are filled, everything is ``verified=False``.
    """
    data = _load(FILE_2021_2025)
    groups = _groups_2021_2025(data)
    criteria = []
    for criterion in data["criteria"]:
        number = _criterion_number(criterion)
        indicators = []
        for code, item in zip(_indicator_codes(criterion), criterion.get("indicators") or (), strict=True):
            raw_type = _t(item.get("type"))
            value_type, comparison, unit = TYPE_MAP.get(raw_type, TYPE_MAP["boolean"])
            extra = []
            if _t(item.get("code")).endswith(".x"):
                extra.append(f"Mã tạm theo thứ tự (ghi chú nghiên cứu ghi “{_t(item.get('code'))}”).")
            if raw_type not in TYPE_MAP:
                extra.append(f"Kiểu giá trị chưa rõ (“{raw_type}”), tạm để Có/Không.")
            choices: tuple[str, ...] = ()
            if value_type == ValueType.CHOICE:
                choices = LEVEL_CHOICES
                extra.append("Các mức lựa chọn là giả định, cần đối chiếu.")
            name = _t(item.get("name_vi"))
            if _is_unknown(name):
                name = f"Chỉ tiêu {code} (chưa xác định nội dung, cần đối chiếu Quyết định 318/QĐ-TTg)"
            common, by_region = _sourced_targets(item, value_type)
            indicators.append(
                IndicatorSpec(
                    code=code,
                    name=name,
                    value_type=value_type,
                    comparison=comparison,
                    target=common,
                    targets=by_region,
                    choices=choices,
                    unit=unit,
                    guidance=_t(item.get("content_vi")),
                    assessed=True,
                    source_text=_source_text(item, "\n".join(extra)),
                    verified=False,
                )
            )
        description = "\n".join(
            part
            for part in (_ministry_text(criterion), f"Nguồn tên tiêu chí: {_t(criterion.get('name_source'))}")
            if part
        )
        criteria.append(
            CriterionSpec(
                number=number,
                name=_t(criterion["name_vi"]),
                group=groups.get(number, ""),
                description=description,
                rule=CriterionRule.ALL,
                indicators=tuple(indicators),
            )
        )
    meta = data["set"]
    return SetSpec(
        code="XA_NTM_2021_2025",
        name=_t(meta["name_vi"]),
        legal_basis=_t(meta["legal_basis"]),
        decision_number="318/QĐ-TTg",
        decision_date=datetime.date(2022, 3, 8),
        valid_from=datetime.date(2022, 3, 8),
        level=SetLevel.COMMUNE,
        classification="region",
        standard_rule=StandardRule.ALL,
        criteria=tuple(criteria),
    )


def national_2026_2030() -> SetSpec:
    """The national commune NTM set 2026-2030 (Decision 51/2025/QĐ-TTg): 10 criteria, no indicators yet."""
    data = _load(FILE_2026_2030)
    meta = data["set"]
    missing = (
        "Chưa có danh mục chỉ tiêu: danh sách chỉ tiêu (47 chỉ tiêu của cả bộ) và mức theo 3 nhóm xã nằm ở "
        "Phụ lục I Quyết định 51/2025/QĐ-TTg, chưa được nhập. Văn phòng Điều phối cần bổ sung chỉ tiêu "
        "theo văn bản chính thức."
    )
    criteria = tuple(
        CriterionSpec(
            number=_criterion_number(criterion),
            name=_t(criterion["name_vi"]),
            description=f"{missing}\nNguồn tên tiêu chí: {_t(data.get('criteria_source'))}",
            rule=CriterionRule.ALL,
        )
        for criterion in data["criteria"]
    )
    return SetSpec(
        code="XA_NTM_2026_2030",
        name=_t(meta["name_vi"]),
        legal_basis=_t(meta["legal_basis"]),
        decision_number="51/2025/QĐ-TTg",
        decision_date=datetime.date(2025, 12, 29),
        valid_from=datetime.date.fromisoformat(str(meta.get("effective_from") or "2026-02-15")),
        level=SetLevel.COMMUNE,
        classification="commune_group",
        standard_rule=StandardRule.ALL,
        criteria=criteria,
    )


# --------------------------------------------------------------------------------------------
# The illustrative demo set

#: Criterion number -> the demo department that appraises it (codes of cms.directory.demo).
DEMO_DEPARTMENTS = {
    1: "so-xd",
    2: "so-xd",
    3: "so-nnmt",
    4: "so-ct",
    5: "so-gddt",
    6: "so-vhttdl",
    7: "so-ct",
    8: "so-khcn",
    9: "so-xd",
    10: "so-tc",
    11: "so-nnmt",
    12: "so-nv",
    13: "so-nnmt",
    14: "so-gddt",
    15: "so-yt",
    16: "so-vhttdl",
    17: "so-nnmt",
    18: "so-nv",
    19: "ca-tinh",
}

_B, _P, _N, _I, _C, _D = (
    ValueType.BOOLEAN,
    ValueType.PERCENTAGE,
    ValueType.NUMBER,
    ValueType.INTEGER,
    ValueType.CHOICE,
    ValueType.DATE,
)
_PERFORMANCE = (
    "Không hoàn thành nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành xuất sắc nhiệm vụ",
)

#: Illustrative indicators: code -> overrides of the 2021-2025 indicator of that code (or a new one).
#: Keys: type, target, tn (Tây Nguyên target), comparison, unit, name, guidance, choices,
#: evidence (description; makes one file required), department.
DEMO_INDICATORS: dict[int, list[dict[str, Any]]] = {
    1: [
        {
            "code": "1.1",
            "type": _B,
            "target": "có",
            "evidence": "Quyết định phê duyệt quy hoạch chung xây dựng xã",
        },
        {"code": "1.2", "type": _B, "target": "có"},
    ],
    2: [
        {"code": "2.1", "type": _P, "target": "100", "tn": "90", "evidence": "Báo cáo hiện trạng đường giao thông xã"},
        {"code": "2.2", "type": _P, "target": "80", "tn": "70"},
        {"code": "2.3", "type": _P, "target": "100"},
        {"code": "2.4", "type": _P, "target": "70", "tn": "60"},
    ],
    3: [
        {"code": "3.1", "type": _P, "target": "80", "tn": "75"},
        {"code": "3.2", "type": _B, "target": "có"},
    ],
    4: [
        {"code": "4.1", "type": _B, "target": "có"},
        {"code": "4.2", "type": _P, "target": "98", "tn": "95"},
    ],
    5: [{"code": "5", "type": _P, "target": "80", "tn": "70", "evidence": "Quyết định công nhận trường đạt chuẩn"}],
    6: [
        {"code": "6.1", "type": _B, "target": "có"},
        {"code": "6.2", "type": _B, "target": "có"},
        {"code": "6.3", "type": _P, "target": "100"},
    ],
    7: [
        {"code": "7.1", "from": "7", "type": _B, "target": "có"},
        {
            "code": "7.2",
            "type": _B,
            "target": "có",
            "name": "Chợ hoặc nơi mua bán, trao đổi hàng hóa bảo đảm an toàn thực phẩm và phòng cháy, chữa cháy",
        },
    ],
    8: [
        {
            "code": "8.1",
            "type": _I,
            "target": "1",
            "unit": "điểm",
            "guidance": "Nhập số điểm phục vụ bưu chính đang hoạt động trên địa bàn xã.",
        },
        {"code": "8.2", "type": _B, "target": "có"},
        {"code": "8.3", "type": _B, "target": "có"},
        {"code": "8.4", "type": _B, "target": "có"},
    ],
    9: [
        {
            "code": "9.1",
            "type": _B,
            "target": "không",
            "guidance": "Chọn “Không” nếu trên địa bàn không còn nhà tạm, dột nát.",
        },
        {"code": "9.2", "type": _P, "target": "80", "tn": "75"},
    ],
    10: [
        {
            "code": "10",
            "type": _N,
            "target": "50",
            "tn": "46",
            "evidence": "Báo cáo điều tra thu nhập bình quân đầu người của xã",
        }
    ],
    11: [{"code": "11", "type": _P, "comparison": Comparison.LTE, "target": "6", "tn": "13"}],
    12: [
        {"code": "12.1", "type": _P, "target": "70", "tn": "65"},
        {"code": "12.2", "type": _P, "target": "25", "tn": "20"},
    ],
    13: [
        {
            "code": "13.1",
            "type": _I,
            "target": "1",
            "unit": "hợp tác xã",
            "guidance": "Nhập số hợp tác xã hoạt động hiệu quả, đúng Luật Hợp tác xã.",
        },
        {"code": "13.2", "type": _B, "target": "có"},
        {"code": "13.3", "type": _B, "target": "có"},
        {"code": "13.4", "type": _B, "target": "có"},
        {"code": "13.5", "type": _B, "target": "có"},
    ],
    14: [
        {"code": "14.1", "type": _C, "choices": ("Mức độ 1", "Mức độ 2", "Mức độ 3"), "target": "Mức độ 2"},
        {"code": "14.2", "type": _P, "target": "85", "tn": "75"},
        {
            "code": "14.3",
            "type": _B,
            "target": "có",
            "name": "Trung tâm học tập cộng đồng của xã hoạt động hiệu quả",
        },
    ],
    15: [
        {"code": "15.1", "type": _P, "target": "90", "tn": "85"},
        {
            "code": "15.2",
            "type": _B,
            "target": "có",
            "evidence": "Quyết định công nhận xã đạt tiêu chí quốc gia về y tế",
        },
        {"code": "15.3", "type": _P, "comparison": Comparison.LTE, "target": "24", "tn": "30"},
        {"code": "15.4", "type": _P, "target": "50"},
    ],
    16: [
        {"code": "16.1", "from": "16", "type": _P, "target": "70", "tn": "60"},
        {
            "code": "16.2",
            "type": _P,
            "target": "80",
            "name": "Tỷ lệ hộ gia đình được công nhận danh hiệu “Gia đình văn hóa”",
        },
    ],
    17: [
        {"code": "17.1", "type": _P, "target": "95", "tn": "90"},
        {"code": "17.2", "type": _P, "target": "100"},
        {"code": "17.3", "type": _B, "target": "có"},
        {"code": "17.4", "type": _B, "target": "có", "department": "so-xd"},
        {"code": "17.5", "type": _B, "target": "có"},
        {"code": "17.6", "type": _P, "target": "70", "tn": "60"},
        {"code": "17.7", "type": _P, "target": "60", "tn": "50"},
        {
            "code": "17.8",
            "type": _P,
            "target": "100",
            "department": "so-yt",
            "evidence": "Danh sách cơ sở sản xuất, kinh doanh thực phẩm được kiểm tra",
        },
        {"code": "17.9", "type": _P, "target": "30", "tn": "20"},
        {"code": "17.10", "type": _P, "target": "100"},
    ],
    18: [
        {"code": "18.1", "type": _B, "target": "có"},
        {"code": "18.2", "type": _C, "choices": _PERFORMANCE, "target": "Hoàn thành tốt nhiệm vụ"},
        {"code": "18.3", "type": _C, "choices": _PERFORMANCE, "target": "Hoàn thành tốt nhiệm vụ"},
        {
            "code": "18.4",
            "type": _D,
            "comparison": Comparison.GTE,
            "target": "2022-01-01",
            "department": "so-tp",
            "guidance": "Nhập ngày của quyết định công nhận xã đạt chuẩn tiếp cận pháp luật (từ năm 2022).",
            "evidence": "Quyết định công nhận xã đạt chuẩn tiếp cận pháp luật",
        },
        {"code": "18.5", "type": _B, "target": "có"},
    ],
    19: [
        {"code": "19.1", "type": _B, "target": "có", "department": "bchqs-tinh"},
        {"code": "19.2", "type": _B, "target": "có", "evidence": "Xác nhận của Công an xã"},
    ],
}


def illustrative_demo_set() -> SetSpec:
    """A complete illustrative set for the Đắk Lắk demo: 19 criteria, 57 indicators, every target filled.

    Names come from the 2021-2025 set (three indicators are added so single-indicator criteria
    7 and 16 show two, and the unnamed 14.3 gets a plausible name). Targets are illustrative, with
    a Tây Nguyên (TN) target on some indicators; value types are mixed (boolean, percentage, number,
    integer, choice, date) and some indicators require one evidence file. Departments are the demo
    department codes. Flagged ``is_illustrative`` and named "[Minh họa] …" everywhere.
    """
    national = national_2021_2025()
    names = {indicator.code: indicator.name for _c, indicator in national.indicators()}
    units = {indicator.code: indicator.unit for _c, indicator in national.indicators()}
    criteria = []
    for criterion in national.criteria:
        department = DEMO_DEPARTMENTS[criterion.number]
        indicators = []
        for row in DEMO_INDICATORS[criterion.number]:
            value_type = row["type"]
            default_comparison = {_B: Comparison.EQ, _C: Comparison.GTE}.get(value_type, Comparison.GTE)
            source_code = row.get("from", row["code"])
            name = row.get("name") or names.get(source_code, "")
            evidence = row.get("evidence", "")
            indicators.append(
                IndicatorSpec(
                    code=row["code"],
                    name=name,
                    value_type=value_type,
                    comparison=row.get("comparison", default_comparison),
                    target=row["target"],
                    targets={"TN": row["tn"]} if "tn" in row else {},
                    choices=tuple(row.get("choices", ())),
                    unit=row.get("unit") or units.get(source_code, "")
                    if value_type in (_P, _N)
                    else row.get("unit", ""),
                    guidance=row.get("guidance", ""),
                    assessed=True,
                    evidence=EvidenceSpec(
                        description=evidence, required=bool(evidence), min_files=1 if evidence else 0
                    ),
                    department=row.get("department", ""),
                    source_text=ILLUSTRATIVE_SOURCE,
                    verified=False,
                )
            )
        criteria.append(
            CriterionSpec(
                number=criterion.number,
                name=criterion.name,
                group=criterion.group,
                department=department,
                description=f"Tiêu chí {criterion.number} của bộ minh họa (minh họa).",
                rule=CriterionRule.ALL,
                indicators=tuple(indicators),
            )
        )
    return SetSpec(
        code="DEMO_XA_NTM_MINH_HOA",
        name="[Minh họa] Bộ tiêu chí xã nông thôn mới tỉnh Đắk Lắk",
        legal_basis=(
            "(minh họa) Bộ tiêu chí minh họa cho bản demo tỉnh Đắk Lắk, dựng theo cấu trúc Quyết định "
            "318/QĐ-TTg; các mức là mức minh họa, không phải mức chính thức."
        ),
        decision_number="",
        valid_from=datetime.date(2022, 3, 8),
        level=SetLevel.COMMUNE,
        classification="region",
        standard_rule=StandardRule.ALL,
        is_illustrative=True,
        criteria=tuple(criteria),
    )


def starter_specs() -> list[SetSpec]:
    """The three starter sets: national 2021-2025, national 2026-2030 and the illustrative demo set."""
    return [national_2021_2025(), national_2026_2030(), illustrative_demo_set()]
