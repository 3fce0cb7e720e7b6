"""Serializers of the review API (``/api/v1/review/...``): the queue, a submission as a reviewer sees it,
and the input of each review action."""

from django.utils.translation import gettext as _

from rest_framework import serializers

from cms.audit.models import AuditEntry
from submissions.api.common import NamedEnumField, SubmissionEvidenceSerializer, UnitRefSerializer
from submissions.models import (
    AppraisalStatus,
    AuditAction,
    CriterionAppraisal,
    ReturnedItem,
    Submission,
    SubmissionStatus,
)
from submissions.recognition.serializers import PreconditionSerializer
from submissions.review.bulk import BULK_MAX, DONE, REFUSED

#: Decision dates are accepted as ISO dates or as Vietnamese users write them.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
#: Indicator verdicts a reviewer may set ("" removes the override).
INDICATOR_VERDICTS = ("met", "not_met", "not_applicable")
#: The most submissions one appraise-many call handles (a queue page shows at most 500 rows).
APPRAISE_MANY_MAX = BULK_MAX
DECISION_NUMBER_MAX_LENGTH = Submission._meta.get_field("decision_number").max_length

# --- queue ------------------------------------------------------------------------------------------


class ReviewQueueCountSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="A submission status, or an appraisal status in appraisal mode.")
    label = serializers.CharField()
    count = serializers.IntegerField()


class ProductRefSerializer(serializers.Serializer):
    """An OCOP product as its dossier's subject: its name and its producer's."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    producer = serializers.CharField(source="producer.name", help_text="The producer (chủ thể) of the product.")


class ReviewQueueRowSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission.pk")
    unit = UnitRefSerializer(source="submission.unit")
    subject_name = serializers.CharField(
        source="submission.subject_name",
        required=False,
        help_text="OCOP dossiers only: “product – producer” (a unit's row has no such key).",
    )
    product = ProductRefSerializer(
        source="submission.product",
        required=False,
        help_text="OCOP dossiers only: the product evaluated (a unit's row has no such key).",
    )
    round = serializers.IntegerField(source="submission.round_id")
    status = NamedEnumField(choices_class=SubmissionStatus, source="submission.status")
    lock_version = serializers.IntegerField(source="submission.lock_version")
    criterion_number = serializers.SerializerMethodField(help_text="The criterion to appraise (appraisal mode).")
    appraisal_status = serializers.SerializerMethodField(help_text="pending, approved or returned (appraisal mode).")
    due_on = serializers.DateField(source="due", allow_null=True, help_text="When the current stage should end.")
    overdue = serializers.SerializerMethodField()

    def to_representation(self, instance):
        """A unit's row keeps the shape it always had; an OCOP dossier's adds its subject."""
        data = super().to_representation(instance)
        if not instance["submission"].product_id:
            data.pop("subject_name", None)
            data.pop("product", None)
        return data

    def get_criterion_number(self, row) -> int | None:
        appraisal = row.get("appraisal")
        return appraisal.number if appraisal else None

    def get_appraisal_status(self, row) -> str | None:
        appraisal = row.get("appraisal")
        return appraisal.status if appraisal else None

    def get_overdue(self, row) -> bool:
        return row["due"] is not None and row["due"] < self.context["today"]


class ReviewQueueRoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ReviewQueueDistrictSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ReviewQueueSerializer(serializers.Serializer):
    mode = serializers.CharField(
        help_text='"appraisals" for department appraisers (one row per criterion), else "submissions".'
    )
    status = serializers.CharField(help_text="The status the rows have (the stage of the caller's role by default).")
    counts = ReviewQueueCountSerializer(many=True)
    rows = ReviewQueueRowSerializer(many=True, help_text="At most 500.")
    rounds = ReviewQueueRoundSerializer(many=True, help_text="Rounds with reviewable submissions (for ?round=).")
    districts = ReviewQueueDistrictSerializer(
        many=True, help_text="Districts with reviewable submissions (?district=)."
    )
    criteria = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="The caller's criteria (appraisal mode)."
    )


# --- one submission, as a reviewer sees it ----------------------------------------------------------


class ReviewValueSerializer(serializers.Serializer):
    code = serializers.CharField(source="spec.code")
    name = serializers.CharField(source="spec.name")
    criterion_number = serializers.IntegerField()
    raw = serializers.CharField(source="value.raw", allow_null=True, help_text="As typed; null before any save.")
    note = serializers.CharField(source="value.note", allow_null=True)
    target = serializers.CharField(source="value.target", allow_null=True)
    status = serializers.CharField(source="value.status", allow_null=True, help_text="The effective verdict.")
    computed_status = serializers.CharField(source="value.computed_status", allow_null=True)
    override_status = serializers.CharField(
        source="value.override_status", allow_null=True, help_text='A reviewer\'s verdict ("" if none).'
    )
    override_reason = serializers.CharField(source="value.override_reason", allow_null=True)
    error = serializers.CharField(source="value.error", allow_null=True, help_text="Why the value cannot be read.")


class ReviewCriterionSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="spec.number")
    name = serializers.CharField(source="spec.name")
    status = serializers.CharField(source="result.status", allow_null=True)
    met = serializers.BooleanField(source="result.met", allow_null=True, help_text="The effective verdict.")
    computed_met = serializers.BooleanField(source="result.computed_met", allow_null=True)
    override_met = serializers.BooleanField(
        source="result.override_met", allow_null=True, help_text="A reviewer's verdict (null if none)."
    )
    override_reason = serializers.CharField(source="result.override_reason", allow_null=True)
    mine = serializers.BooleanField(help_text="Whether the caller's department appraises this criterion.")


class ReviewAppraisalSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", allow_null=True)
    status = NamedEnumField(choices_class=AppraisalStatus)
    appraised_by = serializers.CharField(source="appraised_by.username", allow_null=True)

    class Meta:
        model = CriterionAppraisal
        fields = ["number", "department", "status", "comment", "appraised_by", "appraised_at"]


class ReviewReturnedItemSerializer(serializers.ModelSerializer):
    stage = NamedEnumField(choices_class=SubmissionStatus, help_text="The stage that returned it.")
    created_by = serializers.CharField(source="created_by.username", allow_null=True)

    class Meta:
        model = ReturnedItem
        fields = ["stage", "criterion_number", "indicator_code", "comment", "created_by", "created_at", "resolved_at"]


class ReviewHistorySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", allow_null=True)
    action = NamedEnumField(choices_class=AuditAction)
    before = serializers.JSONField()
    after = serializers.JSONField()

    class Meta:
        model = AuditEntry
        fields = ["at", "actor", "role", "action", "comment", "before", "after"]


class ReviewActionsSerializer(serializers.Serializer):
    forward = serializers.BooleanField(source="can_forward")
    return_ = serializers.BooleanField(source="can_return")
    appraise = serializers.BooleanField(source="can_appraise")
    override = serializers.BooleanField(source="can_override")
    recognise = serializers.BooleanField(source="can_recognise")
    publish = serializers.BooleanField(source="can_publish")

    def get_fields(self):
        fields = super().get_fields()
        fields["return"] = fields.pop("return_")  # a keyword: cannot be declared by name
        return fields


class ReviewSubmissionSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round_id")
    unit = UnitRefSerializer()
    status = NamedEnumField(choices_class=SubmissionStatus)
    returned_from = serializers.CharField(help_text="The stage a returned submission goes back to when resubmitted.")
    effective_standard = serializers.BooleanField(help_text="standard_override if set, else standard_reached.")
    values = ReviewValueSerializer(source="review_values", many=True, help_text="Every indicator of the set.")
    criteria = ReviewCriterionSerializer(source="review.criteria", many=True)
    appraisals = ReviewAppraisalSerializer(source="review_appraisals", many=True)
    own_criteria = serializers.ListField(
        source="review_own", child=serializers.IntegerField(), help_text="Criteria the caller's department appraises."
    )
    returned_items = ReviewReturnedItemSerializer(source="review.returned_items", many=True)
    history = ReviewHistorySerializer(source="review.history", many=True, help_text="Newest first.")
    evidence = SubmissionEvidenceSerializer(
        source="review_evidence",
        many=True,
        help_text="Current files; department appraisers see those of their own criteria only.",
    )
    actions = ReviewActionsSerializer(source="review", help_text="What the caller may do now.")
    preconditions = PreconditionSerializer(
        source="review_preconditions",
        many=True,
        help_text="The recognition preconditions of the round's set: each must be met or waived to recognise.",
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "round",
            "unit",
            "status",
            "lock_version",
            "returned_from",
            "criteria_met",
            "criteria_applicable",
            "points",
            "band",
            "standard_reached",
            "standard_override",
            "standard_override_reason",
            "effective_standard",
            "submitted_at",
            "stage_entered_at",
            "decision_number",
            "decision_date",
            "recognised_at",
            "published",
            "published_at",
            "values",
            "criteria",
            "appraisals",
            "own_criteria",
            "returned_items",
            "history",
            "evidence",
            "actions",
            "preconditions",
        ]


# --- actions: input ---------------------------------------------------------------------------------


class ReviewLockVersionSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(help_text="The lock_version last read; a stale one gives 409.")


class ReviewForwardSerializer(ReviewLockVersionSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewReturnItemSerializer(serializers.Serializer):
    criterion_number = serializers.IntegerField(required=False, help_text="A whole criterion...")
    indicator_code = serializers.CharField(required=False, help_text="...or one indicator.")
    comment = serializers.CharField(help_text="What to fix.")

    def validate(self, attrs):
        if ("criterion_number" in attrs) == ("indicator_code" in attrs):
            raise serializers.ValidationError(_("Chọn một tiêu chí hoặc một chỉ tiêu."))
        return attrs


class ReviewReturnSerializer(ReviewLockVersionSerializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Overall; needed when there are no items."
    )
    items = ReviewReturnItemSerializer(many=True, required=False, default=list)


class ReviewAppraiseSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The criterion appraised.")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    lock_version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="If given, a stale one gives 409."
    )


class ReviewAppraiseManySerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The criterion appraised in every submission listed.")
    submissions = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=False, max_length=APPRAISE_MANY_MAX, help_text="Submission ids."
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewAppraiseManyResultSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text="How many were appraised.")
    problems = serializers.ListField(child=serializers.CharField(), help_text="Why the others were not, one by one.")


# --- work in bulk -----------------------------------------------------------------------------------


class ReviewManyItemSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="pk")
    unit = UnitRefSerializer(allow_null=True, help_text="null when the submission was not found.")
    criterion_number = serializers.IntegerField(source="number", allow_null=True, help_text="Appraisals only.")
    result = serializers.ChoiceField(choices=[DONE, REFUSED], help_text="done, or refused (see code and message).")
    code = serializers.CharField(
        help_text='Why it was refused: "not_found", "forbidden", "wrong_state", "conflict" (stale lock_version or '
        'changed meanwhile), "unchanged" (already as asked), "invalid"; "" when done.'
    )
    message = serializers.CharField(help_text='Why it was refused, in Vietnamese; "" when done.')
    status_before = serializers.CharField(help_text='The submission\'s status before ("" if not found).')
    status = serializers.CharField(help_text="Its status now.")


class ReviewManyResultSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text="How many items were done.")
    refused = serializers.IntegerField(help_text="How many were refused (each says why in results).")
    results = ReviewManyItemSerializer(many=True, help_text="One per item, in the order sent.")


class ReviewManySerializer(serializers.Serializer):
    submissions = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=False, max_length=BULK_MAX, help_text="Submission ids."
    )
    lock_versions = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        default=dict,
        help_text="Optional: the lock_version last read, by submission id; an item whose version is stale is "
        'refused ("conflict") and the others go ahead.',
    )

    def validate_lock_versions(self, value: dict) -> dict[int, int]:
        if not all(str(key).isdigit() for key in value):
            raise serializers.ValidationError(_("Khoá phải là mã số hồ sơ."))
        return {int(key): version for key, version in value.items()}


class ReviewForwardManySerializer(ReviewManySerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text="Recorded for each.")


class ReviewRecogniseManySerializer(ReviewManySerializer):
    decision_number = serializers.CharField(max_length=DECISION_NUMBER_MAX_LENGTH)
    decision_date = serializers.DateField(input_formats=DATE_INPUT_FORMATS, help_text="YYYY-MM-DD or dd/mm/yyyy.")


class ReviewRecogniseManyResultSerializer(ReviewManyResultSerializer):
    decision_number = serializers.CharField(help_text="The decision, recorded on every item done.")
    decision_date = serializers.DateField()


class ReviewPublishManySerializer(ReviewManySerializer):
    published = serializers.BooleanField(required=False, default=True, help_text="false unpublishes.")


class ReviewOverrideSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Required (not blank).")
    criterion_number = serializers.IntegerField(required=False, help_text="A criterion, with `met`...")
    indicator_code = serializers.CharField(required=False, help_text="...or an indicator, with `status`.")
    met = serializers.BooleanField(required=False, allow_null=True, help_text="The criterion's verdict; null removes.")
    status = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text='The indicator\'s verdict: met, not_met, not_applicable; "" removes.',
    )

    def validate_status(self, value: str) -> str:
        if value and value not in INDICATOR_VERDICTS:
            raise serializers.ValidationError(_("Kết quả phải là met, not_met hoặc not_applicable."))
        return value

    def validate(self, attrs):
        if ("criterion_number" in attrs) == ("indicator_code" in attrs):
            raise serializers.ValidationError(_("Chọn một tiêu chí hoặc một chỉ tiêu."))
        if "criterion_number" in attrs and ("met" not in attrs or "status" in attrs):
            raise serializers.ValidationError({"met": [_("Với tiêu chí, gửi met (true, false hoặc null).")]})
        if "indicator_code" in attrs and ("status" not in attrs or "met" in attrs):
            raise serializers.ValidationError({"status": [_("Với chỉ tiêu, gửi status.")]})
        return attrs


class ReviewRecogniseSerializer(ReviewLockVersionSerializer):
    decision_number = serializers.CharField(max_length=DECISION_NUMBER_MAX_LENGTH)
    decision_date = serializers.DateField(input_formats=DATE_INPUT_FORMATS, help_text="YYYY-MM-DD or dd/mm/yyyy.")
    standard_override = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Recognise as (not) reaching the standard; null: as computed.",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required when standard_override changes the result."
    )


class ReviewPublishSerializer(serializers.Serializer):
    published = serializers.BooleanField()
