"""Plumbing shared by the submissions API modules (rounds, entry, review, reports).

Only what every one of them needs: logging in, the error shapes and their documentation, named enums,
and the small representations of a unit and an evidence file that several endpoints embed. Each API
keeps its own serializers in its sub-package.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated

from cms import errors
from submissions.models import Evidence

# --- access and errors ------------------------------------------------------------------------------


class LoginRequired:
    """Authenticated callers only; an anonymous one gets the project's error shape, in Vietnamese by default."""

    permission_classes = [IsAuthenticated]

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(_("Cần đăng nhập (phiên hoặc token) để dùng API này."))
        super().permission_denied(request, message=message, code=code)


class Locked(exceptions.APIException):
    """The submission cannot change: its round is not open, or it was submitted (until returned)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = errors.LOCKED


class ApiErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    code = serializers.CharField()
    fields = serializers.DictField(required=False, help_text="For invalid input: the fields concerned.")


NOT_FOUND = OpenApiResponse(ApiErrorSerializer, description="Not in the caller's scope, or no such object.")
NOT_AUTHENTICATED = OpenApiResponse(ApiErrorSerializer, description="Not logged in (session or token).")


# --- fields and embedded representations ------------------------------------------------------------


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


class UnitRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


# An evidence file as the commune (entry API) and the reviewers (review API) both see it.
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
