"""The starter criteria sets, as files in the importer's format (``ntm-criteria-set/1`` JSON).

Every starter set reaches the product the way an office's file does: :func:`starter_files` gives
the files, the demo imports them with :func:`~criteria_pages.services.criteria_set_import_file`
(validated against the directory), and the functions returning a spec parse them with
:func:`~criteria_pages.transfer.spec_from_json` (the same reader and validation, without the
directory). Nothing is built as a spec by hand, so no starter set can skip validation.

The sets:

* :func:`national_2021_2025` — Decision 318/QĐ-TTg: 19 criteria in 5 groups, the indicators the
  notes list (55 of the official 57; codes written "17.x" in the notes get their position, e.g.
  "17.3"), targets by region (classification ``region``).
* :func:`national_2026_2030` — Decision 51/2025/QĐ-TTg: 10 criteria, targets by commune group
  (classification ``commune_group``); the 47 indicators were not retrieved, so none are listed.
* :func:`national_nang_cao_2021_2025` — xã NTM nâng cao (318/QĐ-TTg): 19 criteria, only the electricity
  indicator's sourced targets; the rest pending the annex.
* :func:`national_kieu_mau_2021_2025` — xã NTM kiểu mẫu (319/QĐ-TTg): its four conditions, the first
  (holding the nâng cao title) a precondition of kind ``title``.
* :func:`national_huyen_2021_2025` and :func:`national_huyen_nang_cao_2021_2025` — huyện NTM and huyện NTM
  nâng cao (320/QĐ-TTg): districts as subjects (level ``district``); few indicators are known.
* :func:`illustrative_demo_set` — a complete set with illustrative targets for the Đắk Lắk demo,
  flagged ``is_illustrative``; never an official set. It is the committed file
  ``data/demo_xa_ntm_minh_hoa.json``, exactly what an office would upload.
* :func:`illustrative_district_set` — a complete illustrative district set (``data/demo_huyen_ntm_minh_hoa.json``),
  so a district round can run in the demo while the official district indicators are pending.

Every set names the title its recognition grants and its recognition preconditions (Decision 18/2022/QĐ-TTg as
amended by 03/2024/QĐ-TTg), unverified. Criteria the notes list no indicator for stay without indicators
("pending the annex"): a version holding them cannot open a round until the office enters them.

The national sets are converted at load time from the research notes (``data/*.yaml``, copied
from the shared reference folder so the product does not depend on it) by
:mod:`criteria_pages.research_notes`, so the notes stay the single source of what is known.
"""

import json
from pathlib import Path

from . import research_notes, transfer
from .spec import SetSpec

DATA_DIR = Path(__file__).resolve().parent / "data"
FILE_2021_2025 = DATA_DIR / "xa_ntm_2021_2025.yaml"
FILE_2026_2030 = DATA_DIR / "xa_ntm_2026_2030.yaml"
FILE_NANG_CAO = DATA_DIR / "xa_ntm_nang_cao_2021_2025.yaml"
FILE_KIEU_MAU = DATA_DIR / "xa_ntm_kieu_mau_2021_2025.yaml"
FILE_HUYEN = DATA_DIR / "huyen_ntm_2021_2025.yaml"
FILE_DEMO = DATA_DIR / "demo_xa_ntm_minh_hoa.json"
#: The live world's illustrative set: the 2026–2030 structure (10 criteria, targets by commune group) with
#: illustrative indicators and targets, since the official annex is not in the reference data.
FILE_DEMO_2026_2030 = DATA_DIR / "demo_xa_ntm_2026_2030_minh_hoa.json"
#: The demo's illustrative district set (huyện NTM structure, illustrative indicators and targets, level district).
FILE_DEMO_DISTRICT = DATA_DIR / "demo_huyen_ntm_minh_hoa.json"
#: The demo's illustrative OCOP set (Decision 148/QĐ-TTg parts A/B/C with scored items, the 2019 star bands).
FILE_DEMO_OCOP = DATA_DIR / "ocop_148_2023_minh_hoa.json"
DEMO_OCOP_CODE = "DEMO_OCOP_148_2023_MINH_HOA"
DEMO_2021_2025_CODE = "DEMO_XA_NTM_MINH_HOA"
DEMO_2026_2030_CODE = "DEMO_XA_NTM_2026_2030_MINH_HOA"
DEMO_DISTRICT_CODE = "DEMO_HUYEN_NTM_MINH_HOA"


class StarterDataError(ValueError):
    """A starter file the importer rejects: a bug in the data files or the converter."""


def starter_files() -> list[tuple[str, bytes]]:
    """The starter sets as (file name, content) an office could upload, in import order: the national sets, then
    the illustrative ones."""
    return [
        _national_2021_2025_file(),
        _national_2026_2030_file(),
        _national_file(
            "xa_ntm_nang_cao_2021_2025.json", research_notes.national_nang_cao_2021_2025(FILE_NANG_CAO, FILE_2021_2025)
        ),
        _national_file("xa_ntm_kieu_mau_2021_2025.json", research_notes.national_kieu_mau_2021_2025(FILE_KIEU_MAU)),
        _national_file("huyen_ntm_2021_2025.json", research_notes.national_huyen_2021_2025(FILE_HUYEN)),
        _national_file(
            "huyen_ntm_nang_cao_2021_2025.json", research_notes.national_huyen_nang_cao_2021_2025(FILE_HUYEN)
        ),
        _illustrative_file(),
        illustrative_district_file(),
    ]


def starter_specs() -> list[SetSpec]:
    """Every starter set (:func:`starter_files`), read and validated by the importer."""
    return [_read(name, content) for name, content in starter_files()]


def national_2021_2025() -> SetSpec:
    """The national commune NTM set 2021-2025 (Decision 318/QĐ-TTg), unverified where the notes are."""
    return _read(*_national_2021_2025_file())


def national_2026_2030() -> SetSpec:
    """The national commune NTM set 2026-2030 (Decision 51/2025/QĐ-TTg): 10 criteria, no indicators yet."""
    return _read(*_national_2026_2030_file())


def national_nang_cao_2021_2025() -> SetSpec:
    """The national advanced commune set 2021-2025 (xã NTM nâng cao, Decision 318/QĐ-TTg), mostly pending."""
    return _read(
        "xa_ntm_nang_cao_2021_2025.json",
        _json_bytes(research_notes.national_nang_cao_2021_2025(FILE_NANG_CAO, FILE_2021_2025)),
    )


def national_kieu_mau_2021_2025() -> SetSpec:
    """The model commune rules 2021-2025 (xã NTM kiểu mẫu, Decision 319/QĐ-TTg): three conditions as criteria,
    holding the nâng cao title as a precondition."""
    return _read(
        "xa_ntm_kieu_mau_2021_2025.json", _json_bytes(research_notes.national_kieu_mau_2021_2025(FILE_KIEU_MAU))
    )


def national_huyen_2021_2025() -> SetSpec:
    """The national district set 2021-2025 (huyện NTM, Decision 320/QĐ-TTg), level district, mostly pending."""
    return _read("huyen_ntm_2021_2025.json", _json_bytes(research_notes.national_huyen_2021_2025(FILE_HUYEN)))


def national_huyen_nang_cao_2021_2025() -> SetSpec:
    """The national advanced district set 2021-2025 (huyện NTM nâng cao, Decision 320/QĐ-TTg), no indicators."""
    return _read(
        "huyen_ntm_nang_cao_2021_2025.json",
        _json_bytes(research_notes.national_huyen_nang_cao_2021_2025(FILE_HUYEN)),
    )


def illustrative_district_set() -> SetSpec:
    """A complete illustrative district set for the demo (level district, 9 criteria, every target filled,
    demo department codes), flagged ``is_illustrative``: a district round runs on it end to end."""
    return _read(*illustrative_district_file())


def illustrative_district_file() -> tuple[str, bytes]:
    """The demo's illustrative district set as the office would upload it (``is_illustrative``)."""
    return FILE_DEMO_DISTRICT.name, FILE_DEMO_DISTRICT.read_bytes()


def illustrative_demo_set() -> SetSpec:
    """A complete illustrative set for the Đắk Lắk demo: 19 criteria, 57 indicators, every target filled.

    Criterion names are those of the 2021-2025 set; targets are illustrative, with a Tây Nguyên
    (TN) target on some indicators; value types are mixed and some indicators require one evidence
    file. Departments are the demo department codes. Flagged ``is_illustrative``.
    """
    return _read(*_illustrative_file())


def illustrative_ocop_file() -> tuple[str, bytes]:
    """The demo's illustrative OCOP set (level product, scored items, star bands flagged unverified)."""
    return FILE_DEMO_OCOP.name, FILE_DEMO_OCOP.read_bytes()


def illustrative_ocop_set() -> SetSpec:
    """:func:`illustrative_ocop_file` read and validated by the importer."""
    return _read(*illustrative_ocop_file())


def illustrative_2026_2030_file() -> tuple[str, bytes]:
    """The demo's illustrative 2026–2030 set as the office would upload it (``is_illustrative``)."""
    return FILE_DEMO_2026_2030.name, FILE_DEMO_2026_2030.read_bytes()


def is_illustrative_file(filename: str) -> bool:
    """Whether ``filename`` is one of the demo's illustrative sets (they belong to the demo province)."""
    return filename in (FILE_DEMO.name, FILE_DEMO_2026_2030.name, FILE_DEMO_DISTRICT.name, FILE_DEMO_OCOP.name)


def _national_file(name: str, data: dict) -> tuple[str, bytes]:
    return name, _json_bytes(data)


def _national_2021_2025_file() -> tuple[str, bytes]:
    return "xa_ntm_2021_2025.json", _json_bytes(research_notes.national_2021_2025(FILE_2021_2025))


def _national_2026_2030_file() -> tuple[str, bytes]:
    return "xa_ntm_2026_2030.json", _json_bytes(research_notes.national_2026_2030(FILE_2026_2030))


def _illustrative_file() -> tuple[str, bytes]:
    return FILE_DEMO.name, FILE_DEMO.read_bytes()


def _json_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _read(name: str, content: bytes) -> SetSpec:
    """The spec of a starter file, read and validated by the importer (without the directory)."""
    spec, problems = transfer.spec_from_json(content)
    if spec is None or problems:
        raise StarterDataError(f"{name}: " + "; ".join(str(problem) for problem in problems))
    return spec
