"""Round statistics for integrators: ``/api/v1/rounds/{id}/summary/`` and ``/api/v1/rounds/{id}/results/``.

Anonymous callers (and users without ``submissions.view_round``) read recognised, published results
only (basis "published"), and never of a draft round. Office editors with ``submissions.view_round``
read every submission of their province (basis "all" by default; ``?basis=recognised|published``
accepted): without ``?parent`` (or ``?unit``) they get their province, with a ``?parent`` or ``?unit``
outside it they get the published results like anyone else, and asking for an unpublished basis
outside it is refused (403).
Superusers read everything. The numbers come from :mod:`submissions.reports.statistics`.
"""

import datetime
from dataclasses import dataclass

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, negotiation, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from cms import sync
from cms.directory.models import Unit
from submissions import access
from submissions.api.common import ApiErrorSerializer
from submissions.models import Round, Submission, SubmissionStatus
from submissions.ocop.models import CertificateStatus
from submissions.reports import open_data, statistics
from submissions.reports.statistics import Basis, Filters
from submissions.reports.statistics import products as product_statistics
from submissions.titles.api import TitleSerializer
from submissions.titles.selectors import titles_by_submission

# --- query parameters ---------------------------------------------------------------------------------


class StatisticsQuerySerializer(serializers.Serializer):
    parent = serializers.CharField(required=False, max_length=20)
    basis = serializers.ChoiceField(choices=Basis.choices, required=False)


class ResultsQuerySerializer(StatisticsQuerySerializer):
    unit = serializers.CharField(required=False, max_length=20)
    updated_since = serializers.CharField(required=False, max_length=40)

    def validate_updated_since(self, value: str):
        try:
            return sync.parse_moment(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(sync.INVALID)) from exc


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
UPDATED_SINCE = OpenApiParameter(
    sync.NAME,
    OpenApiTypes.STR,
    description=f"{sync.HELP_TEXT} Compared with the result's publication time (basis published) or, for the "
    "office's unpublished bases, with the submission's last change.",
)
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
    updated_since: datetime.datetime | None = None

    def changed(self, rows):
        """``rows`` of :func:`statistics.round_results` changed since ``updated_since`` (published: publication)."""
        if self.updated_since is None:
            return rows
        field = "published_at" if self.basis == Basis.PUBLISHED else "updated_at"
        return rows.filter(**{f"{field}__gte": self.updated_since})


def _unit(round_: Round, data: dict, name: str) -> Unit | None:
    code = (data.get(name) or "").strip()
    if not code:
        return None
    unit = statistics.unit_in_round(round_, code)
    if unit is None:
        raise exceptions.ValidationError({name: [_("Không có đơn vị mã “%(code)s” trong đợt này.") % {"code": code}]})
    return unit


def statistics_access(
    request, pk: int, query_serializer=StatisticsQuerySerializer, *, default_basis: str | None = None
) -> Access:
    """The round, basis and subtree this request reads (404, 400 or 403 otherwise); ``default_basis`` applies
    when the caller asked for none (the open data: published results unless an office asks for more)."""
    round_ = access.rounds_visible_to(request.user).filter(pk=pk).first()
    if round_ is None:
        raise exceptions.NotFound(_("Không tìm thấy đợt đánh giá này."))
    query = query_serializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    parent = _unit(round_, data, "parent")
    unit = _unit(round_, data, "unit") if "unit" in query.fields else None
    asked = data.get("basis") or default_basis
    since = data.get("updated_since")
    if asked == Basis.PUBLISHED:
        return Access(round_, Basis.PUBLISHED, parent, unit, since)
    scope = access.office_scope(request.user, parent or unit, round_=round_)
    if scope.allowed:
        return Access(round_, asked or Basis.ALL, parent or scope.parent, unit, since)
    if asked:
        raise exceptions.PermissionDenied(
            _("Chỉ Văn phòng Điều phối (trong phạm vi của mình) mới xem được số liệu chưa công khai.")
        )
    return Access(round_, Basis.PUBLISHED, parent, unit, since)


def _office_reads(user, read: Access) -> bool:
    """Whether ``user`` is the office of the subtree read (it sees the council's scores)."""
    return access.office_scope(user, read.parent, round_=read.round).allowed


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
    units_holding_title = serializers.IntegerField(
        help_text="Units in scope currently holding the title the round's set grants (a revoked title no longer "
        "counts); 0 when the set grants none."
    )


class ProductRoundSummarySerializer(serializers.Serializer):
    """The summary of an OCOP round: counts named for products (no unit keys)."""

    products_in_scope = serializers.IntegerField(help_text="Product dossiers started in the round (under ?parent).")
    products_submitted = serializers.IntegerField(help_text="Products of the basis submitted at least once.")
    products_scored = serializers.IntegerField(help_text="Products of the basis with the council's score.")
    products_recognised = serializers.IntegerField(help_text="Products of the basis recognised with stars.")
    products_by_stars = serializers.SerializerMethodField()
    average_score = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        coerce_to_string=False,
        help_text="The council score of the scored products of the basis, two decimals; absent from the published "
        "basis (points are never public).",
        required=False,
    )

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_products_by_stars(self, summary) -> dict[str, int]:
        """Recognised products by stars: {"5": 1, "4": 81, "3": 275}."""
        return {str(stars): count for stars, count in summary.products_by_stars.items()}


@extend_schema(
    summary="Statistics of a round",
    description="A round of units answers with the unit counts; an OCOP round (products) with the product counts "
    "(products_in_scope, products_submitted, products_scored, products_recognised, products_by_stars, "
    "average_score).",
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
        if access.round.evaluates_products:
            summary = product_statistics.products_summary(Filters(access.round, access.parent, basis=access.basis))
            data = ProductRoundSummarySerializer(summary).data
            if access.basis == Basis.PUBLISHED:
                data.pop("average_score")  # points are never public (with one product it would be its score)
            return Response(data)
        summary = statistics.cached_round_summary(access.round, parent=access.parent, basis=access.basis)
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
    titles = serializers.SerializerMethodField()

    @extend_schema_field(RoundUnitCriterionSerializer(many=True))
    def get_criteria(self, result) -> list[dict]:
        return [{"number": number, "met": met} for number, met in result.criteria]

    @extend_schema_field(TitleSerializer(many=True))
    def get_titles(self, result) -> list[dict]:
        """The unit's titles, current and revoked (public decisions), read for the whole page at once."""
        titles = self.context.get("titles", {}).get(result.submission_id, [])
        return TitleSerializer(titles, many=True).data


@extend_schema(
    summary="Results of a round, unit by unit",
    description="Paginated in the order of the unit tree; every criterion of the round's set per unit.",
    parameters=[ROUND_ID, PARENT, UNIT, BASIS, UPDATED_SINCE],
    responses={200: RoundUnitResultSerializer(many=True), **ERRORS},
)
class RoundResultsView(generics.ListAPIView):
    serializer_class = RoundUnitResultSerializer
    filter_backends: list = []
    queryset = Submission.objects.none()

    def list(self, request, pk: int):
        access = statistics_access(request, pk, ResultsQuerySerializer)
        if access.round.evaluates_products:
            return self.product_list(request, access)
        rows = access.changed(
            statistics.round_results(access.round, parent=access.parent, unit=access.unit, basis=access.basis)
        )
        page = self.paginate_queryset(rows)
        results = statistics.results_with_criteria(access.round, page)
        titles = titles_by_submission([result.submission_id for result in results])
        serializer = self.get_serializer(
            results, many=True, context={**self.get_serializer_context(), "titles": titles}
        )
        return self.get_paginated_response(serializer.data)

    def product_list(self, request, access: Access):
        """An OCOP round: one row per product dossier of the basis, stars first; the score only for the office."""
        office = _office_reads(request.user, access)
        rows = access.changed(
            product_statistics.product_results(Filters(access.round, access.parent, access.unit, basis=access.basis))
        )
        page = self.paginate_queryset(rows)
        serializer = ProductResultSerializer(page, many=True, context={"office": office})
        return self.get_paginated_response(serializer.data)


class ProductResultSerializer(serializers.Serializer):
    """One product dossier of an OCOP round (the council's score for the office only)."""

    product_id = serializers.IntegerField()
    product_name = serializers.CharField(source="product.name")
    producer_name = serializers.CharField(source="product.producer.name")
    commune_code = serializers.CharField(source="unit.code")
    commune_name = serializers.CharField(source="unit.name")
    stars = serializers.IntegerField(allow_null=True)
    recognised = serializers.SerializerMethodField()

    def get_recognised(self, submission) -> bool:
        """Recognised, and not since revoked."""
        certificate = getattr(submission, "certificate", None)
        revoked = certificate is not None and certificate.status == CertificateStatus.REVOKED
        return submission.status == SubmissionStatus.RECOGNISED and not revoked

    def to_representation(self, submission):
        data = super().to_representation(submission)
        if self.context.get("office"):
            entry = getattr(submission, "council_entry", None)
            data["score"] = None if entry is None or entry.score is None else f"{entry.score:.2f}"
            data["status"] = submission.status
        return data


# --- open data ----------------------------------------------------------------------------------------


class OpenDataNegotiation(negotiation.BaseContentNegotiation):
    """The address names the format (``.csv`` or ``.json``); errors are JSON whatever the client accepts."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        asked = format_suffix or request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if asked and asked not in OPEN_DATA_TYPES:
            raise exceptions.NotFound(_("Không có định dạng này; hãy dùng open-data.csv hoặc open-data.json."))
        return renderers[0], renderers[0].media_type


OPEN_DATA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


@extend_schema(
    summary="Open data of a round: every unit's published result, as CSV or JSON",
    description=open_data.__doc__,
    parameters=[ROUND_ID, PARENT, UNIT, BASIS, UPDATED_SINCE],
    responses={
        (200, "text/csv"): OpenApiTypes.STR,
        (200, "application/json"): OpenApiTypes.OBJECT,
        **ERRORS,
    },
)
class RoundOpenDataView(generics.GenericAPIView):
    """Streamed; the basis is "published" unless an office editor asks for another within their province."""

    filter_backends: list = []
    pagination_class = None
    queryset = Submission.objects.none()
    renderer_classes = [JSONRenderer]
    content_negotiation_class = OpenDataNegotiation
    data_format = "csv"

    def get(self, request, pk: int):
        access = statistics_access(request, pk, ResultsQuerySerializer, default_basis=Basis.PUBLISHED)
        rows = access.changed(
            statistics.round_results(access.round, parent=access.parent, unit=access.unit, basis=access.basis)
        )
        if self.data_format == "csv":
            content = open_data.csv_lines(access.round, rows)
        else:
            content = open_data.json_chunks(access.round, rows, basis=access.basis)
        response = StreamingHttpResponse(content, content_type=OPEN_DATA_TYPES[self.data_format])
        filename = f"open-data-round-{access.round.pk}.{self.data_format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
