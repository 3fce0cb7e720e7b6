"""Read-only API for the administrative-unit directory (``/api/v1/units/``, ``/api/v1/editions/``)."""

from wagtail import hooks

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers

from . import selectors
from .filters import UnitEditionFilter, UnitFilter
from .models import Edition, Unit


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


#: The apps above the directory add fields to one unit's detail (``/api/v1/units/{code}/``) with this Wagtail hook: a
#: function returning ``{name: serializer field}`` (the submissions app adds the unit's titles). The directory
#: never imports them; the fields appear in the OpenAPI document like its own.
UNIT_DETAIL_FIELDS_HOOK = "register_unit_api_detail_fields"


class UnitDetailSerializer(UnitSerializer):
    """One unit: :class:`UnitSerializer`'s fields and those the apps above add (:data:`UNIT_DETAIL_FIELDS_HOOK`)."""

    def get_fields(self):
        fields = super().get_fields()
        for hook in hooks.get_hooks(UNIT_DETAIL_FIELDS_HOOK):
            fields.update(hook())
        return fields


EDITION = OpenApiParameter("edition", OpenApiTypes.DATE, description="Official list date (default: the newest).")
CLASSIFICATION = OpenApiParameter(
    "<classification code>",
    OpenApiTypes.STR,
    description="Any classification code as a parameter filters by its value code, e.g. region=TN.",
)


@extend_schema_view(get=extend_schema(parameters=[CLASSIFICATION], summary="Administrative units"))
class UnitListView(generics.ListAPIView):
    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self):
        return selectors.units_with_details().order_by("path")

    def filter_queryset(self, queryset):
        """No list imported yet: an empty list (``count`` 0), unless an edition was asked for by date."""
        if "edition" not in self.request.query_params and selectors.edition_latest() is None:
            return queryset.none()
        return super().filter_queryset(queryset)


@extend_schema(parameters=[EDITION], summary="One administrative unit")
class UnitDetailView(generics.RetrieveAPIView):
    """Looked up by code in the edition asked for (the newest by default)."""

    serializer_class = UnitDetailSerializer
    filterset_class = UnitEditionFilter
    lookup_field = "code"

    def get_queryset(self):
        return selectors.units_with_details()


class EditionListView(generics.ListAPIView):
    serializer_class = EditionSerializer
    queryset = Edition.objects.order_by("-date")
