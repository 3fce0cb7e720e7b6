"""API for rounds (public) and the caller's submissions (``/api/v1/rounds/``, ``/api/v1/submissions/``).

Same permissions as the commune's web form: a commune officer reads and edits the submissions of their
own communes (``selectors.submissions_of_commune_officer``), and only while the round is open and the
submission is a draft or returned; other roles read what ``selectors.submissions_visible_to`` allows and
change nothing. A submission outside the caller's scope is a 404 for every verb.
"""

from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from criteria_pages.blocks import QuestionKind
from criteria_pages.forms import EvaluationForm
from submissions import access, errors
from submissions.entry import selectors, services
from submissions.models import Evidence, IndicatorValue, Round, RoundKind, RoundStatus, Submission, SubmissionStatus
from submissions.review import flow as review

#: Longest value (and note) accepted, as the web form and IndicatorValue.raw allow.
RAW_MAX_LENGTH = IndicatorValue._meta.get_field("raw").max_length

# --- errors -----------------------------------------------------------------------------------------


class Locked(exceptions.APIException):
    """The submission cannot change: its round is not open, or it was submitted (until returned)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "locked"


class ApiErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    code = serializers.CharField()
    fields = serializers.DictField(required=False, help_text="For invalid input: the fields concerned.")


class IncompleteErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    code = serializers.CharField(help_text='"incomplete"')
    missing = serializers.ListField(child=serializers.CharField(), help_text="Everything that blocks submission.")


def _error(message: str, code: str, http_status: int, **extra) -> Response:
    return Response({"message": message, "code": code, **extra}, status=http_status)


def _refused(error: errors.SubmissionError, *, field: str | None = None) -> Response:
    """A service's refusal in the project's error shape."""
    if isinstance(error, errors.ConflictError):
        return _error(error.message, "conflict", status.HTTP_409_CONFLICT)
    if error.code == "locked":
        return _error(error.message, "locked", status.HTTP_409_CONFLICT)
    if error.code == "incomplete":
        return _error(error.message, "incomplete", status.HTTP_400_BAD_REQUEST, missing=error.details)
    extra = {"fields": {field: [error.message]}} if field else {}
    return _error(error.message, error.code, status.HTTP_400_BAD_REQUEST, **extra)


NOT_FOUND = OpenApiResponse(ApiErrorSerializer, description="Not in the caller's scope, or no such object.")
NOT_AUTHENTICATED = OpenApiResponse(ApiErrorSerializer, description="Not logged in (session or token).")
LOCKED_OR_CONFLICT = OpenApiResponse(
    ApiErrorSerializer,
    description='"locked": round not open or submission already submitted; "conflict": stale lock_version.',
)
WRITE_FORBIDDEN = OpenApiResponse(
    ApiErrorSerializer, description="Not logged in, or the caller may read this submission but not change it."
)


# --- rounds -----------------------------------------------------------------------------------------


class UnitRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RoundCriteriaSetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="set_page_id", help_text="As in /api/v1/criteria-sets/{id}/.")
    code = serializers.CharField(source="spec.code")
    name = serializers.CharField(source="spec.name")
    version = serializers.IntegerField(source="number", help_text="The frozen version the round evaluates with.")


class RoundScopeSerializer(serializers.Serializer):
    root = UnitRefSerializer(source="scope_root", allow_null=True, help_text="Every commune below this unit...")
    unit_types = serializers.SerializerMethodField(help_text="...of these types (all types when empty).")
    unit_codes = serializers.SerializerMethodField(help_text="Communes named one by one.")

    def get_unit_types(self, round_: Round) -> list[str]:
        return [item.strip() for item in round_.scope_unit_types.split(",") if item.strip()]

    def get_unit_codes(self, round_: Round) -> list[str]:
        return [unit.code for unit in round_.scope_units.all()]


class NamedEnumField(serializers.CharField):
    """A read-only choice value, documented as the enum component ``<Choices>Enum``.

    Rounds and submissions both have a ``status`` with different choices: a named component each keeps
    drf-spectacular from inventing a hashed enum name (a warning, which ``--fail-on-warn`` refuses), even
    when other APIs add more fields called ``status`` or ``kind``.
    """

    def __init__(self, *, choices_class, **kwargs):
        self.choices_class = choices_class
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class NamedEnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedEnumField

    def map_serializer_field(self, auto_schema, direction):
        choices_class = self.target.choices_class
        name = f"{choices_class.__name__}Enum"
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=name,
            schema={"type": "string", "enum": list(choices_class.values)},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class RoundSerializer(serializers.ModelSerializer):
    kind = NamedEnumField(choices_class=RoundKind)
    status = NamedEnumField(
        choices_class=RoundStatus, help_text="draft (office editors only), open, closed or archived."
    )
    criteria_set = RoundCriteriaSetSerializer(source="criteria_version")
    scope = RoundScopeSerializer(source="*")

    class Meta:
        model = Round
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "period_start",
            "period_end",
            "opens_on",
            "due_on",
            "criteria_set",
            "scope",
        ]


class _RoundQuerysetMixin:
    serializer_class = RoundSerializer
    filter_backends: list = []

    def get_queryset(self):
        return access.rounds_visible_to(self.request.user).prefetch_related("scope_units")


@extend_schema(summary="Evaluation rounds (drafts only for office editors)")
class RoundListView(_RoundQuerysetMixin, generics.ListAPIView):
    pass


@extend_schema(summary="One evaluation round", responses={200: RoundSerializer, 404: NOT_FOUND})
class RoundDetailView(_RoundQuerysetMixin, generics.RetrieveAPIView):
    def get_object(self):
        round_ = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if round_ is None:
            raise exceptions.NotFound(_("Không tìm thấy đợt đánh giá này."))
        return round_


# --- submissions: access ----------------------------------------------------------------------------


def _submission_for(request, pk: int, *, write: bool = False, rows: bool = False) -> Submission:
    """The caller's submission ``pk`` (404 outside their scope); for a write, 403/409 unless editable now.

    Sets ``api_editable``: whether the caller may change it now. ``rows`` prefetches values and verdicts.
    """
    queryset, own = access.submissions_readable_by(request.user)
    queryset = queryset.select_related("round__criteria_version", "round__form_page", "unit")
    if rows:
        queryset = queryset.prefetch_related("values", "criterion_results")
    submission = queryset.filter(pk=pk).first()
    if submission is None:
        raise exceptions.NotFound(_("Không tìm thấy hồ sơ này."))
    submission.api_editable = own and submission.is_editable
    if write and not own:
        raise exceptions.PermissionDenied(_("Bạn chỉ được xem hồ sơ này, không được sửa."))
    if write and not submission.round.is_open:
        raise Locked(_("Đợt đánh giá đã đóng: không thể thay đổi hồ sơ."))
    if write and not submission.is_editable:
        raise Locked(_("Hồ sơ đã nộp: chỉ xem, không sửa được cho đến khi bị trả lại."))
    return submission


class LoginRequired:
    """Authenticated callers only; an anonymous one gets the project's error shape, in Vietnamese by default."""

    permission_classes = [IsAuthenticated]

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(_("Cần đăng nhập (phiên hoặc token) để dùng API này."))
        super().permission_denied(request, message=message, code=code)


# --- submissions: the office's extra questions ------------------------------------------------------


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


# --- submissions: serializers -----------------------------------------------------------------------


class SubmissionSummarySerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round_id")
    unit = UnitRefSerializer()
    status = NamedEnumField(choices_class=SubmissionStatus, help_text="Editable by the commune in draft and returned.")
    editable = serializers.SerializerMethodField(help_text="Whether the caller may change it now.")

    class Meta:
        model = Submission
        fields = [
            "id",
            "round",
            "unit",
            "status",
            "lock_version",
            "criteria_met",
            "criteria_applicable",
            "standard_reached",
            "submitted_at",
            "editable",
        ]

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


class SubmissionEvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(help_text="Served only to callers whose scope covers it.")

    class Meta:
        model = Evidence
        fields = [
            "id",
            "indicator_code",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, evidence) -> str:
        url = reverse("submissions:evidence", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


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
            return "yes" if data else "no"  # what the web form's Có/Không buttons send
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


# --- submissions: views -----------------------------------------------------------------------------


def _with_rows(submission: Submission) -> Submission:
    """The submission as stored after a write (the services update rows, not this instance)."""
    return (
        Submission.objects.filter(pk=submission.pk)
        .select_related("round__criteria_version", "round__form_page", "unit")
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


SUBMISSION_LIST_PARAMETERS = [OpenApiParameter("round", OpenApiTypes.INT, description="Only this round's.")]


@extend_schema(
    summary="The caller's submissions",
    description="Commune officers: their communes' submissions. Other roles: what they may read (read-only).",
    parameters=SUBMISSION_LIST_PARAMETERS,
    responses={200: SubmissionSummarySerializer(many=True), 403: NOT_AUTHENTICATED},
)
class SubmissionListView(LoginRequired, generics.ListAPIView):
    serializer_class = SubmissionSummarySerializer
    filter_backends: list = []

    def get_queryset(self):
        queryset, own = access.submissions_readable_by(self.request.user)
        self.own = own
        raw_round = self.request.query_params.get("round")
        if raw_round:
            if not raw_round.isdigit():
                raise exceptions.ValidationError({"round": [_("Mã đợt phải là một số nguyên.")]})
            queryset = queryset.filter(round_id=int(raw_round))
        return queryset.order_by("-round__opens_on", "-round_id", "unit__name", "pk")

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
        try:
            services.submission_save(
                submission=submission,
                raws=data.get("values", {}),
                notes=data.get("notes", {}),
                answers=answers,
                user=request.user,
                expected_version=data["lock_version"],
            )
        except errors.SubmissionError as error:
            return _refused(error)
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
            return _error(
                _("Chưa nộp: còn giá trị không đọc được, hãy sửa rồi nộp lại."),
                "invalid",
                status.HTTP_400_BAD_REQUEST,
                fields=invalid,
            )
        try:
            review.submission_submit(
                submission=submission,
                user=request.user,
                expected_version=serializer.validated_data["lock_version"],
                required_questions=_required_questions(questions),
            )
        except errors.SubmissionError as error:
            return _refused(error)
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
        try:
            evidence = services.evidence_add(
                submission=submission,
                indicator_code=data["indicator_code"],
                upload=data["file"],
                user=request.user,
                replaces=data.get("replaces"),
            )
        except errors.SubmissionError as error:
            return _refused(error, field="file")
        body = EvidenceCreatedSerializer(evidence, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)
