"""Spreadsheet exports that are safe to open: no cell runs as a formula, and Vietnamese reads right in Excel.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run by Excel or
LibreOffice as a formula when a CSV is opened ("CSV injection"), so it is written with a leading apostrophe,
which both show as plain text. Numbers, negative ones included, stay numbers. CSV files are UTF-8 with a
byte-order mark, which Excel needs to read diacritics. (XLSX files are safe already: :mod:`cms.xlsx` and
Wagtail's export write text cells as text, never as formulas.)
"""

import re

#: What makes a spreadsheet program read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
BYTE_ORDER_MARK = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def inert_text(value):
    """``value`` as a spreadsheet will show it, never run it."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _NUMBER.match(value):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin:
    """For views using Wagtail's ``SpreadsheetExportMixin`` (modeladmin index views): inert CSV cells, and a
    UTF-8 CSV with a byte-order mark and its charset."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return inert_text(value) if export_format == self.FORMAT_CSV else value

    def get_heading(self, queryset, field):
        return inert_text(super().get_heading(queryset, field))

    def stream_csv(self, queryset):
        yield BYTE_ORDER_MARK
        yield from super().stream_csv(queryset)

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = CSV_CONTENT_TYPE
        return response
