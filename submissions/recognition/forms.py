"""The forms of the preconditions panel: a confirmation (Có/Không) or a figure, with evidence files; a waiver."""

from django import forms
from django.utils.translation import gettext_lazy as _

from criteria_pages.evaluation import InvalidValue, coerce_value
from criteria_pages.spec import IndicatorSpec, ValueType
from criteria_pages.vocabulary import FORM_NO, FORM_YES
from submissions.recognition.services import MAX_TEXT

#: A figure is read like a number indicator's value ("92,5", "92.5").
_FIGURE = IndicatorSpec(code="", name="", value_type=ValueType.NUMBER)


class PreconditionConfirmForm(forms.Form):
    """Có/Không for a confirmation, a value for a figure (the view says which); files come from ``request.FILES``."""

    met = forms.ChoiceField(
        label=_("Kết quả xác nhận"),
        choices=[(FORM_YES, _("Có")), (FORM_NO, _("Không"))],
        widget=forms.RadioSelect,
        required=False,
    )
    value = forms.CharField(label=_("Số liệu"), max_length=30, required=False)
    note = forms.CharField(
        label=_("Ghi chú"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, figure: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.figure = figure
        if figure:
            del self.fields["met"]
            self.fields["value"].required = True
            self.fields["value"].error_messages["required"] = _("Hãy nhập số liệu.")
        else:
            del self.fields["value"]
            self.fields["met"].required = True
            self.fields["met"].error_messages["required"] = _("Hãy chọn “Có” hoặc “Không”.")

    def clean_value(self):
        text = self.cleaned_data.get("value", "").strip()
        try:
            return coerce_value(_FIGURE, text)
        except InvalidValue as error:
            raise forms.ValidationError(str(error)) from error

    def service_arguments(self) -> dict:
        """The keyword arguments of :func:`~submissions.recognition.services.precondition_confirm`."""
        data = self.cleaned_data
        if self.figure:
            return {"value": data["value"], "note": data["note"]}
        return {"met": data["met"] == FORM_YES, "note": data["note"]}


class PreconditionWaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do miễn"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Miễn điều kiện phải có lý do.")},
    )
