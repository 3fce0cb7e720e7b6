"""The councils API's representations (read from the selectors; the blind rule is applied before data gets here)."""

from django.utils.translation import gettext as _

from rest_framework import serializers

from submissions.api.common import NamedEnumField, UnitRefSerializer
from submissions.ocop.models import CouncilLevel, CouncilStatus


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The council seat's id (not the user's).")
    name = serializers.CharField()
    is_chair = serializers.BooleanField()
    position = serializers.CharField()


class RoundRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CouncilSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = NamedEnumField(choices_class=CouncilLevel)
    unit = UnitRefSerializer()
    round = RoundRefSerializer()
    establishing_decision = serializers.CharField()
    status = NamedEnumField(choices_class=CouncilStatus)
    closed_at = serializers.DateTimeField(allow_null=True)
    member_count = serializers.IntegerField()
    entry_count = serializers.IntegerField()
    is_member = serializers.BooleanField(help_text="The caller sits on this council.")
    is_chair = serializers.BooleanField(help_text="The caller chairs this council (closes its scoring).")
    manages = serializers.BooleanField(help_text="The caller's office forms this council and assigns dossiers.")


class CouncilEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    submission = serializers.IntegerField()
    product = serializers.CharField()
    producer = serializers.CharField()
    commune = UnitRefSerializer()
    submitted_by = serializers.ListField(
        child=serializers.IntegerField(), help_text="Seats (member ids) whose sheet is submitted; never their scores."
    )
    pending = serializers.ListField(child=serializers.IntegerField(), help_text="Seats still scoring.")
    my_sheet = serializers.IntegerField(allow_null=True, help_text="The caller's own sheet of this dossier.")
    rank = serializers.IntegerField(allow_null=True, help_text="Once closed: rank by council score.")
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, help_text="Once closed.")
    stars = serializers.IntegerField(allow_null=True, help_text="Once closed: the council's proposal.")
    band = serializers.CharField(help_text="Once closed.")
    spread = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, help_text="Once closed.")
    flagged = serializers.BooleanField(allow_null=True, help_text="Once closed: spread above the rule's gap.")
    proposed_national = serializers.BooleanField(help_text="Once closed: five stars, proposed upward.")


class CouncilDetailSerializer(CouncilSerializer):
    members = PersonSerializer(many=True)
    entries = CouncilEntrySerializer(many=True)


class SheetItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    maximum = serializers.DecimalField(max_digits=6, decimal_places=2)
    raw = serializers.CharField(help_text="As typed.")
    points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    note = serializers.CharField()


class SheetPartSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    maximum = serializers.DecimalField(max_digits=6, decimal_places=2)
    subtotal = serializers.DecimalField(max_digits=6, decimal_places=2)
    items = SheetItemSerializer(many=True)


class OtherSheetSerializer(serializers.Serializer):
    member = PersonSerializer()
    total = serializers.DecimalField(max_digits=6, decimal_places=2)
    submitted_at = serializers.DateTimeField()
    parts = SheetPartSerializer(many=True)


class EntryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    submission = serializers.IntegerField()
    product = serializers.CharField()
    producer = serializers.CharField()


class CouncilRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = NamedEnumField(choices_class=CouncilStatus)


class SheetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    entry = EntryRefSerializer()
    council = CouncilRefSerializer()
    lock_version = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=6, decimal_places=2)
    complete = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    editable = serializers.BooleanField()
    parts = SheetPartSerializer(many=True)
    errors = serializers.DictField(child=serializers.CharField(), help_text="Stored values that cannot be read.")
    others = OtherSheetSerializer(
        many=True,
        help_text="The other members' submitted sheets: empty until the caller's own sheet is submitted.",
    )


class SheetSaveSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=32),
        help_text='Points by item code, as typed ("12,5" or "12.5"; "" clears).',
    )
    notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    lock_version = serializers.IntegerField()

    def validate(self, data):
        codes = self.context["codes"]
        unknown = sorted({*data["values"], *data.get("notes", {})} - codes)
        if unknown:
            raise serializers.ValidationError(
                {"values": [_("Không có nội dung chấm mã %(code)s trong phiếu.") % {"code": code} for code in unknown]}
            )
        return data


class LockVersionSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField(required=False, allow_null=True)
