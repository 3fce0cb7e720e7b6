"""Exports of an OCOP round (products): the ranked list, the councils' score sheets and the recognised list, in the
layouts an office sends. Written through :mod:`cms.xlsx` like every export; a fixed number of queries each.

- Ranked list: every dossier of the basis with its council's score, best first (rank, product, producer, commune,
  group, self-assessment, council score, stars, flag, status). Equal scores share a rank (1, 2, 2, 4).
- Score sheets: one worksheet per council: products in rows, members in columns (each member's total), the
  council's score, the spread and the flag. A council still scoring shows only who has submitted, never a score
  (the office reads the sheets once the chair has closed the council).
- Recognised list: the recognised products of the basis with their certificate (STT, product, producer, address,
  commune, group, stars, decision, valid until) and the tally by stars.
"""

from collections.abc import Iterator

from django.db.models import F
from django.utils.translation import gettext as _

from cms.audit.wording import person_name
from cms.directory.models import Unit
from cms.xlsx import Book, Worksheet, write_cell, write_table
from submissions.models import Basis, Round, Submission, SubmissionStatus
from submissions.ocop.models import Council, CouncilMember, MemberSheet
from submissions.reports.statistics import Filters
from submissions.reports.statistics import products as product_statistics

from .common import (
    DECIMAL_FORMAT,
    ExportError,
    Output,
    new_book,
    print_setup,
    scope_text,
    tracked,
    vi_number,
    with_number,
    write_title,
)


def _refuse_unit_rounds(round_: Round) -> None:
    if not round_.evaluates_products:
        raise ExportError(_("Đợt này không đánh giá sản phẩm OCOP."))


def _group_names(product) -> tuple[str, str]:
    """(group, sub-group) of a product's classification row."""
    group = product.group
    return (group.parent.name, group.name) if group.parent_id else (group.name, "")


def _flag(value: bool) -> str:
    return _("Có") if value else _("Không")


def _finish(book: Book, sheet: Worksheet, title: str, start: int) -> bytes | None:
    print_setup(sheet, title, header_rows=(start, start + 1))
    return book.close()


# --- the ranked list ----------------------------------------------------------------------------------


def ranked_rows(filters: Filters):
    """The dossiers of the basis, council score first (unscored last), with what the list shows: one query."""
    return (
        Submission.objects.filter(filters.counted_where())
        .select_related("product__producer", "product__group__parent", "unit", "council_entry")
        .order_by(F("council_entry__score").desc(nulls_last=True), "pk")
    )


def _ranked(rows) -> Iterator[list]:
    """Rows with their rank: equal council scores share one (1, 2, 2, 4); unscored dossiers have none."""
    status_labels = dict(SubmissionStatus.choices)
    rank, previous = 0, None
    for position, submission in enumerate(rows, start=1):
        entry = getattr(submission, "council_entry", None)
        score = entry.score if entry is not None else None
        if score is not None and score != previous:
            rank, previous = position, score
        group, sub_group = _group_names(submission.product)
        yield [
            rank if score is not None else None,
            submission.product.name,
            submission.product.producer.name,
            submission.unit.name,
            group,
            sub_group,
            entry.self_points if entry is not None else None,
            score,
            submission.stars if score is not None else None,
            _flag(entry.flagged) if entry is not None and score is not None else "",
            str(status_labels.get(submission.status, submission.status)),
        ]


def export_ocop_ranked(
    round_: Round, output: Output = None, *, parent: Unit | None = None, group: str = "", basis: str = Basis.ALL
) -> bytes | None:
    """The round's products ranked by the council's score."""
    _refuse_unit_rounds(round_)
    filters = Filters(round_, parent, None, group, basis)
    summary = product_statistics.products_summary(filters)
    book = new_book(output)
    sheet = book.add_sheet(_("Xếp hạng"))
    title = _("Bảng xếp hạng sản phẩm OCOP – %(round)s") % {"round": round_.name}
    start = write_title(book, sheet, title, scope_text(round_, parent, group, basis))
    labels = [
        _("Hạng"),
        _("Tên sản phẩm"),
        _("Chủ thể"),
        _("Xã"),
        _("Nhóm sản phẩm"),
        _("Phân nhóm"),
        _("Điểm tự đánh giá"),
        _("Điểm hội đồng"),
        _("Số sao"),
        _("Cần thảo luận"),
        _("Trạng thái hồ sơ"),
    ]
    codes = [
        "rank",
        "product",
        "producer",
        "commune",
        "group",
        "sub_group",
        "self_points",
        "score",
        "stars",
        "flagged",
        "status",
    ]
    end = write_table(
        sheet,
        codes,
        tracked(_ranked(ranked_rows(filters).iterator(chunk_size=500)), summary.products_in_scope),
        widths=[7, 34, 30, 22, 24, 24, 10, 10, 7, 10, 20],
        labels=labels,
        column_formats=["number", "text", "text", "text", "text", "text", "number", "number", "number", "text", "text"],
        start_row=start,
        formats=with_number(book, DECIMAL_FORMAT),
    )
    write_cell(
        sheet,
        end + 1,
        0,
        _("%(scored)s sản phẩm có điểm hội đồng; điểm bình quân %(average)s")
        % {"scored": vi_number(summary.products_scored), "average": vi_number(summary.average_score, 2)},
        book.formats.bold,
    )
    return _finish(book, sheet, title, start)


# --- the councils' score sheets -----------------------------------------------------------------------


def export_ocop_sheets(
    round_: Round, output: Output = None, *, parent: Unit | None = None, group: str = "", basis: str = Basis.ALL
) -> bytes | None:
    """One worksheet per council: its products in rows, its members' totals in columns, the council's score, the
    spread and the flag. Four queries, whatever the number of councils, products and members."""
    _refuse_unit_rounds(round_)
    filters = Filters(round_, parent, None, group, basis)
    councils = list(Council.objects.filter(round=round_).order_by("pk"))
    members: dict[int, list[CouncilMember]] = {}
    for seat in CouncilMember.objects.filter(council__in=councils).select_related("user").order_by("-is_chair", "pk"):
        members.setdefault(seat.council_id, []).append(seat)
    entries: dict[int, list] = {}
    submissions = (
        Submission.objects.filter(filters.counted_where(), council_entry__council__in=councils)
        .select_related("product__producer", "unit", "council_entry")
        .order_by(F("council_entry__score").desc(nulls_last=True), "pk")
    )
    for submission in submissions:
        entries.setdefault(submission.council_entry.council_id, []).append(submission)
    sheets = {
        (entry_id, member_id): (total, submitted)
        for entry_id, member_id, total, submitted in MemberSheet.objects.filter(
            entry__council__in=councils
        ).values_list("entry_id", "member_id", "total", "submitted_at")
    }
    book = new_book(output)
    if not councils:
        sheet = book.add_sheet(_("Phiếu chấm"))
        write_cell(sheet, 0, 0, _("Đợt này chưa có hội đồng đánh giá."), book.formats.title)
        return book.close()
    formats = with_number(book, DECIMAL_FORMAT)
    for council in councils:
        seats = members.get(council.pk, [])
        sheet = book.add_sheet(council.name)
        title = _("Phiếu chấm điểm – %(council)s – %(round)s") % {"council": council.name, "round": round_.name}
        note = (
            _("Hội đồng đã kết thúc chấm điểm.")
            if not council.is_open
            else _("Hội đồng đang chấm điểm: chỉ ghi thành viên đã nộp phiếu, điểm có sau khi chủ tịch kết thúc.")
        )
        start = write_title(book, sheet, title, scope_text(round_, parent, group, basis), note)
        labels = [
            _("STT"),
            _("Tên sản phẩm"),
            _("Chủ thể"),
            _("Xã"),
            *(f"{person_name(seat.user)}{' (' + _('chủ tịch') + ')' if seat.is_chair else ''}" for seat in seats),
            _("Điểm hội đồng"),
            _("Chênh lệch"),
            _("Cần thảo luận"),
        ]
        codes = ["stt", "product", "producer", "commune", *(f"member_{seat.pk}" for seat in seats), "score", "spread"]
        codes.append("flagged")

        def rows(council=council, seats=seats):
            for number, submission in enumerate(entries.get(council.pk, []), start=1):
                entry = submission.council_entry
                cells = []
                for seat in seats:
                    total, submitted = sheets.get((entry.pk, seat.pk), (None, None))
                    if council.is_open:
                        cells.append(_("Đã nộp") if submitted else _("Chưa nộp"))
                    else:
                        cells.append(total if submitted else None)
                closed = not council.is_open and entry.score is not None
                yield [
                    number,
                    submission.product.name,
                    submission.product.producer.name,
                    submission.unit.name,
                    *cells,
                    entry.score if closed else None,
                    entry.spread if closed else None,
                    _flag(entry.flagged) if closed else "",
                ]

        write_table(
            sheet,
            codes,
            rows(),
            widths=[6, 32, 28, 20, *([14] * len(seats)), 10, 10, 10],
            labels=labels,
            column_formats=["number", "text", "text", "text", *(["number"] * len(seats)), "number", "number", "text"],
            start_row=start,
            formats=formats,
        )
        print_setup(sheet, title, header_rows=(start, start + 1))
    return book.close()


# --- the recognised list ------------------------------------------------------------------------------


def recognised_rows(filters: Filters):
    """The recognised products of the basis with their certificate and decision, most stars first, then by commune
    and name: one query."""
    return (
        Submission.objects.filter(product_statistics.recognised_where(filters))
        .select_related("product__producer", "product__group__parent", "unit", "certificate__decision")
        .order_by("-stars", "unit__path", "product__search_name", "pk")
    )


def _recognised(rows) -> Iterator[list]:
    for number, submission in enumerate(rows, start=1):
        certificate = getattr(submission, "certificate", None)
        decision = certificate.decision if certificate is not None else None
        group, sub_group = _group_names(submission.product)
        yield [
            number,
            submission.product.name,
            submission.product.producer.name,
            submission.product.producer.address,
            submission.unit.name,
            group,
            sub_group,
            submission.stars,
            decision.number if decision is not None else submission.decision_number,
            decision.date if decision is not None else submission.decision_date,
            certificate.valid_until if certificate is not None else None,
        ]


def export_ocop_recognised(
    round_: Round, output: Output = None, *, parent: Unit | None = None, group: str = "", basis: str = Basis.ALL
) -> bytes | None:
    """The recognised products of the round, with the tally by stars under the list."""
    _refuse_unit_rounds(round_)
    filters = Filters(round_, parent, None, group, basis)
    by_stars = product_statistics.stars_counts(filters)
    total = sum(by_stars.values())
    book = new_book(output)
    sheet = book.add_sheet(_("Sản phẩm được công nhận"))
    title = _("Danh sách sản phẩm OCOP được công nhận – %(round)s") % {"round": round_.name}
    start = write_title(book, sheet, title, scope_text(round_, parent, group, basis))
    labels = [
        _("STT"),
        _("Tên sản phẩm"),
        _("Chủ thể"),
        _("Địa chỉ"),
        _("Xã"),
        _("Nhóm sản phẩm"),
        _("Phân nhóm"),
        _("Số sao"),
        _("Số quyết định"),
        _("Ngày quyết định"),
        _("Hiệu lực đến"),
    ]
    codes = [
        "stt",
        "product",
        "producer",
        "address",
        "commune",
        "group",
        "sub_group",
        "stars",
        "decision_number",
        "decision_date",
        "valid_until",
    ]
    end = write_table(
        sheet,
        codes,
        tracked(_recognised(recognised_rows(filters).iterator(chunk_size=500)), total),
        widths=[6, 34, 30, 28, 22, 24, 24, 7, 18, 12, 12],
        labels=labels,
        column_formats=["number", "text", "text", "text", "text", "text", "text", "number", "text", "date", "date"],
        start_row=start,
    )
    bold = book.formats.bold
    write_cell(sheet, end + 1, 0, _("Tổng"), bold)
    write_cell(sheet, end + 1, 1, _("%(count)s sản phẩm") % {"count": vi_number(total)}, bold)
    for row, (stars, count) in enumerate(by_stars.items(), start=end + 2):
        write_cell(sheet, row, 1, _("%(stars)s sao") % {"stars": stars}, bold)
        write_cell(sheet, row, 7, count, bold)
    return _finish(book, sheet, title, start)
