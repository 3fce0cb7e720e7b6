"""The research notes on the national criteria sets (YAML), converted to the importer's format.

The notes record every fact with its source URL and mark what was only recalled as
``source: memory (unverified)``. The converter produces an ``ntm-criteria-set/1`` document (what
:func:`~criteria_pages.transfer.spec_from_json` reads); it never builds a spec itself, so the
importer's validation applies. Rules:

* Only *sourced* targets are loaded: an indicator's ``targets`` when it is a mapping of real
  values (``chung`` is the common target, region codes are per-group targets). Values under
  ``target_memory_unverified`` are never read.
* Every indicator is ``verified=False``: the office checks it against the decision text and marks
  it verified. ``source_text`` carries the YAML source (a URL or "memory (unverified)") and notes.
* Indicators without a sourced target stay ``assessed=True`` with an empty target: they evaluate
  as "not applicable" until the office enters the official target, so they never make a unit
  pass or fail on a guessed value.
"""

import functools
from pathlib import Path
from typing import Any

import yaml

from cms.directory.text import nfc

from .spec import FORMAT, Comparison, CriterionRule, SetLevel, StandardRule, ValueType
from .vocabulary import parse_yes_no, yes_no_text

MEMORY = "memory (unverified)"

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
        flag = parse_yes_no(text, in_file=True)
        if flag is not None:
            return yes_no_text(flag)
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


def _indicator_2021_2025(code: str, item: dict) -> dict:
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
    return {
        "code": code,
        "name": name,
        "value_type": value_type,
        "comparison": comparison,
        "target": common,
        "targets": by_region,
        "choices": list(choices),
        "unit": unit,
        "guidance": _t(item.get("content_vi")),
        "assessed": True,
        "source_text": _source_text(item, "\n".join(extra)),
        "verified": False,
    }


def national_2021_2025(path: Path) -> dict:
    """The 2021-2025 notes at ``path`` as an ``ntm-criteria-set/1`` document.

    19 criteria with sourced names and groups (criteria 18 and 19 sit in group IV, as the Thái
    Nguyên source lists them; the notes leave this unresolved). Indicators as the notes list them;
    only sourced targets are filled, everything is ``verified=False``.
    """
    data = _load(path)
    groups = _groups_2021_2025(data)
    criteria = []
    for criterion in data["criteria"]:
        number = _criterion_number(criterion)
        items = criterion.get("indicators") or ()
        name_source = f"Nguồn tên tiêu chí: {_t(criterion.get('name_source'))}"
        criteria.append(
            {
                "number": number,
                "name": _t(criterion["name_vi"]),
                "group": groups.get(number, ""),
                "description": "\n".join(part for part in (_ministry_text(criterion), name_source) if part),
                "rule": CriterionRule.ALL,
                "indicators": [
                    _indicator_2021_2025(code, item)
                    for code, item in zip(_indicator_codes(criterion), items, strict=True)
                ],
            }
        )
    meta = data["set"]
    return {
        "format": FORMAT,
        "code": "XA_NTM_2021_2025",
        "name": _t(meta["name_vi"]),
        "legal_basis": _t(meta["legal_basis"]),
        "decision_number": "318/QĐ-TTg",
        "decision_date": "2022-03-08",
        "valid_from": "2022-03-08",
        "level": SetLevel.COMMUNE,
        "classification": "region",
        "standard_rule": StandardRule.ALL,
        "criteria": criteria,
    }


def national_2026_2030(path: Path) -> dict:
    """The 2026-2030 notes at ``path`` as an ``ntm-criteria-set/1`` document: 10 criteria, no indicators yet."""
    data = _load(path)
    meta = data["set"]
    missing = (
        "Chưa có danh mục chỉ tiêu: danh sách chỉ tiêu (47 chỉ tiêu của cả bộ) và mức theo 3 nhóm xã nằm ở "
        "Phụ lục I Quyết định 51/2025/QĐ-TTg, chưa được nhập. Văn phòng Điều phối cần bổ sung chỉ tiêu "
        "theo văn bản chính thức."
    )
    return {
        "format": FORMAT,
        "code": "XA_NTM_2026_2030",
        "name": _t(meta["name_vi"]),
        "legal_basis": _t(meta["legal_basis"]),
        "decision_number": "51/2025/QĐ-TTg",
        "decision_date": "2025-12-29",
        "valid_from": str(meta.get("effective_from") or "2026-02-15"),
        "level": SetLevel.COMMUNE,
        "classification": "commune_group",
        "standard_rule": StandardRule.ALL,
        "criteria": [
            {
                "number": _criterion_number(criterion),
                "name": _t(criterion["name_vi"]),
                "description": f"{missing}\nNguồn tên tiêu chí: {_t(data.get('criteria_source'))}",
                "rule": CriterionRule.ALL,
            }
            for criterion in data["criteria"]
        ],
    }
