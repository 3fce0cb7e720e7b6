"""XLSX exports of a round: the summary matrix, one unit's detailed report, the departments' appraisal
lists and the statistics. The admin view, the ``export_round`` command and any later API call these.

Every file is written through :mod:`cms.xlsx` (the project's only xlsxwriter module) in constant-memory
mode: rows go out top to bottom as they are read from a database cursor, so a national export of
10,047 units needs no more memory than a provincial one. Numbers are real numeric cells (with a
number format where one helps); sentences meant for reading use the Vietnamese decimal comma
("bình quân 15,93 tiêu chí/xã"). Every number comes from :mod:`submissions.reports.statistics`.

Modules: :mod:`.common` (formats, number text, workbook plumbing), one per kind — :mod:`.summary`,
:mod:`.unit_report`, :mod:`.departments`, :mod:`.statistics_report` — and :mod:`.dispatch` (the kinds,
the one entry point, file names). Import the names from this package.
"""

from .common import (
    CRITERION_WIDTH,
    DECIMAL_FORMAT,
    MET_FORMAT,
    ExportError,
    Output,
    reporting_progress,
    statistics_sentence,
    unit_word,
    vi_number,
)
from .departments import export_departments
from .dispatch import ExportKind, export_filename, export_round
from .statistics_report import export_statistics
from .summary import export_summary
from .unit_report import export_unit, unit_submission

__all__ = [
    "CRITERION_WIDTH",
    "DECIMAL_FORMAT",
    "MET_FORMAT",
    "ExportError",
    "ExportKind",
    "Output",
    "export_departments",
    "export_filename",
    "export_round",
    "export_statistics",
    "export_summary",
    "export_unit",
    "reporting_progress",
    "statistics_sentence",
    "unit_submission",
    "unit_word",
    "vi_number",
]
