"""XLSX exports of a round, read back with openpyxl and checked cell by cell against the statistics and
the plan of the generated data; the admin's download links and dashboard panel; the export command."""

import datetime
import io

from django.core.management import CommandError, call_command

import openpyxl
import pytest

from cms.directory.models import Role
from submissions.models import (
    AppraisalStatus,
    CriterionAppraisal,
    Evidence,
    IndicatorValue,
    ReturnedItem,
    Round,
    RoundStatus,
    Submission,
    SubmissionStatus,
)
from submissions.reports import exports, statistics
from submissions.reports.exports import MET_FORMAT, ExportKind
from submissions.reports.statistics import Basis
from submissions.rounds.dashboard import RoundProgressPanel
from submissions.rounds.dashboard import round_progress_panels as add_round_progress_panel
from tests.factories import DepartmentFactory, member
from tests.submissions.factories import CRITERIA, DEPARTMENT_NAMES, NOW, Data, department_of, tree_order

SENTENCE_66 = "79 xã đạt 19/19 tiêu chí; bình quân 15,93 tiêu chí/xã"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def data(statistics_data) -> Data:
    """The generated rounds of the statistics tests, built once for the module (province 66: 79 of 152 communes
    meet all 19 criteria, 15,93 on average)."""
    return statistics_data


def read(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def values(sheet, min_row=1, max_row=None) -> list[tuple]:
    return list(sheet.iter_rows(min_row=min_row, max_row=max_row, values_only=True))


def export_url(round_, kind, query=""):
    return f"/admin/submissions/round/{round_.pk}/export/{kind}/{query}"


# --- text for reading ---------------------------------------------------------------------------------


def test_vietnamese_numbers_use_a_decimal_comma():
    assert exports.vi_number(15.93, 2) == "15,93"
    assert exports.vi_number(10047) == "10.047"
    assert exports.vi_number(1234567.891, 2) == "1.234.567,89"


def test_the_sentence_comes_from_the_data(data):
    summary = statistics.round_summary(data.round, parent=data.provinces["66"])
    assert exports.statistics_sentence(summary, data.round.spec) == SENTENCE_66
    other = statistics.round_summary(data.round, parent=data.provinces["67"], basis=Basis.RECOGNISED)
    assert exports.statistics_sentence(other, data.round.spec) == "2 xã đạt 19/19 tiêu chí; bình quân 16,25 tiêu chí/xã"


# --- (1) the summary matrix ---------------------------------------------------------------------------


def test_summary_matrix_cell_by_cell(data, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        content = exports.export_summary(data.round, parent=data.provinces["66"])
    sheet = read(content)["Tổng hợp"]
    summary = statistics.round_summary(data.round, parent=data.provinces["66"])
    numbers = list(range(1, CRITERIA + 1))
    labels, codes = values(sheet, 4, 5)
    assert labels == (
        "Mã đơn vị",
        "Đơn vị",
        "Trực thuộc",
        "Trạng thái hồ sơ",
        *(f"{n}. Tiêu chí số {n}" for n in numbers),
        "Số tiêu chí đạt",
        "Đạt chuẩn",
    )
    assert codes == (
        "unit_code",
        "unit_name",
        "parent_name",
        "status",
        *(f"tc_{n}" for n in numbers),
        "criteria_met",
        "standard_reached",
    )
    plan = tree_order([row for row in data.rows if row.province == "66"])
    body = values(sheet, 6, 5 + len(plan))
    assert len(body) == 152
    for cells, row in zip(body, plan, strict=True):
        assert cells[0] == row.code
        assert cells[1] == f"Xã {row.code}"
        assert cells[3] == "Đã công nhận"
        assert list(cells[4 : 4 + CRITERIA]) == [int(n in row.met) for n in numbers]
        assert cells[4 + CRITERIA] == row.criteria_met == sum(cells[4 : 4 + CRITERIA])
        assert cells[5 + CRITERIA] == int(row.standard)
    totals, sentence = values(sheet, 6 + len(plan), 7 + len(plan))
    assert totals[0] == "Tổng"
    assert list(totals[4 : 4 + CRITERIA]) == [stat.units_meeting for stat in summary.criteria]
    assert list(totals[4 : 4 + CRITERIA]) == [sum(cells[4 + i] for cells in body) for i in range(CRITERIA)]
    assert totals[4 + CRITERIA] == 2421 == summary.criteria_met_total
    assert totals[5 + CRITERIA] == 79
    assert sentence[0] == SENTENCE_66
    # Real numbers that read "Đạt" / "—"; headers frozen (and the unit's code and name); a filter.
    assert sheet.cell(6, 5).number_format == MET_FORMAT
    assert sheet.freeze_panes == "C6"
    assert sheet.auto_filter.ref == f"A5:Y{5 + len(plan)}"
    # Printing: landscape A4, fitted to the page width, both header rows on every page.
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$4:$5"


def test_summary_matrix_of_published_results_only(data):
    sheet = read(exports.export_summary(data.round, basis=Basis.PUBLISHED))["Tổng hợp"]
    published = tree_order([row for row in data.rows if row.counted(Basis.PUBLISHED)])
    body = values(sheet, 6, 5 + len(published))
    assert [cells[0] for cells in body] == [row.code for row in published]
    assert "25006" not in {cells[0] for cells in body}  # recognised, not published
    totals = values(sheet, 6 + len(published), 6 + len(published))[0]
    assert totals[0] == "Tổng"
    assert totals[5 + CRITERIA] == data.expected(Basis.PUBLISHED)["units_reaching_standard"]


def test_summary_export_queries_do_not_grow_with_the_units(data, django_assert_max_num_queries, monkeypatch):
    """Units are read with a cursor and their criteria fetched by chunks: a few queries per chunk."""
    monkeypatch.setattr(statistics, "RESULTS_CHUNK", 40)
    with django_assert_max_num_queries(4 + 5):  # summary (3), the rows (1), 162 / 40 -> 5 chunks
        exports.export_summary(data.round)


# --- (2) one unit's detailed report -------------------------------------------------------------------


def test_unit_report_lists_every_indicator_with_value_target_verdict_evidence_and_comments(data):
    submission = Submission.objects.get(round=data.round, unit=data.units["25002"])
    IndicatorValue.objects.create(
        submission=submission, code="1.1", criterion_number=1, raw="có", status="met", target="có"
    )
    IndicatorValue.objects.create(
        submission=submission, code="3.1", criterion_number=3, raw="không", status="not_met", target="có"
    )
    replaced = Evidence.objects.create(
        submission=submission, indicator_code="1.1", file="evidence/a.pdf", original_name="a.pdf", size=1, sha256="a"
    )
    current = Evidence.objects.create(
        submission=submission, indicator_code="1.1", file="evidence/b.pdf", original_name="b.pdf", size=1, sha256="b"
    )
    Evidence.objects.filter(pk=replaced.pk).update(replaced_by=current)
    ReturnedItem.objects.create(
        submission=submission, stage=SubmissionStatus.APPRAISAL, indicator_code="3.1", comment="Bổ sung biên bản."
    )
    ReturnedItem.objects.create(
        submission=submission, stage=SubmissionStatus.APPRAISAL, criterion_number=4, comment="Chưa đủ hồ sơ."
    )
    book = read(exports.export_unit(exports.unit_submission(data.round, data.units["25002"])))
    assert book.sheetnames == ["Tổng hợp", "Tiêu chí", "Chỉ tiêu", "Ý kiến"]

    facts = dict(values(book["Tổng hợp"], 4))
    assert facts["Đơn vị"] == "Xã 25002"
    assert facts["Trực thuộc"] == "Huyện Đắk Mil"
    assert facts["Trạng thái hồ sơ"] == "Sở, ngành đang thẩm định"
    assert facts["Số tiêu chí đạt"] == 12
    assert facts["Đạt chuẩn"] == "Chưa đạt"

    criteria = values(book["Tiêu chí"], 2)
    assert [cells[0] for cells in criteria] == list(range(1, CRITERIA + 1))
    row = next(row for row in data.rows if row.code == "25002")
    for cells in criteria:
        number = cells[0]
        assert cells[2] == DEPARTMENT_NAMES[department_of(number)]
        assert cells[3] == ("Đạt" if number in row.met else "Chưa đạt")
        assert cells[7] == str(AppraisalStatus(row.appraisals[number]).label)
    assert criteria[0][10] == "Ý kiến tiêu chí 1"
    assert criteria[3][11] == "Chưa đủ hồ sơ."
    assert isinstance(criteria[0][8], datetime.datetime)  # the appraisal date, a real date cell

    indicators = {cells[1]: cells for cells in values(book["Chỉ tiêu"], 2)}
    assert len(indicators) == CRITERIA
    assert indicators["1.1"][4:9] == ("Có", None, "= Có", "Đạt", 1)
    assert indicators["3.1"][4:10] == ("Không", None, "= Có", "Chưa đạt", 0, "Bổ sung biên bản.")
    assert indicators["5.1"][7] == "Chưa nhập"
    comments = values(book["Ý kiến"], 2)
    assert {cells[4] for cells in comments} == {"Bổ sung biên bản.", "Chưa đủ hồ sơ."}


def test_unit_report_needs_a_submission(data):
    with pytest.raises(exports.ExportError):
        exports.export_round(data.previous, ExportKind.UNIT, unit=data.units["25002"])


# --- (3) the departments' appraisal lists -------------------------------------------------------------


def test_department_lists(data, settings):
    settings.REVIEW_STAGE_DAYS = 10
    ReturnedItem.objects.create(
        submission=Submission.objects.get(round=data.round, unit=data.units["25002"]),
        stage=SubmissionStatus.APPRAISAL,
        criterion_number=4,
        comment="Thiếu quyết định.",
    )
    book = read(exports.export_departments(data.round, now=NOW))
    progress = statistics.appraisal_progress(data.round, now=NOW)
    assert book.sheetnames[0] == "Tổng hợp"
    assert sorted(book.sheetnames[1:]) == sorted(DEPARTMENT_NAMES.values())
    overview = values(book["Tổng hợp"], 5)
    assert overview[0] == (
        "Sở, ngành",
        "Tiêu chí phụ trách",
        "Chờ thẩm định",
        "Đã thẩm định",
        "Trả lại",
        "Quá hạn",
        "Tổng",
    )
    assert overview[1:] == [
        (p.name, ", ".join(map(str, p.criteria)), p.pending, p.approved, p.returned, p.overdue, p.total)
        for p in progress
    ]
    for item in progress:
        rows = values(book[item.name], 4)
        assert len(rows) == item.total == CriterionAppraisal.objects.filter(department__code=item.code).count()
        statuses = [cells[5] for cells in rows]
        assert statuses.count("Chờ thẩm định") == item.pending
        assert statuses.count("Trả lại") == item.returned
        assert [cells[9] for cells in rows].count("Quá hạn") == item.overdue
        assert all(department_of(cells[3]) == item.code for cells in rows)
    returned = next(cells for cells in values(book["Sở Xây dựng"], 4) if cells[5] == "Trả lại")
    assert (returned[0], returned[3], returned[8]) == ("25002", 4, "Thiếu quyết định.")


# --- (4) the statistics -------------------------------------------------------------------------------


def test_statistics_workbook_matches_the_selectors(data):
    parent = data.provinces["66"]
    book = read(exports.export_statistics(data.round, parent=parent, now=NOW))
    stats = statistics.round_statistics(data.round, parent=parent, now=NOW)
    assert book.sheetnames == [
        "Thống kê",
        "Theo tiêu chí",
        "Phân bố",
        "Theo bước",
        "Theo sở, ngành",
        "Theo nhóm",
        "So với đợt trước",
    ]
    sheet = book["Thống kê"]
    assert sheet["A3"].value == SENTENCE_66
    figures = {cells[0]: cells[1:] for cells in values(sheet, 6) if cells[0]}
    assert figures["Số xã trong phạm vi"][0] == 152
    assert figures["Đạt 19/19 tiêu chí"] == (79, "79/152 xã (51,97%)")
    assert figures["Đạt chuẩn"][0] == 79
    assert figures["Tổng số tiêu chí đạt"] == (2421, "2.421")
    assert figures["Bình quân số tiêu chí đạt/xã"] == (15.93, "15,93")
    average = next(cell for cell in sheet["B"] if cell.value == 15.93)
    assert average.number_format == "0.00"
    assert figures["So với đợt trước: số tiêu chí tăng thêm"][0] == stats.changes.criteria_gained == 8

    criteria = values(book["Theo tiêu chí"], 2)
    assert [(cells[0], cells[3], cells[5]) for cells in criteria] == [
        (stat.number, stat.units_meeting, 152 - stat.units_meeting) for stat in stats.summary.criteria
    ]
    assert criteria[0][4] == round(100 * stats.summary.criteria[0].units_meeting / 152, 2)
    distribution = values(book["Phân bố"], 2)
    assert [(cells[0], cells[1]) for cells in distribution] == [(d.criteria_met, d.units) for d in stats.distribution]
    assert dict(values(book["Theo bước"], 2))["Đã công nhận"] == 152
    departments = values(book["Theo sở, ngành"], 2)
    assert [(cells[0], cells[3]) for cells in departments] == [(d.name, d.approved) for d in stats.departments]
    assert sum(cells[6] for cells in departments) == 2421
    assert values(book["Theo nhóm"], 2) == [("TN", "Tây Nguyên", 152, 79, 79, 15.93)]
    changes = {cells[0]: cells for cells in values(book["So với đợt trước"], 2)}
    assert changes["24005"] == ("24005", "Xã 24005", 2, "2, 3", 0, None)
    assert changes["24079"] == ("24079", "Xã 24079", 0, None, 1, "4")


# --- the command --------------------------------------------------------------------------------------


def test_export_round_command(data, tmp_path):
    output = tmp_path / "thong-ke.xlsx"
    call_command("export_round", data.round.pk, "--output", str(output), "--kind", "statistics", "--parent", "66")
    assert read(output.read_bytes())["Thống kê"]["A3"].value == SENTENCE_66
    output = tmp_path / "xa.xlsx"
    call_command("export_round", data.round.pk, "--output", str(output), "--kind", "unit", "--unit", "24000")
    assert dict(values(read(output.read_bytes())["Tổng hợp"], 4))["Mã đơn vị"] == "24000"
    output = tmp_path / "tong-hop.xlsx"
    call_command("export_round", str(data.round.pk), "--output", str(output))
    assert read(output.read_bytes())["Tổng hợp"].max_row == 5 + 162 + 2
    with pytest.raises(CommandError):
        call_command("export_round", data.round.pk, "--output", str(output), "--kind", "unit")
    with pytest.raises(CommandError):
        call_command("export_round", data.round.pk, "--output", str(output), "--kind", "unit", "--unit", "99999")
    with pytest.raises(CommandError):
        call_command("export_round", 0, "--output", str(output))


# --- the admin: downloads, the round's page, the dashboard --------------------------------------------


def test_office_editor_downloads_the_exports_of_their_province(client, data):
    client.force_login(data.office)
    response = client.get(export_url(data.round, "summary"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert f'filename="tong-hop-dot-{data.round.pk}-66.xlsx"' in response["Content-Disposition"]
    sheet = read(b"".join(response.streaming_content))["Tổng hợp"]
    codes = {cells[0] for cells in values(sheet, 6)}
    assert "24000" in codes and "25000" not in codes
    assert SENTENCE_66 in codes
    for kind in ("statistics", "departments"):
        response = client.get(export_url(data.round, kind))
        assert response.status_code == 200
        read(b"".join(response.streaming_content))
    response = client.get(export_url(data.round, "unit", "?unit=24001"))
    assert response.status_code == 200
    assert "bao-cao-dot" in response["Content-Disposition"]
    # Another province's commune or subtree is not theirs.
    assert client.get(export_url(data.round, "unit", "?unit=25001")).status_code == 404
    refused = client.get(export_url(data.round, "summary", "?parent=67"))
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's "permission denied"
    assert client.get(export_url(data.round, "nonsense")).status_code == 404


def test_superuser_downloads_the_whole_round(client, data):
    client.force_login(data.superuser)
    response = client.get(export_url(data.round, "summary"))
    sheet = read(b"".join(response.streaming_content))["Tổng hợp"]
    assert sheet.max_row == 5 + 162 + 2


def test_exports_are_refused_to_users_without_an_office_scope(client, data):
    appraiser = member(Role.DEPARTMENT_APPRAISER, department=DepartmentFactory(code="so-xd"), username="thamdinh")
    client.force_login(appraiser)
    response = client.get(export_url(data.round, "summary"))
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert "Content-Disposition" not in response
    client.logout()
    response = client.get(export_url(data.round, "summary"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_round_page_offers_the_exports_and_the_statistics(client, data, django_assert_max_num_queries):
    client.force_login(data.office)
    # A fixed budget whatever the round's size; the admin menu's modeladmin items each read their model's
    # permissions once (the OCOP producers, products and classification added three).
    with django_assert_max_num_queries(33):
        response = client.get(f"/admin/submissions/round/inspect/{data.round.pk}/")
    assert response.status_code == 200
    section = response.text.split('id="round-statistics"')[1].split("</section>")[0]
    assert SENTENCE_66 in section
    for kind in ("summary", "statistics", "departments"):
        assert export_url(data.round, kind) in section
    assert f"{export_url(data.round, 'unit')}?unit=24000" in response.text


def test_dashboard_panel_shows_the_open_round_of_the_province(client, data, django_assert_max_num_queries, settings):
    settings.REVIEW_STAGE_DAYS = 10
    client.force_login(data.office)
    response = client.get("/admin/")
    assert response.status_code == 200
    panel = response.text.split('id="ntm-round-progress-content"')[1]
    assert "Đánh giá năm 2026" in panel
    assert SENTENCE_66 in panel
    table = " ".join(panel.split('id="ntm-progress-table"')[1].split("</table>")[0].split())
    assert "<caption" in table
    for label, value in (("Đơn vị trong phạm vi", 152), ("Đã được công nhận", 152), ("Đạt đủ 19/19 tiêu chí", 79)):
        assert f'<th scope="row">{label}</th> <td>{value}</td>' in table
    assert "15,93" in table  # Vietnamese decimal comma
    assert 'aria-hidden="true"' in panel  # the bars repeat the table for sighted readers
    assert "Không có tiêu chí nào đang chờ sở, ngành thẩm định." in panel  # province 66: all approved

    # Province 67's office sees its bottlenecks: pending and overdue appraisals per department.
    office_67 = member(Role.OFFICE_EDITOR, unit=data.provinces["67"], username="vanphong67")
    client.force_login(office_67)
    with django_assert_max_num_queries(45):
        response = client.get("/admin/")
    bottlenecks = response.text.split('id="ntm-bottlenecks"')[1].split("</table>")[0]
    progress = statistics.appraisal_progress(data.round, parent=data.provinces["67"])
    for item in progress:
        assert item.name in bottlenecks
    assert sum(item.overdue for item in progress) == 15
    assert "<strong>5</strong>" in bottlenecks


def test_dashboard_panel_queries_are_bounded(rf, data, django_assert_max_num_queries):
    request = rf.get("/admin/")
    request.user = data.office
    panels = []
    with django_assert_max_num_queries(4):
        add_round_progress_panel(request, panels)
    assert isinstance(panels[0], RoundProgressPanel)
    with django_assert_max_num_queries(5):
        html = panels[0].render_html({"request": request})
    assert "79" in html


def test_no_panel_without_an_open_round_or_an_office_scope(rf, data):
    request = rf.get("/admin/")
    request.user = member(Role.DEPARTMENT_APPRAISER, department=DepartmentFactory(code="so-xd"), username="thamdinh")
    panels = []
    add_round_progress_panel(request, panels)
    assert panels == []
    Round.objects.filter(pk=data.round.pk).update(status=RoundStatus.CLOSED)
    request.user = data.office
    add_round_progress_panel(request, panels)
    assert panels == []
