"""Recognition preconditions in the review API: ``/api/v1/review/submissions/{id}/preconditions/`` (read) and
``.../preconditions/{code}/confirm/`` / ``.../waive/`` (write). The same rules as the panel's web page, because
both call :mod:`submissions.recognition.services` and the access module: a submission whose preconditions the
caller may not read is a 404; lack of permission is a 403 ``forbidden``; a submission past recognition a 409
``wrong_state``; invalid input a 400 with ``fields``. Every error has the project's JSON shape."""

from django.utils.translation import gettext as _

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.errors import about_field
from cms.parsers import FormParser, JSONParser, MultiPartParser
from submissions import access
from submissions.api.common import NOT_AUTHENTICATED, NOT_FOUND, ApiErrorSerializer, LoginRequired
from submissions.models import Submission
from submissions.recognition import selectors, services
from submissions.recognition.serializers import (
    PreconditionConfirmSerializer,
    PreconditionSerializer,
    PreconditionWaiveSerializer,
)

RESPONSES = {
    200: PreconditionSerializer(many=True),
    400: OpenApiResponse(ApiErrorSerializer, description="Invalid input: `fields` names each field concerned."),
    403: OpenApiResponse(ApiErrorSerializer, description='Not logged in, or "forbidden".'),
    404: NOT_FOUND,
    409: OpenApiResponse(ApiErrorSerializer, description='"wrong_state": the submission is past recognition.'),
}


def _submission(request, pk: int) -> Submission:
    submission = (
        access.precondition_submissions_visible_to(request.user)
        .select_related("round__criteria_version", "unit__parent", "unit__edition")
        .filter(pk=pk)
        .first()
    )
    if submission is None:
        raise exceptions.NotFound(_("Không tìm thấy hồ sơ này."))
    return submission


def _list(request, submission: Submission) -> Response:
    rows = selectors.preconditions_of(submission)
    return Response(PreconditionSerializer(rows, many=True, context={"request": request}).data)


class PreconditionListView(LoginRequired, APIView):
    @extend_schema(
        summary="The recognition preconditions of one submission: status, value, threshold, evidence, waiver",
        responses={200: PreconditionSerializer(many=True), 403: NOT_AUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        return _list(request, _submission(request, pk))


class PreconditionConfirmView(LoginRequired, APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="Confirm a yes/no precondition (met) or enter a figure (value), with evidence files",
        description="The department the precondition names (in the submission's province) or the office. Files "
        "are sent as multipart `files`; a precondition asking for evidence needs one to be confirmed as met.",
        request=PreconditionConfirmSerializer,
        responses=RESPONSES,
    )
    def post(self, request, pk: int, code: str):
        submission = _submission(request, pk)
        serializer = PreconditionConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        files = request.FILES.getlist("files") if hasattr(request, "FILES") else []
        with about_field("met" if data["value"] is None else "value"):
            services.precondition_confirm(
                submission=submission,
                code=code,
                user=request.user,
                met=data["met"],
                value=data["value"],
                note=data["note"],
                files=files,
            )
        return _list(request, submission)


class PreconditionWaiveView(LoginRequired, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Waive a precondition with a reason (the office of the submission's province)",
        request=PreconditionWaiveSerializer,
        responses=RESPONSES,
    )
    def post(self, request, pk: int, code: str):
        submission = _submission(request, pk)
        serializer = PreconditionWaiveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with about_field("reason"):
            services.precondition_waive(
                submission=submission, code=code, user=request.user, reason=serializer.validated_data["reason"]
            )
        return _list(request, submission)
