"""Forms of the people app: the office's person and membership forms, the import upload, and the activation
forms (a new password and the personal-data notice accepted)."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from cms.directory.forms import SpreadsheetFileField
from cms.directory.models import Role, Unit

from .importers import USERNAME_PATTERN

#: Django's password validators in Vietnamese, by code (its Vietnamese catalogue lacks some of them).
PASSWORD_MESSAGES = {
    "password_too_short": _("Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
    "password_too_common": _("Mật khẩu này quá phổ biến."),
    "password_entirely_numeric": _("Mật khẩu không được toàn chữ số."),
    "password_too_similar": _("Mật khẩu quá giống thông tin cá nhân (tên đăng nhập, họ tên, e-mail)."),
}

#: Roles an office grants in its province (the national reader has none).
PROVINCE_ROLES = [(value, label) for value, label in Role.choices if value != Role.NATIONAL_READER]


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=300)
    email = forms.CharField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        validators=[validate_email],
        help_text=_("Có e-mail: người này nhận thư mời kích hoạt. Không có: văn phòng in thư kích hoạt trao tay."),
    )
    phone = forms.CharField(label=_("Điện thoại"), required=False, max_length=32)


class PersonCreateForm(PersonForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        required=False,
        max_length=150,
        help_text=_("Để trống: tạo từ họ tên, không dấu (Nguyễn Văn An → nguyenvanan)."),
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=PROVINCE_ROLES)
    scope = forms.CharField(
        label=_("Phạm vi"), max_length=50, help_text=_("Mã đơn vị hành chính (tỉnh, huyện, xã) hoặc mã sở, ngành.")
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if username and not USERNAME_PATTERN.match(username):
            raise forms.ValidationError(_("Tên đăng nhập chỉ gồm chữ không dấu, số và các ký tự . @ + - _."))
        return username


class MembershipAddForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=PROVINCE_ROLES)
    scope = forms.CharField(
        label=_("Phạm vi"), max_length=50, help_text=_("Mã đơn vị hành chính (tỉnh, huyện, xã) hoặc mã sở, ngành.")
    )


class ProvinceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name} ({unit.code}, {unit.edition.date:%d/%m/%Y})"


class PeopleImportForm(forms.Form):
    file = SpreadsheetFileField(label=_("Tệp danh sách (.csv hoặc .xlsx)"))
    province = ProvinceChoiceField(label=_("Tỉnh"), queryset=Unit.objects.none())

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = list(provinces)
        self.only_province = provinces[0] if len(provinces) == 1 else None
        if self.only_province is not None:
            del self.fields["province"]  # an office of one province imports into it
        else:
            self.fields["province"].queryset = Unit.objects.filter(pk__in=[p.pk for p in provinces]).select_related(
                "edition"
            )

    def clean(self):
        cleaned = super().clean()
        if self.only_province is not None:
            cleaned["province"] = self.only_province
        return cleaned


class ActivationForm(forms.Form):
    """A new password, twice, and the personal-data notice accepted."""

    new_password1 = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 8 ký tự, không toàn chữ số, không quá phổ biến, không giống tên đăng nhập."),
    )
    new_password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_notice = forms.BooleanField(
        label=_("Tôi đã đọc và đồng ý với thông báo xử lý dữ liệu cá nhân ở trên."),
        error_messages={"required": _("Cần đồng ý với thông báo xử lý dữ liệu cá nhân để kích hoạt tài khoản.")},
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("Hai mật khẩu không giống nhau."))
        elif first and self.user is not None:
            self.check_password_for(self.user)
        return cleaned

    def check_password_for(self, user) -> bool:
        """Django's password validators, for ``user``; False (with the field's error) when it is refused."""
        try:
            password_validation.validate_password(self.cleaned_data["new_password1"], user)
        except forms.ValidationError as error:
            for item in error.error_list:
                self.add_error("new_password1", str(PASSWORD_MESSAGES.get(item.code, item.messages[0])))
            return False
        return True

    @property
    def password(self) -> str:
        return self.cleaned_data["new_password1"]


class ActivationCodeForm(ActivationForm):
    """A printed letter's username and code, then the new password and the notice."""

    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    code = forms.CharField(label=_("Mã kích hoạt"), max_length=32)
    field_order = ["username", "code", "new_password1", "new_password2", "accept_notice"]

    # The password is checked against the person (check_password_for) once the code has found them.


class ResetPasswordForm(SetPasswordForm):
    """Django's form of the password-reset link, with its messages in Vietnamese."""

    error_messages = {"password_mismatch": _("Hai mật khẩu không giống nhau.")}

    def validate_password_for_user(self, user, password_field_name="new_password2"):  # noqa: S107
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                for item in error.error_list:
                    self.add_error(password_field_name, str(PASSWORD_MESSAGES.get(item.code, item.messages[0])))


__all__ = [
    "ActivationCodeForm",
    "ActivationForm",
    "MembershipAddForm",
    "PeopleImportForm",
    "PersonCreateForm",
    "PersonForm",
    "ResetPasswordForm",
]
