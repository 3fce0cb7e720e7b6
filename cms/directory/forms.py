import re

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from . import access, services
from .models import Classification, Department, Edition, Membership, UnitLevel

_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


class SpreadsheetFileField(forms.FileField):
    """A CSV (UTF-8) or XLSX upload, no larger than the unit import's limit."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        if upload and upload.size > settings.UNIT_IMPORT_MAX_UPLOAD_SIZE:
            raise forms.ValidationError(
                _("Tệp quá lớn (%(size)s); tối đa %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.UNIT_IMPORT_MAX_UPLOAD_SIZE)}
            )
        return upload


class EditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, edition):
        return str(edition)


class ClassificationImportForm(forms.Form):
    """A file of unit code → value for one classification, in one edition (the newest by default)."""

    classification = forms.ModelChoiceField(
        label=_("Phân loại"),
        queryset=Classification.objects.prefetch_related("values"),
        to_field_name="code",
        empty_label=None,
    )
    edition = EditionChoiceField(
        label=_("Danh mục đơn vị"),
        queryset=Edition.objects.order_by("-date"),
        required=False,
        empty_label=_("Danh mục mới nhất"),
        help_text=_("Mã đơn vị trong tệp được tìm trong danh mục này."),
    )
    file = SpreadsheetFileField(
        label=_("Tệp phân loại"),
        help_text=_("CSV (UTF-8) hoặc Excel .xlsx có cột ma_don_vi và gia_tri; tải tệp mẫu bên dưới."),
    )


class UnitCorrectionImportForm(forms.Form):
    file = SpreadsheetFileField(
        label=_("Tệp đính chính"),
        help_text=_("CSV (UTF-8) hoặc Excel .xlsx có các cột edition, old_code, new_code, legal_basis, note."),
    )


class UnitImportForm(forms.Form):
    file = SpreadsheetFileField(
        label=_("Tệp danh mục"),
        help_text=_("CSV (UTF-8) hoặc Excel .xlsx, theo một trong các mẫu cột mô tả bên dưới."),
    )
    edition_date = forms.DateField(
        label=_("Ngày hiệu lực của danh mục"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("Ví dụ 01/07/2025. Bỏ trống nếu tên tệp có ngày dạng 2025-07-01."),
    )
    edition_name = forms.CharField(label=_("Tên danh mục"), required=False, max_length=255)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload and not cleaned.get("edition_date"):
            match = _DATE_IN_NAME.search(upload.name)
            field = forms.DateField(input_formats=["%Y-%m-%d"])
            if match:
                cleaned["edition_date"] = field.clean(match.group(1))
            else:
                self.add_error("edition_date", _("Hãy nhập ngày hiệu lực: tên tệp không chứa ngày."))
        return cleaned


class MembershipForm(WagtailAdminModelForm):
    """Limits scopes to the editor's provinces and keeps the user's role groups in step on save."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self._previous_user_id = self.instance.user_id
        if "unit" in self.fields:
            units = access.units_managed_by(for_user) if for_user else self.fields["unit"].queryset
            self.fields["unit"].queryset = (
                units.exclude(level=UnitLevel.VILLAGE).select_related("edition").order_by("-edition__date", "path")
            )
            self.fields["unit"].label_from_instance = lambda unit: (
                f"{'— ' * (unit.depth - 1)}{unit.name} ({unit.code}, {unit.edition.date:%d/%m/%Y})"
            )
        if "department" in self.fields and for_user:
            self.fields["department"].queryset = access.departments_managed_by(for_user).select_related("province")
        if "producer" in self.fields and for_user:
            # An OCOP producer's login (role “Chủ thể OCOP”): a producer of the editor's province.
            self.fields["producer"].queryset = access.producers_managed_by(for_user).select_related("commune")
            self.fields["producer"].label_from_instance = lambda producer: f"{producer.name} ({producer.commune.name})"

    def save(self, commit=True):
        membership = super().save(commit=False)
        if commit:
            services.membership_save(
                membership=membership, previous_user_id=self._previous_user_id, actor=self.for_user
            )
        return membership

    class Meta:
        model = Membership
        fields = ["user", "role", "unit", "department", "producer"]


class DepartmentForm(WagtailAdminModelForm):
    """An office editor's departments belong to one of its provinces."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self._own_province = None
        if "province" in self.fields and for_user and not for_user.is_superuser:
            provinces = access.office_provinces(for_user)
            self.fields["province"].queryset = provinces
            if len(provinces) == 1:
                # An editor of one province need not choose it: the department is that province's.
                self._own_province = provinces[0]
                self.fields["province"].required = False
                self.fields["province"].initial = self._own_province.pk

    def clean_province(self):
        return self.cleaned_data.get("province") or self._own_province

    class Meta:
        model = Department
        fields = ["code", "name", "short_name", "province", "email"]
