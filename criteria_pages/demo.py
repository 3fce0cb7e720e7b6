"""Demo criteria: the national starter sets (xã NTM 2021–2025 and 2026–2030, xã NTM nâng cao, xã NTM kiểu mẫu,
huyện NTM and huyện NTM nâng cao; unverified parts flagged) in the national library, and the province's own
illustrative sets — 2021–2025 (the historical round's, with a form), 2026–2030 (the live round's: 10 criteria,
targets by commune group), a district set (level district, so a district round can run) and an OCOP product set
(Decision 148/QĐ-TTg parts A/B/C, scored items split illustratively, the 2019 star bands), everything labelled
"[Minh họa]".

The sets are imported from the starter files through the same import an office's file goes through
(read, validated against the directory's departments and classifications, then imported), so the
demo cannot drift from the importer.
"""

from django.db import transaction

from wagtail.models import Page

from . import services, starter
from .models import CriteriaSetPage, EvaluationFormPage

DEMO_FORM_SLUG = "bieu-mau-minh-hoa"


@transaction.atomic
def load() -> list[CriteriaSetPage]:
    national = services.criteria_national_index_ensure()
    own = services.criteria_index_ensure()
    pages = []
    files = [*starter.starter_files(), starter.illustrative_2026_2030_file(), starter.illustrative_ocop_file()]
    for filename, content in files:
        report = services.criteria_set_import_file(
            data=content, filename=filename, parent=own if starter.is_illustrative_file(filename) else national
        )
        if not report.ok:
            raise starter.StarterDataError(f"{filename}: " + "; ".join(str(problem) for problem in report.problems))
        pages.append(report.page)
    illustrative = next(page for page in pages if page.code == starter.DEMO_2021_2025_CODE)
    if not EvaluationFormPage.objects.filter(slug=DEMO_FORM_SLUG).exists():
        form_page = EvaluationFormPage(
            title="[Minh họa] Biểu mẫu tự đánh giá xã nông thôn mới",
            slug=DEMO_FORM_SLUG,
            criteria_set=illustrative,
            instructions="<p>Điền số liệu của xã cho từng chỉ tiêu, đính kèm minh chứng, lưu nháp và nộp khi đủ.</p>",
            sections=[
                (
                    "section",
                    {
                        "title": "Thông tin người lập biểu",
                        "description": "",
                        "questions": [
                            ("short_text", {"label": "Họ và tên người lập", "help_text": "", "required": True}),
                            ("short_text", {"label": "Số điện thoại liên hệ", "help_text": "", "required": False}),
                        ],
                    },
                )
            ],
        )
        Page.objects.get(pk=own.pk).specific.add_child(instance=form_page)
        form_page.save_revision().publish()
    return pages
