"""The evaluation form generated from a criteria set and a form page.

The same form serves the Wagtail preview of a form page and the commune's own form, so the
preview is exactly what a commune sees.
"""

from dataclasses import dataclass, field, replace

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from cms.directory.models import ClassificationValue

from .blocks import QuestionKind
from .evaluation import InvalidValue, coerce_value
from .scoring_fields import product_set_problems
from .spec import CriterionSpec, IndicatorSpec, ScoreBand, SetLevel, SetSpec, ValueType
from .targets import group_problem, indicator_target_problems, typed_target
from .vocabulary import FORM_NO, FORM_YES
from .wording import max_points_words, target_words

BOOLEAN_CHOICES = [("", _("— chưa chọn —")), (FORM_YES, _("Có")), (FORM_NO, _("Không"))]


def field_key(code: str) -> str:
    """A form-safe name for an indicator code: "8.4" -> "8_4"."""
    return "".join(ch if ch.isalnum() else "_" for ch in code)


def target_display(indicator: IndicatorSpec, group: str | None) -> str:
    """The target a unit of ``group`` must reach, as a commune reads it: "≥ 95 %" (:mod:`.wording`)."""
    return target_words(indicator, group)


def _value_field(indicator: IndicatorSpec) -> forms.Field:
    common = {"required": False, "label": f"{indicator.code}. {indicator.name}", "help_text": indicator.guidance}
    if indicator.value_type == ValueType.BOOLEAN:
        return forms.ChoiceField(choices=BOOLEAN_CHOICES, widget=forms.RadioSelect, **common)
    if indicator.value_type == ValueType.CHOICE:
        return forms.ChoiceField(choices=[("", _("— chưa chọn —"))] + [(c, c) for c in indicator.choices], **common)
    if indicator.value_type == ValueType.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)
    if indicator.value_type == ValueType.DATE:
        return forms.CharField(widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}), **common)
    if indicator.value_type == ValueType.SCORE:  # 0..max (the item's points), "12,5" or "12.5"; read by coerce_value
        maximum = max_points_words(indicator)
        common["help_text"] = f"{maximum}. {indicator.guidance}" if indicator.guidance else maximum
        attrs = {"inputmode": "decimal", "autocomplete": "off", "data-max": str(indicator.points or "")}
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
    inputmode = "numeric" if indicator.value_type == ValueType.INTEGER else "decimal"
    return forms.CharField(widget=forms.TextInput(attrs={"inputmode": inputmode, "autocomplete": "off"}), **common)


def _question_field(kind: str, value: dict) -> forms.Field:
    common = {"label": value["label"], "help_text": value.get("help_text", ""), "required": bool(value.get("required"))}
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if kind == QuestionKind.NUMBER:
        return forms.DecimalField(localize=True, **common)
    if kind == QuestionKind.CHOICE:
        return forms.ChoiceField(choices=[("", _("— chưa chọn —"))] + [(c, c) for c in value["choices"]], **common)
    if kind == QuestionKind.DATE:
        return forms.DateField(input_formats=["%d/%m/%Y", "%Y-%m-%d"], **common)
    if kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=BOOLEAN_CHOICES, widget=forms.RadioSelect, **common)
    if kind == QuestionKind.FILE:
        return forms.FileField(**common)
    return forms.CharField(max_length=1000, **common)


@dataclass
class IndicatorRow:
    indicator: IndicatorSpec
    value: forms.BoundField
    note: forms.BoundField
    target: str
    # Filled in by the commune's form (submissions): stored verdict, evidence files, upload field.
    verdict: object = None
    evidence: list = field(default_factory=list)
    upload: forms.BoundField | None = None


@dataclass
class CriterionSection:
    criterion: CriterionSpec
    rows: list[IndicatorRow]
    result: object = None
    returned: list = field(default_factory=list)


@dataclass
class QuestionSection:
    title: str
    description: str
    fields: list[forms.BoundField]


class EvaluationForm(forms.Form):
    """Values (typed by indicator), a note per indicator, and the office's extra questions."""

    def __init__(self, *args, spec: SetSpec, group: str | None = None, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.group = group
        self.indicators = {}
        for _criterion, indicator in spec.indicators():
            key = field_key(indicator.code)
            self.indicators[f"v_{key}"] = indicator
            self.fields[f"v_{key}"] = _value_field(indicator)
            self.fields[f"n_{key}"] = forms.CharField(
                label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
            )
        self.question_sections = []
        for section in sections:
            names = []
            for question in section.value["questions"]:
                name = f"q_{question.id}"
                self.fields[name] = _question_field(question.block_type, question.value)
                names.append(name)
            self.question_sections.append((section.value["title"], section.value.get("description", ""), names))

    def clean(self):
        cleaned = super().clean()
        for name, indicator in self.indicators.items():
            try:
                cleaned[name] = coerce_value(indicator, cleaned.get(name))
            except InvalidValue as error:
                self.add_error(name, str(error))
        return cleaned

    def values(self) -> dict[str, object]:
        """Indicator code -> typed value, for the evaluation function (valid fields only)."""
        return {
            indicator.code: self.cleaned_data.get(name)
            for name, indicator in self.indicators.items()
            if name in self.cleaned_data
        }

    def criterion_sections(self) -> list[CriterionSection]:
        return [
            CriterionSection(
                criterion,
                [
                    IndicatorRow(
                        indicator,
                        self[f"v_{field_key(indicator.code)}"],
                        self[f"n_{field_key(indicator.code)}"],
                        target_display(indicator, self.group),
                    )
                    for indicator in criterion.indicators
                ],
            )
            for criterion in self.spec.criteria
        ]

    def extra_sections(self) -> list[QuestionSection]:
        return [
            QuestionSection(title, description, [self[name] for name in names])
            for title, description, names in self.question_sections
        ]


def _typed_indicator(cleaned: dict) -> IndicatorSpec:
    """An indicator row of the page editor as the spec reads it (its targets left out)."""
    return IndicatorSpec(
        code=cleaned.get("code") or "",
        name=cleaned.get("name") or "",
        value_type=cleaned.get("value_type") or "",
        comparison=cleaned.get("comparison") or "",
        choices=tuple(line.strip() for line in (cleaned.get("choices") or "").splitlines() if line.strip()),
    )


class CriterionPageForm(WagtailAdminPageForm):
    """The criterion editor: indicator codes unique within the criterion (rounds and exports key values by code),
    and every target read for its indicator's value type and comparison, per-group targets only for values of the
    set's classification (:func:`criteria_pages.targets.indicator_target_problems`), each refused next to the
    field where it was typed. Date targets are kept as people type them (dd/mm/yyyy)."""

    def clean(self):
        cleaned = super().clean()
        seen = set()
        formset = self.formsets["indicators"]
        formset.is_valid()  # ClusterForm validates child formsets after the form; the rows are needed now
        classification, groups, labels = self._classification()
        for form in formset.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            code = form.cleaned_data.get("code")
            if code and code in seen:
                form.add_error("code", _("Mã chỉ tiêu %(code)s bị trùng trong tiêu chí này.") % {"code": code})
                self.add_error(None, _("Mã chỉ tiêu %(code)s bị trùng trong tiêu chí này.") % {"code": code})
            seen.add(code)
            self._check_targets(form, classification, groups, labels)
        return cleaned

    def _classification(self) -> tuple[str, set[str], dict[str, str]]:
        """The code of the set's classification, its value codes, and the names people read for them."""
        parent = self.parent_page.specific if self.parent_page is not None else None
        classification = getattr(parent, "classification", None)
        if classification is None:
            return "", set(), {}
        values = dict(classification.values.values_list("code", "name"))
        other_values = dict(ClassificationValue.objects.values_list("code", "name"))  # named in refusals
        return classification.code, set(values), {**other_values, "": classification.name, **values}

    def _check_targets(self, form, classification: str, groups: set[str], labels: dict[str, str]) -> None:
        indicator = _typed_indicator(form.cleaned_data)
        if "value_type" in form.errors or "comparison" in form.errors or "choices" in form.errors:
            return
        target = form.cleaned_data.get("target") or ""
        for problem in indicator_target_problems(
            replace(indicator, target=target),
            classification=classification,
            groups=groups,
            labels=labels,
        ):
            form.add_error("target", problem.message)
        block_errors, named = {}, {}
        stream = form.cleaned_data.get("group_targets") or []
        for index, block in enumerate(stream):
            group, text = block.value.get("group"), block.value.get("target") or ""
            message = group_problem(group, classification=classification, groups=groups, labels=labels)
            if message:
                block_errors[index] = StructBlockValidationError({"group": forms.ValidationError(message)})
                continue
            if group in named:
                message = _("Đã có mức riêng cho “%(group)s” ở dòng %(row)s.") % {
                    "group": labels.get(group, group),
                    "row": named[group] + 1,
                }
                block_errors[index] = StructBlockValidationError({"group": forms.ValidationError(message)})
                continue
            named[group] = index
            for problem in indicator_target_problems(
                replace(indicator, targets={group: text}),
                classification=classification,
                groups=groups,
                labels=labels,
            ):
                block_errors[index] = StructBlockValidationError({"target": forms.ValidationError(problem.message)})
            if index not in block_errors:
                block.value["target"] = typed_target(indicator, text)
        if block_errors:
            form.add_error("group_targets", StreamBlockValidationError(block_errors=block_errors))
        if not form.errors:
            form.cleaned_data["target"] = form.instance.target = typed_target(indicator, target)
            form.instance.group_targets = stream


def choices_read_once(form_class: type[forms.BaseForm], name: str) -> type[forms.BaseForm]:
    """``form_class`` (the form of an inline panel's rows) whose dropdown ``name`` lists the choices read once for
    all the rows of one editor, the empty row included: a model dropdown reads its table each time it is drawn."""
    read = []

    class RowForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            field = self.fields.get(name)
            if field is None:
                return
            if not read:
                read.append(list(field.choices))
            field.choices = read[0]

    RowForm.__name__ = RowForm.__qualname__ = form_class.__name__
    return RowForm


class CriteriaSetPageForm(WagtailAdminPageForm):
    """The set editor. Publishing checks the set as it would be frozen, with the criteria's unpublished changes
    that are published with it: every target must fit its indicator and the classification chosen here. The
    problems are listed in the set's "criteria" panel (:class:`criteria_pages.panels.CriteriaStatusPanel`)."""

    PUBLISH_ACTION = "action-publish"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formset = self.formsets.get("preconditions")
        if formset is not None:
            formset.form = choices_read_once(formset.form, "department")

    def clean(self):
        cleaned = super().clean()
        if self.data.get(self.PUBLISH_ACTION) and self.instance.pk and "classification" not in self.errors:
            for message in self.instance.publishing_problems(classification=cleaned.get("classification")):
                self.add_error(None, message)
        if self.data.get(self.PUBLISH_ACTION) and self.instance.pk:  # a new set has no criteria: it stays a draft
            self._check_product_set(cleaned)
        self._check_precondition_codes()
        return cleaned

    def _check_product_set(self, cleaned: dict) -> None:
        """A product-level (OCOP) set as it would be frozen: scored by total with star bands and scored items."""
        if cleaned.get("level") != SetLevel.PRODUCT:
            return
        formset = self.formsets.get("bands") if hasattr(self, "formsets") else None
        bands = []
        if formset is not None:
            formset.is_valid()
            for form in formset.forms:
                data = getattr(form, "cleaned_data", None) or {}
                if data and not data.get("DELETE") and data.get("min_points") is not None:
                    bands.append(ScoreBand(data.get("label") or "", data["min_points"], data.get("stars")))
        criteria = self.instance.criteria_as_published_with_set()
        spec = SetSpec(
            code=cleaned.get("code") or "",
            name=cleaned.get("title") or "",
            level=SetLevel.PRODUCT,
            standard_rule=cleaned.get("standard_rule") or "",
            bands=tuple(bands),
            criteria=tuple(criterion.as_spec() for criterion in criteria),
        )
        for problem in product_set_problems(spec):
            self.add_error(None, _("Bộ cấp sản phẩm (OCOP): %(problem)s") % {"problem": problem})

    def _check_precondition_codes(self) -> None:
        """Recognition preconditions are kept per submission by their code: unique within the set."""
        formset = self.formsets.get("preconditions") if hasattr(self, "formsets") else None
        if formset is None:
            return
        formset.is_valid()  # ClusterForm validates child formsets after the form; the rows are needed now
        seen = set()
        for form in formset.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            code = (form.cleaned_data.get("code") or "").strip()
            if code and code in seen:
                message = _("Mã điều kiện %(code)s bị trùng trong bộ tiêu chí.") % {"code": code}
                form.add_error("code", message)
                self.add_error(None, message)
            seen.add(code)


class SetImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp bộ tiêu chí"),
        help_text=_("Excel .xlsx theo mẫu (tải mẫu ở trên) hoặc .json xuất từ hệ thống."),
    )
    index = forms.ModelChoiceField(
        queryset=None,
        label=_("Lưu vào"),
        help_text=_("Bộ tiêu chí quốc gia (mọi tỉnh dùng được) hoặc bộ tiêu chí riêng của một tỉnh."),
    )

    def __init__(self, *args, indexes, index_label, **kwargs):
        """``indexes``: where the user may import (one: no choice is shown)."""
        super().__init__(*args, **kwargs)
        self.indexes = list(indexes)
        if len(self.indexes) > 1:
            self.fields["index"].queryset = (
                type(self.indexes[0]).objects.filter(pk__in=[i.pk for i in self.indexes]).order_by("depth", "path")
            )
            self.fields["index"].label_from_instance = index_label
        else:
            del self.fields["index"]

    def clean(self):
        cleaned = super().clean()
        if "index" not in self.fields and self.indexes:
            cleaned["index"] = self.indexes[0]
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".json")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .json."))
        if upload.size > MAX_SET_FILE_SIZE:
            raise forms.ValidationError(_("Tệp quá lớn; tối đa 5 MB."))
        return upload


MAX_SET_FILE_SIZE = 5 * 1024 * 1024
