"""The open data of a round: its results, unit by unit, as CSV or JSON for integrators and the public.

Anonymous callers get exactly what ``/api/v1/rounds/{id}/results/`` shows them (recognised and published results,
the same selector); the rows are read with a cursor and streamed, so a national round costs no more memory than a
province. Column names are English, stable, and documented here and in the OpenAPI schema:

============================  ==========================================================================
``round_id``                  the round's id (as in ``/api/v1/rounds/{id}/``)
``unit_code``                 the unit's code in the edition of the round's units
``unit_name``                 the unit's name (Vietnamese, UTF-8)
``parent_name``               the name of the unit it belongs to (district or province)
``criteria_met``              how many criteria of the round's set the unit meets
``criteria_total``            how many criteria the set has
``standard_reached``          1/0 (CSV), true/false (JSON): the standard, after any override by the office
``published_at``              when the result was published (ISO 8601, Vietnam time), empty if unknown
``criterion_<n>``             1/0 per criterion number n of the set, in order (CSV); JSON: ``criteria``
============================  ==========================================================================

The CSV starts with a UTF-8 byte order mark so that Excel opens Vietnamese names correctly.
"""

import csv
import json
from collections.abc import Iterator

from django.utils import timezone

from submissions.models import Round
from submissions.reports import statistics

BOM = "\ufeff"
FIXED_COLUMNS = (
    "round_id",
    "unit_code",
    "unit_name",
    "parent_name",
    "criteria_met",
    "criteria_total",
    "standard_reached",
    "published_at",
)


def columns(round_: Round) -> list[str]:
    return [*FIXED_COLUMNS, *(f"criterion_{criterion.number}" for criterion in round_.spec.criteria)]


def _moment(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def _results(round_: Round, rows) -> Iterator[statistics.UnitResult]:
    return statistics.iter_results(round_, rows, chunk_size=statistics.RESULTS_CHUNK)


class _Line:
    """A file-like object that hands back what csv.writer writes (one line at a time)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(round_: Round, rows) -> Iterator[str]:
    """The CSV, line by line: the BOM and the header, then one line per row of :func:`statistics.round_results`."""
    writer = csv.writer(_Line())
    total = len(round_.spec.criteria)
    yield BOM + writer.writerow(columns(round_))
    for result in _results(round_, rows):
        yield writer.writerow(
            [
                round_.pk,
                result.unit_code,
                result.unit_name,
                result.parent_name,
                result.criteria_met,
                total,
                int(result.standard_reached),
                _moment(result.published_at),
                *(int(met) for _number, met in result.criteria),
            ]
        )


def json_chunks(round_: Round, rows, *, basis: str) -> Iterator[str]:
    """One JSON document, streamed: the round, the columns and criteria, then ``results`` one object at a time."""
    head = {
        "round_id": round_.pk,
        "round_name": round_.name,
        "criteria_set": {"code": round_.spec.code, "name": round_.spec.name, "version": round_.criteria_version.number},
        "basis": basis,
        "generated_at": timezone.localtime().isoformat(),
        "criteria": [{"number": criterion.number, "name": criterion.name} for criterion in round_.spec.criteria],
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "results": ['
    total = len(round_.spec.criteria)
    for index, result in enumerate(_results(round_, rows)):
        item = {
            "unit_code": result.unit_code,
            "unit_name": result.unit_name,
            "parent_name": result.parent_name,
            "criteria_met": result.criteria_met,
            "criteria_total": total,
            "standard_reached": result.standard_reached,
            "published_at": _moment(result.published_at) or None,
            "criteria": [{"number": number, "met": met} for number, met in result.criteria],
        }
        yield ("," if index else "") + json.dumps(item, ensure_ascii=False)
    yield "]}"
