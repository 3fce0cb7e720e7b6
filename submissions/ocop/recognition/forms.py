"""The forms of the recognition screen: one decision (number, date dd/mm/yyyy, optional PDF) covering the ticked
products, the same for the national decision, and the reason of a revocation."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from submissions.ocop.certificates import REVOKE_REASON_MAX
from submissions.ocop.models import RecognitionDecision

#: A decision date as people write it (ISO accepted too, as the API does).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
#: The first bytes of every PDF file.
PDF_MAGIC = b"%PDF-"


class DecisionForm(forms.Form):
    """One decision for the ticked products; the view reads the ticks (``submission``) itself."""

    number = forms.CharField(
        label=_("Số quyết định"),
        max_length=RecognitionDecision._meta.get_field("number").max_length,
        error_messages={"required": _("Hãy nhập số quyết định.")},
    )
    date = forms.DateField(
        label=_("Ngày quyết định (dd/mm/yyyy)"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        error_messages={
            "required": _("Hãy nhập ngày quyết định."),
            "invalid": _("Ngày quyết định phải viết dạng dd/mm/yyyy, ví dụ 15/08/2026."),
        },
    )
    document = forms.FileField(
        label=_("Văn bản quyết định (PDF, không bắt buộc)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_number(self):
        return " ".join(self.cleaned_data["number"].split())

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document:
            return None
        limit = settings.EVIDENCE_MAX_UPLOAD_SIZE
        if document.size > limit:
            raise forms.ValidationError(_("Tệp quyết định lớn quá %(limit)s.") % {"limit": filesizeformat(limit)})
        head = document.read(len(PDF_MAGIC))
        document.seek(0)
        if not document.name.lower().endswith(".pdf") or head != PDF_MAGIC:
            raise forms.ValidationError(_("Văn bản quyết định phải là tệp PDF."))
        return document

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"number": data["number"], "date": data["date"], "document": data.get("document")}


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi"),
        max_length=REVOKE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Thu hồi giấy chứng nhận phải có lý do.")},
    )
