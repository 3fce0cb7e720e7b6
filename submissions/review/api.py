"""Review API (``/api/v1/review/...``): the caller's queue, one submission as a reviewer sees it, the
review actions (forward, return, appraise, override, recognise, publish), and the same in bulk
(``forward-many``, ``recognise-many``, ``publish-many``, ``appraise-many``: :mod:`submissions.review.bulk`).

Same rules as the reviewers' web pages (``/xet-duyet/``), because both call :mod:`submissions.review.flow`
and :mod:`submissions.review.selectors`: a submission outside ``reviewable_submissions(user)`` is a 404 for
every verb. The review functions' refusals propagate to the project's exception handler (``cms.api``):
lack of permission is a 403 ``"forbidden"``; a stale ``lock_version`` is a 409 ``"conflict"``; an action
the submission's stage does not allow is a 409 ``"wrong_state"``; invalid input is a 400 with ``fields``.
Every error has the project's JSON shape.
"""

from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.errors import FORBIDDEN, about_field
from cms.parsers import JSONParser
from submissions import access
from submissions.api.common import NOT_AUTHENTICATED, NOT_FOUND, ApiErrorSerializer, LoginRequired
from submissions.models import Submission
from submissions.recognition.selectors import preconditions_of
from submissions.review import bulk
from submissions.review import flow as review
from submissions.review import selectors as review_selectors
from submissions.review.filters import QueueFilterSet
from submissions.review.serializers import (
    ReviewAppraiseManyResultSerializer,
    ReviewAppraiseManySerializer,
    ReviewAppraiseSerializer,
    ReviewForwardManySerializer,
    ReviewForwardSerializer,
    ReviewManyResultSerializer,
    ReviewOverrideSerializer,
    ReviewPublishManySerializer,
    ReviewPublishSerializer,
    ReviewQueueSerializer,
    ReviewRecogniseManyResultSerializer,
    ReviewRecogniseManySerializer,
    ReviewRecogniseSerializer,
    ReviewReturnSerializer,
    ReviewSubmissionSerializer,
)

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
        query = QueueFilterSet(request.query_params)
        if not query.is_valid():
            raise exceptions.ValidationError(query.errors)
        context = review_selectors.queue_for(request.user, review_selectors.QueueFilters(**query.valid_values()))
        if context is None:
            raise exceptions.PermissionDenied(_("Bạn không có vai trò xét duyệt hồ sơ."), code=FORBIDDEN)
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
    submission.review_preconditions = preconditions_of(submission)
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


# --- actions ----------------------------------------------------------------------------------------

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
        with about_field(self.error_field_for(serializer.validated_data)):
            self.act(submission, request.user, serializer.validated_data)
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


# --- work in bulk -------------------------------------------------------------------------------------

MANY_RESPONSES = {400: INVALID, 403: FORBIDDEN_RESPONSE}
MANY_DESCRIPTION = (
    " Every item follows the rules of the one-at-a-time action; the answer lists each item in the order sent: "
    "`done`, or `refused` with a Vietnamese `message` and a `code` (not_found, forbidden, wrong_state, conflict, "
    "unchanged). A list of up to 500 submissions; the items that pass are changed together."
)


def _many_body(ids: list[int], outcomes: list, missing: list, **extra) -> dict:
    results = bulk.in_order(ids, outcomes + missing)
    done = sum(outcome.done for outcome in results)
    return {"done": done, "refused": len(results) - done, "results": results, **extra}


class _ManyAction(LoginRequired, APIView):
    # Validate the body, find the submissions the caller may review, act on them, answer item by item.

    parser_classes = [JSONParser]
    input_serializer: type[serializers.Serializer]
    output_serializer: type[serializers.Serializer] = ReviewManyResultSerializer

    def post(self, request):
        if not access.is_reviewer(request.user):
            raise exceptions.PermissionDenied(_("Bạn không có vai trò xét duyệt hồ sơ."), code=FORBIDDEN)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        submissions, missing = bulk.submissions_chosen(request.user, data["submissions"])
        outcomes, extra = self.act(submissions, request.user, data)
        return Response(self.output_serializer(_many_body(data["submissions"], outcomes, missing, **extra)).data)

    def act(self, submissions: list[Submission], user, data: dict) -> tuple[list, dict]:
        raise NotImplementedError


@extend_schema(
    summary="District check passed for many submissions: forward them to the departments",
    description="District reviewers (their district's communes) or the office." + MANY_DESCRIPTION,
    request=ReviewForwardManySerializer,
    responses={200: ReviewManyResultSerializer, **MANY_RESPONSES},
)
class ReviewForwardManyView(_ManyAction):
    input_serializer = ReviewForwardManySerializer

    def act(self, submissions, user, data):
        outcomes = bulk.submissions_forward(
            submissions=submissions, user=user, comment=data["comment"], expected_versions=data["lock_versions"]
        )
        return outcomes, {}


@extend_schema(
    summary="Recognise many results with one decision (office editors)",
    description=(
        "One decision (number and date) covers exactly the submissions recognised (`done`); each is recognised "
        "as computed (a result recognised differently from the computation is recognised one at a time, with its "
        "reason). The decision's document is attached on the web page." + MANY_DESCRIPTION
    ),
    request=ReviewRecogniseManySerializer,
    responses={200: ReviewRecogniseManyResultSerializer, **MANY_RESPONSES},
)
class ReviewRecogniseManyView(_ManyAction):
    input_serializer = ReviewRecogniseManySerializer
    output_serializer = ReviewRecogniseManyResultSerializer

    def act(self, submissions, user, data):
        outcomes = bulk.submissions_recognise(
            submissions=submissions,
            user=user,
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            expected_versions=data["lock_versions"],
        )
        return outcomes, {"decision_number": data["decision_number"].strip(), "decision_date": data["decision_date"]}


@extend_schema(
    summary="Publish (or unpublish) many recognised results (office editors)",
    description="A result already as asked is refused as `unchanged`." + MANY_DESCRIPTION,
    request=ReviewPublishManySerializer,
    responses={200: ReviewManyResultSerializer, **MANY_RESPONSES},
)
class ReviewPublishManyView(_ManyAction):
    input_serializer = ReviewPublishManySerializer

    def act(self, submissions, user, data):
        outcomes = bulk.submissions_publish(
            submissions=submissions,
            user=user,
            published=data["published"],
            expected_versions=data["lock_versions"],
        )
        return outcomes, {}


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
        submissions, missing = bulk.submissions_chosen(request.user, data["submissions"])
        outcomes = bulk.appraisals_decide(
            pairs=[(submission, data["number"]) for submission in submissions],
            user=request.user,
            comment=data["comment"],
        )
        for outcome in missing:
            outcome.number = data["number"]
        results = bulk.in_order(data["submissions"], outcomes + missing)
        body = {
            "done": sum(outcome.done for outcome in results),
            "problems": [bulk.refused_line(outcome, criterion=False) for outcome in results if not outcome.done],
        }
        return Response(ReviewAppraiseManyResultSerializer(body).data)
