"""Forms of the public consultation: the resident's comment (public page), the office's opening of a consultation
(admin), the commune's answer. The limits themselves are the services' (:mod:`submissions.consultation.services`);
these forms only carry what was typed and show the messages next to the fields."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.input import CleanTextFormMixin
from submissions.consultation import services

#: The hidden field people never fill (robots do): a comment with it filled is dropped without a word.
HONEYPOT_FIELD = "website"
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class CommentForm(CleanTextFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Ý kiến của bạn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    author_name = forms.CharField(label=_("Họ tên (không bắt buộc, không công khai)"), required=False)
    contact = forms.CharField(
        label=_("Điện thoại hoặc thư điện tử (không bắt buộc, không công khai)"),
        required=False,
        help_text=_("Chỉ để xã hoặc văn phòng điều phối liên hệ lại khi cần."),
    )
    website = forms.CharField(label=_("Không điền ô này"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = services.comment_max_length()
        self.fields["author_name"].widget.attrs["maxlength"] = services.NAME_MAX_LENGTH
        self.fields["contact"].widget.attrs["maxlength"] = services.CONTACT_MAX_LENGTH
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def add_domain_error(self, error) -> None:
        """Show a service's refusal next to the fields it names (or above the form)."""
        fields = error.field_errors()
        for name, messages in fields.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        if not fields:
            self.add_error(None, error.message)


class ConsultationOpenForm(CleanTextFormMixin, forms.Form):
    opens_on = forms.DateField(
        label=_("Lấy ý kiến từ ngày (dd/mm/yyyy)"),
        input_formats=DATE_FORMATS,
        error_messages={"required": _("Nhập ngày bắt đầu."), "invalid": _("Ngày không đúng dạng dd/mm/yyyy.")},
    )
    closes_on = forms.DateField(
        label=_("Đến ngày (dd/mm/yyyy)"),
        input_formats=DATE_FORMATS,
        error_messages={"required": _("Nhập ngày kết thúc."), "invalid": _("Ngày không đúng dạng dd/mm/yyyy.")},
    )
    show_values = forms.BooleanField(
        label=_("Công khai cả số liệu từng chỉ tiêu"),
        required=False,
        help_text=_("Không chọn: chỉ công khai Đạt/Chưa đạt của từng tiêu chí. Minh chứng không bao giờ công khai."),
    )

    @staticmethod
    def initial_for(today: datetime.date) -> dict:
        """A month from today, as offices usually set it."""
        return {
            "opens_on": today.strftime("%d/%m/%Y"),
            "closes_on": (today + datetime.timedelta(days=30)).strftime("%d/%m/%Y"),
        }


class AnswerForm(CleanTextFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("Trả lời công khai của xã"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": services.ANSWER_MAX_LENGTH}),
    )
