"""The consultations API (``/api/v1/consultations/``): public consultations before recognition, anonymous.

Listed and shown: consultations whose period has begun on a submission that passed appraisal
(:func:`submissions.access.public_consultation_q`), with the appraised verdict per criterion (the values only when
the office chose ``show_values``), and their published comments with the commune's answers — never evidence, never a
commenter's name or contact. ``POST {id}/comments/`` sends a comment with the limits of the public page (length, per
address, per consultation per day; a filled ``website`` is dropped without a word); it waits for moderation.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.security.client_ip import client_ip
from submissions.api.common import NOT_FOUND, ApiErrorSerializer
from submissions.consultation import selectors, services
from submissions.consultation.models import Consultation
from submissions.consultation.serializers import (
    CommentAcceptedSerializer,
    CommentCreateSerializer,
    ConsultationSerializer,
)
from submissions.errors import SubmissionError

STATE_CHOICES = [(selectors.State.OPEN, "open"), (selectors.State.CLOSED, "closed")]


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An id (documented as an integer, not a number)."""


class RateLimited(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = services.RATE_LIMITED


class ConsultationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_status", help_text="open (taking comments) or closed."
    )
    unit = django_filters.CharFilter(field_name="submission__unit__code", help_text="A commune's code.")
    round = IdFilter(field_name="submission__round_id", help_text="A round's id.")

    class Meta:
        model = Consultation
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(selectors.state_q(value, timezone.localdate()))


class _PublicConsultations:
    serializer_class = ConsultationSerializer

    def get_queryset(self):
        return selectors.public_consultations(timezone.localdate())

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


@extend_schema(summary="Public consultations before recognition (open and closed), with published comments")
class ConsultationListView(_PublicConsultations, generics.ListAPIView):
    filterset_class = ConsultationFilter


@extend_schema(summary="One public consultation", responses={200: ConsultationSerializer, 404: NOT_FOUND})
class ConsultationDetailView(_PublicConsultations, generics.RetrieveAPIView):
    def get_object(self):
        consultation = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if consultation is None:
            raise exceptions.NotFound(_("Không tìm thấy đợt lấy ý kiến này."))
        return consultation


@extend_schema(
    summary="Send a comment (no account; it waits for moderation)",
    request=CommentCreateSerializer,
    responses={
        201: CommentAcceptedSerializer,
        400: OpenApiResponse(ApiErrorSerializer, description="Empty or too long (fields name what)."),
        404: NOT_FOUND,
        409: OpenApiResponse(ApiErrorSerializer, description="The consultation takes no more comments."),
        429: OpenApiResponse(ApiErrorSerializer, description="Too many comments from this address or today."),
    },
)
class ConsultationCommentView(APIView):
    serializer_class = CommentCreateSerializer

    def post(self, request, pk: int):
        consultation = selectors.public_consultations(timezone.localdate()).filter(pk=pk).first()
        if consultation is None:
            raise exceptions.NotFound(_("Không tìm thấy đợt lấy ý kiến này."))
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.comment_submit(
                consultation=consultation,
                body=data.get("body", ""),
                author_name=data.get("author_name", ""),
                contact=data.get("contact", ""),
                address=client_ip(request),
                honeypot=data.get("website", ""),
            )
        except SubmissionError as error:
            if error.code == services.RATE_LIMITED:
                raise RateLimited(error.message) from error
            raise
        return Response(
            {
                "status": "pending",
                "message": _(
                    "Cảm ơn bạn đã góp ý. Ý kiến sẽ được công khai sau khi xã hoặc văn phòng điều phối duyệt."
                ),
            },
            status=status.HTTP_201_CREATED,
        )
