"""Serializers of the commune's submissions API (``/api/v1/submissions/``): what it reads and accepts."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from criteria_pages.blocks import QuestionKind
from criteria_pages.vocabulary import FORM_NO, FORM_YES
from submissions.api.common import NamedEnumField, SubmissionEvidenceSerializer, UnitRefSerializer
from submissions.entry import selectors, services
from submissions.models import IndicatorValue, Submission, SubmissionStatus

#: Longest value (and note) accepted, as the web form and IndicatorValue.raw allow.
RAW_MAX_LENGTH = IndicatorValue._meta.get_field("raw").max_length


class IncompleteErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    code = serializers.CharField(help_text='"incomplete"')
    missing = serializers.ListField(child=serializers.CharField(), help_text="Everything that blocks submission.")


# --- output -----------------------------------------------------------------------------------------


class DossierProductSerializer(serializers.Serializer):
    """The OCOP product a dossier evaluates, and its producer."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    producer = serializers.CharField(source="producer.name", help_text="The producer (chủ thể).")


class SubmissionSummarySerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round_id")
    unit = UnitRefSerializer(help_text="The unit evaluated; for an OCOP dossier, its producer's commune.")
    subject_name = serializers.CharField(
        required=False, help_text="OCOP dossiers only: “product – producer” (a unit's submission has no such key)."
    )
    product = DossierProductSerializer(
        required=False, help_text="OCOP dossiers only: the product evaluated (a unit's submission has no such key)."
    )
    status = NamedEnumField(choices_class=SubmissionStatus, help_text="Editable by the commune in draft and returned.")
    editable = serializers.SerializerMethodField(help_text="Whether the caller may change it now.")

    class Meta:
        model = Submission
        fields = [
            "id",
            "round",
            "unit",
            "subject_name",
            "product",
            "status",
            "lock_version",
            "criteria_met",
            "criteria_applicable",
            "standard_reached",
            "submitted_at",
            "editable",
        ]

    def to_representation(self, instance):
        """A unit's submission keeps the shape it always had; an OCOP dossier adds its subject."""
        data = super().to_representation(instance)
        if not instance.product_id:
            data.pop("subject_name", None)
            data.pop("product", None)
        return data

    def get_editable(self, submission) -> bool:
        if hasattr(submission, "api_editable"):
            return submission.api_editable
        return bool(self.context.get("own")) and submission.is_editable


class SubmissionValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    criterion_number = serializers.IntegerField()
    raw = serializers.CharField(help_text="As typed, even when invalid.")
    note = serializers.CharField()
    status = serializers.CharField(help_text="met, not_met, not_applicable or missing.")
    target = serializers.CharField()
    error = serializers.CharField(help_text="Why the value cannot be read ('' if it can).")


class SubmissionCriterionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.CharField()
    met = serializers.BooleanField()


class SubmissionQuestionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text='The key in "answers", e.g. q_<uuid>.')
    label = serializers.CharField()
    kind = serializers.CharField(help_text='A "file" question is answered by evidence with indicator_code q:<uuid>.')
    required = serializers.BooleanField()
    section = serializers.CharField()


class SubmissionDetailSerializer(SubmissionSummarySerializer):
    values = SubmissionValueSerializer(many=True, help_text="As last saved (empty before the first save).")
    criteria = SubmissionCriterionSerializer(source="criterion_results", many=True)
    answers = serializers.DictField(help_text="The answers to the office's extra questions, by question key.")
    questions = SubmissionQuestionSerializer(source="api_questions", many=True)
    evidence = SubmissionEvidenceSerializer(source="api_evidence", many=True, help_text="Current files only.")
    missing = serializers.ListField(
        source="api_missing", child=serializers.CharField(), help_text="Everything that blocks submission."
    )

    class Meta(SubmissionSummarySerializer.Meta):
        fields = [
            *SubmissionSummarySerializer.Meta.fields,
            "group",
            "points",
            "band",
            "values",
            "criteria",
            "answers",
            "questions",
            "evidence",
            "missing",
        ]


class SubmissionSavedSerializer(SubmissionDetailSerializer):
    errors = serializers.DictField(
        child=serializers.CharField(),
        source="api_errors",
        help_text="Values and answers that were stored but cannot be read, by indicator code or question key.",
    )

    class Meta(SubmissionDetailSerializer.Meta):
        fields = [*SubmissionDetailSerializer.Meta.fields, "errors"]


# --- input ------------------------------------------------------------------------------------------


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}], "nullable": True},
)
class RawValueField(serializers.Field):
    """A value as an integrator sends it: text ("95,5"), a number, a boolean or null (clears it)."""

    default_error_messages = {
        "invalid": _lazy("Hãy gửi một chuỗi, một số, true/false hoặc null."),
        "max_length": _lazy("Tối đa {max_length} ký tự."),
    }

    def __init__(self, *, max_length: int | None = None, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)
        self.max_length = max_length

    def to_internal_value(self, data) -> str:
        if isinstance(data, bool):
            return FORM_YES if data else FORM_NO  # what the web form's Có/Không buttons send
        if not isinstance(data, str | int | float):
            self.fail("invalid")
        text = str(data)
        if self.max_length is not None and len(text) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return text

    def validate_empty_values(self, data):
        if data is None:
            return True, ""
        return super().validate_empty_values(data)

    def to_representation(self, value):
        return value


class SubmissionValuesSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(help_text="The lock_version last read; a stale one gives 409.")
    values = serializers.DictField(
        child=RawValueField(max_length=RAW_MAX_LENGTH), required=False, help_text='{"2.1": "95,5", ...}'
    )
    notes = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=RAW_MAX_LENGTH),
        required=False,
        help_text="By indicator code.",
    )
    answers = serializers.DictField(child=RawValueField(), required=False, help_text="By question key (q_<uuid>).")

    def _check_codes(self, data: dict) -> dict:
        known = {indicator.code for _criterion, indicator in self.context["submission"].round.spec.indicators()}
        unknown = {
            code: [_("Không có chỉ tiêu %(code)s trong bộ tiêu chí.") % {"code": code}]
            for code in data
            if code not in known
        }
        if unknown:
            raise serializers.ValidationError(unknown)
        return data

    def validate_values(self, data):
        return self._check_codes(data)

    def validate_notes(self, data):
        return self._check_codes(data)

    def validate_answers(self, data):
        questions = {question.key: question for question in self.context["questions"]}
        errors = {}
        for key in data:
            if key not in questions:
                errors[key] = [_("Không có câu hỏi %(key)s trong biểu mẫu.") % {"key": key}]
            elif questions[key].kind == QuestionKind.FILE:
                errors[key] = [
                    _("Câu hỏi này nhận tệp: tải tệp lên phần minh chứng với mã %(code)s.")
                    % {"code": services.QUESTION_PREFIX + key.removeprefix("q_")}
                ]
        if errors:
            raise serializers.ValidationError(errors)
        return data


class SubmitSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(help_text="The lock_version last read; a stale one gives 409.")


class EvidenceUploadSerializer(serializers.Serializer):
    indicator_code = serializers.CharField(help_text="An indicator code, or q:<uuid> for a file question.")
    file = serializers.FileField(help_text="PDF, JPEG, PNG, DOCX, XLSX, ODT or ODS (checked by content).")
    replaces = serializers.IntegerField(required=False, allow_null=True, help_text="Id of a current file it replaces.")

    def validate_indicator_code(self, code):
        submission = self.context["submission"]
        known = {indicator.code for _criterion, indicator in submission.round.spec.indicators()}
        known |= {
            services.QUESTION_PREFIX + question.key.removeprefix("q_")
            for question in self.context["questions"]
            if question.kind == QuestionKind.FILE
        }
        if code not in known:
            raise serializers.ValidationError(_("Không có chỉ tiêu %(code)s trong bộ tiêu chí.") % {"code": code})
        return code

    def validate_replaces(self, pk):
        if pk is None:
            return None
        evidence = selectors.current_evidence(self.context["submission"]).filter(pk=pk).first()
        if evidence is None:
            raise serializers.ValidationError(_("Chỉ thay được minh chứng hiện hành của hồ sơ này."))
        return evidence


class EvidenceCreatedSerializer(SubmissionEvidenceSerializer):
    lock_version = serializers.SerializerMethodField(help_text="The submission's lock_version after the upload.")

    class Meta(SubmissionEvidenceSerializer.Meta):
        fields = [*SubmissionEvidenceSerializer.Meta.fields, "lock_version"]

    def get_lock_version(self, evidence) -> int:
        return evidence.submission.lock_version
