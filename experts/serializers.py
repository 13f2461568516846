"""Serializers of the expert API (job board, proposals, schedule, day-of reports). Output
serializers only read what the selectors loaded; the job serializer has no customer fields at all."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from experts.models import Proposal
from experts.selectors import area_label
from experts.services import MAX_STARTS_PER_REQUEST
from tickets.serializers import StrictCharField
from visits.api_fields import enum_field
from visits.models import Booking, Incident, Visit
from visits.selectors import customer_address


class WindowSerializer(serializers.Serializer):
    start = serializers.DateTimeField(source="window.lower")
    end = serializers.DateTimeField(source="window.upper")


class MyProposalSerializer(serializers.ModelSerializer[Proposal]):
    status = enum_field(Proposal.Status, "ProposalStatusEnum", read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "start_at", "is_alternative", "status"]


class DependencySerializer(serializers.Serializer):
    visit_id = serializers.IntegerField(source="depends_on.pk")
    position = serializers.IntegerField(source="depends_on.position")
    skill = serializers.CharField(source="depends_on.required_skill.name")
    min_gap_minutes = serializers.IntegerField()
    max_gap_minutes = serializers.IntegerField()


class JobOutputSerializer(serializers.Serializer):
    """A board row: what an expert needs to decide, and nothing that identifies the customer."""

    visit_id = serializers.IntegerField(source="pk")
    skill = serializers.CharField(source="required_skill.name")
    min_skill_level = serializers.IntegerField()
    priority = serializers.CharField()
    area = serializers.SerializerMethodField()
    appliance = serializers.SerializerMethodField()
    summary = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    experts_needed = serializers.IntegerField()
    proposed_count = serializers.IntegerField(source="proposer_count")
    windows = WindowSerializer(many=True, source="windows.all")
    depends_on = serializers.SerializerMethodField()
    match_deadline = serializers.DateTimeField()
    my_proposals = MyProposalSerializer(many=True)

    def get_area(self, visit: Visit) -> str:
        return area_label(getattr(visit, "area_postal", ""), getattr(visit, "area_city", ""))

    def get_appliance(self, visit: Visit) -> str:
        brand = getattr(visit, "appliance_brand", None)
        if brand:
            return f"{brand} {getattr(visit, 'appliance_model', '')}".strip()
        return getattr(visit, "appliance_text", "") or ""

    @extend_schema_field(DependencySerializer(allow_null=True))
    def get_depends_on(self, visit: Visit) -> dict[str, Any] | None:
        return DependencySerializer(visit).data if visit.depends_on_id else None


class ProposalCreateInputSerializer(serializers.Serializer):
    start_times = serializers.ListField(
        child=serializers.DateTimeField(),
        min_length=1,
        max_length=MAX_STARTS_PER_REQUEST,
        help_text=_(
            "Start times on the grid (e.g. every 30 minutes). Outside the customer's windows they are alternatives."
        ),
    )


class ProposalOutputSerializer(serializers.ModelSerializer[Proposal]):
    visit_id = serializers.IntegerField(source="visit.pk")
    status = enum_field(Proposal.Status, "ProposalStatusEnum", read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "visit_id", "start_at", "is_alternative", "status", "created_at"]


class ScheduleOutputSerializer(serializers.Serializer):
    """A booking on the expert's schedule: now that they are booked, with the customer's details."""

    booking_id = serializers.IntegerField(source="pk")
    visit_id = serializers.IntegerField(source="visit.pk")
    start = serializers.DateTimeField(source="during.lower")
    end = serializers.DateTimeField(source="during.upper")
    skill = serializers.CharField(source="visit.required_skill.name")
    visit_status = serializers.CharField(source="visit.status")
    ticket_number = serializers.IntegerField(source="visit.group.ticket.number")
    summary = serializers.CharField(source="visit.group.ticket.subject")
    customer_name = serializers.CharField(source="visit.group.ticket.customer.display_name")
    customer_phone = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()

    def get_customer_phone(self, booking: Booking) -> str:
        profile = getattr(booking.visit.group.ticket.customer, "customer_profile", None)
        return profile.phone if profile else ""

    def get_address(self, booking: Booking) -> str:
        return customer_address(getattr(booking.visit.group.ticket.customer, "customer_profile", None))


class IncidentCreateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Incident.Kind.choices)
    details = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")
    overrun_minutes = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


class IncidentOutputSerializer(serializers.ModelSerializer[Incident]):
    visit_id = serializers.IntegerField(source="visit.pk")
    status = enum_field(Incident.Status, "IncidentStatusEnum", read_only=True)

    class Meta:
        model = Incident
        fields = ["id", "visit_id", "kind", "status", "resolution", "overrun_minutes", "created_at", "resolved_at"]


class CompleteInputSerializer(serializers.Serializer):
    notes = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")
