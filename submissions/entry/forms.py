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

    def __init__(self, *args, submission, sections=(), codes=None, **kwargs):
        """``codes``: a step of the step-by-step form saves only the values and notes of these indicators (the
        others are not on the screen, so not in the request); ``None`` saves them all."""
        super().__init__(*args, spec=submission.round.spec, group=submission.group or None, sections=sections, **kwargs)
        self.submission = submission
        self.saved_codes = None if codes is None else set(codes)
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

    def _saved(self) -> dict:
        return {
            name: indicator
            for name, indicator in self.indicators.items()
            if self.saved_codes is None or indicator.code in self.saved_codes
        }

    def raw_values(self) -> dict[str, str]:
        return {indicator.code: self.data.get(name, "") for name, indicator in self._saved().items()}

    def raw_notes(self) -> dict[str, str]:
        return {
            indicator.code: self.data.get(f"n_{field_key(indicator.code)}", "") for indicator in self._saved().values()
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


def attach_results(
    form: SubmissionForm,
    *,
    verdicts: dict,
    criterion_results: dict,
    evidence: dict,
    returned=(),
    missing=(),
) -> list:
    """The form's sections with each indicator's stored verdict, its evidence files, its upload field, the
    reviewer's returned items on it and what it still lacks to be submitted (``missing``: those to mark)."""
    sections = form.criterion_sections()
    for section in sections:
        section.result = criterion_results.get(section.criterion.number)
        section.returned = [
            item for item in returned if item.criterion_number == section.criterion.number and not item.indicator_code
        ]
        for row in section.rows:
            code = row.indicator.code
            row.verdict = verdicts.get(code)
            row.evidence = evidence.get(code, [])
            row.upload = form[f"e_{field_key(code)}"]
            row.returned = [item for item in returned if item.indicator_code == code]
            row.missing = [item for item in missing if getattr(item, "code", None) == code]
            row.missing_value = any(item.kind == "value" for item in row.missing)
            row.missing_evidence = any(item.kind == "evidence" for item in row.missing)
            # An optional upload with nothing to show stays folded ("Thêm minh chứng"), so the step stays short.
            row.evidence_folded = not (
                row.indicator.evidence.required or row.evidence or row.returned or row.missing or row.upload.errors
            )
    return sections
