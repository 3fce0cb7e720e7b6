"""Writing XLSX workbooks: the only module of the project that imports xlsxwriter.

Every export (criteria sets, statistics, unit lists) goes through these helpers so that the files
look alike: a bold, wrapped header row, optionally a second header row of machine codes, the header
frozen, an autofilter over the table and sensible column widths.

Typical use::

    book = Book()                                   # in memory; Book(path) or Book(file) to stream
    sheet = book.add_sheet("Thống kê")
    write_table(sheet, ["Xã", "Số tiêu chí đạt"], rows, widths=[40, 16])
    data = book.close()                             # bytes (None when writing to a path or file)

Cell values are written by type (:func:`write_cell`): strings always as text (never as formulas,
numbers or links, so "=1+1" or "8.10" stay what they are), ``Decimal`` as a number when that is
exact, dates with a dd/mm/yyyy format, ``None`` as an empty cell.
"""

import datetime
import io
import math
import os
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

__all__ = [
    "Book",
    "Formats",
    "Worksheet",
    "add_list_validation",
    "sheet_name",
    "write_cell",
    "write_paragraph",
    "write_table",
]

DATE_FORMAT = "dd/mm/yyyy"
MIN_WIDTH = 6
MAX_WIDTH = 60
#: Excel's limit on one cell's text.
MAX_CELL_TEXT = 32767
_INVALID_SHEET_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass(frozen=True)
class Formats:
    """The standard cell formats of one workbook."""

    title: Format
    header: Format  # human header row: bold, wrapped, shaded
    code: Format  # machine-code header row under (or instead of) the human one
    text: Format  # plain text, top-aligned, Excel "@" (text) number format
    wrap: Format  # long text, wrapped
    number: Format
    date: Format
    paragraph: Format  # instructions: wrapped text spanning several columns
    bold: Format

    def named(self, name: str | None) -> Format | None:
        """The format called ``name`` ("text", "wrap", "date", "number", …), or None."""
        return getattr(self, name) if name else None


#: Formats of the worksheets created by :meth:`Book.add_sheet` (write_table finds them here).
_SHEET_FORMATS: "weakref.WeakKeyDictionary[Worksheet, Formats]" = weakref.WeakKeyDictionary()


def _make_formats(workbook: xlsxwriter.Workbook) -> Formats:
    top = {"valign": "top"}
    return Formats(
        title=workbook.add_format({"bold": True, "font_size": 14}),
        header=workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        ),
        code=workbook.add_format(
            {"italic": True, "font_size": 9, "font_color": "#595959", "bg_color": "#F2F2F2", "border": 1, **top}
        ),
        text=workbook.add_format({"num_format": "@", **top}),
        wrap=workbook.add_format({"num_format": "@", "text_wrap": True, **top}),
        number=workbook.add_format(top),
        date=workbook.add_format({"num_format": DATE_FORMAT, "align": "left", **top}),
        paragraph=workbook.add_format({"text_wrap": True, **top}),
        bold=workbook.add_format({"bold": True, **top}),
    )


class Book:
    """An xlsxwriter workbook with the project's standard formats.

    ``output`` is a path or a binary file object to stream to; ``None`` builds the file in memory
    and :meth:`close` returns its bytes. ``constant_memory`` keeps memory flat for big exports
    (rows must then be written top to bottom, which :func:`write_table` does).
    """

    def __init__(self, output: str | os.PathLike | IO[bytes] | None = None, *, constant_memory: bool = False):
        options: dict[str, Any] = {
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "constant_memory": constant_memory,
        }
        self._buffer: io.BytesIO | None = None
        if output is None:
            self._buffer = io.BytesIO()
            output = self._buffer
            options["in_memory"] = not constant_memory
        self.workbook = xlsxwriter.Workbook(output, options)
        self.formats = _make_formats(self.workbook)
        self._closed = False

    def add_sheet(self, name: str) -> Worksheet:
        """A new worksheet named ``name`` (made a valid, unique Excel sheet name)."""
        existing = {sheet.get_name().casefold() for sheet in self.workbook.worksheets()}
        base = sheet_name(name)
        candidate, counter = base, 2
        while candidate.casefold() in existing:
            suffix = f" ({counter})"
            candidate, counter = base[: 31 - len(suffix)] + suffix, counter + 1
        worksheet = self.workbook.add_worksheet(candidate)
        _SHEET_FORMATS[worksheet] = self.formats
        return worksheet

    def close(self) -> bytes | None:
        """Finish the file; the workbook's bytes when it was built in memory."""
        if not self._closed:
            self.workbook.close()
            self._closed = True
        return self._buffer.getvalue() if self._buffer is not None else None

    def __enter__(self) -> "Book":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def sheet_name(text: str) -> str:
    """``text`` as a valid Excel sheet name: at most 31 characters, none of []:*?/\\."""
    name = " ".join(str(text).translate(_INVALID_SHEET_CHARS).split()).strip("'")
    return (name or "Sheet")[:31]


def _formats_of(worksheet: Worksheet, formats: Formats | None) -> Formats:
    found = formats or _SHEET_FORMATS.get(worksheet)
    if found is None:
        raise ValueError("Create worksheets with Book.add_sheet() or pass formats=.")
    return found


def _is_exact_float(value: Decimal) -> bool:
    return value.is_finite() and Decimal(repr(float(value))) == value


def write_cell(
    worksheet: Worksheet,
    row: int,
    col: int,
    value: Any,
    cell_format: Format | None = None,
    *,
    formats: Formats | None = None,
) -> None:
    """Write ``value`` at (row, col), 0-based, choosing the cell type from the Python type."""
    if value is None or value == "":
        worksheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, Decimal):
        if _is_exact_float(value):
            worksheet.write_number(row, col, float(value), cell_format)
        else:
            worksheet.write_string(row, col, str(value), cell_format)
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            worksheet.write_string(row, col, str(value), cell_format)
        else:
            worksheet.write_number(row, col, value, cell_format)
    elif isinstance(value, datetime.date):
        fmt = cell_format or _formats_of(worksheet, formats).date
        if not isinstance(value, datetime.datetime):
            value = datetime.datetime.combine(value, datetime.time())
        worksheet.write_datetime(row, col, value.replace(tzinfo=None), fmt)
    else:
        worksheet.write_string(row, col, str(value)[:MAX_CELL_TEXT], cell_format)


def _width_of(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def write_table(
    worksheet: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[float | None] | None = None,
    *,
    labels: Sequence[str] | None = None,
    column_formats: Sequence[str | None] | None = None,
    start_row: int = 0,
    first_col: int = 0,
    freeze: bool = True,
    autofilter: bool = True,
    formats: Formats | None = None,
) -> int:
    """Write a table and return the (0-based) index of the first row after it.

    ``headers`` is the header row a reader relies on. With ``labels``, a human header row is
    written above it (bold) and ``headers`` becomes a smaller "machine code" row. Both are frozen
    and the autofilter covers the last header row and the data. ``column_formats`` names one of
    :class:`Formats` per column ("text", "wrap", "date", "number" or None). Missing ``widths``
    (or None entries) are estimated from the content, between 6 and 60 characters.
    """
    fmts = _formats_of(worksheet, formats)
    ncols = len(headers)
    col_fmts = [fmts.named(name) for name in (column_formats or [None] * ncols)]
    col_fmts += [None] * (ncols - len(col_fmts))
    guessed = [max(_width_of(h) for h in (headers[i], labels[i] if labels else "")) for i in range(ncols)]

    row = start_row
    if labels:
        for col, label in enumerate(labels):
            write_cell(worksheet, row, first_col + col, label, fmts.header)
        row += 1
    header_row = row
    for col, header in enumerate(headers):
        write_cell(worksheet, row, first_col + col, header, fmts.code if labels else fmts.header)
    row += 1
    for values in rows:
        for col in range(ncols):
            value = values[col] if col < len(values) else None
            fmt = fmts.date if isinstance(value, datetime.date) else col_fmts[col]
            write_cell(worksheet, row, first_col + col, value, fmt)
            if row - header_row <= 200:
                guessed[col] = max(guessed[col], _width_of(value))
        row += 1

    for col in range(ncols):
        given = widths[col] if widths and col < len(widths) else None
        width = given if given is not None else min(MAX_WIDTH, max(MIN_WIDTH, guessed[col] + 2))
        worksheet.set_column(first_col + col, first_col + col, width, col_fmts[col])
    if freeze:
        worksheet.freeze_panes(header_row + 1, 0)
    if autofilter and ncols:
        worksheet.autofilter(header_row, first_col, max(row - 1, header_row), first_col + ncols - 1)
    return row


def add_list_validation(
    worksheet: Worksheet,
    first_row: int,
    col: int,
    last_row: int,
    values: Sequence[str],
    *,
    strict: bool = False,
    last_col: int | None = None,
) -> None:
    """A drop-down of ``values`` on a range. Not ``strict``: other values only raise a warning."""
    worksheet.data_validation(
        first_row,
        col,
        last_row,
        col if last_col is None else last_col,
        {
            "validate": "list",
            "source": list(values),
            "error_type": "stop" if strict else "warning",
            "ignore_blank": True,
        },
    )


def write_paragraph(
    worksheet: Worksheet,
    row: int,
    text: str,
    *,
    first_col: int = 0,
    last_col: int = 0,
    chars_per_line: int = 120,
    style: str = "paragraph",
    formats: Formats | None = None,
) -> int:
    """Write wrapped ``text`` across columns ``first_col``..``last_col`` of ``row``; return the next row.

    The row height is estimated from the text length, because Excel does not grow merged cells.
    """
    fmt = _formats_of(worksheet, formats).named(style)
    lines = sum(max(1, math.ceil(len(part) / chars_per_line)) for part in str(text).split("\n"))
    if last_col > first_col:
        worksheet.merge_range(row, first_col, row, last_col, str(text), fmt)
    else:
        worksheet.write_string(row, first_col, str(text), fmt)
    if lines > 1:
        worksheet.set_row(row, 15 * lines)
    return row + 1
