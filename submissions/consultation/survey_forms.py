"""Forms of the satisfaction survey: the public answer form (radio buttons, a honeypot, no CSRF token: it lives on
cached pages), the office's survey and question forms, and the commune's paper tally form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.input import CleanTextFormMixin
from submissions.entry.forms import MultipleFileField

from .models import CombineRule, SatisfactionSurvey, SurveyQuestion
from .survey import QuestionInput, answer_problems, question_problems

#: The field people never see (hidden by the stylesheet); a robot filling every field fills it.
HONEYPOT_FIELD = "trang_web"


def question_field_name(question: SurveyQuestion) -> str:
    return f"cau_{question.pk}"


class SurveyAnswerForm(forms.Form):
    """One radio group per question; required questions are enforced here with Vietnamese messages (and again by
    the service); what was chosen is kept when the form comes back with errors."""

    def __init__(self, *args, questions: list[SurveyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question_field_name(question)] = forms.ChoiceField(
                label=question.text,
                choices=[(text, text) for text in question.choice_list],
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": _("Hãy chọn một trong các mức trả lời đã cho.")},
            )
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Để trống ô này"), required=False, max_length=200, widget=forms.TextInput(attrs={"tabindex": "-1"})
        )

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def answers(self) -> dict[str, str]:
        """Question pk (str) -> chosen text, as posted (the service checks them again)."""
        return {str(question.pk): str(self.data.get(question_field_name(question), "")) for question in self.questions}

    def clean(self):
        cleaned = super().clean()
        answers = {
            str(question.pk): cleaned.get(question_field_name(question)) or ""
            for question in self.questions
            if question_field_name(question) not in self.errors
        }
        by_pk = {str(question.pk): question for question in self.questions}
        for key, message in answer_problems([by_pk[key] for key in answers], answers).items():
            self.add_error(question_field_name(by_pk[key]), message)
        return cleaned

    def rows(self):
        """(question, bound field) in order, for the template."""
        return [(question, self[question_field_name(question)]) for question in self.questions]


class SurveySettingsForm(CleanTextFormMixin, forms.ModelForm):
    class Meta:
        model = SatisfactionSurvey
        fields = ["intro", "combine_rule"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "combine_rule": forms.RadioSelect(choices=CombineRule.choices),
        }
        help_texts = {
            "intro": _("Hiện phía trên phiếu khảo sát trên trang công khai của xã."),
            "combine_rule": _(
                "Gộp: mỗi phiếu tính một lần. Trung bình: trung bình tỷ lệ trực tuyến và tỷ lệ phiếu giấy. "
                "Ngưỡng đạt thuộc về điều kiện công nhận của bộ tiêu chí."
            ),
        }


class QuestionForm(CleanTextFormMixin, forms.ModelForm):
    class Meta:
        model = SurveyQuestion
        fields = ["text", "choices", "satisfied_choices", "required", "sort_order"]
        widgets = {
            "choices": forms.Textarea(attrs={"rows": 4}),
            "satisfied_choices": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"sort_order": _("thứ tự")}

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("DELETE"):
            return cleaned
        for name, message in question_problems(
            text=cleaned.get("text") or "",
            choices=cleaned.get("choices") or "",
            satisfied_choices=cleaned.get("satisfied_choices") or "",
        ).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned


QuestionFormSet = forms.inlineformset_factory(
    SatisfactionSurvey,
    SurveyQuestion,
    form=QuestionForm,
    extra=1,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


def question_inputs(formset) -> list[QuestionInput]:
    """What the office typed, for :func:`submissions.consultation.survey.survey_update` (blank extra forms
    dropped)."""
    inputs = []
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk is None:
            continue
        data = form.cleaned_data
        inputs.append(
            QuestionInput(
                pk=form.instance.pk,
                text=data.get("text", ""),
                choices=data.get("choices", ""),
                satisfied_choices=data.get("satisfied_choices", ""),
                required=bool(data.get("required")),
                sort_order=data.get("sort_order") or 0,
                delete=bool(data.get("DELETE")),
            )
        )
    return inputs


class PaperTallyForm(CleanTextFormMixin, forms.Form):
    respondents = forms.IntegerField(
        label=_("Số phiếu giấy thu về"),
        min_value=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    satisfied = forms.IntegerField(
        label=_("Trong đó: số phiếu hài lòng"),
        min_value=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField(
        label=_("Phiếu giấy đã quét (PDF, ảnh JPEG/PNG)"),
        required=False,
        help_text=_("Có thể chọn nhiều tệp một lúc."),
    )

    def clean(self):
        cleaned = super().clean()
        respondents, satisfied = cleaned.get("respondents"), cleaned.get("satisfied")
        if respondents is not None and satisfied is not None and satisfied > respondents:
            self.add_error(
                "satisfied", _("Số phiếu hài lòng không thể lớn hơn số phiếu thu về (%(n)s).") % {"n": respondents}
            )
        return cleaned
