"""The starter criteria sets, as files in the importer's format (``ntm-criteria-set/1`` JSON).

Every starter set reaches the product the way an office's file does: :func:`starter_files` gives
the files, the demo imports them with :func:`~criteria_pages.services.criteria_set_import_file`
(validated against the directory), and the functions returning a spec parse them with
:func:`~criteria_pages.transfer.spec_from_json` (the same reader and validation, without the
directory). Nothing is built as a spec by hand, so no starter set can skip validation.

Three sets:

* :func:`national_2021_2025` — Decision 318/QĐ-TTg: 19 criteria in 5 groups, the indicators the
  notes list (55 of the official 57; codes written "17.x" in the notes get their position, e.g.
  "17.3"), targets by region (classification ``region``).
* :func:`national_2026_2030` — Decision 51/2025/QĐ-TTg: 10 criteria, targets by commune group
  (classification ``commune_group``); the 47 indicators were not retrieved, so none are listed.
* :func:`illustrative_demo_set` — a complete set with illustrative targets for the Đắk Lắk demo,
  flagged ``is_illustrative``; never an official set. It is the committed file
  ``data/demo_xa_ntm_minh_hoa.json``, exactly what an office would upload.

The two national sets are converted at load time from the research notes (``data/*.yaml``, copied
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
FILE_DEMO = DATA_DIR / "demo_xa_ntm_minh_hoa.json"
#: The live world's illustrative set: the 2026–2030 structure (10 criteria, targets by commune group) with
#: illustrative indicators and targets, since the official annex is not in the reference data.
FILE_DEMO_2026_2030 = DATA_DIR / "demo_xa_ntm_2026_2030_minh_hoa.json"
DEMO_2021_2025_CODE = "DEMO_XA_NTM_MINH_HOA"
DEMO_2026_2030_CODE = "DEMO_XA_NTM_2026_2030_MINH_HOA"


class StarterDataError(ValueError):
    """A starter file the importer rejects: a bug in the data files or the converter."""


def starter_files() -> list[tuple[str, bytes]]:
    """The three starter sets as (file name, content) an office could upload, in import order."""
    return [_national_2021_2025_file(), _national_2026_2030_file(), _illustrative_file()]


def starter_specs() -> list[SetSpec]:
    """The three starter sets: national 2021-2025, national 2026-2030 and the illustrative demo set."""
    return [_read(name, content) for name, content in starter_files()]


def national_2021_2025() -> SetSpec:
    """The national commune NTM set 2021-2025 (Decision 318/QĐ-TTg), unverified where the notes are."""
    return _read(*_national_2021_2025_file())


def national_2026_2030() -> SetSpec:
    """The national commune NTM set 2026-2030 (Decision 51/2025/QĐ-TTg): 10 criteria, no indicators yet."""
    return _read(*_national_2026_2030_file())


def illustrative_demo_set() -> SetSpec:
    """A complete illustrative set for the Đắk Lắk demo: 19 criteria, 57 indicators, every target filled.

    Criterion names are those of the 2021-2025 set; targets are illustrative, with a Tây Nguyên
    (TN) target on some indicators; value types are mixed and some indicators require one evidence
    file. Departments are the demo department codes. Flagged ``is_illustrative``.
    """
    return _read(*_illustrative_file())


def illustrative_2026_2030_file() -> tuple[str, bytes]:
    """The demo's illustrative 2026–2030 set as the office would upload it (``is_illustrative``)."""
    return FILE_DEMO_2026_2030.name, FILE_DEMO_2026_2030.read_bytes()


def is_illustrative_file(filename: str) -> bool:
    """Whether ``filename`` is one of the demo's illustrative sets (they belong to the demo province)."""
    return filename in (FILE_DEMO.name, FILE_DEMO_2026_2030.name)


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
