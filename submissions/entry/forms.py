from django import forms
from django.utils.translation import gettext_lazy as _

from cms.input import CleanTextFormMixin
from criteria_pages.forms import EvaluationForm, field_key
from submissions.entry.services import QUESTION_PREFIX


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class SubmissionForm(CleanTextFormMixin, EvaluationForm):
    """The generated evaluation form plus the concurrency token and evidence uploads per indicator.

    Text with control characters is refused (``refused_fields``): the draft keeps invalid values, not those.
    """

    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, submission, sections=(), **kwargs):
        super().__init__(*args, spec=submission.round.spec, group=submission.group or None, sections=sections, **kwargs)
        self.submission = submission
        # Required questions are checked when submitting, not on every draft save.
        self.required_questions = {}
        for name, question in self.fields.items():
            if name.startswith("q_") and question.required:
                self.required_questions[name] = question.label
                question.required = False
                question.required_on_submit = True
        for _criterion, indicator in self.spec.indicators():
            self.fields[f"e_{field_key(indicator.code)}"] = MultipleFileField(
                label=_("Thêm tệp minh chứng"), required=False
            )

    def clean(self):
        # Values are validated field by field for display; a draft is saved even when some are invalid.
        return super().clean()

    def raw_values(self) -> dict[str, str]:
        return {indicator.code: self.data.get(name, "") for name, indicator in self.indicators.items()}

    def raw_notes(self) -> dict[str, str]:
        return {
            indicator.code: self.data.get(f"n_{field_key(indicator.code)}", "")
            for indicator in self.indicators.values()
        }

    def raw_answers(self) -> dict[str, str]:
        return {
            name: self.data.get(name, "")
            for name, question in self.fields.items()
            if name.startswith("q_") and name in self.data and not isinstance(question, forms.FileField)
        }

    def evidence_uploads(self) -> dict[str, list]:
        """Files per indicator code, and files answering "file" questions under "q:<question id>"."""
        uploads = {}
        if not self.files:
            return uploads
        for indicator in self.indicators.values():
            files = self.files.getlist(f"e_{field_key(indicator.code)}")
            if files:
                uploads[indicator.code] = files
        for name, question in self.fields.items():
            if name.startswith("q_") and isinstance(question, forms.FileField) and self.files.getlist(name):
                uploads[QUESTION_PREFIX + name.removeprefix("q_")] = self.files.getlist(name)
        return uploads


def attach_results(form: SubmissionForm, *, verdicts: dict, criterion_results: dict, evidence: dict) -> list:
    """The form's sections with each indicator's stored verdict, its evidence files and upload field."""
    sections = form.criterion_sections()
    for section in sections:
        section.result = criterion_results.get(section.criterion.number)
        for row in section.rows:
            row.verdict = verdicts.get(row.indicator.code)
            row.evidence = evidence.get(row.indicator.code, [])
            row.upload = form[f"e_{field_key(row.indicator.code)}"]
    return sections
