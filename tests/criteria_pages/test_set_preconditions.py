"""Recognition preconditions are configured without code: in the set editor (frozen into each version) and in the
set's JSON and XLSX files, checked with Vietnamese problems naming where they are."""

import dataclasses
import io
from decimal import Decimal

from wagtail.test.utils.form_data import inline_formset

import openpyxl
import pytest

from cms.directory.models import Role
from criteria_pages.models import CriteriaIndexPage, CriteriaSetPage, CriteriaSetVersion, PreconditionRow
from criteria_pages.spec import Comparison, FigureSource, PreconditionKind, PreconditionSpec, TitleKind
from criteria_pages.transfer import (
    SHEET_PRECONDITIONS,
    spec_from_json,
    spec_from_xlsx,
    spec_to_json,
    spec_to_xlsx,
    validate_spec,
)
from tests.criteria_pages.factories import criterion_form, indicator_form, round_spec, set_form
from tests.factories import DepartmentFactory, member, province

PRECONDITIONS = (
    PreconditionSpec(
        code="DK1",
        name="Không có nợ đọng xây dựng cơ bản",
        department="so-xd",
        evidence="Văn bản xác nhận",
        legal_basis="Quyết định 18/2022/QĐ-TTg",
        verified=True,
    ),
    PreconditionSpec(
        code="DK2",
        name="Tỷ lệ người dân hài lòng",
        kind=PreconditionKind.FIGURE,
        source=FigureSource.SATISFACTION,
        comparison=Comparison.GTE,
        threshold=Decimal("90"),
        unit="%",
    ),
    PreconditionSpec(code="DK3", name="Đạt chuẩn NTM", kind=PreconditionKind.TITLE, required_title=TitleKind.XA_NTM),
)
KNOWN = {"known_departments": {"so-xd", "so-nnmt"}, "known_groups": {"region": {"TN", "DBSH"}}}


def nang_cao():
    return dataclasses.replace(round_spec(), grants_title=TitleKind.XA_NTM_NANG_CAO, preconditions=PRECONDITIONS)


def row(code, name, kind="confirmation", department="", **fields):
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "department": department,
        "evidence": "",
        "source": "entered",
        "comparison": "gte",
        "threshold": "",
        "unit": "",
        "required_title": "",
        "legal_basis": "",
        **fields,
    }


# --- the set editor ----------------------------------------------------------------------------------------------


@pytest.fixture
def editor(client, db):
    """An office editor with a set of one criterion, built through the admin's own forms."""
    client.force_login(member(Role.OFFICE_EDITOR, unit=province(), username="office"))
    construction = DepartmentFactory(code="so-xd", name="Sở Xây dựng")
    index = CriteriaIndexPage.objects.get()
    client.post(f"/admin/pages/add/criteria_pages/criteriasetpage/{index.pk}/", set_form())
    set_page = CriteriaSetPage.objects.get(code="THU_NGHIEM")
    client.post(
        f"/admin/pages/add/criteria_pages/criterionpage/{set_page.pk}/",
        criterion_form(2, "Giao thông", construction, [indicator_form("2.1", "Tỷ lệ đường xã được nhựa hóa", "100")]),
    )
    return client, set_page, construction


def test_the_office_configures_preconditions_in_the_set_editor_and_publishing_freezes_them(editor):
    client, set_page, construction = editor
    rows = [
        row("DK1", "Không có nợ đọng xây dựng cơ bản", department=construction.pk, evidence="Văn bản xác nhận"),
        row("DK2", "Tỷ lệ người dân hài lòng", "figure", source="satisfaction", threshold="90", unit="%"),
        row("DK3", "Đạt chuẩn nông thôn mới", "title", required_title="xa_ntm"),
    ]

    response = client.post(
        f"/admin/pages/{set_page.pk}/edit/",
        set_form(grants_title="xa_ntm_nang_cao", preconditions=inline_formset(rows)),
    )

    assert response.status_code == 302, response.context["form"].errors
    spec = CriteriaSetVersion.objects.filter(set_page=set_page).order_by("-number").first().set_spec
    assert spec.grants_title == "xa_ntm_nang_cao"
    assert [(p.code, p.kind, p.department, p.threshold, p.required_title) for p in spec.preconditions] == [
        ("DK1", "confirmation", "so-xd", None, ""),
        ("DK2", "figure", "", Decimal("90"), ""),
        ("DK3", "title", "", None, "xa_ntm"),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([row("DK1", "Tỷ lệ hài lòng", "figure")], "Điều kiện số liệu cần có ngưỡng."),
        ([row("DK1", "Đạt chuẩn nông thôn mới", "title")], "Chọn danh hiệu mà đơn vị phải đang giữ."),
        ([row("DK1", "Nợ đọng"), row("DK1", "An ninh trật tự")], "Mã điều kiện DK1 bị trùng trong bộ tiêu chí."),
    ],
)
def test_the_set_editor_refuses_an_incomplete_precondition(editor, rows, message):
    client, set_page, _construction = editor
    response = client.post(f"/admin/pages/{set_page.pk}/edit/", set_form(preconditions=inline_formset(rows)))
    assert response.status_code == 200
    assert message in response.text
    assert not PreconditionRow.objects.filter(page=set_page).exists()


# --- files ---------------------------------------------------------------------------------------------------------


def test_json_and_xlsx_carry_the_title_and_the_preconditions():
    spec = nang_cao()

    from_json, problems = spec_from_json(spec_to_json(spec), **KNOWN)
    assert problems == [] and from_json == spec
    workbook = spec_to_xlsx(spec, group_codes=["TN"])
    from_xlsx, problems = spec_from_xlsx(workbook, **KNOWN)
    assert problems == [] and from_xlsx.preconditions == spec.preconditions
    assert from_xlsx.grants_title == "xa_ntm_nang_cao"
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))[SHEET_PRECONDITIONS]
    assert [cell.value for cell in sheet[2]][:4] == ["code", "name", "kind", "department"]
    assert [cell.value for cell in sheet[3]][:4] == ["DK1", "Không có nợ đọng xây dựng cơ bản", "confirmation", "so-xd"]


def test_a_file_without_the_preconditions_sheet_still_imports():
    spec = dataclasses.replace(round_spec())
    workbook = openpyxl.load_workbook(io.BytesIO(spec_to_xlsx(spec, group_codes=["TN"])))
    del workbook[SHEET_PRECONDITIONS]
    data = io.BytesIO()
    workbook.save(data)
    read, problems = spec_from_xlsx(data.getvalue(), **KNOWN)
    assert problems == [] and read.preconditions == ()


def test_bad_preconditions_are_named_by_sheet_row_and_column():
    bad = dataclasses.replace(
        nang_cao(),
        grants_title="xa_sieu_cap",
        preconditions=(
            dataclasses.replace(PRECONDITIONS[0], department="so-khong-co"),
            dataclasses.replace(PRECONDITIONS[1], threshold=None, comparison=Comparison.IN),
            dataclasses.replace(PRECONDITIONS[2], code="DK1", required_title=""),
            PreconditionSpec(code="DK4", name="", kind="bat_ky"),
        ),
    )

    _spec, problems = spec_from_xlsx(spec_to_xlsx(bad, group_codes=["TN"]), **KNOWN)
    found = {(p.sheet, p.row, p.column): p.message for p in problems}
    assert found[(SHEET_PRECONDITIONS, 3, "department")] == "Không có sở, ngành mã “so-khong-co” trong danh mục."
    assert found[(SHEET_PRECONDITIONS, 4, "threshold")] == "Điều kiện số liệu cần có ngưỡng."
    assert "Phép so sánh “in” không hợp lệ" in found[(SHEET_PRECONDITIONS, 4, "comparison")]
    assert found[(SHEET_PRECONDITIONS, 5, "code")] == "Trùng mã điều kiện “DK1”."
    assert found[(SHEET_PRECONDITIONS, 5, "required_title")] == (
        "Điều kiện danh hiệu cần ghi danh hiệu mà đơn vị phải đang giữ."
    )
    assert found[(SHEET_PRECONDITIONS, 6, "name")] == "Thiếu tên điều kiện."
    assert "Loại điều kiện “bat_ky” không hợp lệ" in found[(SHEET_PRECONDITIONS, 6, "kind")]
    assert "Danh hiệu “xa_sieu_cap” không hợp lệ" in next(p.message for p in problems if p.column == "grants_title")

    json_problems = [str(p) for p in validate_spec(bad, **KNOWN)]
    assert "JSON, cột preconditions[0].department: Không có sở, ngành mã “so-khong-co” trong danh mục." in json_problems
