"""The office's forms for titles: list filters, revoke, correct, record after a merger, import a spreadsheet."""

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.widgets import AdminDateInput

from criteria_pages.spec import TitleKind
from submissions.rounds.forms import DATE_INPUT_FORMATS
from submissions.titles.models import Title

#: Decision documents: what an office scans or exports.
DOCUMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "docx", "odt"]
#: The import: a spreadsheet (the first sheet is read).
IMPORT_EXTENSIONS = ["xlsx", "csv"]


class TitleState:
    CURRENT = "current"
    REVOKED = "revoked"
    CHOICES = [("", gettext_lazy("Tất cả")), (CURRENT, gettext_lazy("Đang giữ")), (REVOKED, gettext_lazy("Đã thu hồi"))]


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=AdminDateInput(),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": gettext_lazy("Hãy nhập ngày dạng dd/mm/yyyy.")},
        help_text=gettext_lazy("dd/mm/yyyy"),
        **kwargs,
    )


def _check_size(upload):
    limit = settings.EVIDENCE_MAX_UPLOAD_SIZE
    if upload and upload.size > limit:
        raise forms.ValidationError(
            _("Tệp “%(name)s” quá lớn (%(size)s); tối đa %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    return upload


def _document_field(label) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
        help_text=gettext_lazy("Không bắt buộc. PDF, ảnh JPEG/PNG, DOCX, ODT. Văn bản không được công khai."),
    )


class TitleFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Danh hiệu"), required=False, choices=[("", gettext_lazy("Tất cả")), *TitleKind.choices]
    )
    state = forms.ChoiceField(label=gettext_lazy("Hiệu lực"), required=False, choices=TitleState.CHOICES)
    q = forms.CharField(label=gettext_lazy("Tìm đơn vị (tên hoặc mã)"), required=False, max_length=100)


class TitleRevokeForm(forms.Form):
    revocation_number = forms.CharField(label=gettext_lazy("Số quyết định thu hồi"), max_length=100)
    revoked_on = _date_field(gettext_lazy("Ngày quyết định thu hồi"))
    reason = forms.CharField(
        label=gettext_lazy("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    document = _document_field(gettext_lazy("Văn bản thu hồi"))

    def clean_document(self):
        return _check_size(self.cleaned_data.get("document"))


class TitleCorrectForm(forms.Form):
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định công nhận (đã đính chính)"), max_length=100)
    decision_date = _date_field(gettext_lazy("Ngày quyết định công nhận (đã đính chính)"))
    reason = forms.CharField(
        label=gettext_lazy("Lý do đính chính"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class MergerUnitForm(forms.Form):
    """First step: the new unit, by its code in the newest list."""

    code = forms.CharField(label=gettext_lazy("Mã đơn vị mới (danh mục mới nhất)"), max_length=20)


class TitleCarriedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, title: Title) -> str:
        return _("%(unit)s: %(kind)s — Quyết định số %(number)s ngày %(date)s") % {
            "unit": title.unit.name,
            "kind": title.get_kind_display(),
            "number": title.decision_number,
            "date": f"{title.decision_date:%d/%m/%Y}",
        }


class TitleMergerForm(forms.Form):
    """Second step: the title the new unit holds, its decision and the predecessors' titles it carries on."""

    kind = forms.ChoiceField(label=gettext_lazy("Danh hiệu"), choices=TitleKind.choices)
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định (văn bản) ghi nhận"), max_length=100)
    decision_date = _date_field(gettext_lazy("Ngày quyết định"))
    carried_from = TitleCarriedChoiceField(
        label=gettext_lazy("Kế thừa từ danh hiệu của các xã trước sắp xếp"),
        queryset=Title.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Hãy chọn ít nhất một danh hiệu của các xã trước sắp xếp.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    document = _document_field(gettext_lazy("Văn bản ghi nhận"))

    def __init__(self, *args, carried_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carried_from"].queryset = carried_choices

    def clean_document(self):
        return _check_size(self.cleaned_data.get("document"))


class TitleImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh sách danh hiệu"),
        validators=[FileExtensionValidator(IMPORT_EXTENSIONS)],
        help_text=gettext_lazy(
            "Excel (.xlsx) hoặc CSV UTF-8, dòng đầu là tên cột: Mã đơn vị, Danh hiệu, Số quyết định, "
            "Ngày quyết định (dd/mm/yyyy); không bắt buộc: Danh mục (ngày của danh mục đơn vị, dd/mm/yyyy), "
            "Bộ tiêu chí, Ghi chú."
        ),
    )

    def clean_file(self):
        return _check_size(self.cleaned_data.get("file"))
