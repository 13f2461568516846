"""Serializers of the visit-group API (agents plan visits, customers follow them and accept
reschedule offers). Input serializers only parse; visits/services own the rules."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from experts.models import Skill
from experts.serializers import WindowSerializer
from tickets.serializers import PreferredWindowInputSerializer
from visits.api_fields import enum_field
from visits.models import RescheduleOffer, Visit, VisitGroup
from visits.services.groups import MAX_VISITS_PER_GROUP, MAX_WINDOWS_PER_VISIT, VisitInput


class VisitInputSerializer(serializers.Serializer):
    skill = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all())
    min_skill_level = serializers.IntegerField(default=1)
    experts_needed = serializers.IntegerField(default=1)
    duration_minutes = serializers.IntegerField(default=60)
    windows = PreferredWindowInputSerializer(
        many=True,
        required=False,
        max_length=MAX_WINDOWS_PER_VISIT,
        help_text=_("Omitted: the ticket's preferred windows."),
    )
    depends_on = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("0-based index of an earlier visit in this list.")
    )
    min_gap_minutes = serializers.IntegerField(default=0)
    max_gap_minutes = serializers.IntegerField(default=60)


class VisitGroupCreateInputSerializer(serializers.Serializer):
    ticket = serializers.IntegerField(help_text=_("The ticket's id."))
    visits = VisitInputSerializer(many=True, min_length=1, max_length=MAX_VISITS_PER_GROUP)

    def visit_inputs(self) -> list[VisitInput]:
        return [
            VisitInput(
                skill=v["skill"],
                min_skill_level=v["min_skill_level"],
                experts_needed=v["experts_needed"],
                duration_minutes=v["duration_minutes"],
                windows=[(w["start"], w["end"]) for w in v["windows"]] if "windows" in v else None,
                depends_on=v["depends_on"],
                min_gap_minutes=v["min_gap_minutes"],
                max_gap_minutes=v["max_gap_minutes"],
            )
            for v in self.validated_data["visits"]
        ]


class VisitOutputSerializer(serializers.ModelSerializer[Visit]):
    skill = serializers.CharField(source="required_skill.slug")
    windows = WindowSerializer(many=True, source="windows.all")
    experts = serializers.SerializerMethodField()
    status = enum_field(Visit.Status, "VisitStatusEnum", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "position",
            "skill",
            "min_skill_level",
            "experts_needed",
            "duration_minutes",
            "depends_on",
            "min_gap_minutes",
            "max_gap_minutes",
            "follow_up_of",
            "status",
            "scheduled_start",
            "scheduled_end",
            "windows",
            "experts",
        ]

    def get_experts(self, visit: Visit) -> list[str]:
        """Names of the booked experts (prefetched as active_bookings)."""
        return [b.expert.user.display_name for b in getattr(visit, "active_bookings", [])]


class OfferOutputSerializer(serializers.ModelSerializer[RescheduleOffer]):
    status = enum_field(RescheduleOffer.Status, "RescheduleOfferStatusEnum", read_only=True)

    class Meta:
        model = RescheduleOffer
        fields = ["id", "status", "options", "accepted_option", "created_at", "responded_at"]


class VisitGroupOutputSerializer(serializers.ModelSerializer[VisitGroup]):
    visits = VisitOutputSerializer(many=True, source="visit_list")
    pending_offers = OfferOutputSerializer(many=True)
    status = enum_field(VisitGroup.Status, "VisitGroupStatusEnum", read_only=True)

    class Meta:
        model = VisitGroup
        fields = ["id", "ticket", "status", "match_deadline", "created_at", "finalized_at", "visits", "pending_offers"]


class OfferAcceptInputSerializer(serializers.Serializer):
    option = serializers.IntegerField(min_value=0, help_text=_("0-based index of the chosen option."))


class OfferAcceptOutputSerializer(serializers.Serializer):
    booked = serializers.BooleanField()
    offer = OfferOutputSerializer()
    new_offer = OfferOutputSerializer(allow_null=True)
