"""The councils' forms: forming a council, seating a member, assigning dossiers, and a member's score sheet generated
from the round's set version (one field per SCORE item, from 0 to the item's points; "12,5" and "12.5" both read)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from criteria_pages.evaluation import InvalidValue, coerce_value
from submissions.ocop.models import CouncilLevel
from submissions.ocop.scoring import score_items


def _label(user) -> str:
    return user.get_full_name() or user.get_username()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _label(obj)


class CouncilForm(forms.Form):
    name = forms.CharField(label=_("Tên hội đồng"), max_length=255)
    level = forms.ChoiceField(label=_("Cấp hội đồng"), choices=CouncilLevel.choices, initial=CouncilLevel.PROVINCE)
    unit = forms.ModelChoiceField(label=_("Đơn vị thành lập"), queryset=None, empty_label=None)
    establishing_decision = forms.CharField(
        label=_("Quyết định thành lập"), max_length=255, required=False, help_text=_("Số, ngày của quyết định.")
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MemberForm(forms.Form):
    user = UserChoiceField(label=_("Người được cử"), queryset=None, empty_label=_("— Chọn người —"))
    position = forms.CharField(label=_("Chức danh trong hội đồng"), max_length=255, required=False)
    is_chair = forms.BooleanField(label=_("Là chủ tịch hội đồng"), required=False)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class AssignForm(forms.Form):
    submissions = forms.ModelMultipleChoiceField(
        label=_("Hồ sơ giao cho hội đồng"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Hãy chọn ít nhất một hồ sơ.")},
    )

    def __init__(self, *args, submissions, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["submissions"]
        field.queryset = submissions
        field.label_from_instance = lambda submission: submission.subject_name


def score_key(code: str) -> str:
    return f"s_{code}"


class ScoreSheetForm(forms.Form):
    """One decimal field per item of the round's score sheet (max = the item's points), grouped by part.

    Values are kept as typed (text), so a refused one comes back in the page as the member typed it; each is
    checked with the same coercion the service applies (0 up to the maximum, decimal comma or dot)."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = score_items(round_)
        for criterion, indicator in self.items:
            maximum = format((indicator.points or 0).normalize(), "f")
            self.fields[score_key(indicator.code)] = forms.CharField(
                label=f"{indicator.code}. {indicator.name}",
                required=False,
                max_length=32,
                help_text=_("Từ 0 đến %(max)s điểm") % {"max": maximum.replace(".", ",")},
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "data-max": maximum, "size": 6}
                ),
            )
            self.fields[score_key(indicator.code)].part = criterion.number
            self.fields[score_key(indicator.code)].indicator = indicator

    def clean(self):
        data = super().clean()
        for _criterion, indicator in self.items:
            key = score_key(indicator.code)
            raw = (data.get(key) or "").strip()
            try:
                coerce_value(indicator, raw)
            except InvalidValue as error:
                self.add_error(key, str(error))
        return data

    def raws(self) -> dict[str, str]:
        """What the member typed, by item code (invalid values included: the draft keeps them)."""
        return {
            indicator.code: (self.data.get(self.add_prefix(score_key(indicator.code))) or "").strip()
            for _criterion, indicator in self.items
        }

    def parts(self) -> list[dict]:
        """The bound fields by part, for the template: [{"number", "name", "fields"}]."""
        parts: dict[int, dict] = {}
        for criterion, indicator in self.items:
            part = parts.setdefault(
                criterion.number, {"number": criterion.number, "name": criterion.name, "fields": []}
            )
            part["fields"].append(self[score_key(indicator.code)])
        return list(parts.values())
