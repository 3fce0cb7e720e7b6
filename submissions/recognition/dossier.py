"""The recognition dossier of one submission: the zip an office files before (and after) the province recognises a
commune.

One call, :func:`dossier_build`, puts together, every file named in Vietnamese (ASCII, without diacritics, so that
every unzip tool — Windows Explorer included — shows the same names; the index sheet gives each file's full
Vietnamese description):

- ``00_Muc-luc.xlsx`` — the index: every file of the zip with what it holds;
- ``01_Bao-cao-ket-qua_<xã>.xlsx`` — the commune's report, exactly the unit report of the exports
  (:func:`submissions.reports.exports.unit_report.export_unit`);
- ``02_Bien-ban-tham-dinh_<nn>_<sở, ngành>.docx`` — one appraisal record per department: the criteria it appraised,
  verdicts, comments, appraisers, dates and a signature block;
- ``03_Tong-hop-lay-y-kien.docx`` — the public consultation's summary (frozen at closing: counts, period, every
  published comment with its answer);
- ``04_Ket-qua-khao-sat-hai-long.xlsx`` and ``04_Phieu-khao-sat-giay/`` — the residents' satisfaction: both parts,
  the rule combining them, the rate, the answers per question, and the scanned paper forms;
- ``05_Dieu-kien-cong-nhan.xlsx`` and ``05_Minh-chung-dieu-kien/`` — the preconditions (met, unmet or waived with the
  reason) and their evidence files;
- ``06_Quyet-dinh-cong-nhan.<ext>`` — the recognition decision, once uploaded.

Files are read through Django's storage API (local disk or the private bucket alike). A dossier is one commune's
files: it is built synchronously, streamed to a temporary file (see :func:`dossier_write`).
"""

import datetime
import io
import logging
import shutil
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from cms.directory.models import Department
from cms.xlsx import Book, write_table
from criteria_pages.wording import date_words, met_words, number_words
from submissions.consultation.models import CombineRule, Consultation, ConsultationStatus
from submissions.consultation.selectors import consultation_summary
from submissions.consultation.survey import SurveyResults, survey_results
from submissions.models import AppraisalStatus, CriterionAppraisal, CriterionResult, Submission, SubmissionStatus
from submissions.recognition.selectors import PreconditionView, preconditions_of
from submissions.reports.exports.common import local_time
from submissions.reports.exports.unit_report import export_unit

logger = logging.getLogger(__name__)

#: The stages a dossier is offered at: appraisal done (the office prepares recognition), and recognised.
DOSSIER_STATUSES = (SubmissionStatus.RECOGNITION, SubmissionStatus.RECOGNISED)
ZIP_CONTENT_TYPE = "application/zip"
#: Longest readable part of a file name taken from a person's text (a unit's, a department's, an upload's name).
NAME_PART_MAX = 60
#: Administrative documents are set in Times New Roman, 13 pt (Decree 30/2020/NĐ-CP).
DOCUMENT_FONT = "Times New Roman"
DOCUMENT_FONT_SIZE = Pt(13)
_ASCII_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


@dataclass
class DossierEntry:
    """One file of the dossier: its name in the zip and what it holds (a line of the index)."""

    name: str
    description: str


@dataclass
class _Zip:
    archive: zipfile.ZipFile
    entries: list[DossierEntry] = field(default_factory=list)
    names: set[str] = field(default_factory=set)

    def unique(self, name: str) -> str:
        """``name``, or ``name`` with "-2", "-3"… before its extension if the zip already holds it."""
        stem, dot, extension = name.rpartition(".")
        if not dot:
            stem, extension = name, ""
        candidate, counter = name, 2
        while candidate.casefold() in self.names:
            candidate = f"{stem}-{counter}" + (f".{extension}" if extension else "")
            counter += 1
        self.names.add(candidate.casefold())
        return candidate

    def add_bytes(self, name: str, content: bytes, description: str) -> str:
        name = self.unique(name)
        self.archive.writestr(name, content)
        self.entries.append(DossierEntry(name, description))
        return name

    def add_stored(self, name: str, file_field, description: str) -> str | None:
        """Copy a stored (private) file into the zip through the storage API. A file missing from the storage is
        listed in the index as missing (the office sees the gap) and None is returned."""
        storage = file_field.storage
        if not file_field.name or not storage.exists(file_field.name):
            logger.warning("Dossier: stored file %r is missing; listed as missing.", file_field.name)
            self.entries.append(
                DossierEntry(
                    name, _("KHÔNG CÓ TRONG HỒ SƠ: không đọc được tệp đã lưu (%(what)s)") % {"what": description}
                )
            )
            return None
        name = self.unique(name)
        with storage.open(file_field.name, "rb") as source, self.archive.open(name, "w", force_zip64=True) as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        self.entries.append(DossierEntry(name, description))
        return name


# --- names ------------------------------------------------------------------------------------------------------


def ascii_words(text: str, max_length: int = NAME_PART_MAX) -> str:
    """``text`` without diacritics, its words joined by hyphens, case kept: "Xã Hòa Thuận" → "Xa-Hoa-Thuan"."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_ASCII_EXTRA))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in plain).split()
    return "-".join(words)[:max_length].strip("-")


def _file_name(original: str, fallback: str) -> str:
    """An uploaded file's name made safe for the zip, keeping its extension."""
    stem, dot, extension = (original or "").rpartition(".")
    if not dot:
        stem, extension = original or "", ""
    extension = ascii_words(extension, 10).lower()
    return (ascii_words(stem) or fallback) + (f".{extension}" if extension else "")


def dossier_filename(submission: Submission) -> str:
    """The zip's own name: "Ho-so-cong-nhan_Xa-Hoa-Thuan_Danh-gia-nam-2026.zip"."""
    parts = ["Ho-so-cong-nhan", ascii_words(submission.unit.name), ascii_words(submission.round.name)]
    return "_".join(part for part in parts if part) + ".zip"


# --- words ------------------------------------------------------------------------------------------------------


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _moment(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _day(value: datetime.datetime | datetime.date | None) -> str:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y")
    return date_words(value)


def _iso_day(text) -> str:
    """A date or moment stored as ISO text in a JSON summary, as dd/mm/yyyy (the text itself if unreadable)."""
    if not text:
        return ""
    try:
        moment = datetime.datetime.fromisoformat(str(text))
    except ValueError:
        return str(text)
    return _day(moment if timezone.is_aware(moment) else moment.date())


def _place_date_line(unit_name: str, day: datetime.date) -> str:
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s") % {
        "place": unit_name,
        "d": f"{day.day:02d}",
        "m": f"{day.month:02d}",
        "y": day.year,
    }


# --- documents (docx) -------------------------------------------------------------------------------------------


def _new_document(title: str):
    document = Document()
    style = document.styles["Normal"]
    style.font.name = DOCUMENT_FONT
    style.font.size = DOCUMENT_FONT_SIZE
    document.core_properties.title = title
    document.core_properties.author = ""
    document.core_properties.comments = ""
    return document


def _heading_block(document, issuer: str) -> None:
    """The issuer on the left, the national motto on the right, as administrative documents begin."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run(issuer.upper()).bold = True
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].add_run(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")).bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto = right.add_paragraph()
    motto.add_run(_("Độc lập - Tự do - Hạnh phúc")).bold = True
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _title(document, text: str, subtitle: str = "") -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text.upper())
    run.bold = True
    run.font.size = Pt(14)
    if subtitle:
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.add_run(subtitle).italic = True


def _facts(document, facts: Iterable[tuple[str, str]]) -> None:
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(str(value))


def _grid(document, headers: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(header).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    return table


def _signature_block(document, place_line: str, signers: list[tuple[str, str]]) -> None:
    """The date line and one column per signer: who signs, "(Ký, ghi rõ họ tên)", room to sign, the name."""
    line = document.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    line.add_run(place_line).italic = True
    table = document.add_table(rows=1, cols=len(signers))
    for cell, (role, name) in zip(table.rows[0].cells, signers, strict=True):
        cell.paragraphs[0].add_run(role.upper()).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        hint = cell.add_paragraph()
        hint.add_run(_("(Ký, ghi rõ họ tên)")).italic = True
        hint.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for _blank in range(3):
            cell.add_paragraph()
        signed = cell.add_paragraph()
        signed.add_run(name).bold = True
        signed.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _document_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def appraisal_record(
    submission: Submission, department: Department | None, appraisals: list[CriterionAppraisal], results: dict
) -> bytes:
    """One department's appraisal record (biên bản thẩm định) of ``submission``, to print and sign."""
    spec = submission.round.spec
    names = {criterion.number: criterion.name for criterion in spec.criteria}
    department_name = department.name if department else _("Văn phòng Điều phối nông thôn mới")
    title = _("Biên bản thẩm định kết quả thực hiện tiêu chí")
    document = _new_document(f"{title} – {department_name} – {submission.unit.name}")
    _heading_block(document, department_name)
    _title(document, title, _("Xét công nhận: %(set)s") % {"set": spec.name})
    _facts(
        document,
        [
            (_("Đơn vị được thẩm định"), submission.unit.name),
            (_("Trực thuộc"), submission.unit.parent.name if submission.unit.parent_id else ""),
            (_("Đợt đánh giá"), submission.round.name),
            (_("Bộ tiêu chí"), spec.name),
            (_("Sở, ngành thẩm định"), department_name),
        ],
    )
    labels = dict(AppraisalStatus.choices)
    rows = []
    for appraisal in appraisals:
        result = results.get(appraisal.number)
        rows.append(
            [
                str(appraisal.number),
                names.get(appraisal.number, ""),
                met_words(result.met) if result else _("Chưa có số liệu"),
                f"{result.met_count}/{result.applicable_count}" if result else "",
                str(labels.get(appraisal.status, appraisal.status)),
                appraisal.comment,
                _person(appraisal.appraised_by),
                _moment(appraisal.appraised_at),
            ]
        )
    document.add_paragraph().add_run(_("Kết quả thẩm định các tiêu chí do sở, ngành phụ trách:")).bold = True
    _grid(
        document,
        [
            _("Tiêu chí"),
            _("Tên tiêu chí"),
            _("Kết quả"),
            _("Chỉ tiêu đạt"),
            _("Thẩm định"),
            _("Ý kiến thẩm định"),
            _("Người thẩm định"),
            _("Thời điểm"),
        ],
        rows,
    )
    met = sum(1 for appraisal in appraisals if (result := results.get(appraisal.number)) and result.met)
    document.add_paragraph(
        _("Kết luận: %(met)s/%(total)s tiêu chí do %(department)s thẩm định đạt chuẩn.")
        % {"met": met, "total": len(appraisals), "department": department_name}
    )
    appraisers = ", ".join(sorted({_person(a.appraised_by) for a in appraisals if a.appraised_by_id}))
    days = [a.appraised_at for a in appraisals if a.appraised_at]
    day = timezone.localtime(max(days)).date() if days else timezone.localdate()
    _signature_block(
        document,
        _place_date_line(submission.unit.parent.name if submission.unit.parent_id else "", day),
        [(_("Người thẩm định"), appraisers), (_("Thủ trưởng đơn vị"), "")],
    )
    return _document_bytes(document)


def consultation_document(submission: Submission, consultation: Consultation) -> bytes:
    """The consultation summary (báo cáo tổng hợp ý kiến người dân), to print and sign."""
    summary = consultation_summary(consultation)
    frozen = consultation.status == ConsultationStatus.CLOSED and bool(consultation.summary)
    title = _("Báo cáo tổng hợp ý kiến của người dân")
    document = _new_document(f"{title} – {submission.unit.name}")
    _heading_block(document, _("Văn phòng Điều phối nông thôn mới"))
    _title(
        document,
        title,
        _("về kết quả thực hiện tiêu chí của %(unit)s trước khi xét công nhận") % {"unit": submission.unit.name},
    )
    _facts(
        document,
        [
            (_("Đơn vị"), submission.unit.name),
            (_("Đợt đánh giá"), submission.round.name),
            (
                _("Thời gian lấy ý kiến"),
                _("từ ngày %(start)s đến ngày %(end)s")
                % {"start": date_words(consultation.opens_on), "end": date_words(consultation.closes_on)},
            ),
            (_("Hình thức"), _("Công khai trên trang thông tin điện tử của tỉnh; người dân góp ý trực tuyến")),
            (_("Trạng thái"), consultation.get_status_display()),
            (_("Ngày kết thúc"), _moment(consultation.closed_at)),
        ],
    )
    if not frozen:
        document.add_paragraph(
            _("Chưa kết thúc lấy ý kiến: số liệu dưới đây là số liệu tại thời điểm xuất hồ sơ.")
        ).runs[0].italic = True
    document.add_paragraph().add_run(_("Tổng hợp số lượng")).bold = True
    survey = summary.get("survey") or {}
    rate = survey.get("rate")
    _grid(
        document,
        [_("Nội dung"), _("Số lượng")],
        [
            [_("Số ý kiến nhận được"), number_words(int(summary.get("comments_received") or 0))],
            [_("Số ý kiến được công khai"), number_words(int(summary.get("comments_published") or 0))],
            [_("Số ý kiến không công khai"), number_words(int(summary.get("comments_rejected") or 0))],
            [_("Số phiếu khảo sát trực tuyến"), number_words(int(survey.get("online_respondents") or 0))],
            [_("Số phiếu khảo sát giấy"), number_words(int(survey.get("paper_respondents") or 0))],
            [
                _("Tỷ lệ hài lòng (%)"),
                number_words(Decimal(str(rate))) if rate not in (None, "") else _("Chưa có phiếu"),
            ],
        ],
    )
    document.add_paragraph().add_run(_("Ý kiến đã công khai và trả lời của xã")).bold = True
    comment_rows = [
        [
            str(number),
            _iso_day(item.get("created_at")),
            item.get("body", ""),
            item.get("answer", "") or "—",
            _iso_day(item.get("answered_at")),
        ]
        for number, item in enumerate(summary.get("comments") or [], start=1)
        if isinstance(item, dict)
    ]
    if comment_rows:
        _grid(document, [_("STT"), _("Ngày gửi"), _("Ý kiến"), _("Trả lời của xã"), _("Ngày trả lời")], comment_rows)
    else:
        document.add_paragraph(_("Không có ý kiến nào được công khai."))
    document.add_paragraph(
        _("Họ tên và thông tin liên hệ của người góp ý không được công khai và không có trong báo cáo này.")
    ).runs[0].italic = True
    day = timezone.localtime(consultation.closed_at).date() if consultation.closed_at else timezone.localdate()
    _signature_block(
        document,
        _place_date_line(submission.unit.parent.name if submission.unit.parent_id else "", day),
        [(_("Người lập"), _person(consultation.closed_by or consultation.opened_by)), (_("Thủ trưởng đơn vị"), "")],
    )
    return _document_bytes(document)


# --- workbooks (xlsx) -------------------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"))


def satisfaction_workbook(submission: Submission, results: SurveyResults) -> bytes:
    """Both parts of the residents' satisfaction (online answers, paper tally), the rule combining them, the rate,
    and the online answers per question (:func:`submissions.consultation.survey.survey_results`)."""
    rate = results.rate
    book = Book()
    title = _("Kết quả khảo sát sự hài lòng của người dân: %(unit)s") % {"unit": submission.unit.name}
    sheet = book.add_sheet(_("Tổng hợp"))
    rule = rate.rule or (results.survey.combine_rule if results.survey else CombineRule.POOLED)
    write_table(
        sheet,
        [_("Nguồn"), _("Số phiếu"), _("Số phiếu hài lòng"), _("Tỷ lệ hài lòng (%)")],
        [
            [
                _("Phiếu trực tuyến"),
                rate.online_respondents,
                rate.online_satisfied,
                _percent(rate.online_satisfied, rate.online_respondents),
            ],
            [
                _("Phiếu giấy"),
                rate.paper_respondents,
                rate.paper_satisfied,
                _percent(rate.paper_satisfied, rate.paper_respondents),
            ],
            [_("Tỷ lệ hài lòng chung"), None, None, rate.rate],
            [_("Cách tính"), str(CombineRule(rule).label) if rule in CombineRule.values else rule, None, None],
            [_("Ghi chú phiếu giấy"), results.tally.note if results.tally else "", None, None],
        ],
        widths=[28, 14, 18, 20],
        column_formats=["wrap", None, None, None],
        freeze=False,
        autofilter=False,
    )
    sheet.set_header("&L" + title.replace("&", "&&")[:200])

    sheet = book.add_sheet(_("Theo câu hỏi"))
    write_table(
        sheet,
        [_("Câu hỏi"), _("Mức trả lời"), _("Số phiếu trực tuyến"), _("Tính là hài lòng")],
        [
            [result.question.text, choice.text, choice.count, _("Có") if choice.satisfied else _("Không")]
            for result in results.questions
            for choice in result.choices
        ],
        widths=[50, 24, 14, 14],
        column_formats=["wrap", "text", None, "text"],
    )
    return book.close()


def preconditions_workbook(views: list[PreconditionView], evidence_names: dict[int, list[str]]) -> bytes:
    """The preconditions of a submission (:func:`submissions.recognition.selectors.preconditions_of`): each with its
    standing, who confirmed or waived it and why, and the names of its evidence files in the zip."""
    rows = [
        [
            view.code,
            view.name,
            view.kind_label,
            view.department_name,
            view.status_label,
            view.value_text,
            view.threshold_text,
            view.note,
            _person(view.confirmed_by),
            local_time(view.confirmed_at),
            view.waiver_reason,
            _person(view.waived_by),
            local_time(view.waived_at),
            view.spec.legal_basis,
            _("Có") if view.spec.verified else _("Chưa đối chiếu"),
            "\n".join(name for item in view.evidence for name in evidence_names.get(item.pk, [])),
        ]
        for view in views
    ]
    book = Book()
    sheet = book.add_sheet(_("Điều kiện công nhận"))
    write_table(
        sheet,
        [
            _("Mã"),
            _("Điều kiện"),
            _("Loại"),
            _("Sở, ngành xác nhận"),
            _("Kết quả"),
            _("Số liệu"),
            _("Ngưỡng"),
            _("Ghi chú"),
            _("Người xác nhận"),
            _("Ngày xác nhận"),
            _("Lý do miễn"),
            _("Người miễn"),
            _("Ngày miễn"),
            _("Căn cứ pháp lý"),
            _("Đã đối chiếu văn bản"),
            _("Minh chứng (tệp trong hồ sơ)"),
        ],
        rows,
        widths=[8, 40, 20, 24, 14, 10, 12, 30, 20, 14, 30, 20, 14, 30, 14, 50],
        column_formats=[
            "text",
            "wrap",
            "wrap",
            "wrap",
            "text",
            "text",
            "text",
            "wrap",
            "text",
            None,
            "wrap",
            "text",
            None,
            "wrap",
            "text",
            "wrap",
        ],
    )
    return book.close()


def index_workbook(submission: Submission, entries: list[DossierEntry], user) -> bytes:
    """ "00_Muc-luc.xlsx": every file of the dossier (itself included) with what it holds."""
    book = Book()
    sheet = book.add_sheet(_("Mục lục"))
    title = _("Hồ sơ đề nghị xét công nhận: %(unit)s – %(round)s") % {
        "unit": submission.unit.name,
        "round": submission.round.name,
    }
    sheet.write_string(0, 0, title, book.formats.title)
    sheet.write_string(
        1,
        0,
        _("Lập ngày %(date)s; người lập: %(user)s")
        % {"date": timezone.localdate().strftime("%d/%m/%Y"), "user": _person(user) or "—"},
    )
    write_table(
        sheet,
        [_("STT"), _("Tên tệp"), _("Nội dung")],
        [[number, entry.name, entry.description] for number, entry in enumerate(entries, start=1)],
        widths=[6, 60, 80],
        column_formats=[None, "text", "wrap"],
        start_row=3,
    )
    return book.close()


# --- the zip ----------------------------------------------------------------------------------------------------

INDEX_NAME = "00_Muc-luc.xlsx"


def dossier_write(*, submission: Submission, user, output: IO[bytes]) -> list[DossierEntry]:
    """Write ``submission``'s recognition dossier as a zip to ``output``; the files it holds (the index's lines)."""
    submission = Submission.objects.select_related("round__criteria_version", "unit__parent").get(pk=submission.pk)
    unit_words = ascii_words(submission.unit.name)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        dossier = _Zip(archive)
        dossier.unique(INDEX_NAME)  # reserved: written last, listed first
        dossier.entries.append(DossierEntry(INDEX_NAME, _("Mục lục: danh sách các tệp của hồ sơ và nội dung từng tệp")))

        dossier.add_bytes(
            f"01_Bao-cao-ket-qua_{unit_words}.xlsx",
            export_unit(submission),
            _("Báo cáo kết quả thực hiện tiêu chí của %(unit)s (từng tiêu chí, chỉ tiêu, ý kiến xét duyệt)")
            % {"unit": submission.unit.name},
        )

        results = {row.number: row for row in CriterionResult.objects.filter(submission=submission)}
        by_department: dict[int | None, list[CriterionAppraisal]] = {}
        for appraisal in CriterionAppraisal.objects.filter(submission=submission).select_related(
            "department", "appraised_by"
        ):
            by_department.setdefault(appraisal.department_id, []).append(appraisal)
        ordered = sorted(
            by_department.values(), key=lambda rows: (rows[0].department is None, min(r.number for r in rows))
        )
        for number, appraisals in enumerate(ordered, start=1):
            department = appraisals[0].department
            name = department.name if department else _("Văn phòng Điều phối")
            dossier.add_bytes(
                f"02_Bien-ban-tham-dinh_{number:02d}_{ascii_words(name)}.docx",
                appraisal_record(submission, department, appraisals, results),
                _("Biên bản thẩm định của %(department)s (tiêu chí %(criteria)s)")
                % {"department": name, "criteria": ", ".join(str(a.number) for a in appraisals)},
            )

        consultation = (
            Consultation.objects.filter(submission=submission).select_related("closed_by", "opened_by").first()
        )
        if consultation is not None:
            dossier.add_bytes(
                "03_Tong-hop-lay-y-kien.docx",
                consultation_document(submission, consultation),
                _("Báo cáo tổng hợp ý kiến người dân (từ %(start)s đến %(end)s): số lượng, ý kiến và trả lời của xã")
                % {"start": date_words(consultation.opens_on), "end": date_words(consultation.closes_on)},
            )

        survey = survey_results(submission)
        dossier.add_bytes(
            "04_Ket-qua-khao-sat-hai-long.xlsx",
            satisfaction_workbook(submission, survey),
            _("Kết quả khảo sát sự hài lòng của người dân: phiếu trực tuyến, phiếu giấy, tỷ lệ hài lòng"),
        )
        for number, scan in enumerate(survey.tally_files, start=1):
            dossier.add_stored(
                f"04_Phieu-khao-sat-giay/{number:02d}_{_file_name(scan.original_name, 'Phieu')}",
                scan.file,
                _("Phiếu khảo sát giấy đã quét: %(name)s") % {"name": scan.original_name},
            )

        preconditions = preconditions_of(submission)
        evidence_names: dict[int, list[str]] = {}
        number = 0
        for view in preconditions:
            for item in view.evidence:
                number += 1
                stored = dossier.add_stored(
                    f"05_Minh-chung-dieu-kien/{ascii_words(view.code, 20) or 'DK'}_{number:02d}_"
                    f"{_file_name(item.original_name, 'Minh-chung')}",
                    item.file,
                    _("Minh chứng điều kiện %(code)s (%(name)s): %(file)s")
                    % {"code": view.code, "name": view.name, "file": item.original_name},
                )
                if stored:
                    evidence_names.setdefault(item.pk, []).append(stored)
        if preconditions:
            dossier.add_bytes(
                "05_Dieu-kien-cong-nhan.xlsx",
                preconditions_workbook(preconditions, evidence_names),
                _("Các điều kiện công nhận: kết quả, người xác nhận, lý do miễn (nếu có), minh chứng"),
            )

        if submission.decision_document:
            extension = _file_name(submission.decision_document.name, "Quyet-dinh").rpartition(".")[2]
            dossier.add_stored(
                f"06_Quyet-dinh-cong-nhan.{extension or 'pdf'}",
                submission.decision_document,
                _("Quyết định công nhận số %(number)s ngày %(date)s")
                % {"number": submission.decision_number or "—", "date": date_words(submission.decision_date) or "—"},
            )

        # Entries sorted by name (the index lists them as an unzip tool shows them), the index first.
        dossier.entries.sort(key=lambda entry: entry.name)
        archive.writestr(INDEX_NAME, index_workbook(submission, dossier.entries, user))
    return dossier.entries


def dossier_build(*, submission: Submission, user) -> tuple[str, bytes]:
    """The zip's name and bytes (see :func:`dossier_write` to stream it to a file instead)."""
    buffer = io.BytesIO()
    dossier_write(submission=submission, user=user, output=buffer)
    return dossier_filename(submission), buffer.getvalue()
