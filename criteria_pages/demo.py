"""Demo criteria: the national starter sets (unverified parts flagged) and one illustrative set with a form."""

from django.db import transaction

from wagtail.models import Page

from . import services, starter
from .models import CriteriaSetPage, EvaluationFormPage

DEMO_FORM_SLUG = "bieu-mau-minh-hoa"


@transaction.atomic
def load() -> list[CriteriaSetPage]:
    index = services.criteria_index_ensure()
    pages = []
    for spec in starter.starter_specs():
        page, _version = services.criteria_set_import(spec=spec, parent=index)
        pages.append(page)
    illustrative = next(page for page in pages if page.is_illustrative)
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
        Page.objects.get(pk=index.pk).specific.add_child(instance=form_page)
        form_page.save_revision().publish()
    return pages
