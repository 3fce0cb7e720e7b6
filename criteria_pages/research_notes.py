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
* Criteria whose indicators the notes do not list stay without indicators ("pending the annex"):
  a version holding them cannot open a round until the office enters them.
* Every set names the title its recognition grants and carries the recognition preconditions of
  Decision 18/2022/QĐ-TTg as amended by 03/2024/QĐ-TTg (:func:`recognition_preconditions`), all
  ``verified=False``: the reference quotes the decision through a secondary source only.
"""

import functools
import re
from pathlib import Path
from typing import Any

from django.utils import translation

import yaml

from cms.directory.text import nfc

from .spec import (
    FORMAT,
    Comparison,
    CriterionRule,
    FigureSource,
    PreconditionKind,
    SetLevel,
    StandardRule,
    TitleKind,
    ValueType,
)
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
#: An indicator code the notes could not give: "17.x", "4.x (code unknown)".
PROVISIONAL_CODE = re.compile(r"^(\d+)\.x\b")
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
        text = text.removeprefix(">=").removeprefix("≥").strip().removesuffix("%").strip().replace(",", ".")
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
    """Codes of a criterion's indicators; a provisional "17.x" (or "4.x (code unknown)") becomes its position
    ("17.3")."""
    codes = []
    for position, item in enumerate(_listed(criterion.get("indicators")), start=1):
        code = _t(item.get("code"))
        provisional = PROVISIONAL_CODE.match(code)
        if provisional:
            code = f"{provisional.group(1)}.{position}"
        codes.append(code)
    return codes


def _listed(value: Any) -> list:
    """The notes write "unknown" where a list is not known."""
    return value if isinstance(value, list) else []


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
    if PROVISIONAL_CODE.match(_t(item.get("code"))):
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
        "grants_title": TitleKind.XA_NTM,
        "preconditions": recognition_preconditions(),
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
        "grants_title": TitleKind.XA_NTM,
        "preconditions": recognition_preconditions(note=SUCCESSOR_NOTE),
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


# --- recognition preconditions (Decision 18/2022/QĐ-TTg as amended by 03/2024/QĐ-TTg) ---------------------

#: Where the notes found the conditions (RESEARCH-2026-11-30.md §2.2: a legal Q&A quoting the decision).
RECOGNITION_BASIS = (
    "Khoản 1 Điều 4 Quyết định 18/2022/QĐ-TTg, sửa đổi bởi điểm a khoản 1 Điều 1 Quyết định 03/2024/QĐ-TTg "
    "(theo nguồn thứ cấp trích dẫn quyết định; chưa đối chiếu văn bản)."
)
#: The decision's rule for the satisfaction rate is not in the notes: this threshold is a placeholder to replace.
SATISFACTION_PLACEHOLDER = 90
#: Department codes of the directory that confirm (the notes do not say who confirms the debt: an assumption).
DEBT_DEPARTMENT = "so-tc"
SECURITY_DEPARTMENT = "ca-tinh"
#: The conditions as the notes state them for communes; for districts the notes have no text of their own.
DISTRICT_NOTE = " Điều kiện quy định cho xã, áp dụng tạm cho huyện: chưa tìm thấy quy định riêng cho huyện."
#: For 2026-2030 the notes found no rule replacing Decision 18/2022 (RESEARCH-2026-11-30.md §2.2, §5.3).
SUCCESSOR_NOTE = " Áp dụng tạm cho giai đoạn 2026-2030: chưa tìm thấy quy định thay thế."


def _title_name(kind: str) -> str:
    """The title's Vietnamese name, whatever language is active: this is data written into a set."""
    with translation.override("vi"):
        return str(TitleKind(kind).label)


def recognition_preconditions(*, required_title: str = "", district: bool = False, note: str = "") -> list[dict]:
    """The recognition preconditions of a set (``ntm-criteria-set/1`` rows), every one unverified.

    ``required_title``: the title the unit must already hold (nâng cao needs NTM, kiểu mẫu needs nâng cao,
    huyện nâng cao needs huyện NTM), first as DK1. Then no outstanding construction debt (confirmed; by the
    finance department, an assumption), residents' satisfaction (from the survey, against a placeholder
    threshold), and the security-and-order standard (confirmed by the provincial police).
    """
    basis = RECOGNITION_BASIS + (DISTRICT_NOTE if district else "") + note
    rows = []
    if required_title:
        rows.append(
            {
                "name": f"Đang giữ danh hiệu “{_title_name(required_title)}”",
                "kind": PreconditionKind.TITLE,
                "required_title": required_title,
            }
        )
    locality = "huyện" if district else "xã"
    rows += [
        {
            "name": (
                "Không có nợ đọng xây dựng cơ bản thuộc Chương trình MTQG xây dựng nông thôn mới trên địa bàn "
                + locality
            ),
            "kind": PreconditionKind.CONFIRMATION,
            "department": DEBT_DEPARTMENT,
            "evidence": "Văn bản xác nhận không có nợ đọng xây dựng cơ bản (sở xác nhận là giả định, cần đối chiếu)",
        },
        {
            "name": (
                f"Tỷ lệ người dân hài lòng với kết quả xây dựng nông thôn mới của {locality} đáp ứng yêu cầu theo "
                f"quy định (ngưỡng {SATISFACTION_PLACEHOLDER}% là mức tạm, chưa có trong tài liệu: cần thay bằng "
                "mức theo quy định)"
            ),
            "kind": PreconditionKind.FIGURE,
            "source": FigureSource.SATISFACTION,
            "comparison": Comparison.GTE,
            "threshold": str(SATISFACTION_PLACEHOLDER),
            "unit": "%",
        },
        {
            "name": (
                f"{locality.capitalize()} đạt tiêu chuẩn “An toàn về an ninh, trật tự” theo quy định của Bộ Công an"
            ),
            "kind": PreconditionKind.CONFIRMATION,
            "department": SECURITY_DEPARTMENT,
            "evidence": "Quyết định hoặc văn bản công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự”",
        },
    ]
    return [
        {"code": f"DK{number}", "legal_basis": basis, "verified": False, **row}
        for number, row in enumerate(rows, start=1)
    ]


def _pending_annex(annex: str) -> str:
    return (
        f"Chưa có danh mục chỉ tiêu: ghi chú nghiên cứu không liệt kê chỉ tiêu của tiêu chí này ({annex}). "
        "Văn phòng Điều phối cần bổ sung chỉ tiêu theo văn bản chính thức; phiên bản còn tiêu chí chưa có chỉ "
        "tiêu thì chưa mở được đợt đánh giá."
    )


def _names_2021_2025(path: Path) -> dict[int, str]:
    return {_criterion_number(criterion): _t(criterion["name_vi"]) for criterion in _load(path)["criteria"]}


def national_nang_cao_2021_2025(path: Path, commune_set_path: Path) -> dict:
    """The notes on the advanced commune set (xã NTM nâng cao, Decision 318/QĐ-TTg) as a document.

    19 criteria named as the commune NTM set (the notes: "same 19 names", recalled, unverified) in its groups;
    only criterion 4 (Điện) lists an indicator, with its sourced targets by region (Decision 1327/QĐ-BCT); the
    other criteria wait for the annex (75 indicators). Grants ``xa_ntm_nang_cao``; needs ``xa_ntm`` held.
    """
    data = _load(path)
    meta = data["set"]
    known = {}
    for criterion in data["criteria"]:
        number = _t(criterion.get("no") if "no" in criterion else criterion.get(False))
        if number.isdigit():
            known[int(number)] = criterion
    groups = _groups_2021_2025(_load(commune_set_path))
    annex = "Phụ lục II Quyết định 318/QĐ-TTg, 75 chỉ tiêu theo nguồn thứ cấp"
    criteria = []
    for number, name in _names_2021_2025(commune_set_path).items():
        criterion = known.get(number, {})
        items = _listed(criterion.get("indicators"))
        description = [
            "Tên tiêu chí lấy theo bộ xã nông thôn mới 2021-2025 (ghi chú nghiên cứu: “cùng 19 tên”, chưa kiểm chứng)."
        ]
        if criterion:
            description.append(_ministry_text(criterion))
        if criterion.get("note"):
            description.append(f"Ghi chú: {_t(criterion['note'])}")
        if not items:
            description.append(_pending_annex(annex))
        criteria.append(
            {
                "number": number,
                "name": name,
                "group": groups.get(number, ""),
                "description": "\n".join(part for part in description if part),
                "rule": CriterionRule.ALL,
                "indicators": [
                    _indicator_2021_2025(code, item)
                    for code, item in zip(_indicator_codes(criterion), items, strict=True)
                ],
            }
        )
    return {
        "format": FORMAT,
        "code": _t(meta["code"]),
        "name": _t(meta["name_vi"]),
        "legal_basis": "Quyết định 318/QĐ-TTg ngày 08/3/2022 (Phụ lục II, số phụ lục chưa kiểm chứng)",
        "decision_number": "318/QĐ-TTg",
        "decision_date": "2022-03-08",
        "valid_from": "2022-03-08",
        "level": SetLevel.COMMUNE,
        "classification": "region",
        "standard_rule": StandardRule.ALL,
        "grants_title": TitleKind.XA_NTM_NANG_CAO,
        "preconditions": recognition_preconditions(required_title=TitleKind.XA_NTM),
        "criteria": criteria,
    }


#: How each kiểu mẫu condition (notes ``type``) is entered: value type, comparison, target, unit, guidance.
KIEU_MAU_ENTRY: dict[str, tuple[str, str, str, str, str]] = {
    "ratio_vs_reference": (
        ValueType.NUMBER,  # a percentage above 100: the product's percentages stop at 100
        Comparison.GTE,
        "110",
        "% mức thu nhập xã NTM nâng cao",
        "Thu nhập bình quân đầu người của xã tính bằng % so với mức quy định đối với xã nông thôn mới nâng cao "
        "cùng vùng, tại cùng thời điểm (cao hơn từ 10% trở lên: từ 110%).",
    ),
    "count": (ValueType.INTEGER, Comparison.GTE, "1", "", ""),
}


def national_kieu_mau_2021_2025(path: Path) -> dict:
    """The notes on the model commune rules (xã NTM kiểu mẫu, Decision 319/QĐ-TTg) as a document.

    Four conditions, all sourced: condition 1 (holding the nâng cao title) is the precondition DK1 of kind
    ``title``; conditions 2-4 are criteria numbered as in the decision, one indicator each with the sourced
    target (income at least 110 % of the nâng cao level; at least one smart village; at least one outstanding
    field, the last two defined by the province). Grants ``xa_ntm_kieu_mau``.
    """
    data = _load(path)
    meta = data["set"]
    criteria = []
    for condition in data["conditions"]:
        number = _criterion_number(condition)
        raw_type = _t(condition.get("type"))
        if raw_type not in KIEU_MAU_ENTRY:
            continue  # condition 1: a held title, not a value (see the preconditions)
        value_type, comparison, target, unit, guidance = KIEU_MAU_ENTRY[raw_type]
        name = _t(condition["name_vi"])
        fields = condition.get("fields_vi")
        if fields:
            guidance = "Lĩnh vực, ví dụ: " + ", ".join(_t(item) for item in fields)
        criteria.append(
            {
                "number": number,
                "name": name[:255],
                "description": (
                    f"Điều kiện {number} của Quy định xã nông thôn mới kiểu mẫu (Quyết định 319/QĐ-TTg). "
                    f"Mức đạt theo nguồn: {_t(condition.get('target'))}."
                ),
                "rule": CriterionRule.ALL,
                "indicators": [
                    {
                        "code": f"{number}.1",
                        "name": name,
                        "value_type": value_type,
                        "comparison": comparison,
                        "target": target,
                        "unit": unit,
                        "guidance": guidance,
                        "assessed": True,
                        "source_text": _source_text(condition),
                        "verified": False,
                    }
                ],
            }
        )
    return {
        "format": FORMAT,
        "code": _t(meta["code"]),
        "name": _t(meta["name_vi"]),
        "legal_basis": _t(meta["legal_basis"]),
        "decision_number": "319/QĐ-TTg",
        "decision_date": "2022-03-08",
        "valid_from": "2022-03-08",
        "level": SetLevel.COMMUNE,
        "standard_rule": StandardRule.ALL,
        "grants_title": TitleKind.XA_NTM_KIEU_MAU,
        "preconditions": recognition_preconditions(required_title=TitleKind.XA_NTM_NANG_CAO),
        "criteria": criteria,
    }


def _district_indicator(code: str, item: dict) -> dict:
    """A district indicator: a sourced pass rule of "100%" or a yes/no rule is its target; unknown ones empty."""
    raw_type = _t(item.get("type"))
    value_type, comparison, unit = TYPE_MAP.get(raw_type, TYPE_MAP["boolean"])
    name = _t(item.get("name_vi"))
    known = not _is_unknown(name)
    rules = [_t(rule) for rule in item.get("pass_rule_vi") or ()]
    target = ""
    if known and rules:
        target = "có" if value_type == ValueType.BOOLEAN else "100"
    return {
        "code": code,
        "name": name if known else f"Chỉ tiêu {code} (chưa xác định nội dung, cần đối chiếu Quyết định 320/QĐ-TTg)",
        "value_type": value_type,
        "comparison": comparison,
        "target": target,
        "unit": unit,
        "guidance": "\n".join(f"- {rule}" for rule in rules),
        "assessed": True,
        "source_text": _source_text(item, "Mức đạt suy từ điều kiện đạt của nguồn." if target else ""),
        "verified": False,
    }


def _district_set(data: dict, *, code: str, name: str, nang_cao: bool) -> dict:
    criteria = []
    for criterion in data["criteria"]:
        number = _criterion_number(criterion)
        items = [] if nang_cao else list(criterion.get("indicators") or ())
        description = [f"Nguồn tên tiêu chí: {_t(criterion.get('name_source') or criterion.get('source'))}"]
        if nang_cao:
            description.insert(0, "Tên tiêu chí giả định giống bộ huyện nông thôn mới (chưa kiểm chứng).")
        if not nang_cao:
            description.insert(0, _ministry_text(criterion))
        if not items:
            description.append(_pending_annex("Quyết định 320/QĐ-TTg"))
        criteria.append(
            {
                "number": number,
                "name": _t(criterion["name_vi"]),
                "description": "\n".join(part for part in description if part),
                "rule": CriterionRule.ALL,
                "indicators": [_district_indicator(_t(item.get("code")), item) for item in items],
            }
        )
    return {
        "format": FORMAT,
        "code": code,
        "name": name,
        "legal_basis": "Quyết định 320/QĐ-TTg ngày 08/3/2022",
        "decision_number": "320/QĐ-TTg",
        "decision_date": "2022-03-08",
        "valid_from": "2022-03-08",
        "valid_to": "2025-06-30",
        "level": SetLevel.DISTRICT,
        "standard_rule": StandardRule.ALL,
        "grants_title": TitleKind.HUYEN_NTM_NANG_CAO if nang_cao else TitleKind.HUYEN_NTM,
        "preconditions": recognition_preconditions(
            required_title=TitleKind.HUYEN_NTM if nang_cao else "", district=True
        ),
        "criteria": criteria,
    }


def national_huyen_2021_2025(path: Path) -> dict:
    """The notes on the district set (huyện NTM, Decision 320/QĐ-TTg) as a document: 9 criteria (8 names
    recalled, unverified); transport lists its indicators 2.1-2.4 with the sourced pass rules (932/QĐ-BGTVT), the
    others wait for the annex. Districts are the subjects; the district level ended on 01/07/2025."""
    data = _load(path)
    return _district_set(data, code=_t(data["set"]["code"]), name=_t(data["set"]["name_vi"]), nang_cao=False)


def national_huyen_nang_cao_2021_2025(path: Path) -> dict:
    """The advanced district set (huyện NTM nâng cao, same Decision 320/QĐ-TTg): the notes found no content, so
    its 9 criteria are named as the district set's (an assumption, flagged) without indicators. Needs
    ``huyen_ntm`` held; grants ``huyen_ntm_nang_cao``."""
    data = _load(path)
    return _district_set(
        data,
        code="HUYEN_NTM_NANG_CAO_2021_2025",
        name="Bộ tiêu chí quốc gia về huyện nông thôn mới nâng cao giai đoạn 2021-2025",
        nang_cao=True,
    )
