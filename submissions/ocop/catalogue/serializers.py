"""What ``/api/v1/ocop/products/`` says of a recognised product: a whitelist. Never points for the public, never
a member's score, never the producer's contact (phone, e-mail, representative, address)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from submissions.ocop.models import Certificate


class NamedSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CatalogueProducerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")


class CatalogueDecisionSerializer(serializers.Serializer):
    number = serializers.CharField()
    date = serializers.DateField()
    level = serializers.CharField()
    level_label = serializers.CharField(source="get_level_display")


class CatalogueRoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CatalogueCouncilSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CatalogueProductSerializer(serializers.Serializer):
    """One recognised product and its current certificate. The council's score and name are added only for a
    caller who may read the certificate (the office of its province, the producer, national readers)."""

    id = serializers.IntegerField(source="product_id", help_text="The product's id.")
    name = serializers.CharField(source="product.name")
    stars = serializers.IntegerField()
    group = serializers.SerializerMethodField()
    sub_group = serializers.SerializerMethodField()
    producer = CatalogueProducerSerializer(source="product.producer")
    commune = NamedSerializer(source="product.producer.commune")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    decision = CatalogueDecisionSerializer()
    round = CatalogueRoundSerializer(source="submission.round")

    @extend_schema_field(NamedSerializer)
    def get_group(self, certificate: Certificate) -> dict:
        group = certificate.product.group.group
        return {"code": group.code, "name": group.name}

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_sub_group(self, certificate: Certificate) -> dict | None:
        group = certificate.product.group
        return {"code": group.code, "name": group.name} if group.parent_id else None

    def to_representation(self, certificate: Certificate):
        data = super().to_representation(certificate)
        if getattr(certificate, "internal", False):
            entry = getattr(certificate.submission, "council_entry", None)
            data["score"] = None if entry is None or entry.score is None else f"{entry.score:.2f}"
            data["council"] = CatalogueCouncilSerializer(entry.council).data if entry is not None else None
            data["published"] = certificate.submission.published
        return data
