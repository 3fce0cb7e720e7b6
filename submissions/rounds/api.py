"""API for evaluation rounds (``/api/v1/rounds/``): public, drafts only for office editors.

Who sees which round is decided by ``submissions.access.rounds_visible_to``; a round outside it is a 404.
"""

from django.utils.translation import gettext as _

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers

from cms.sync import HELP_TEXT, UpdatedSinceFilter
from submissions import access
from submissions.api.common import NOT_FOUND, NamedEnumField, UnitRefSerializer
from submissions.models import Round, RoundKind, RoundStatus
from submissions.rounds import selectors


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
        return selectors.unit_types_of(round_)

    def get_unit_codes(self, round_: Round) -> list[str]:
        return [unit.code for unit in round_.scope_units.all()]


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

    def get_queryset(self):
        return access.rounds_visible_to(self.request.user).prefetch_related("scope_units")


class RoundFilter(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter(
        "updated_at", help_text=f"{HELP_TEXT} Compared with the round's last change (its fields or status)."
    )

    class Meta:
        model = Round
        fields: list[str] = []


@extend_schema(summary="Evaluation rounds (drafts only for office editors)")
class RoundListView(_RoundQuerysetMixin, generics.ListAPIView):
    filterset_class = RoundFilter


@extend_schema(summary="One evaluation round", responses={200: RoundSerializer, 404: NOT_FOUND})
class RoundDetailView(_RoundQuerysetMixin, generics.RetrieveAPIView):
    def get_object(self):
        round_ = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if round_ is None:
            raise exceptions.NotFound(_("Không tìm thấy đợt đánh giá này."))
        return round_
