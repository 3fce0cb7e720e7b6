"""Background exports through the API: ``POST /api/v1/rounds/{id}/exports/`` starts one (202 with the job's
address), ``GET /api/v1/exports/`` lists the caller's, ``GET /api/v1/exports/{id}/`` tells its status and
progress, and ``GET /api/v1/exports/{id}/download/`` serves the xlsx once it is ready.

Who may export what is :mod:`submissions.access` (``export_scope``): an office editor their province's
rounds (the file covers their province), a national reader or superuser any round (or the subtree asked for).
A job is read only by the person who started it, while their scope still covers it; anyone else gets 404.
"""

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response

from submissions import access
from submissions.api.common import NOT_AUTHENTICATED, NOT_FOUND, ApiErrorSerializer, LoginRequired, NamedEnumField
from submissions.reports import statistics
from submissions.reports.exports import ExportKind
from submissions.reports.statistics import Basis

from . import services
from .models import ExportJob, ExportJobStatus

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportJobStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(kind, ExportKind(kind).label) for kind in services.BACKGROUND_KINDS],
        help_text="summary (the matrix of units and criteria), statistics, or departments (appraisal lists).",
    )
    parent = serializers.CharField(
        required=False, max_length=20, help_text="A province or district code: only its subtree."
    )
    basis = serializers.ChoiceField(choices=Basis.choices, required=False, default=Basis.ALL)


class ExportJobSerializer(serializers.ModelSerializer):
    status = NamedEnumField(choices_class=ExportJobStatus, help_text="pending, running, done or failed.")
    round = serializers.IntegerField(source="round_id")
    parent = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField(help_text="Present once the file is ready.")

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "url",
            "round",
            "kind",
            "parent",
            "basis",
            "status",
            "progress",
            "error",
            "created_at",
            "finished_at",
            "expires_at",
            "filename",
            "download_url",
        ]

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_parent(self, job) -> str | None:
        return job.parent.code if job.parent_id else None

    def get_url(self, job) -> str:
        return self._absolute(reverse("api-v1:export-job", args=[job.pk]))

    def get_download_url(self, job) -> str | None:
        return self._absolute(reverse("api-v1:export-job-download", args=[job.pk])) if job.is_ready else None


def readable_job(request, pk: int) -> ExportJob:
    job = access.export_jobs_of(request.user).filter(pk=pk).first()
    if job is None or not access.may_read_export_job(request.user, job):
        raise exceptions.NotFound(_("Không tìm thấy tệp xuất này."))
    return job


@extend_schema(
    summary="Start a background export of a round",
    description="Answers 202 at once with the job; poll its `url` until `status` is done, then fetch `download_url`.",
    request=ExportJobStartSerializer,
    responses={
        202: ExportJobSerializer,
        400: OpenApiResponse(ApiErrorSerializer, description="Unknown kind, basis or unit code."),
        401: NOT_AUTHENTICATED,
        403: OpenApiResponse(ApiErrorSerializer, description="The caller may not export this round or subtree."),
        404: NOT_FOUND,
    },
)
class RoundExportStartView(LoginRequired, generics.GenericAPIView):
    serializer_class = ExportJobStartSerializer
    queryset = ExportJob.objects.none()

    def post(self, request, pk: int):
        round_ = access.rounds_in_admin_for(request.user).filter(pk=pk).first()
        if round_ is None or not request.user.has_perm(access.VIEW_ROUND):
            raise exceptions.NotFound(_("Không tìm thấy đợt đánh giá này."))
        query = ExportJobStartSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        parent = None
        if code := data.get("parent", "").strip():
            parent = statistics.unit_in_round(round_, code)
            if parent is None:
                message = _("Không có đơn vị mã “%(code)s” trong đợt này.") % {"code": code}
                raise exceptions.ValidationError({"parent": [message]})
        scope = access.export_scope(request.user, round_, parent)
        if not scope.allowed:
            raise exceptions.PermissionDenied(_("Bạn không được xuất báo cáo của phạm vi này."))
        job = services.export_job_start(
            user=request.user, round_=round_, kind=data["kind"], parent=scope.parent, basis=data["basis"]
        )
        job.refresh_from_db()
        body = ExportJobSerializer(job, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


@extend_schema(summary="The caller's background exports", responses={200: ExportJobSerializer(many=True)})
class ExportJobListView(LoginRequired, generics.ListAPIView):
    serializer_class = ExportJobSerializer

    def get_queryset(self):
        return access.export_jobs_of(self.request.user)


@extend_schema(
    summary="One background export: status, progress, download link",
    responses={200: ExportJobSerializer, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
)
class ExportJobDetailView(LoginRequired, generics.RetrieveAPIView):
    serializer_class = ExportJobSerializer
    queryset = ExportJob.objects.none()

    def get_object(self):
        return readable_job(self.request, self.kwargs["pk"])


@extend_schema(
    summary="Download a finished background export (xlsx)",
    responses={
        (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
        401: NOT_AUTHENTICATED,
        404: NOT_FOUND,
        409: OpenApiResponse(ApiErrorSerializer, description="Not ready yet (pending, running or failed)."),
    },
)
class ExportJobDownloadView(LoginRequired, generics.GenericAPIView):
    queryset = ExportJob.objects.none()

    def get(self, request, pk: int):
        job = readable_job(request, pk)
        if not job.is_ready:
            raise NotReady(_("Tệp chưa sẵn sàng (trạng thái: %(status)s).") % {"status": job.get_status_display()})
        return FileResponse(
            job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX_CONTENT_TYPE
        )


class NotReady(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "not_ready"
