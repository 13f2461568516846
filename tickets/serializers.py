"""Serializers of the ticket API. Input serializers only parse and shape request data; the
services own the rules. Output serializers only read what the selectors already loaded."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tickets.models import AgentProfile, Attachment, Category, Message, PreferredWindow, SLAStatus, Team, Ticket
from tickets.permissions import can_work_queue
from tickets.services.lifecycle import MAX_ATTACHMENTS, MAX_PREFERRED_WINDOWS

# --- input ------------------------------------------------------------------------------------


class StrictCharField(serializers.CharField):
    """A CharField that accepts only JSON strings: DRF's own would turn 123 into "123"."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class PreferredWindowInputSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": [_("A time window must end after it starts.")]}, code="invalid")
        return attrs


class TicketCreateInputSerializer(serializers.Serializer):
    """What a customer may send. Status, priority, team, owner… are not fields here, so they
    cannot be set through the API: intake decides them."""

    subject = StrictCharField(max_length=settings.TICKET_SUBJECT_MAX_LENGTH)
    description = StrictCharField(max_length=settings.TICKET_DESCRIPTION_MAX_LENGTH)
    appliance_model_text = StrictCharField(max_length=120, required=False, allow_blank=True, default="")
    preferred_windows = PreferredWindowInputSerializer(
        many=True, required=False, default=list, max_length=MAX_PREFERRED_WINDOWS
    )


class MessageCreateInputSerializer(serializers.Serializer):
    body = StrictCharField(max_length=settings.TICKET_DESCRIPTION_MAX_LENGTH)
    internal = serializers.BooleanField(
        default=False, help_text=_("An internal note, never shown to the customer (helpdesk staff only).")
    )

    def validate_internal(self, value: bool) -> bool:
        if value and not can_work_queue(self.context["request"].user):
            raise serializers.ValidationError(_("Only helpdesk staff can write internal notes."), code="forbidden")
        return value


class MessageCreateMultipartInputSerializer(MessageCreateInputSerializer):
    """The same message sent as multipart/form-data, with files under `attachments` (repeat the
    part once per file). Count and size limits are the service's rules (400 on `attachments`)."""

    attachments = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        required=False,
        default=list,
        max_length=MAX_ATTACHMENTS,
        help_text=_("Files to attach: one form part per file, all named `attachments`."),
    )


class TicketTransitionInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Ticket.Status.choices)
    reason = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


# --- output -----------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "enum": SLAStatus.values}, component_name="SLAStatusEnum")
class SLAStatusField(serializers.ChoiceField):
    """Both SLA clocks share one named enum in the OpenAPI schema (instead of two names for one
    choice set, which drf-spectacular warns about)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=SLAStatus.choices, read_only=True, **kwargs)


class CategoryBriefSerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]
        read_only_fields = fields


class TeamBriefSerializer(serializers.ModelSerializer[Team]):
    class Meta:
        model = Team
        fields = ["id", "name"]
        read_only_fields = fields


class AgentBriefSerializer(serializers.ModelSerializer[AgentProfile]):
    name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = AgentProfile
        fields = ["id", "name", "tier"]
        read_only_fields = fields


class PersonBriefSerializer(serializers.Serializer):
    """A user as others see them: no email, no role."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class CustomerBriefSerializer(PersonBriefSerializer):
    """The ticket's customer, with the email address the helpdesk answers to."""

    email = serializers.EmailField(read_only=True)


class PreferredWindowOutputSerializer(serializers.ModelSerializer[PreferredWindow]):
    start = serializers.DateTimeField(source="window.lower", read_only=True)
    end = serializers.DateTimeField(source="window.upper", read_only=True)

    class Meta:
        model = PreferredWindow
        fields = ["start", "end"]
        read_only_fields = fields


class AttachmentOutputSerializer(serializers.ModelSerializer[Attachment]):
    """A file on a message; `url` downloads it (with the same credentials, scoped like the message)."""

    name = serializers.CharField(source="original_name", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size_bytes", "content_type", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment: Attachment) -> str:
        path = reverse("tickets:attachment", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class MessageOutputSerializer(serializers.ModelSerializer[Message]):
    author = PersonBriefSerializer(read_only=True, allow_null=True)
    internal = serializers.BooleanField(source="is_internal", read_only=True)
    attachments = AttachmentOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "sender_type", "author", "body", "internal", "created_at", "attachments"]
        read_only_fields = fields


class TicketOutputSerializer(serializers.ModelSerializer[Ticket]):
    """A ticket in lists and as the answer to create/transition; reads only what
    `ticket_list_visible_to` select_related()s."""

    customer = CustomerBriefSerializer(read_only=True)
    category = CategoryBriefSerializer(read_only=True, allow_null=True)
    team = TeamBriefSerializer(read_only=True, allow_null=True)
    assigned_agent = AgentBriefSerializer(read_only=True, allow_null=True)
    first_response_sla = SLAStatusField()
    resolution_sla = SLAStatusField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "subject",
            "description",
            "status",
            "priority",
            "category",
            "team",
            "tier",
            "assigned_agent",
            "customer",
            "appliance_model_text",
            "language",
            "flags",
            "created_at",
            "updated_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "first_response_due",
            "resolution_due",
            "first_response_sla",
            "resolution_sla",
        ]
        read_only_fields = fields


class TicketDetailOutputSerializer(TicketOutputSerializer):
    """One ticket with its conversation as the reader may see it (`ticket_detail_visible_to`
    prefetches `visible_messages`: no internal notes for customers)."""

    preferred_windows = PreferredWindowOutputSerializer(many=True, read_only=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    messages = MessageOutputSerializer(source="visible_messages", many=True, read_only=True)

    class Meta(TicketOutputSerializer.Meta):
        fields = [*TicketOutputSerializer.Meta.fields, "preferred_windows", "tags", "messages"]
        read_only_fields = fields


class ErrorOutputSerializer(serializers.Serializer):
    """The shape of 403/404/409 answers."""

    detail = serializers.CharField(read_only=True)
