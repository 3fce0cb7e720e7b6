"""The XLSX layout shared by the writer and the reader: sheet names and columns.

Written with :mod:`cms.xlsx` (xlsxwriter), read with openpyxl. Sheets, in this order:

``Hướng dẫn``
    Instructions for an office filling the file in Excel, and the list of every column. Ignored
    when reading.
``Bộ tiêu chí``
    One row per field of the set: columns ``key`` (machine field name), ``label`` (its meaning) and
    ``value``. Keys: format, code*, name*, legal_basis, decision_number, decision_date, valid_from,
    valid_to (dates dd/mm/yyyy or yyyy-mm-dd), level (commune/district/village/product),
    classification (e.g. region, commune_group), standard_rule (all/at_least/score), standard_min,
    is_illustrative (có/không).
``Tiêu chí``
    One row per criterion: number*, name*, group, department (department code), rule
    (all/at_least/points), rule_min, description.
``Chỉ tiêu``
    One row per indicator, in order within its criterion: criterion* (the criterion's number),
    code*, name*, guidance, value_type* (boolean/number/percentage/integer/choice/text/date), unit,
    comparison (gte/lte/eq/in), target (the common target), choices (one per line, or separated by
    ";"), assessed, evidence_description, evidence_required, evidence_min_files, department, points,
    source_text, verified; then one column per value of the set's classification, headed
    ``mức: <value code>`` (e.g. ``mức: TN``), holding that group's target ("n/a": not applicable).
    OCOP sets (level product) add the scoring rule's keys (:data:`SCORING_FIELDS`): score_average
    (mean/trimmed_mean), score_decimals, score_rounding (half_up/half_even/down), score_gap,
    certificate_months, reminder_days, min_recognised_stars, national_stars, bands_verified (có/không),
    bands_source. Written only when the set has a scoring rule; a file without them reads as before.
``Xếp hạng``
    Score bands, highest first: label*, min_points*, stars (OCOP: the stars of the band). Optional when reading.
``Điều kiện công nhận``
    Recognition preconditions besides the criteria, in order: code*, name*, kind (confirmation/figure/title),
    department (the confirming department's code), evidence, source (entered/satisfaction), comparison,
    threshold, unit, required_title (a title kind), legal_basis, verified. Optional when reading; the set's
    ``grants_title`` is a field of ``Bộ tiêu chí``.

Every table sheet has two header rows: row 1 the Vietnamese column names (for people), row 2 the
machine codes above (what the reader relies on: it looks for that row among the first rows, so
columns may be reordered and the label row may be deleted). Data starts on the next row. ``*``
marks required columns. Booleans accept có/không, x, TRUE/FALSE, 1/0 (empty = the default);
numbers accept Excel numbers or text with "." or "," as decimal mark; enum cells accept the machine
value or its Vietnamese label. Problems name the sheet, the Excel row number and the column code.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from ..spec import (
    FORMAT,
    Comparison,
    CriterionRule,
    FigureSource,
    PreconditionKind,
    ScoreAverage,
    ScoreRounding,
    SetLevel,
    StandardRule,
    TitleKind,
    ValueType,
)

SHEET_GUIDE = "Hướng dẫn"
SHEET_SET = "Bộ tiêu chí"
SHEET_CRITERIA = "Tiêu chí"
SHEET_INDICATORS = "Chỉ tiêu"
SHEET_BANDS = "Xếp hạng"
SHEET_PRECONDITIONS = "Điều kiện công nhận"
JSON_SHEET = "JSON"
GROUP_PREFIX = "mức: "
GROUP_HEADER = re.compile(r"^muc\s*:\s*(?P<code>.*)$")


# --------------------------------------------------------------------------------------------
# Columns


@dataclass(frozen=True)
class Column:
    code: str
    label: Any  # lazy Vietnamese label
    help: Any = ""
    required: bool = False
    kind: str = "text"  # text | long | code | int | decimal | bool | date | enum | choices | target
    width: int = 14

    @property
    def excel_format(self) -> str | None:
        return {
            "text": "text",
            "code": "text",
            "target": "text",
            "enum": "text",
            "bool": "text",
            "long": "wrap",
            "choices": "wrap",
            "int": "number",
            "decimal": "number",
            "date": "date",
        }[self.kind]

    @property
    def heading(self) -> str:
        return f"{self.label} *" if self.required else str(self.label)


def _enum_help(enum) -> str:
    return "; ".join(f"{value} = {label}" for value, label in enum.choices)


SET_FIELDS = (
    Column("format", gettext_lazy("Định dạng tệp"), format_lazy(gettext_lazy("Luôn là “{format}”."), format=FORMAT)),
    Column("code", gettext_lazy("Mã bộ tiêu chí"), gettext_lazy("Chữ không dấu, số, “_”, “-”."), True),
    Column("name", gettext_lazy("Tên bộ tiêu chí"), required=True),
    Column("legal_basis", gettext_lazy("Căn cứ pháp lý")),
    Column("decision_number", gettext_lazy("Số quyết định")),
    Column("decision_date", gettext_lazy("Ngày quyết định"), gettext_lazy("dd/mm/yyyy"), kind="date"),
    Column("valid_from", gettext_lazy("Áp dụng từ ngày"), gettext_lazy("dd/mm/yyyy"), kind="date"),
    Column("valid_to", gettext_lazy("Áp dụng đến ngày"), gettext_lazy("dd/mm/yyyy"), kind="date"),
    Column("level", gettext_lazy("Cấp áp dụng"), _enum_help(SetLevel), kind="enum"),
    Column(
        "classification",
        gettext_lazy("Mã phân loại mà mức chỉ tiêu phụ thuộc"),
        gettext_lazy("Ví dụ: region (7 vùng), commune_group (3 nhóm xã). Để trống nếu chỉ có mức chung."),
    ),
    Column("standard_rule", gettext_lazy("Điều kiện đạt chuẩn"), _enum_help(StandardRule), kind="enum"),
    Column(
        "standard_min",
        gettext_lazy("N tiêu chí / ngưỡng điểm"),
        gettext_lazy("Bắt buộc khi điều kiện là at_least hoặc score."),
        kind="decimal",
    ),
    Column("is_illustrative", gettext_lazy("Bộ minh họa"), gettext_lazy("có / không"), kind="bool"),
    Column(
        "grants_title",
        gettext_lazy("Danh hiệu được công nhận"),
        format_lazy("{}; {}", _enum_help(TitleKind), gettext_lazy("để trống nếu không có")),
        kind="enum",
    ),
)
KEY_VALUE_COLUMNS = (
    Column("key", gettext_lazy("Mã trường"), required=True, width=18),
    Column("label", gettext_lazy("Ý nghĩa"), width=42, kind="long"),
    Column("value", gettext_lazy("Giá trị"), required=True, width=60),
)
CRITERION_COLUMNS = (
    Column("number", gettext_lazy("Số TT tiêu chí"), gettext_lazy("Số nguyên, không trùng."), True, "int", 10),
    Column("name", gettext_lazy("Tên tiêu chí"), required=True, kind="long", width=40),
    Column("group", gettext_lazy("Nhóm nội dung"), width=28),
    Column("department", gettext_lazy("Mã sở, ngành phụ trách"), gettext_lazy("Mã trong danh mục sở, ngành.")),
    Column("rule", gettext_lazy("Điều kiện đạt"), _enum_help(CriterionRule), kind="enum", width=12),
    Column(
        "rule_min",
        gettext_lazy("k chỉ tiêu / điểm tối thiểu"),
        gettext_lazy("Bắt buộc khi điều kiện là at_least hoặc points."),
        kind="decimal",
        width=12,
    ),
    Column("description", gettext_lazy("Mô tả"), kind="long", width=50),
)
INDICATOR_COLUMNS = (
    Column(
        "criterion",
        gettext_lazy("Số TT tiêu chí"),
        gettext_lazy("Số của tiêu chí trong trang “Tiêu chí”."),
        True,
        "int",
        10,
    ),
    Column("code", gettext_lazy("Mã chỉ tiêu"), gettext_lazy("Ví dụ 8.4; không trùng trong bộ."), True, "code", 10),
    Column("name", gettext_lazy("Tên chỉ tiêu"), required=True, kind="long", width=50),
    Column("guidance", gettext_lazy("Hướng dẫn"), kind="long", width=30),
    Column("value_type", gettext_lazy("Kiểu giá trị"), _enum_help(ValueType), True, "enum", 12),
    Column("unit", gettext_lazy("Đơn vị tính"), width=10),
    Column("comparison", gettext_lazy("So sánh"), _enum_help(Comparison), kind="enum", width=10),
    Column(
        "target",
        gettext_lazy("Mức chung"),
        gettext_lazy(
            "Có/Không: “có” hoặc “không”; số: 95; chọn một mức: tên mức; ngày: yyyy-mm-dd; “in”: cách nhau bởi “;”."
        ),
        kind="target",
        width=12,
    ),
    Column(
        "choices",
        gettext_lazy("Các mức lựa chọn"),
        gettext_lazy("Cho kiểu choice: mỗi dòng một mức (hoặc cách nhau bởi “;”), từ thấp đến cao."),
        kind="choices",
        width=24,
    ),
    Column(
        "assessed", gettext_lazy("Dùng để đánh giá"), gettext_lazy("có / không; để trống = có."), kind="bool", width=10
    ),
    Column("evidence_description", gettext_lazy("Minh chứng cần nộp"), kind="long", width=30),
    Column("evidence_required", gettext_lazy("Bắt buộc minh chứng"), gettext_lazy("có / không"), kind="bool", width=10),
    Column("evidence_min_files", gettext_lazy("Số tệp minh chứng tối thiểu"), kind="int", width=10),
    Column(
        "department",
        gettext_lazy("Mã sở, ngành (nếu khác tiêu chí)"),
        gettext_lazy("Để trống: sở, ngành của tiêu chí."),
    ),
    Column("points", gettext_lazy("Điểm"), kind="decimal", width=8),
    Column("source_text", gettext_lazy("Nguồn / trích dẫn"), kind="long", width=40),
    Column("verified", gettext_lazy("Đã đối chiếu với quyết định"), gettext_lazy("có / không"), kind="bool", width=10),
)
BAND_COLUMNS = (
    Column("label", gettext_lazy("Hạng"), gettext_lazy("Ví dụ: 5 sao"), True, width=20),
    Column("min_points", gettext_lazy("Điểm từ"), gettext_lazy("Xếp từ cao xuống thấp."), True, "decimal", 12),
    Column("stars", gettext_lazy("Số sao"), gettext_lazy("OCOP: số sao của hạng (1 đến 5)."), kind="int", width=8),
)
PRECONDITION_COLUMNS = (
    Column("code", gettext_lazy("Mã điều kiện"), gettext_lazy("Ví dụ DK1; không trùng trong bộ."), True, "code", 10),
    Column("name", gettext_lazy("Điều kiện"), required=True, kind="long", width=50),
    Column("kind", gettext_lazy("Loại"), _enum_help(PreconditionKind), kind="enum", width=14),
    Column("department", gettext_lazy("Mã sở, ngành xác nhận"), gettext_lazy("Mã trong danh mục sở, ngành.")),
    Column("evidence", gettext_lazy("Minh chứng cần có"), kind="long", width=30),
    Column("source", gettext_lazy("Nguồn số liệu"), _enum_help(FigureSource), kind="enum", width=14),
    Column("comparison", gettext_lazy("So sánh"), gettext_lazy("gte (≥), lte (≤), eq (=)."), kind="enum", width=10),
    Column("threshold", gettext_lazy("Ngưỡng"), gettext_lazy("Bắt buộc với loại figure."), kind="decimal", width=10),
    Column("unit", gettext_lazy("Đơn vị tính"), width=10),
    Column(
        "required_title",
        gettext_lazy("Danh hiệu phải đang giữ"),
        format_lazy("{}; {}", _enum_help(TitleKind), gettext_lazy("bắt buộc với loại title")),
        kind="enum",
        width=18,
    ),
    Column("legal_basis", gettext_lazy("Căn cứ pháp lý"), kind="long", width=30),
    Column("verified", gettext_lazy("Đã đối chiếu với quyết định"), gettext_lazy("có / không"), kind="bool", width=10),
)
#: The OCOP scoring rule (``SetSpec.scoring``) as rows of the set sheet, written only when the set has one.
SCORING_FIELDS = (
    Column("score_average", gettext_lazy("Điểm hội đồng"), _enum_help(ScoreAverage), kind="enum"),
    Column("score_decimals", gettext_lazy("Số chữ số thập phân của điểm hội đồng"), kind="int"),
    Column("score_rounding", gettext_lazy("Cách làm tròn"), _enum_help(ScoreRounding), kind="enum"),
    Column(
        "score_gap",
        gettext_lazy("Chênh lệch cần thảo luận"),
        gettext_lazy("Điểm các thành viên chênh nhau quá mức này thì được đánh dấu."),
        kind="decimal",
    ),
    Column("certificate_months", gettext_lazy("Hiệu lực chứng nhận (tháng)"), kind="int"),
    Column("reminder_days", gettext_lazy("Nhắc trước khi hết hạn (ngày)"), kind="int"),
    Column("min_recognised_stars", gettext_lazy("Số sao tối thiểu được công nhận"), kind="int"),
    Column("national_stars", gettext_lazy("Số sao do Trung ương công nhận"), kind="int"),
    Column("bands_verified", gettext_lazy("Khung điểm đã đối chiếu văn bản"), gettext_lazy("có / không"), kind="bool"),
    Column("bands_source", gettext_lazy("Nguồn khung điểm")),
)
SET_KEYS = {column.code: column for column in (*SET_FIELDS, *SCORING_FIELDS)}
