"""A whole set as an XLSX workbook an office can fill in Excel and import again.

Written with :mod:`cms.xlsx`, the project's one xlsxwriter module; the layout is in
:mod:`criteria_pages.transfer.layout`.
"""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from cms.xlsx import Book, add_list_validation, write_paragraph, write_table

from ..spec import (
    FORMAT,
    NOT_APPLICABLE,
    Comparison,
    CriterionRule,
    FigureSource,
    PreconditionKind,
    ScoreAverage,
    ScoreRounding,
    SetLevel,
    SetSpec,
    StandardRule,
    TitleKind,
    ValueType,
)
from ..vocabulary import DISPLAY_CHOICES, yes_no_text
from .layout import (
    BAND_COLUMNS,
    CRITERION_COLUMNS,
    GROUP_PREFIX,
    INDICATOR_COLUMNS,
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
from .scoring_io import SCORING_KEYS
from .validation import PRECONDITION_COMPARISONS


def _group_columns(spec: SetSpec, group_codes: Sequence[str]) -> list[str]:
    extra = sorted({group for _c, indicator in spec.indicators() for group in indicator.targets} - set(group_codes))
    return list(dict.fromkeys([*group_codes, *extra]))


def spec_to_xlsx(spec: SetSpec, *, group_codes: Sequence[str]) -> bytes:
    """``spec`` as an XLSX workbook (layout: :mod:`criteria_pages.transfer.layout`).

    ``group_codes`` are the value codes of the set's classification, in display order: each gets a
    "mức: <code>" column, filled or not, so an office can enter per-group targets.
    """
    groups = _group_columns(spec, group_codes)
    book = Book()
    _write_guide(book, groups)
    _write_set_sheet(book, spec)
    _write_criteria_sheet(book, spec)
    _write_indicator_sheet(book, spec, groups)
    _write_bands_sheet(book, spec)
    _write_preconditions_sheet(book, spec)
    return book.close() or b""


def _table(book: Book, name: str, columns: Sequence[Column], rows: list[list], extra: Sequence[Column] = ()):
    sheet = book.add_sheet(name)
    all_columns = [*columns, *extra]
    write_table(
        sheet,
        [column.code for column in all_columns],
        rows,
        [column.width for column in all_columns],
        labels=[column.heading for column in all_columns],
        column_formats=[column.excel_format for column in all_columns],
    )
    return sheet


def _validations(sheet, columns: Sequence[Column], rows: int) -> None:
    lists = {
        "value_type": ValueType.values,
        "comparison": Comparison.values,
        "rule": CriterionRule.values,
    }
    last = 2 + rows + 500
    for col, column in enumerate(columns):
        if column.kind == "bool":
            add_list_validation(sheet, 2, col, last, list(DISPLAY_CHOICES))
        elif column.code in lists:
            add_list_validation(sheet, 2, col, last, lists[column.code])


def _write_guide(book: Book, groups: Sequence[str]) -> None:
    sheet = book.add_sheet(SHEET_GUIDE)
    fmt_columns = 4
    row = write_paragraph(
        sheet,
        0,
        _("Hướng dẫn điền tệp bộ tiêu chí (%(format)s)") % {"format": FORMAT},
        last_col=fmt_columns,
        style="title",
    )
    paragraphs = [
        _(
            "Tệp này mô tả trọn một bộ tiêu chí và có thể nhập lại vào hệ thống. Các trang tính: "
            "“%(set)s” (thông tin chung, mỗi dòng một trường: cột key là mã trường, cột value là giá trị); "
            "“%(criteria)s” (mỗi dòng một tiêu chí); “%(indicators)s” (mỗi dòng một chỉ tiêu, theo thứ tự trong "
            "tiêu chí); “%(bands)s” (khung xếp hạng theo điểm, từ cao xuống thấp; để trống nếu không dùng); "
            "“%(preconditions)s” (điều kiện công nhận ngoài các tiêu chí, mỗi dòng một điều kiện; để trống nếu "
            "không có)."
        )
        % {
            "set": SHEET_SET,
            "criteria": SHEET_CRITERIA,
            "indicators": SHEET_INDICATORS,
            "bands": SHEET_BANDS,
            "preconditions": SHEET_PRECONDITIONS,
        },
        _(
            "Mỗi trang có hai dòng tiêu đề: dòng 1 là tên cột tiếng Việt để đọc, dòng 2 là mã cột mà hệ thống "
            "dựa vào để đọc tệp. Không sửa hay xóa dòng mã cột và không đổi tên trang tính; có thể đổi thứ tự "
            "cột. Cột có dấu * là bắt buộc. Dữ liệu bắt đầu từ dòng 3."
        ),
        _(
            "Có/Không: ghi “có” hoặc “không” (cũng nhận “x”, TRUE/FALSE, 1/0); để trống là giá trị mặc định. "
            "Ngày: dd/mm/yyyy hoặc yyyy-mm-dd. Số thập phân: dấu chấm hoặc dấu phẩy (95,5). Kiểu giá trị, phép so "
            "sánh và điều kiện đạt: ghi mã (ví dụ percentage, gte, all) hoặc tên tiếng Việt như trong bảng dưới."
        ),
        _(
            "Mã chỉ tiêu (ví dụ 8.4, 17.10) là văn bản: cột đã định dạng văn bản để Excel không đổi 17.10 "
            "thành 17.1. Mã chỉ tiêu không được trùng trong cả bộ; số thứ tự tiêu chí không được trùng."
        ),
        _(
            "Cột target là mức chung, áp dụng cho mọi đơn vị. Mỗi cột “%(prefix)s<mã>” là mức riêng cho một giá "
            "trị của phân loại của bộ (trường classification), ví dụ “%(prefix)sTN” cho vùng Tây Nguyên; để trống "
            "thì dùng mức chung; ghi “%(na)s” nếu chỉ tiêu không áp dụng cho nhóm đó. Có thể thêm cột cho giá trị "
            "khác của phân loại. Các cột trong tệp này: %(groups)s."
        )
        % {"prefix": GROUP_PREFIX, "na": NOT_APPLICABLE, "groups": ", ".join(groups) or "—"},
        _(
            "Cách ghi mức: Có/Không: “có” hoặc “không”; số, tỷ lệ (%%), số nguyên: một số (tỷ lệ ghi 95 nghĩa là "
            "95 %%, từ 0 đến 100); chọn một mức: đúng tên một mức trong cột choices (so sánh gte: đạt mức đó hoặc "
            "cao hơn); so sánh in: các giá trị cách nhau bởi “;”; ngày: yyyy-mm-dd hoặc dd/mm/yyyy. Chỉ tiêu dùng "
            "để đánh giá mà chưa có mức thì được coi là chưa áp dụng cho đến khi nhập mức chính thức."
        ),
        _(
            "Mã sở, ngành (department) phải trùng mã trong danh mục sở, ngành của hệ thống; ở chỉ tiêu, để trống "
            "nghĩa là dùng sở, ngành của tiêu chí. Cột verified chỉ ghi “có” sau khi đã đối chiếu với văn bản "
            "quyết định."
        ),
        _(
            "Khi nhập, hệ thống kiểm tra toàn bộ tệp và liệt kê mọi lỗi (trang tính, dòng, mã cột); tệp còn lỗi "
            "thì không được nhập."
        ),
    ]
    for text in paragraphs:
        row = write_paragraph(sheet, row, text, last_col=fmt_columns, chars_per_line=150)
    row += 1
    reference = []
    for sheet_name, columns in (
        (SHEET_SET, (*SET_FIELDS, *SCORING_FIELDS)),
        (SHEET_CRITERIA, CRITERION_COLUMNS),
        (SHEET_INDICATORS, INDICATOR_COLUMNS),
        (SHEET_BANDS, BAND_COLUMNS),
        (SHEET_PRECONDITIONS, PRECONDITION_COLUMNS),
    ):
        for column in columns:
            required = _("bắt buộc") if column.required else ""
            reference.append([sheet_name, column.code, str(column.label), required, str(column.help)])
        if sheet_name == SHEET_INDICATORS:
            reference.append(
                [sheet_name, GROUP_PREFIX + "<mã>", _("Mức riêng cho nhóm <mã>"), "", _("Để trống: dùng mức chung.")]
            )
    write_table(
        sheet,
        ["Trang tính", "Mã cột", "Tên cột", "Bắt buộc", "Ý nghĩa, giá trị hợp lệ"],
        reference,
        [16, 22, 34, 10, 90],
        column_formats=["text", "text", "wrap", "text", "wrap"],
        start_row=row,
        freeze=False,
        autofilter=False,
    )


def _write_set_sheet(book: Book, spec: SetSpec) -> None:
    values = {
        "format": FORMAT,
        "code": spec.code,
        "name": spec.name,
        "legal_basis": spec.legal_basis,
        "decision_number": spec.decision_number,
        "decision_date": spec.decision_date,
        "valid_from": spec.valid_from,
        "valid_to": spec.valid_to,
        "level": spec.level,
        "classification": spec.classification,
        "standard_rule": spec.standard_rule,
        "standard_min": spec.standard_min,
        "is_illustrative": yes_no_text(spec.is_illustrative),
        "grants_title": spec.grants_title,
    }
    fields = list(SET_FIELDS)
    if spec.scoring is not None:  # OCOP: the scoring rule, only for a set that has one (older files are unchanged)
        rule = spec.scoring
        for key, attribute in SCORING_KEYS.items():
            value = getattr(rule, attribute)
            values[key] = yes_no_text(value) if isinstance(value, bool) else value
        fields += SCORING_FIELDS
    rows = [[column.code, column.heading, values[column.code]] for column in fields]
    sheet = _table(book, SHEET_SET, KEY_VALUE_COLUMNS, rows)
    lists = {
        "level": SetLevel.values,
        "standard_rule": StandardRule.values,
        "is_illustrative": list(DISPLAY_CHOICES),
        "grants_title": TitleKind.values,
        "score_average": ScoreAverage.values,
        "score_rounding": ScoreRounding.values,
        "bands_verified": list(DISPLAY_CHOICES),
    }
    for index, column in enumerate(fields):
        if column.code in lists:
            add_list_validation(sheet, 2 + index, 2, 2 + index, lists[column.code])


def _write_criteria_sheet(book: Book, spec: SetSpec) -> None:
    rows = [[c.number, c.name, c.group, c.department, c.rule, c.rule_min, c.description] for c in spec.criteria]
    sheet = _table(book, SHEET_CRITERIA, CRITERION_COLUMNS, rows)
    _validations(sheet, CRITERION_COLUMNS, len(rows))


def _write_indicator_sheet(book: Book, spec: SetSpec, groups: Sequence[str]) -> None:
    group_columns = [
        Column(GROUP_PREFIX + group, _("Mức riêng: %(group)s") % {"group": group}, kind="target", width=10)
        for group in groups
    ]
    rows = []
    for criterion, i in spec.indicators():
        rows.append(
            [
                criterion.number,
                i.code,
                i.name,
                i.guidance,
                i.value_type,
                i.unit,
                i.comparison,
                i.target,
                "\n".join(i.choices),
                yes_no_text(i.assessed),
                i.evidence.description,
                yes_no_text(i.evidence.required),
                i.evidence.min_files,
                i.department,
                i.points,
                i.source_text,
                yes_no_text(i.verified),
                *(i.targets.get(group, "") for group in groups),
            ]
        )
    sheet = _table(book, SHEET_INDICATORS, INDICATOR_COLUMNS, rows, group_columns)
    _validations(sheet, INDICATOR_COLUMNS, len(rows))


def _write_bands_sheet(book: Book, spec: SetSpec) -> None:
    _table(book, SHEET_BANDS, BAND_COLUMNS, [[band.label, band.min_points, band.stars] for band in spec.bands])


def _write_preconditions_sheet(book: Book, spec: SetSpec) -> None:
    rows = [
        [
            p.code,
            p.name,
            p.kind,
            p.department,
            p.evidence,
            p.source,
            p.comparison,
            p.threshold,
            p.unit,
            p.required_title,
            p.legal_basis,
            yes_no_text(p.verified),
        ]
        for p in spec.preconditions
    ]
    sheet = _table(book, SHEET_PRECONDITIONS, PRECONDITION_COLUMNS, rows)
    lists = {
        "kind": PreconditionKind.values,
        "source": FigureSource.values,
        "comparison": [str(value) for value in PRECONDITION_COMPARISONS],
        "required_title": TitleKind.values,
        "verified": list(DISPLAY_CHOICES),
    }
    for col, column in enumerate(PRECONDITION_COLUMNS):
        if column.code in lists:
            add_list_validation(sheet, 2, col, 2 + len(rows) + 100, lists[column.code])
