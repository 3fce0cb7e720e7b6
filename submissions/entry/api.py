"""API for the caller's submissions (``/api/v1/submissions/``); the rounds are in ``submissions.rounds.api``.

Same permissions as the commune's web form (``access.submissions_readable_by``): a commune officer reads
and edits the submissions of their own communes, and only while the round is open and the submission is a
draft or returned; other roles read what they may see and change nothing. A submission outside the
caller's scope is a 404 for every verb. The services' refusals propagate to the project's exception
handler (``cms.api``), which answers them in the project's error shape.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.errors import about_field
from cms.parsers import FormParser, JSONParser, MultiPartParser
from criteria_pages.blocks import QuestionKind
from criteria_pages.forms import EvaluationForm
from submissions import access
from submissions.api.common import NOT_AUTHENTICATED, NOT_FOUND, ApiErrorSerializer, Locked, LoginRequired
from submissions.entry import selectors, services
from submissions.entry.filters import SubmissionFilter
from submissions.entry.serializers import (
    EvidenceCreatedSerializer,
    EvidenceUploadSerializer,
    IncompleteErrorSerializer,
    SubmissionDetailSerializer,
    SubmissionSavedSerializer,
    SubmissionSummarySerializer,
    SubmissionValuesSerializer,
    SubmitSerializer,
)
from submissions.errors import SubmissionError
from submissions.models import Submission
from submissions.review import flow as review

LOCKED_OR_CONFLICT = OpenApiResponse(
    ApiErrorSerializer,
    description='"locked": round not open or submission already submitted; "conflict": stale lock_version.',
)
WRITE_FORBIDDEN = OpenApiResponse(
    ApiErrorSerializer, description="Not logged in, or the caller may read this submission but not change it."
)

# --- access -----------------------------------------------------------------------------------------


def _submission_for(request, pk: int, *, write: bool = False, rows: bool = False) -> Submission:
    """The caller's submission ``pk`` (404 outside their scope); for a write, 403/409 unless editable now.

    Sets ``api_editable``: whether the caller may change it now. ``rows`` prefetches values and verdicts.
    """
    queryset, own = access.submissions_readable_by(request.user)
    queryset = queryset.select_related("round__criteria_version", "round__form_page", "unit", "product__producer")
    if rows:
        queryset = queryset.prefetch_related("values", "criterion_results")
    submission = queryset.filter(pk=pk).first()
    if submission is None and own:
        # An OCOP product's dossier that a commune officer (or anyone else who fills forms) reads but does not fill.
        submission = _read_only_dossier(request.user, pk, rows=rows)
        own = False
    if submission is None:
        raise exceptions.NotFound(_("Không tìm thấy hồ sơ này."))
    own = own or access.fills_submission(request.user, submission)  # a district reviewer's own district
    if submission.product_id:
        own = access.fills_submission(request.user, submission)  # only its producer changes an OCOP dossier
    submission.api_editable = own and submission.is_editable
    if write and not own:
        raise exceptions.PermissionDenied(_("Bạn chỉ được xem hồ sơ này, không được sửa."))
    if write and not submission.round.is_open:
        raise Locked(_("Đợt đánh giá đã đóng: không thể thay đổi hồ sơ."))
    if write and not submission.is_editable:
        raise Locked(_("Hồ sơ đã nộp: chỉ xem, không sửa được cho đến khi bị trả lại."))
    return submission


def _read_only_dossier(user, pk: int, *, rows: bool) -> Submission | None:
    queryset = access.submissions_visible_to(user).of_products().filter(pk=pk)
    queryset = queryset.select_related("round__criteria_version", "round__form_page", "unit", "product__producer")
    return (queryset.prefetch_related("values", "criterion_results") if rows else queryset).first()


# --- the office's extra questions -------------------------------------------------------------------


@dataclass
class Question:
    key: str
    label: str
    kind: str
    required: bool
    section: str
    field: forms.Field


def _questions(submission: Submission) -> list[Question]:
    """The form page's extra questions, with the very form fields the web form validates them with."""
    form_page = submission.round.form_page
    if form_page is None:
        return []
    form = EvaluationForm(spec=submission.round.spec, group=submission.group or None, sections=form_page.sections)
    questions = []
    for section in form_page.sections:
        for block in section.value["questions"]:
            key = f"q_{block.id}"
            field = form.fields[key]
            questions.append(
                Question(key, str(field.label), block.block_type, field.required, section.value["title"], field)
            )
    return questions


def _required_questions(questions: list[Question]) -> dict[str, str]:
    """What ``services.missing_items`` checks, exactly as the web form passes it."""
    return {question.key: question.label for question in questions if question.required}


def _answer_errors(questions: list[Question], answers: dict) -> dict[str, str]:
    errors = {}
    for question in questions:
        if question.kind == QuestionKind.FILE or question.key not in answers:
            continue
        try:
            question.field.clean(answers[question.key])
        except forms.ValidationError as error:
            if answers[question.key] not in ("", None):
                errors[question.key] = " ".join(error.messages)
    return errors


# --- views ------------------------------------------------------------------------------------------


def _with_rows(submission: Submission) -> Submission:
    """The submission as stored after a write (the services update rows, not this instance)."""
    return (
        Submission.objects.filter(pk=submission.pk)
        .select_related("round__criteria_version", "round__form_page", "unit", "product__producer")
        .prefetch_related("values", "criterion_results")
        .get()
    )


def _serialize(request, submission: Submission, *, editable: bool, errors: dict | None = None) -> dict:
    """The detail (plus ``errors`` after a save), in a fixed number of queries whatever the set's size."""
    questions = _questions(submission)
    submission.api_editable = editable
    submission.api_questions = questions
    submission.api_evidence = list(selectors.current_evidence(submission))
    submission.api_missing = services.missing_items(submission, required_questions=_required_questions(questions))
    context = {"request": request}
    if errors is None:
        return SubmissionDetailSerializer(submission, context=context).data
    submission.api_errors = {row.code: row.error for row in submission.values.all() if row.error} | errors
    return SubmissionSavedSerializer(submission, context=context).data


@extend_schema(
    summary="The caller's submissions",
    description="Commune officers: their communes' submissions. Other roles: what they may read (read-only).",
    responses={200: SubmissionSummarySerializer(many=True), 403: NOT_AUTHENTICATED},
)
class SubmissionListView(LoginRequired, generics.ListAPIView):
    serializer_class = SubmissionSummarySerializer
    filterset_class = SubmissionFilter

    def get_queryset(self):
        queryset, own = access.submissions_readable_by(self.request.user)
        self.own = own
        return queryset.select_related("product__producer").order_by(
            "-round__opens_on", "-round_id", "unit__name", "pk"
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "own": getattr(self, "own", False)}


class SubmissionDetailView(LoginRequired, APIView):
    @extend_schema(
        summary="One of the caller's submissions: values, verdicts, answers, evidence, what is missing",
        responses={200: SubmissionDetailSerializer, 403: NOT_AUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        submission = _submission_for(request, pk, rows=True)
        return Response(_serialize(request, submission, editable=submission.api_editable))


class SubmissionValuesView(LoginRequired, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Save values, notes and answers (partial update), like the web form's draft",
        description=(
            "Invalid values are stored as typed and reported in `errors` (HTTP 200), as the web draft does. "
            "Unknown indicator codes or question keys give 400. Requires the current `lock_version`."
        ),
        request=SubmissionValuesSerializer,
        responses={
            200: SubmissionSavedSerializer,
            400: ApiErrorSerializer,
            403: WRITE_FORBIDDEN,
            404: NOT_FOUND,
            409: LOCKED_OR_CONFLICT,
        },
    )
    def patch(self, request, pk: int):
        submission = _submission_for(request, pk, write=True)
        questions = _questions(submission)
        serializer = SubmissionValuesSerializer(
            data=request.data, context={"submission": submission, "questions": questions}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        answers = data.get("answers")
        services.submission_save(
            submission=submission,
            raws=data.get("values", {}),
            notes=data.get("notes", {}),
            answers=answers,
            user=request.user,
            expected_version=data["lock_version"],
        )
        saved = _with_rows(submission)
        answer_errors = _answer_errors(questions, answers or {})
        return Response(_serialize(request, saved, editable=saved.is_editable, errors=answer_errors))


class SubmissionSubmitView(LoginRequired, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Submit, when complete",
        description=(
            'Refused with 400 `"code": "invalid"` (and `fields`) while a stored value or answer cannot be read, '
            'and with 400 `"code": "incomplete"` and the list of `missing` items while anything is missing.'
        ),
        request=SubmitSerializer,
        responses={
            200: SubmissionDetailSerializer,
            400: OpenApiResponse(IncompleteErrorSerializer, description="Incomplete (or invalid, with fields)."),
            403: WRITE_FORBIDDEN,
            404: NOT_FOUND,
            409: LOCKED_OR_CONFLICT,
        },
    )
    def post(self, request, pk: int):
        submission = _submission_for(request, pk, write=True)
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        questions = _questions(submission)
        invalid = self._invalid(submission, questions)
        if invalid:
            raise SubmissionError(_("Chưa nộp: còn giá trị không đọc được, hãy sửa rồi nộp lại."), fields=invalid)
        review.submission_submit(
            submission=submission,
            user=request.user,
            expected_version=serializer.validated_data["lock_version"],
            required_questions=_required_questions(questions),
        )
        submitted = _with_rows(submission)
        return Response(_serialize(request, submitted, editable=submitted.is_editable))

    @staticmethod
    def _invalid(submission: Submission, questions: list[Question]) -> dict:
        """What the web form would flag before submitting: unreadable values (stored) and answers."""
        fields = {}
        values = {row.code: [row.error] for row in submission.values.all() if row.raw and row.error}
        if values:
            fields["values"] = values
        answers = {key: [message] for key, message in _answer_errors(questions, submission.answers).items()}
        if answers:
            fields["answers"] = answers
        return fields


class SubmissionEvidenceView(LoginRequired, APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Attach an evidence file to an indicator (or replace a current one)",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={
            201: EvidenceCreatedSerializer,
            400: OpenApiResponse(ApiErrorSerializer, description='Refused file: fields {"file": [message]}.'),
            403: WRITE_FORBIDDEN,
            404: NOT_FOUND,
            409: LOCKED_OR_CONFLICT,
        },
    )
    def post(self, request, pk: int):
        submission = _submission_for(request, pk, write=True)
        serializer = EvidenceUploadSerializer(
            data=request.data, context={"submission": submission, "questions": _questions(submission)}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with about_field("file"):  # a refused upload is about the file
            evidence = services.evidence_add(
                submission=submission,
                indicator_code=data["indicator_code"],
                upload=data["file"],
                user=request.user,
                replaces=data.get("replaces"),
            )
        body = EvidenceCreatedSerializer(evidence, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)
