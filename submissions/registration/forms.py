"""Forms of the registration: the commune's (register, edit) and the office's (open a period, decide, filters)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import django_filters

from cms.directory.models import Unit, UnitLevel
from cms.input import CleanTextFormMixin
from criteria_pages.spec import TitleKind
from submissions.entry.forms import MultipleFileField

from .models import Registration, RegistrationStatus
from .services import MAX_YEARS_AHEAD, NAME_MAX_LENGTH, PLAN_MAX_LENGTH, kinds_for

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year, this_year + MAX_YEARS_AHEAD + 1)]


class RegistrationForm(CleanTextFormMixin, forms.Form):
    """Register (or edit) one target: the unit (when the officer has several), the title, the year, the plan,
    files. ``units``: the units the user registers for; ``registration``: the one being edited."""

    unit = forms.ModelChoiceField(label=_("Đơn vị đăng ký"), queryset=Unit.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Danh hiệu phấn đấu"), choices=())
    target_year = forms.TypedChoiceField(label=_("Năm phấn đấu đạt"), coerce=int, choices=())
    plan = forms.CharField(
        label=_("Kế hoạch tóm tắt"),
        required=False,
        max_length=PLAN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Các việc chính, nguồn lực, mốc thời gian (tối đa %(limit)s ký tự).") % {"limit": PLAN_MAX_LENGTH},
    )
    files = MultipleFileField(
        label=_("Tệp kèm theo (không bắt buộc)"),
        required=False,
        help_text=_("PDF, ảnh JPEG/PNG, DOCX, XLSX, ODT, ODS."),
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units: list[Unit], registration: Registration | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_year"].choices = _year_choices()
        if registration is not None:
            units = [registration.unit]
            self.fields["unit"].disabled = True
            self.fields["unit"].initial = registration.unit.pk
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[unit.pk for unit in units]).order_by("path")
        kinds = []
        for unit in units:
            kinds += [kind for kind in kinds_for(unit) if kind not in kinds]
        self.fields["kind"].choices = [(kind, TitleKind(kind).label) for kind in kinds]
        self._only_unit = units[0] if len(units) == 1 else None
        if self._only_unit is not None:
            self.fields["unit"].initial = self._only_unit.pk
            self.fields["unit"].required = False
            self.fields["unit"].widget = forms.HiddenInput()

    def clean_unit(self):
        """The officer's one unit when they have only one (whatever was posted); else the one chosen."""
        return self._only_unit or self.cleaned_data.get("unit")


class PeriodForm(CleanTextFormMixin, forms.Form):
    """The office opens a period: its province (when it has several), name, opening day, last day."""

    province = forms.ModelChoiceField(label=_("Tỉnh"), queryset=Unit.objects.none(), empty_label=None)
    name = forms.CharField(label=_("Tên đợt đăng ký"), max_length=NAME_MAX_LENGTH)
    opens_on = forms.DateField(label=_("Ngày mở"), widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    closes_on = forms.DateField(label=_("Hạn đăng ký"), widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces.order_by("name")
        if len(provinces) == 1:
            self.fields["province"].initial = provinces[0].pk


class DecisionForm(CleanTextFormMixin, forms.Form):
    """The office's decision on one registration."""

    APPROVE = "approve"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[(APPROVE, _("Duyệt")), (RETURN, _("Trả lại để sửa"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        max_length=PLAN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bắt buộc khi trả lại: xã cần biết sửa gì."),
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class RegistrationFilterSet(django_filters.FilterSet):
    """The office's list: by status, title, district, period, target year."""

    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=RegistrationStatus.choices, empty_label=_("Tất cả")
    )
    kind = django_filters.ChoiceFilter(label=_("Danh hiệu"), choices=TitleKind.choices, empty_label=_("Tất cả"))
    district = django_filters.ModelChoiceFilter(
        label=_("Huyện"), queryset=Unit.objects.none(), method="in_district", empty_label=_("Mọi huyện")
    )
    period = django_filters.ModelChoiceFilter(label=_("Đợt đăng ký"), queryset=None, empty_label=_("Mọi đợt"))
    target_year = django_filters.NumberFilter(label=_("Năm phấn đấu"))

    class Meta:
        model = Registration
        fields = ["status", "kind", "district", "period", "target_year"]

    def __init__(self, *args, periods, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["period"].queryset = periods
        self.filters["district"].queryset = Unit.objects.filter(
            parent__in=provinces, level=UnitLevel.DISTRICT
        ).order_by("path")

    def in_district(self, queryset, name, value):
        return queryset.filter(unit__edition_id=value.edition_id, unit__path__startswith=value.path)
