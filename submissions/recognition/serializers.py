"""The recognition preconditions in the review API: each precondition of a submission as
:func:`~submissions.recognition.selectors.preconditions_of` gives it, and the confirm / waive inputs."""

from django.urls import reverse

from rest_framework import serializers

from criteria_pages.spec import FigureSource, PreconditionKind
from submissions.api.common import NamedEnumField
from submissions.recognition.models import PreconditionEvidence, PreconditionStatus
from submissions.recognition.services import MAX_TEXT


class PreconditionEvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(help_text="Served only to callers whose scope covers it.")

    class Meta:
        model = PreconditionEvidence
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "download_url"]

    def get_download_url(self, evidence) -> str:
        url = reverse("recognition:evidence", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class PreconditionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = NamedEnumField(choices_class=PreconditionKind)
    kind_label = serializers.CharField()
    source = NamedEnumField(choices_class=FigureSource, source="spec.source", help_text="Figures only.")
    status = NamedEnumField(choices_class=PreconditionStatus, help_text="met and waived let recognition go ahead.")
    status_label = serializers.CharField()
    cleared = serializers.BooleanField(help_text="Met, or waived by the office with a reason.")
    value = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False, allow_null=True)
    comparison = serializers.CharField(source="spec.comparison")
    threshold = serializers.DecimalField(
        source="spec.threshold", max_digits=10, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    unit = serializers.CharField(source="spec.unit")
    threshold_text = serializers.CharField(help_text='As the pages write it, e.g. "≥ 90 %".')
    required_title = serializers.CharField(source="spec.required_title")
    department = serializers.CharField(source="spec.department", help_text="The confirming department's code.")
    department_name = serializers.CharField()
    evidence_asked = serializers.CharField(source="spec.evidence")
    legal_basis = serializers.CharField(source="spec.legal_basis")
    verified = serializers.BooleanField(source="spec.verified", help_text="Checked against the decision's text.")
    note = serializers.CharField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    waiver_reason = serializers.CharField()
    waived_at = serializers.DateTimeField(allow_null=True)
    evidence = PreconditionEvidenceSerializer(many=True)


class PreconditionConfirmSerializer(serializers.Serializer):
    met = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="Yes/no preconditions.")
    value = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None, help_text="Figures."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TEXT)


class PreconditionWaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_TEXT, help_text="Required; shown wherever the recognition is.")
