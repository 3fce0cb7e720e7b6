"""Read-only API for the administrative-unit directory (``/api/v1/units/``, ``/api/v1/editions/``)."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, generics, serializers

from . import selectors
from .models import Classification, Edition, Unit, UnitLevel


class EditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Edition
        fields = ["date", "name", "tiers", "valid_to"]


class PredecessorSerializer(serializers.Serializer):
    code = serializers.CharField(source="predecessor.code")
    name = serializers.CharField(source="predecessor.name")
    edition = serializers.DateField(source="predecessor.edition.date")
    kind = serializers.CharField()


class UnitSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="unit_type")
    parent_code = serializers.CharField()
    edition = serializers.DateField(source="edition.date")
    classifications = serializers.SerializerMethodField()
    merged_from = PredecessorSerializer(source="predecessor_links", many=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "type", "level", "parent_code", "edition", "classifications", "merged_from"]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_classifications(self, unit) -> dict[str, str]:
        return {row.classification.code: row.value.code for row in unit.classifications.all()}


def _edition_from(request) -> Edition:
    raw = request.query_params.get("edition")
    if not raw:
        edition = selectors.edition_latest()
        if edition is None:
            raise exceptions.NotFound(_("Chưa có danh mục đơn vị hành chính nào."))
        return edition
    try:
        date = datetime.date.fromisoformat(raw)
    except ValueError as exc:
        raise exceptions.ValidationError({"edition": [_("Ngày không hợp lệ; dùng dạng YYYY-MM-DD.")]}) from exc
    edition = Edition.objects.filter(date=date).first()
    if edition is None:
        raise exceptions.ValidationError({"edition": [_("Không có danh mục ngày %(date)s.") % {"date": raw}]})
    return edition


UNIT_FILTERS = [
    OpenApiParameter("edition", OpenApiTypes.DATE, description="Official list date (default: the newest)."),
    OpenApiParameter("level", OpenApiTypes.STR, enum=UnitLevel.values),
    OpenApiParameter("parent", OpenApiTypes.STR, description="Code of an ancestor unit: every unit below it."),
    OpenApiParameter("q", OpenApiTypes.STR, description='Name, diacritic-insensitive ("hoa thuan"), or code.'),
    OpenApiParameter(
        "<classification code>",
        OpenApiTypes.STR,
        description="Any classification code as a parameter filters by its value code, e.g. region=TN.",
    ),
]


@extend_schema_view(get=extend_schema(parameters=UNIT_FILTERS, summary="Administrative units"))
class UnitListView(generics.ListAPIView):
    serializer_class = UnitSerializer
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        edition = _edition_from(self.request)
        queryset = selectors.units_with_details().filter(edition=edition)
        level = params.get("level")
        if level:
            if level not in UnitLevel.values:
                raise exceptions.ValidationError(
                    {"level": [_("Cấp không hợp lệ; dùng một trong: %(c)s.") % {"c": ", ".join(UnitLevel.values)}]}
                )
            queryset = queryset.filter(level=level)
        if params.get("parent"):
            parent = Unit.objects.filter(edition=edition, code=params["parent"]).first()
            if parent is None:
                raise exceptions.ValidationError(
                    {"parent": [_("Không có đơn vị mã %(code)s trong danh mục này.") % {"code": params["parent"]}]}
                )
            queryset = queryset.filter(path__startswith=parent.path).exclude(pk=parent.pk)
        if params.get("q"):
            queryset = selectors.units_search(queryset, params["q"])
        for code in Classification.objects.filter(code__in=list(params)).values_list("code", flat=True):
            queryset = queryset.filter(
                classifications__classification__code=code, classifications__value__code=params[code]
            )
        return queryset.order_by("path")


@extend_schema(parameters=[UNIT_FILTERS[0]], summary="One administrative unit")
class UnitDetailView(generics.RetrieveAPIView):
    serializer_class = UnitSerializer

    def get_object(self):
        edition = _edition_from(self.request)
        return get_object_or_404(selectors.units_with_details(), edition=edition, code=self.kwargs["code"])


class EditionListView(generics.ListAPIView):
    serializer_class = EditionSerializer
    queryset = Edition.objects.order_by("-date")
