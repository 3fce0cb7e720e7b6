"""What every export shares: the output type, number formats, Vietnamese number text, the scope line and
the workbook plumbing (constant-memory books, print setup, titles) on top of :mod:`cms.xlsx`."""

import dataclasses
import datetime
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.directory.models import Unit
from cms.xlsx import Book, Formats, Worksheet, write_cell
from criteria_pages.spec import SetLevel, SetSpec
from submissions.models import Basis, Round
from submissions.reports import statistics

Output = str | os.PathLike | IO[bytes] | None

#: Excel number formats. 1/0 verdict cells stay numbers (they add up) but read "Đạt" / "—".
MET_FORMAT = '"Đạt";"";"—"'
DECIMAL_FORMAT = "0.00"
#: Cells of the summary matrix per criterion column (in characters).
CRITERION_WIDTH = 7


class ExportError(Exception):
    """The export cannot be made as asked (e.g. the unit has no submission in the round)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- progress (background exports) -------------------------------------------------------------------

T = TypeVar("T")
#: Told the share of the rows written so far (0–100) while an export runs inside :func:`reporting_progress`.
ProgressCallback = Callable[[int], None]
_progress: ContextVar[ProgressCallback | None] = ContextVar("export_progress", default=None)


@contextmanager
def reporting_progress(callback: ProgressCallback):
    """Exports written inside this block tell ``callback`` how far they are (a background job's progress)."""
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


def report_progress(percent: int) -> None:
    callback = _progress.get()
    if callback is not None:
        callback(max(0, min(100, percent)))


def tracked(rows: Iterable[T], total: int) -> Iterator[T]:
    """``rows`` unchanged, reporting the share of ``total`` done so far (nothing outside :func:`reporting_progress`)."""
    if _progress.get() is None or total <= 0:
        yield from rows
        return
    for done, row in enumerate(rows, start=1):
        yield row
        report_progress(done * 100 // total)


# --- text for reading ---------------------------------------------------------------------------------


def vi_number(value: int | Decimal | float, places: int = 0) -> str:
    """A number as Vietnamese text: thousands with a dot, decimals with a comma (10.047; 15,93)."""
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def unit_word(spec: SetSpec) -> str:
    """What the set evaluates, as a lower-case noun: "xã", "huyện", "thôn", "sản phẩm"."""
    try:
        return str(SetLevel(spec.level).label).lower()
    except ValueError:
        return _("đơn vị")


def statistics_sentence(summary: statistics.RoundSummary, spec: SetSpec) -> str:
    """ "79 xã đạt 19/19 tiêu chí; bình quân 15,93 tiêu chí/xã" from the numbers of ``summary``."""
    return _("%(count)s %(unit)s đạt %(total)s/%(total)s tiêu chí; bình quân %(average)s tiêu chí/%(unit)s") % {
        "count": vi_number(summary.units_meeting_all),
        "unit": unit_word(spec),
        "total": summary.criteria_count,
        "average": vi_number(summary.average_criteria_met, 2),
    }


def percent_of(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, two decimals (a number cell), None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(statistics.TWO_PLACES, rounding=ROUND_HALF_UP)


def local_time(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A stored moment as a naive local time (what a spreadsheet cell holds)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def scope_text(round_: Round, parent: Unit | None, group: str, basis: str) -> str:
    parts = [
        _("Phạm vi: %(scope)s") % {"scope": parent.name if parent else _("toàn bộ đợt")},
        _("Số liệu: %(basis)s") % {"basis": Basis(basis).label},
        _("Bộ tiêu chí: %(set)s") % {"set": round_.spec.name},
        _("Xuất ngày %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")},
    ]
    if group:
        parts.insert(1, _("Nhóm: %(group)s") % {"group": group})
    return "; ".join(parts)


# --- workbook plumbing --------------------------------------------------------------------------------


def new_book(output: Output) -> Book:
    return Book(output, constant_memory=True)


def with_number(book: Book, num_format: str) -> Formats:
    """The book's formats with ``number`` (the "number" column format of write_table) set to ``num_format``."""
    return dataclasses.replace(
        book.formats, number=book.workbook.add_format({"num_format": num_format, "valign": "top"})
    )


def print_setup(sheet: Worksheet, title: str, *, header_rows: tuple[int, int] | None = None) -> None:
    """A4 landscape, fitted to the page width, header rows repeated, page numbers in the footer."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if header_rows is not None:
        sheet.repeat_rows(*header_rows)
    sheet.set_header("&L" + title.replace("&", "&&")[:200])
    sheet.set_footer("&C" + _("Trang &P/&N"))


def write_title(book: Book, sheet: Worksheet, title: str, *lines: str) -> int:
    """Title and explanation lines at the top of a sheet; returns the next free row (after a blank)."""
    write_cell(sheet, 0, 0, title, book.formats.title)
    for row, line in enumerate(lines, start=1):
        write_cell(sheet, row, 0, line)
    return len(lines) + 2
