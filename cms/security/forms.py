import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.widgets import AdminDateInput

from cms.directory.access import departments_managed_by
from cms.directory.models import ROLE_SCOPE_LEVEL, Department, Role, Unit, UnitLevel

from .access import TOKEN_ROLES, token_provinces_for

#: Digits of a TOTP code (django-otp's default).
TOKEN_DIGITS = 6


class TokenForm(forms.Form):
    """The six-digit code an authenticator app shows."""

    token = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        max_length=TOKEN_DIGITS + 4,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if len(token) != TOKEN_DIGITS or not token.isdigit():
            raise forms.ValidationError(_("Mã xác thực gồm 6 chữ số."))
        return token


class UnlockForm(forms.Form):
    """Which account to unlock, from which address (the rows of the locked logins page)."""

    username = forms.CharField(max_length=150)
    ip_address = forms.GenericIPAddressField()


class IntegratorTokenForm(forms.Form):
    """A new API token: whose (province, integrator), its name, and what it may do (role, scope, read-only)."""

    province = forms.ModelChoiceField(label=_("Tỉnh"), queryset=Unit.objects.none(), empty_label=None)
    integrator = forms.CharField(
        label=_("Hệ thống tích hợp"),
        max_length=255,
        help_text=_(
            "Tên hệ thống gọi API, ví dụ “Cổng dữ liệu mở của tỉnh”. Các mã của cùng hệ thống được liệt kê cùng nhau."
        ),
    )
    name = forms.CharField(
        label=_("Tên mã"), max_length=255, help_text=_("Để phân biệt các mã của một hệ thống, ví dụ “Máy chủ chính”.")
    )
    role = forms.ChoiceField(
        label=_("Vai trò"),
        required=False,
        choices=[("", _("Không có vai trò: chỉ đọc dữ liệu công khai"))]
        + [(role.value, role.label) for role in TOKEN_ROLES],
        help_text=_(
            "Mã có vai trò làm được những gì người có vai trò đó làm, trong phạm vi chọn dưới đây. "
            "Vai trò Văn phòng Điều phối NTM có phạm vi là cả tỉnh."
        ),
    )
    unit_code = forms.CharField(
        label=_("Mã đơn vị hành chính"),
        required=False,
        max_length=20,
        help_text=_("Cho vai trò cán bộ xã (mã xã) hoặc thẩm tra cấp huyện (mã huyện)."),
    )
    department = forms.ModelChoiceField(
        label=_("Sở, ngành"),
        required=False,
        queryset=Department.objects.none(),
        help_text=_("Cho vai trò thẩm định của sở, ngành."),
    )
    read_only = forms.BooleanField(
        label=_("Chỉ đọc"),
        required=False,
        initial=True,
        help_text=_(
            "Bỏ chọn để mã có vai trò được gửi, sửa dữ liệu như người có vai trò đó. Mã không có vai trò luôn chỉ đọc."
        ),
    )
    expires_on = forms.DateField(
        label=_("Dùng được đến hết ngày"),
        required=False,
        widget=AdminDateInput(),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("dd/mm/yyyy; để trống nếu mã không hết hạn."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = token_provinces_for(user).order_by("code", "-edition__date")
        self.fields["province"].queryset = provinces
        self.fields["province"].label_from_instance = lambda unit: f"{unit.name} ({unit.edition.name})"
        self.fields["department"].queryset = departments_managed_by(user).select_related("province")
        self.fields["department"].label_from_instance = lambda department: (
            f"{department.name} ({department.province.name})"
        )
        self.unit = None

    def clean(self):
        cleaned = super().clean()
        role, province = cleaned.get("role"), cleaned.get("province")
        if role in ROLE_SCOPE_LEVEL and role != Role.OFFICE_EDITOR and province is not None:
            self.unit = self._unit(province, role, cleaned.get("unit_code", ""))
        if role == Role.DEPARTMENT_APPRAISER and cleaned.get("department") is None:
            self.add_error("department", _("Vai trò thẩm định cần chọn một sở, ngành."))
        if not role and not cleaned.get("read_only"):
            self.add_error("read_only", _("Mã không có vai trò chỉ được đọc dữ liệu."))
        expires_on = cleaned.get("expires_on")
        if expires_on is not None and expires_on < timezone.localdate():
            self.add_error("expires_on", _("Ngày hết hạn không được trước hôm nay."))
        return cleaned

    def _unit(self, province: Unit, role: str, code: str) -> Unit | None:
        code = code.strip()
        if not code:
            self.add_error("unit_code", _("Vai trò này cần mã của một đơn vị trong tỉnh."))
            return None
        level = ROLE_SCOPE_LEVEL[role]
        unit = Unit.objects.within(province).filter(code=code).first()
        if unit is None:
            self.add_error("unit_code", _("Tỉnh này không có đơn vị mã %(code)s.") % {"code": code})
        elif unit.level != level:
            self.add_error(
                "unit_code",
                _("%(unit)s không phải đơn vị %(level)s, như vai trò này cần.")
                % {"unit": unit, "level": UnitLevel(level).label.lower()},
            )
            unit = None
        return unit

    @property
    def expires_at(self) -> datetime.datetime | None:
        """The end of the chosen day, local time."""
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time()))


class RevokeTokenForm(forms.Form):
    """Why a token is revoked (optional; recorded in the audit trail)."""

    comment = forms.CharField(
        label=_("Lý do (không bắt buộc)"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
