"""Review API (``/api/v1/review/...``): the caller's queue, one submission as a reviewer sees it, and the
review actions (forward, return, appraise, override, recognise, publish).

Same rules as the reviewers' web pages (``/xet-duyet/``), because both call :mod:`submissions.review` and
:mod:`submissions.review_selectors`: a submission outside ``reviewable_submissions(user)`` is a 404 for
every verb; a refusal of the review function for lack of permission is a 403 ``"forbidden"``; a stale
``lock_version`` is a 409 ``"conflict"``; an action the submission's stage does not allow is a 409
``"wrong_state"``; invalid input is a 400 with ``fields``. Every error has the project's JSON shape.
"""

from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from submissions import access, errors
from submissions.entry.api import (
    NOT_AUTHENTICATED,
    NOT_FOUND,
    ApiErrorSerializer,
    LoginRequired,
    NamedEnumField,
    SubmissionEvidenceSerializer,
    UnitRefSerializer,
    _error,
)
from submissions.entry.api import _refused as _submission_refused
from submissions.models import (
    AppraisalStatus,
    AuditAction,
    AuditEntry,
    CriterionAppraisal,
    ReturnedItem,
    Submission,
    SubmissionStatus,
)
from submissions.review import flow as review
from submissions.review import selectors as review_selectors

#: Error codes of :func:`submissions.review._require` and ``_require_status``.
FORBIDDEN = "forbidden"
WRONG_STATE = "wrong_state"
#: Decision dates are accepted as ISO dates or as Vietnamese users write them.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
#: Indicator verdicts a reviewer may set ("" removes the override).
INDICATOR_VERDICTS = ("met", "not_met", "not_applicable")
#: The most submissions one appraise-many call handles (a queue page shows at most 500 rows).
APPRAISE_MANY_MAX = 500
DECISION_NUMBER_MAX_LENGTH = Submission._meta.get_field("decision_number").max_length

# --- errors -----------------------------------------------------------------------------------------


def _refused(error: errors.SubmissionError, *, field: str | None = None) -> Response:
    """A review function's refusal in the project's error shape (403, 409 or 400 with ``fields``)."""
    if error.code == FORBIDDEN:
        return _error(error.message, FORBIDDEN, status.HTTP_403_FORBIDDEN)
    if error.code == WRONG_STATE:
        return _error(error.message, WRONG_STATE, status.HTTP_409_CONFLICT)
    names = [name for name in error.details if isinstance(name, str)]
    if error.code == "invalid" and names:
        return _error(
            error.message, "invalid", status.HTTP_400_BAD_REQUEST, fields={name: [error.message] for name in names}
        )
    return _submission_refused(error, field=field)


FORBIDDEN_RESPONSE = OpenApiResponse(
    ApiErrorSerializer,
    description='Not logged in ("not_authenticated"), or the caller may see the submission but not do this '
    '("forbidden").',
)
CONFLICT = OpenApiResponse(
    ApiErrorSerializer,
    description='"conflict": stale lock_version (somebody acted first; nothing was overwritten); '
    '"wrong_state": the submission is not at a stage where this action is possible.',
)
INVALID = OpenApiResponse(ApiErrorSerializer, description="Invalid input: `fields` names each field concerned.")


# --- access -----------------------------------------------------------------------------------------


def _reviewable(request, pk: int) -> Submission:
    """Submission ``pk`` if the caller may review it (as on the web pages), else 404."""
    submission = (
        access.reviewable_submissions(request.user)
        .select_related("round__criteria_version", "unit__parent", "unit__edition")
        .filter(pk=pk)
        .first()
    )
    if submission is None:
        raise exceptions.NotFound(_("Không tìm thấy hồ sơ này."))
    return submission


# --- queue ------------------------------------------------------------------------------------------


class ReviewQueueQuerySerializer(serializers.Serializer):
    round = serializers.IntegerField(required=False, min_value=1)
    district = serializers.IntegerField(required=False, min_value=1)
    criterion = serializers.IntegerField(required=False, min_value=1)
    status = serializers.CharField(required=False, allow_blank=True)

    def validate_status(self, value: str) -> str:
        if value and value not in set(SubmissionStatus.values) | set(AppraisalStatus.values):
            raise serializers.ValidationError(_("Trạng thái không hợp lệ."))
        return value

    def filters(self) -> review_selectors.QueueFilters:
        data = self.validated_data
        return review_selectors.QueueFilters(
            round=data.get("round"),
            district=data.get("district"),
            criterion=data.get("criterion"),
            status=data.get("status", ""),
        )


class ReviewQueueCountSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="A submission status, or an appraisal status in appraisal mode.")
    label = serializers.CharField()
    count = serializers.IntegerField()


class ReviewQueueRowSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission.pk")
    unit = UnitRefSerializer(source="submission.unit")
    round = serializers.IntegerField(source="submission.round_id")
    status = NamedEnumField(choices_class=SubmissionStatus, source="submission.status")
    lock_version = serializers.IntegerField(source="submission.lock_version")
    criterion_number = serializers.SerializerMethodField(help_text="The criterion to appraise (appraisal mode).")
    appraisal_status = serializers.SerializerMethodField(help_text="pending, approved or returned (appraisal mode).")
    due_on = serializers.DateField(source="due", allow_null=True, help_text="When the current stage should end.")
    overdue = serializers.SerializerMethodField()

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


class ReviewQueueView(LoginRequired, APIView):
    @extend_schema(
        summary="The caller's review queue: counts per status and the rows to act on",
        description=(
            "District reviewers: submissions waiting for the district check; department appraisers: their "
            "criteria waiting for appraisal; office editors: submissions waiting for recognition. `status` "
            "shows another status instead. 403 for callers without a reviewer role."
        ),
        parameters=[
            OpenApiParameter("round", OpenApiTypes.INT, description="Only this round."),
            OpenApiParameter("district", OpenApiTypes.INT, description="Only communes of this district (unit id)."),
            OpenApiParameter("criterion", OpenApiTypes.INT, description="Only this criterion (appraisal mode)."),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                description="A submission status, or an appraisal status (pending, approved, returned).",
            ),
        ],
        responses={200: ReviewQueueSerializer, 400: INVALID, 403: FORBIDDEN_RESPONSE},
    )
    def get(self, request):
        query = ReviewQueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        context = review_selectors.queue_for(request.user, query.filters())
        if context is None:
            return _error(_("Bạn không có vai trò xét duyệt hồ sơ."), FORBIDDEN, status.HTTP_403_FORBIDDEN)
        body = {
            "mode": context["mode"],
            "status": context["status"],
            "counts": [{"status": value, "label": label, "count": count} for value, label, count in context["counts"]],
            "rows": context["rows"],
            "rounds": context["rounds"],
            "districts": context["districts"],
            "criteria": context.get("criteria", []),
        }
        return Response(ReviewQueueSerializer(body, context={"today": context["today"]}).data)


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
        ]


def _detail(request, submission: Submission) -> dict:
    """The submission as the web detail page shows it to the caller (``review_selectors.detail_context``)."""
    context = review_selectors.detail_context(request.user, submission)
    submission.review = context
    submission.review_values = [
        {**indicator, "criterion_number": criterion["spec"].number}
        for criterion in context["criteria"]
        for indicator in criterion["indicators"]
    ]
    submission.review_appraisals = [c["appraisal"] for c in context["criteria"] if c["appraisal"] is not None]
    submission.review_own = sorted(context["own_criteria"])
    submission.review_evidence = [
        item
        for criterion in context["criteria"]
        for indicator in criterion["indicators"]
        for item in indicator["evidence"]
    ]
    return ReviewSubmissionSerializer(submission, context={"request": request}).data


def _fresh(request, submission: Submission) -> Response:
    """The detail after an action (the review functions update rows, not always this instance)."""
    return Response(_detail(request, _reviewable(request, submission.pk)))


class ReviewSubmissionView(LoginRequired, APIView):
    @extend_schema(
        summary="One submission as a reviewer sees it: values, verdicts, appraisals, returns, history, evidence",
        responses={200: ReviewSubmissionSerializer, 403: NOT_AUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        return Response(_detail(request, _reviewable(request, pk)))


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


# --- actions: views ---------------------------------------------------------------------------------

ACTION_RESPONSES = {
    200: ReviewSubmissionSerializer,
    400: INVALID,
    403: FORBIDDEN_RESPONSE,
    404: NOT_FOUND,
    409: CONFLICT,
}


class _ReviewAction(LoginRequired, APIView):
    # Validate the body, call the review function on a reviewable submission, answer with its new detail.

    parser_classes = [JSONParser]
    input_serializer: type[serializers.Serializer]
    #: The input field a refusal without details is about (for ``fields``).
    error_field: str | None = None

    def post(self, request, pk: int):
        submission = _reviewable(request, pk)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            self.act(submission, request.user, serializer.validated_data)
        except errors.SubmissionError as error:
            return _refused(error, field=self.error_field_for(serializer.validated_data))
        return _fresh(request, submission)

    def error_field_for(self, data: dict) -> str | None:
        return self.error_field

    def act(self, submission: Submission, user, data: dict) -> None:
        raise NotImplementedError


@extend_schema(
    summary="District check passed: forward to the departments",
    description="District reviewers of the commune's district, or the office; the departments appraise next.",
    request=ReviewForwardSerializer,
    responses=ACTION_RESPONSES,
)
class ReviewForwardView(_ReviewAction):
    input_serializer = ReviewForwardSerializer

    def act(self, submission, user, data):
        review.review_forward(
            submission=submission, user=user, comment=data["comment"], expected_version=data["lock_version"]
        )


@extend_schema(
    summary="Return to the commune, with a comment overall and/or per criterion or indicator",
    description=(
        "A department appraiser returns only their own criteria (items are required). The commune fixes and "
        "resubmits; the submission comes back to the stage that returned it."
    ),
    request=ReviewReturnSerializer,
    responses=ACTION_RESPONSES,
)
class ReviewReturnView(_ReviewAction):
    input_serializer = ReviewReturnSerializer

    def act(self, submission, user, data):
        review.review_return(
            submission=submission,
            user=user,
            comment=data["comment"],
            items=[dict(item) for item in data["items"]],
            expected_version=data["lock_version"],
        )


@extend_schema(
    summary="Appraise one criterion (the department responsible for it, or the office)",
    description="When every criterion is appraised, the submission waits for the office's recognition.",
    request=ReviewAppraiseSerializer,
    responses=ACTION_RESPONSES,
)
class ReviewAppraiseView(_ReviewAction):
    input_serializer = ReviewAppraiseSerializer
    error_field = "number"

    def act(self, submission, user, data):
        review.appraisal_decide(
            submission=submission,
            number=data["number"],
            user=user,
            comment=data["comment"],
            expected_version=data["lock_version"],
        )


@extend_schema(
    summary="Replace a computed verdict (criterion or indicator), with a recorded reason",
    description='The computed verdict stays stored and visible; `met: null` or `status: ""` removes the override.',
    request=ReviewOverrideSerializer,
    responses=ACTION_RESPONSES,
)
class ReviewOverrideView(_ReviewAction):
    input_serializer = ReviewOverrideSerializer

    def error_field_for(self, data):
        return "indicator_code" if "indicator_code" in data else "criterion_number"

    def act(self, submission, user, data):
        if "indicator_code" in data:
            review.verdict_override(
                submission=submission,
                user=user,
                reason=data["reason"],
                indicator_code=data["indicator_code"],
                status=data["status"],
            )
        else:
            review.verdict_override(
                submission=submission,
                user=user,
                reason=data["reason"],
                criterion_number=data["criterion_number"],
                met=data["met"],
            )


@extend_schema(
    summary="Recognise the result (office editors), with the decision's number and date",
    description="Once every criterion is appraised. The decision's document is attached on the web page.",
    request=ReviewRecogniseSerializer,
    responses=ACTION_RESPONSES,
)
class ReviewRecogniseView(_ReviewAction):
    input_serializer = ReviewRecogniseSerializer

    def act(self, submission, user, data):
        review.recognise(
            submission=submission,
            user=user,
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            standard_override=data["standard_override"],
            reason=data["reason"],
            expected_version=data["lock_version"],
        )


@extend_schema(
    summary="Publish (or unpublish) a recognised result (office editors)",
    description="Publishing is a separate decision from recognition; only recognised results can be published.",
    request=ReviewPublishSerializer,
    responses=ACTION_RESPONSES,
)
class ReviewPublishView(_ReviewAction):
    input_serializer = ReviewPublishSerializer

    def act(self, submission, user, data):
        review.publish(submissions=[submission], user=user, published=data["published"])


class ReviewAppraiseManyView(LoginRequired, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Appraise one criterion for many submissions at once",
        description=(
            "Each submission is appraised on its own: `done` counts those appraised, `problems` says why each "
            "other one was not (not found, not the caller's criterion, wrong stage, already appraised)."
        ),
        request=ReviewAppraiseManySerializer,
        responses={200: ReviewAppraiseManyResultSerializer, 400: INVALID, 403: NOT_AUTHENTICATED},
    )
    def post(self, request):
        serializer = ReviewAppraiseManySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ids = list(dict.fromkeys(data["submissions"]))
        submissions = list(
            access.reviewable_submissions(request.user)
            .filter(pk__in=ids)
            .select_related("round__criteria_version", "unit__parent", "unit__edition")
            .order_by("unit__path", "pk")
        )
        found = {submission.pk for submission in submissions}
        done, problems = review.appraisal_decide_many(
            submissions=submissions, number=data["number"], user=request.user, comment=data["comment"]
        )
        problems += [_("Không tìm thấy hồ sơ %(id)s.") % {"id": pk} for pk in ids if pk not in found]
        return Response(ReviewAppraiseManyResultSerializer({"done": done, "problems": problems}).data)
