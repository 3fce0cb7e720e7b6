from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from cms.directory.models import ClassificationValue


def group_value_choices():
    """Classification values a per-group target can name (checked against the set's classification)."""
    return [
        (value.code, f"{value.classification.name}: {value.name}")
        for value in ClassificationValue.objects.select_related("classification")
    ]


class GroupTargetBlock(blocks.StructBlock):
    group = blocks.ChoiceBlock(choices=group_value_choices, label=_("vùng / nhóm"))
    target = blocks.CharBlock(label=_("mức"), max_length=255, help_text=_("“n/a” nếu không áp dụng."))

    class Meta:
        icon = "target"
        label = _("Mức theo nhóm")


class QuestionKind:
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    CHOICE = "choice"
    DATE = "date"
    YES_NO = "yes_no"
    FILE = "file"


class QuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("câu hỏi"), max_length=500)
    help_text = blocks.CharBlock(label=_("gợi ý"), required=False, max_length=500)
    required = blocks.BooleanBlock(label=_("bắt buộc"), required=False)

    class Meta:
        icon = "help"
        template = "criteria_pages/blocks/question.html"


class ChoiceQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(blocks.CharBlock(label=_("lựa chọn"), max_length=255), label=_("các lựa chọn"))

    def clean(self, value):
        value = super().clean(value)
        if not [choice for choice in value["choices"] if choice.strip()]:
            raise blocks.StructBlockValidationError({"choices": ValidationError(_("Cần ít nhất một lựa chọn."))})
        return value


class QuestionStreamBlock(blocks.StreamBlock):
    short_text = QuestionBlock(label=_("Câu trả lời ngắn"), icon="pilcrow")
    long_text = QuestionBlock(label=_("Câu trả lời dài"), icon="doc-full")
    number = QuestionBlock(label=_("Số"), icon="plus")
    choice = ChoiceQuestionBlock(label=_("Chọn một"), icon="list-ul")
    date = QuestionBlock(label=_("Ngày"), icon="date")
    yes_no = QuestionBlock(label=_("Có/Không"), icon="tick")
    file = QuestionBlock(label=_("Tệp đính kèm"), icon="doc-empty")


class FormSectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("tiêu đề phần"), max_length=255)
    description = blocks.TextBlock(label=_("mô tả"), required=False)
    questions = QuestionStreamBlock(label=_("câu hỏi"))

    class Meta:
        icon = "form"
        label = _("Phần câu hỏi")
        template = "criteria_pages/blocks/form_section.html"
        preview_value = {"title": "Thông tin bổ sung", "description": "", "questions": []}
