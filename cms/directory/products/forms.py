"""Forms of the producers' and products' phone screens. They only read input: the services check and write, and a
refusal of theirs is put back on the form beside the field it is about (:func:`add_domain_error`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.errors import DomainError

from .. import access
from .models import Producer, ProducerKind, ProductGroup
from .selectors import communes_of, group_label


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on ``form``: on each field it names (when the form has it), else above the form."""
    placed = False
    for name, messages in error.field_errors().items():
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.name


class ProducerForm(forms.Form):
    """A producer's registration or its details. The commune is asked only of those who register producers."""

    commune = CommuneChoiceField(label=_("Xã"), queryset=None, empty_label=_("— Chọn xã —"))
    name = forms.CharField(label=_("Tên chủ thể"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại chủ thể"), choices=ProducerKind.choices)
    registration_number = forms.CharField(
        label=_("Số đăng ký kinh doanh"),
        max_length=64,
        required=False,
        help_text=_("Không trùng với chủ thể khác của cùng xã."),
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    representative = forms.CharField(label=_("Người đại diện"), max_length=255, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)

    def __init__(self, *args, user, producer: Producer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        communes = communes_of(user)
        if producer is not None and not access.may_register_producer(user, producer.commune):
            del self.fields["commune"]  # a producer edits its details, not where it is registered
        else:
            self.fields["commune"].queryset = communes
            if producer is None:
                only = list(communes[:2])
                if len(only) == 1:
                    self.fields["commune"].initial = only[0].pk

    @staticmethod
    def initial_of(producer: Producer) -> dict:
        return {
            "commune": producer.commune_id,
            "name": producer.name,
            "kind": producer.kind,
            "registration_number": producer.registration_number,
            "address": producer.address,
            "representative": producer.representative,
            "phone": producer.phone,
            "email": producer.email,
        }


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, group):
        return group_label(group)


class ProductForm(forms.Form):
    """A product's registration or its details."""

    producer = forms.ModelChoiceField(label=_("Chủ thể"), queryset=None, empty_label=_("— Chọn chủ thể —"))
    name = forms.CharField(label=_("Tên sản phẩm"), max_length=255)
    group = GroupChoiceField(
        label=_("Nhóm sản phẩm"),
        queryset=ProductGroup.objects.filter(is_active=True).order_by("sort_order", "code"),
        empty_label=_("— Chọn nhóm —"),
        help_text=_("Nhóm có phân nhóm thì chọn một phân nhóm (dòng có dấu —)."),
    )
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["producer"]  # a product stays with its producer
        else:
            producers = access.producers_managed_by(user).order_by("search_name", "pk")
            self.fields["producer"].queryset = producers
            only = list(producers[:2])
            if len(only) == 1:
                self.fields["producer"].initial = only[0].pk


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("Ảnh sản phẩm"), help_text=_("Ảnh JPEG, PNG hoặc WebP."))
    caption = forms.CharField(label=_("Chú thích"), max_length=255, required=False)


class AccountForm(forms.Form):
    """A login for a producer: the person's name and how to reach them."""

    full_name = forms.CharField(label=_("Họ và tên người dùng"), max_length=150)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        help_text=_("Có thư điện tử: hệ thống gửi đường dẫn để người dùng tự đặt mật khẩu. Không có: in mã kích hoạt."),
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    username = forms.CharField(
        label=_("Tên đăng nhập"), max_length=150, required=False, help_text=_("Bỏ trống để tạo từ họ tên.")
    )
