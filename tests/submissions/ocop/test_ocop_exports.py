"""The OCOP round's xlsx exports: the ranked list (equal scores share a rank), the councils' score sheets (one
worksheet per council; a council still scoring shows who submitted, never a score) and the recognised list; served
by the round's export download to the office of its province only."""

import io

from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import openpyxl
import pytest

from cms.directory.models import Role
from submissions.models import Basis, Submission, SubmissionStatus
from submissions.reports.exports import ExportError, ExportKind, export_filename, export_round
from submissions.reports.statistics import Filters
from submissions.reports.statistics import products as product_statistics
from submissions.rounds.views import EXPORT_URL_NAME
from tests.factories import member, province, shared_layer
from tests.submissions.ocop.factories import council_with, dossiers, product_round, scored
from tests.submissions.ocop.recognised import products_in, recognised_round


@shared_layer
def exported(area):
    """A product round of the province: the first council closed (80, 80, a flagged 65 and a 2-star 40), the
    province's decision recognising the first three; a second council still scoring two products (one member has
    submitted)."""
    communes = [area["communes"]["hoa_thuan"], area["communes"]["ea_wer"]]
    built = recognised_round(
        area["province"],
        communes,
        area["office"],
        [(80, 80, 80), ("79.5", "80.5", 80), (60, 60, 75), (40, 40, 40)],
        prefix="Cà phê",
    )
    second = council_with(built.round, province=area["province"], name="Hội đồng OCOP số 2")
    products = products_in(communes, 2, prefix="Tiêu")
    submissions = dossiers(built.round, products)
    scored(second, dict.fromkeys(submissions, (70, 71, 72)), office=area["office"], submit=False)
    first_member = second.members.order_by("-is_chair", "pk").first()
    first_member.sheets.update(submitted_at=timezone.now())
    previous = product_round(
        area["province"], built.round.criteria_version, office=area["office"], open_=False, name="Đánh giá OCOP 2023"
    )
    earlier = {submission.product.name: submission for submission in dossiers(previous, built.products)}
    for name, stars in {"Cà phê 1": 3, "Cà phê 2": 4, "Cà phê 3": 4, "Cà phê 4": 3}.items():
        Submission.objects.filter(pk=earlier[name].pk).update(
            status=SubmissionStatus.RECOGNISED, stars=stars, published=True
        )
    return {"round": built.round, "previous": previous}


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def table(sheet, first_code: str) -> tuple[list[str], list[tuple]]:
    """(codes, data rows) of the table whose machine-code header row starts with ``first_code``."""
    rows = list(sheet.iter_rows(values_only=True))
    index = next(i for i, row in enumerate(rows) if row[0] == first_code)
    data = []
    for row in rows[index + 1 :]:
        if row[1] is None:
            break
        data.append(row)
    return list(rows[index]), data


def test_ranked_list_shares_ranks_and_shows_the_flag(exported):
    book = workbook(export_round(exported["round"], ExportKind.OCOP_RANKED))
    codes, rows = table(book.active, "rank")
    assert codes[:3] == ["rank", "product", "producer"]
    by_product = {row[1]: dict(zip(codes, row, strict=True)) for row in rows}
    assert [row[0] for row in rows[:4]] == [1, 1, 3, 4]
    assert by_product["Cà phê 1"]["score"] == 80 and by_product["Cà phê 1"]["stars"] == 4
    assert by_product["Cà phê 3"]["flagged"] == "Có" and by_product["Cà phê 1"]["flagged"] == "Không"
    assert by_product["Cà phê 4"]["stars"] == 2
    assert by_product["Tiêu 1"]["rank"] is None and by_product["Tiêu 1"]["score"] is None  # still being scored
    assert by_product["Cà phê 1"]["status"] == "Đã công nhận"
    assert "Xếp hạng" in book.sheetnames


def test_score_sheets_one_worksheet_per_council_members_in_columns(exported):
    book = workbook(export_round(exported["round"], ExportKind.OCOP_SHEETS))
    assert book.sheetnames == ["Hội đồng OCOP tỉnh", "Hội đồng OCOP số 2"]
    codes, rows = table(book["Hội đồng OCOP tỉnh"], "stt")
    members = [code for code in codes if code.startswith("member_")]
    assert len(members) == 3 and codes[-3:] == ["score", "spread", "flagged"]
    flagged = next(dict(zip(codes, row, strict=True)) for row in rows if row[1] == "Cà phê 3")
    assert [flagged[code] for code in members] == [60, 60, 75]
    assert (flagged["score"], flagged["spread"], flagged["flagged"]) == (65, 15, "Có")
    labels = next(row for row in book["Hội đồng OCOP tỉnh"].iter_rows(values_only=True) if row[0] == "STT")
    assert "(chủ tịch)" in labels[4]
    codes, rows = table(book["Hội đồng OCOP số 2"], "stt")
    open_rows = [dict(zip(codes, row, strict=True)) for row in rows]
    assert [row[members_of(codes)[0]] for row in open_rows] == ["Đã nộp", "Đã nộp"]
    assert [row[members_of(codes)[1]] for row in open_rows] == ["Chưa nộp", "Chưa nộp"]
    assert all(row["score"] is None for row in open_rows)


def members_of(codes):
    return [code for code in codes if code.startswith("member_")]


def test_recognised_list_with_decision_and_validity(exported):
    book = workbook(export_round(exported["round"], ExportKind.OCOP_RECOGNISED, basis=Basis.PUBLISHED))
    codes, rows = table(book.active, "stt")
    assert [row[1] for row in rows] == ["Cà phê 1", "Cà phê 2", "Cà phê 3"]
    first = dict(zip(codes, rows[0], strict=True))
    assert first["decision_number"] == "1234/QĐ-UBND" and first["stars"] == 4
    assert first["valid_until"].date().isoformat() == "2029-11-19"
    assert first["commune"] == "Xã Hòa Thuận" and first["group"] == "Đồ uống"


def test_kinds_belong_to_their_rounds(exported, open_round):
    with pytest.raises(ExportError, match="không đánh giá sản phẩm OCOP"):
        export_round(open_round, ExportKind.OCOP_RECOGNISED)
    with pytest.raises(ExportError, match="Đợt đánh giá sản phẩm OCOP"):
        export_round(exported["round"], ExportKind.SUMMARY)
    assert export_filename(exported["round"], ExportKind.OCOP_RECOGNISED).startswith("cong-nhan-ocop-dot-")


def test_the_export_download_serves_the_office_of_the_province_only(exported, area):
    url = reverse(EXPORT_URL_NAME, args=[exported["round"].pk, ExportKind.OCOP_RANKED])
    office = Client()
    office.force_login(area["office"])
    response = office.get(url)
    assert response.status_code == 200
    assert workbook(b"".join(response.streaming_content)).sheetnames == ["Xếp hạng"]
    other = Client()
    other.force_login(member(Role.OFFICE_EDITOR, unit=province("80", "Tỉnh Long An")))
    assert other.get(url).status_code in (403, 404)
    officer = Client()
    officer.force_login(area["officers"]["hoa_thuan"])
    assert officer.get(url).status_code in (302, 403, 404)


def test_changes_since_the_previous_round_per_product(exported, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        changes = product_statistics.changes_between(Filters(exported["round"]), previous=exported["previous"])
    by_name = {item.product_name: (item.before, item.after, item.change) for item in changes.products}
    assert by_name == {
        "Cà phê 1": (3, 4, "gained"),
        "Cà phê 2": (4, 4, "kept"),
        "Cà phê 3": (4, 3, "lost"),
        "Cà phê 4": (3, None, "lost"),
    }
    assert (changes.gained, changes.lost, changes.kept) == (1, 2, 1)


def test_the_statistics_of_a_product_round_speak_of_products(exported, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        stats = product_statistics.product_round_statistics(Filters(exported["round"]))
    html = render_to_string("submissions/reports/ocop_statistics.html", {"ocop_statistics": stats})
    assert "3 sản phẩm được công nhận" in html
    assert "Sản phẩm có hồ sơ" in html and "Phân bố điểm hội đồng" in html and "Xã Hòa Thuận" in html
    assert "đơn vị" not in html.lower() and "tiêu chí" not in html.lower()
    assert [item.products for item in stats.distribution[4:9]] == [1, 0, 1, 0, 2]  # 40; 65; 80 and 80
    assert stats.summary.products_in_scope == 6 and stats.summary.products_scored == 4
