"""Serializers of the consultations API: what the public reads of a consultation (never evidence, never a commenter's
name or contact) and a resident's comment as sent."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from submissions.api.common import UnitRefSerializer
from submissions.consultation import selectors
from submissions.models import SubmissionStatus


class ConsultationRoundSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="As in /api/v1/rounds/{id}/.")
    name = serializers.CharField()


class ConsultationIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.CharField(source="value_text", help_text="As entered, in words (e.g. 'Có', '95 %').")
    verdict = serializers.CharField(source="verdict_text", help_text="Đạt, Chưa đạt, Không áp dụng.")


class ConsultationCriterionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    met = serializers.BooleanField(help_text="The appraised verdict (not recognised yet while consulted).")
    not_applicable = serializers.BooleanField()
    indicators = ConsultationIndicatorSerializer(
        many=True, help_text="Only when the office chose to publish the values (show_values); else empty."
    )


class PublishedCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    answer = serializers.CharField(help_text="The commune's answer ('' while none).")
    answered_at = serializers.DateTimeField(allow_null=True)


class ConsultationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = UnitRefSerializer(source="submission.unit")
    round = ConsultationRoundSerializer(source="submission.round")
    status = serializers.SerializerMethodField(help_text="open (taking comments) or closed.")
    recognised = serializers.SerializerMethodField(help_text="False while the result is not recognised yet.")
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    show_values = serializers.BooleanField()
    criteria = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField(
        help_text="Published comments only, oldest first; no names, no contacts."
    )

    def get_status(self, consultation) -> str:
        state = selectors.state_of(consultation, self.context.get("today"))
        return selectors.State.OPEN if state == selectors.State.OPEN else selectors.State.CLOSED

    def get_recognised(self, consultation) -> bool:
        return consultation.submission.status == SubmissionStatus.RECOGNISED

    @extend_schema_field(ConsultationCriterionSerializer(many=True))
    def get_criteria(self, consultation) -> list[dict]:
        rows = selectors.prefetched_criterion_rows(consultation)
        return ConsultationCriterionSerializer(rows, many=True).data

    @extend_schema_field(PublishedCommentSerializer(many=True))
    def get_comments(self, consultation) -> list[dict]:
        comments = getattr(consultation, "published_comments", None)
        if comments is None:
            comments = list(selectors.published_comments(consultation))
        return PublishedCommentSerializer(comments, many=True).data


class CommentCreateSerializer(serializers.Serializer):
    """A resident's comment; the limits are the page's (length, per address, per consultation per day)."""

    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, help_text="Required.")
    author_name = serializers.CharField(
        required=False, allow_blank=True, help_text="Optional; never published, erased after the retention period."
    )
    contact = serializers.CharField(
        required=False, allow_blank=True, help_text="Optional; never published, erased after the retention period."
    )
    website = serializers.CharField(required=False, allow_blank=True, help_text="Leave empty (a trap for robots).")


class CommentAcceptedSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="pending: the comment waits for moderation before it is published.")
    message = serializers.CharField()
