"""Import and export of a whole criteria set (a :class:`~criteria_pages.spec.SetSpec`) as JSON or XLSX.

Nothing here touches pages or the database: callers pass the department codes and classification
values that exist (``known_departments``, ``known_groups``) and get back a spec or every problem.

Modules, by job:

* :mod:`.layout` — the XLSX layout: sheet names and columns (documented there);
* :mod:`.cells` — reading a cell or JSON value as the spec's types (yes/no, numbers, dates, enums);
* :mod:`.validation` — :func:`validate_spec`, shared by both readers, and :class:`Problem`;
* :mod:`.json_io` — :func:`spec_to_json` and :func:`spec_from_json`;
* :mod:`.xlsx_write` — :func:`spec_to_xlsx`;
* :mod:`.xlsx_read` — :func:`spec_from_xlsx`;
* :mod:`.upload` — :func:`spec_from_file`: an uploaded ``.json`` or ``.xlsx`` file.
"""

from .json_io import spec_from_json, spec_to_json
from .layout import (
    BAND_COLUMNS,
    CRITERION_COLUMNS,
    GROUP_PREFIX,
    INDICATOR_COLUMNS,
    JSON_SHEET,
    KEY_VALUE_COLUMNS,
    PRECONDITION_COLUMNS,
    SCORING_FIELDS,
    SET_FIELDS,
    SHEET_BANDS,
    SHEET_CRITERIA,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_PRECONDITIONS,
    SHEET_SET,
    Column,
)
from .upload import spec_from_file
from .validation import MAX_DECIMAL, MAX_LENGTH, Problem, validate_spec
from .xlsx_read import spec_from_xlsx
from .xlsx_write import spec_to_xlsx

__all__ = [
    "BAND_COLUMNS",
    "CRITERION_COLUMNS",
    "GROUP_PREFIX",
    "INDICATOR_COLUMNS",
    "JSON_SHEET",
    "KEY_VALUE_COLUMNS",
    "MAX_DECIMAL",
    "MAX_LENGTH",
    "PRECONDITION_COLUMNS",
    "SCORING_FIELDS",
    "SET_FIELDS",
    "SHEET_BANDS",
    "SHEET_CRITERIA",
    "SHEET_GUIDE",
    "SHEET_INDICATORS",
    "SHEET_PRECONDITIONS",
    "SHEET_SET",
    "Column",
    "Problem",
    "spec_from_file",
    "spec_from_json",
    "spec_from_xlsx",
    "spec_to_json",
    "spec_to_xlsx",
    "validate_spec",
]
