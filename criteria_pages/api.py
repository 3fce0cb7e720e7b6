"""Read-only API for criteria sets (``/api/v1/criteria-sets/``): the newest frozen version of each live set."""

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from cms.directory.models import Department
from cms.sync import HELP_TEXT, UpdatedSinceFilter

from .models import CriteriaSetVersion


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    value_type = serializers.CharField()
    unit = serializers.CharField()
    comparison = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())
    targets = serializers.SerializerMethodField()
    assessed = serializers.BooleanField()
    department = serializers.CharField(allow_blank=True)
    points = serializers.CharField(allow_null=True)
    evidence = serializers.DictField()
    verified = serializers.BooleanField()
    source_text = serializers.CharField(allow_blank=True)

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_targets(self, indicator) -> dict:
        targets = {"common": indicator["target"]} if indicator.get("target") else {}
        targets.update(indicator.get("targets") or {})
        return targets


class CriterionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    group = serializers.CharField(allow_blank=True)
    department = serializers.SerializerMethodField()
    rule = serializers.CharField()
    indicators = IndicatorSerializer(many=True)

    @extend_schema_field({"type": "object", "nullable": True, "properties": {"code": {}, "name": {}}})
    def get_department(self, criterion):
        code = criterion.get("department")
        if not code:
            return None
        names = self.context.setdefault("department_names", dict(Department.objects.values_list("code", "name")))
        return {"code": code, "name": names.get(code, "")}


class CriteriaSetSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="set_page_id")
    code = serializers.CharField(source="spec.code")
    name = serializers.CharField(source="spec.name")
    version = serializers.IntegerField(source="number")
    legal_basis = serializers.CharField(source="spec.legal_basis")
    level = serializers.CharField(source="spec.level")
    classification = serializers.CharField(source="spec.classification")
    standard_rule = serializers.CharField(source="spec.standard_rule")
    is_illustrative = serializers.BooleanField(source="spec.is_illustrative")
    published_at = serializers.DateTimeField(source="created_at")


class CriteriaSetSerializer(CriteriaSetSummarySerializer):
    criteria = CriterionSerializer(source="spec.criteria", many=True)


def _latest_published_versions():
    newest = CriteriaSetVersion.objects.filter(set_page=OuterRef("set_page")).order_by("-number").values("pk")[:1]
    return CriteriaSetVersion.objects.filter(set_page__live=True, pk=Subquery(newest)).order_by("set_page__path")


class CriteriaSetFilter(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter(
        "created_at", help_text=f"{HELP_TEXT} Compared with the publication of the set's newest version."
    )

    class Meta:
        model = CriteriaSetVersion
        fields: list[str] = []


@extend_schema(summary="Criteria sets (newest published version of each)")
class CriteriaSetListView(generics.ListAPIView):
    serializer_class = CriteriaSetSummarySerializer
    filterset_class = CriteriaSetFilter

    def get_queryset(self):
        return _latest_published_versions()


@extend_schema(summary="One criteria set with its criteria and indicators")
class CriteriaSetDetailView(generics.RetrieveAPIView):
    serializer_class = CriteriaSetSerializer

    def get_object(self):
        return get_object_or_404(_latest_published_versions(), set_page_id=self.kwargs["pk"])
