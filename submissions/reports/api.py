"""Round statistics for integrators: ``/api/v1/rounds/{id}/summary/`` and ``/api/v1/rounds/{id}/results/``.

Anonymous callers (and users without ``submissions.view_round``) read recognised, published results
only (basis "published"), and never of a draft round. Office editors with ``submissions.view_round``
read every submission of their province (basis "all" by default; ``?basis=recognised|published``
accepted): without ``?parent`` (or ``?unit``) they get their province, with a ``?parent`` or ``?unit``
outside it they get the published results like anyone else, and asking for an unpublished basis
outside it is refused (403).
Superusers read everything. The numbers come from :mod:`submissions.reports.statistics`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers
from rest_framework.response import Response

from cms.directory.models import Unit
from submissions import access
from submissions.api.common import ApiErrorSerializer
from submissions.models import Round, Submission
from submissions.reports import statistics
from submissions.reports.statistics import Basis

# --- query parameters ---------------------------------------------------------------------------------


class StatisticsQuerySerializer(serializers.Serializer):
    parent = serializers.CharField(required=False, max_length=20)
    basis = serializers.ChoiceField(choices=Basis.choices, required=False)


class ResultsQuerySerializer(StatisticsQuerySerializer):
    unit = serializers.CharField(required=False, max_length=20)


ROUND_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The round's id.")
PARENT = OpenApiParameter(
    "parent",
    OpenApiTypes.STR,
    description="A province or district code (in the edition of the round's units): count only its subtree.",
)
BASIS = OpenApiParameter(
    "basis",
    OpenApiTypes.STR,
    enum=Basis.values,
    description='Which submissions count. Anonymous callers: "published" only (recognised and published). '
    'Office editors within their province: "all" (default), "recognised" or "published".',
)
UNIT = OpenApiParameter("unit", OpenApiTypes.STR, description="One unit's code.")
ERRORS = {
    400: OpenApiResponse(ApiErrorSerializer, description="Invalid parameter (unknown unit code or basis)."),
    403: OpenApiResponse(
        ApiErrorSerializer, description="An unpublished basis asked for by a caller who may not read it here."
    ),
    404: OpenApiResponse(ApiErrorSerializer, description="No such round, or a draft round for this caller."),
}


@dataclass(frozen=True)
class Access:
    round: Round
    basis: str
    parent: Unit | None
    unit: Unit | None = None


def _unit(round_: Round, data: dict, name: str) -> Unit | None:
    code = (data.get(name) or "").strip()
    if not code:
        return None
    unit = statistics.unit_in_round(round_, code)
    if unit is None:
        raise exceptions.ValidationError({name: [_("Không có đơn vị mã “%(code)s” trong đợt này.") % {"code": code}]})
    return unit


def statistics_access(request, pk: int, query_serializer=StatisticsQuerySerializer) -> Access:
    """The round, basis and subtree this request reads (404, 400 or 403 otherwise)."""
    round_ = access.rounds_visible_to(request.user).filter(pk=pk).first()
    if round_ is None:
        raise exceptions.NotFound(_("Không tìm thấy đợt đánh giá này."))
    query = query_serializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    parent = _unit(round_, data, "parent")
    unit = _unit(round_, data, "unit") if "unit" in query.fields else None
    asked = data.get("basis")
    if asked == Basis.PUBLISHED:
        return Access(round_, Basis.PUBLISHED, parent, unit)
    scope = access.office_scope(request.user, parent or unit, round_=round_)
    if scope.allowed:
        return Access(round_, asked or Basis.ALL, parent or scope.parent, unit)
    if asked:
        raise exceptions.PermissionDenied(
            _("Chỉ Văn phòng Điều phối (trong phạm vi của mình) mới xem được số liệu chưa công khai.")
        )
    return Access(round_, Basis.PUBLISHED, parent, unit)


# --- summary ------------------------------------------------------------------------------------------


class RoundSummaryCriterionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    units_meeting = serializers.IntegerField(help_text="Units (of the basis) meeting this criterion.")


class RoundSummarySerializer(serializers.Serializer):
    units_in_scope = serializers.IntegerField(help_text="Units the round evaluates (under ?parent).")
    units_submitted = serializers.IntegerField(help_text="Units of the basis that have submitted at least once.")
    units_recognised = serializers.IntegerField()
    units_meeting_all = serializers.IntegerField(help_text="Units meeting every criterion of the set.")
    units_reaching_standard = serializers.IntegerField(help_text="Units reaching the standard (after any override).")
    average_criteria_met = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        coerce_to_string=False,
        help_text="Criteria met per unit of the basis, two decimals (15.93).",
    )
    criteria = RoundSummaryCriterionSerializer(many=True)


@extend_schema(
    summary="Statistics of a round",
    parameters=[ROUND_ID, PARENT, BASIS],
    responses={200: RoundSummarySerializer, **ERRORS},
)
class RoundSummaryView(generics.GenericAPIView):
    serializer_class = RoundSummarySerializer
    filter_backends: list = []
    pagination_class = None
    queryset = Round.objects.none()

    def get(self, request, pk: int):
        access = statistics_access(request, pk)
        summary = statistics.round_summary(access.round, parent=access.parent, basis=access.basis)
        return Response(self.get_serializer(summary).data)


# --- per-unit results ---------------------------------------------------------------------------------


class RoundUnitCriterionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    met = serializers.BooleanField()


class RoundUnitResultSerializer(serializers.Serializer):
    unit_code = serializers.CharField()
    criteria_met = serializers.IntegerField()
    standard_reached = serializers.BooleanField(help_text="After any override by the office.")
    criteria = serializers.SerializerMethodField()

    @extend_schema_field(RoundUnitCriterionSerializer(many=True))
    def get_criteria(self, result) -> list[dict]:
        return [{"number": number, "met": met} for number, met in result.criteria]


@extend_schema(
    summary="Results of a round, unit by unit",
    description="Paginated in the order of the unit tree; every criterion of the round's set per unit.",
    parameters=[ROUND_ID, PARENT, UNIT, BASIS],
    responses={200: RoundUnitResultSerializer(many=True), **ERRORS},
)
class RoundResultsView(generics.ListAPIView):
    serializer_class = RoundUnitResultSerializer
    filter_backends: list = []
    queryset = Submission.objects.none()

    def list(self, request, pk: int):
        access = statistics_access(request, pk, ResultsQuerySerializer)
        rows = statistics.round_results(access.round, parent=access.parent, unit=access.unit, basis=access.basis)
        page = self.paginate_queryset(rows)
        results = statistics.results_with_criteria(access.round, page)
        return self.get_paginated_response(self.get_serializer(results, many=True).data)
