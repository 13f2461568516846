"""Admin for tickets and their conversation. Status and assignment are read-only here: they change
only through admin actions that call the lifecycle services, so events and counters stay right."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpdesk.errors import DomainError
from tickets.admin.mixins import AppendOnlyAdminMixin, ReadOnlyInline, ViewOnlyAdminMixin
from tickets.models import AgentProfile, Attachment, Message, PreferredWindow, Ticket, TicketEvent, TicketFlag
from tickets.services import ticket_assign, ticket_transition

S = Ticket.Status


class FlagFilter(admin.SimpleListFilter):
    title = _("flag")
    parameter_name = "flag"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return list(TicketFlag.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
        if self.value() in TicketFlag.values:
            return queryset.filter(flags__contains=[self.value()])
        return queryset


class AssignmentFilter(admin.SimpleListFilter):
    title = _("assignment")
    parameter_name = "assignment"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("me", _("Assigned to me")), ("any", _("Assigned")), ("none", _("Unassigned"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
        if self.value() == "me":
            return queryset.filter(assigned_agent__user=request.user.pk)
        if self.value() == "any":
            return queryset.filter(assigned_agent__isnull=False)
        if self.value() == "none":
            return queryset.filter(assigned_agent__isnull=True)
        return queryset


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ("created_at", "sender_type", "author", "is_internal", "body")
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
        return super().get_queryset(request).select_related("author")


class PreferredWindowInline(admin.TabularInline):
    model = PreferredWindow
    extra = 0


def _transition_action(to_status: str, description: str) -> Callable[..., None]:
    @admin.action(description=description, permissions=["change"])
    def action(modeladmin: "TicketAdmin", request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        modeladmin.run_per_ticket(
            request,
            queryset,
            lambda ticket: ticket_transition(
                ticket=ticket, to_status=to_status, actor=request.user, reason="admin action"
            ),
        )

    action.__name__ = f"mark_{to_status.lower()}"
    return action


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "subject",
        "customer",
        "status",
        "priority",
        "category",
        "team",
        "tier",
        "assigned_agent",
        "resolution_sla",
        "flag_list",
        "created_at",
    )
    list_display_links = ("number", "subject")
    list_filter = (
        "status",
        "priority",
        "resolution_sla",
        "first_response_sla",
        "sla_breached",
        AssignmentFilter,
        FlagFilter,
        "tier",
        "team",
        "category",
        "category_source",
        "language",
    )
    search_fields = ("number__exact", "subject", "customer__email", "customer__full_name", "appliance_model_text")
    list_select_related = ("customer", "category", "team", "assigned_agent__user")
    autocomplete_fields = ("appliance", "collaborators")
    filter_horizontal = ("tags",)
    date_hierarchy = "created_at"
    inlines = (PreferredWindowInline, MessageInline)
    fieldsets = (
        (None, {"fields": ("number", "customer", "subject", "description", "language")}),
        (_("Appliance"), {"fields": ("appliance", "appliance_model_text")}),
        (
            _("Classification"),
            {
                "fields": (
                    ("category", "category_source", "category_confidence"),
                    ("priority", "priority_source"),
                    "priority_reason",
                    "tags",
                    "flag_list",
                )
            },
        ),
        (_("Work"), {"fields": ("status", "team", "tier", "assigned_agent", "collaborators", "routing_reason")}),
        (
            _("SLA"),
            {
                "fields": (
                    ("first_response_due", "first_response_sla"),
                    ("resolution_due", "resolution_sla"),
                    ("sla_breached", "sla_paused_at"),
                )
            },
        ),
        (_("Dates"), {"fields": ("created_at", "updated_at", "first_response_at", "resolved_at", "closed_at")}),
    )
    # Everything the services own: lifecycle, assignment, intake decisions, SLA clocks, audit dates.
    readonly_fields = (
        "number",
        "customer",
        "status",
        "assigned_agent",
        "category_source",
        "category_confidence",
        "priority_source",
        "priority_reason",
        "flag_list",
        "routing_reason",
        "first_response_due",
        "resolution_due",
        "first_response_sla",
        "resolution_sla",
        "sla_breached",
        "sla_paused_at",
        "created_at",
        "updated_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
    )
    actions = (
        _transition_action(S.IN_PROGRESS, _("Mark in progress (start or reopen)")),
        _transition_action(S.WAITING_ON_CUSTOMER, _("Mark waiting on customer")),
        _transition_action(S.RESOLVED, _("Mark resolved")),
        _transition_action(S.CLOSED, _("Close")),
        "assign_to_me",
        "unassign",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tickets come in through intake (site, API), which sets SLA deadlines and writes the CREATED event.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Ticket | None = None) -> bool:
        # A ticket and its audit trail are the metrics record; close it instead.
        return False

    @admin.display(description=_("flags"))
    def flag_list(self, obj: Ticket) -> str:
        return ", ".join(str(TicketFlag(flag).label) for flag in obj.flags if flag in TicketFlag.values)

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        agent = AgentProfile.objects.filter(user=request.user.pk).first()
        if agent is None:
            self.message_user(
                request, _("You have no agent profile, so tickets cannot be assigned to you."), messages.ERROR
            )
            return
        self.run_per_ticket(request, queryset, lambda t: ticket_assign(ticket=t, agent=agent, actor=request.user))

    @admin.action(description=_("Unassign (back to the team queue)"), permissions=["change"])
    def unassign(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        self.run_per_ticket(request, queryset, lambda t: ticket_assign(ticket=t, agent=None, actor=request.user))

    def run_per_ticket(
        self, request: HttpRequest, queryset: QuerySet[Ticket], change: Callable[[Ticket], object]
    ) -> None:
        """Apply `change` ticket by ticket (each in its own service transaction) and report each outcome."""
        done: list[str] = []
        for ticket in queryset.order_by("pk"):
            try:
                change(ticket)
            except DomainError as exc:
                self.message_user(request, f"#{ticket.number}: {exc}", messages.ERROR)
            else:
                done.append(f"#{ticket.number}")
        if done:
            message = ngettext("Updated ticket %(list)s.", "Updated %(n)d tickets: %(list)s.", len(done))
            self.message_user(request, message % {"n": len(done), "list": ", ".join(done)}, messages.SUCCESS)


@admin.register(PreferredWindow)
class PreferredWindowAdmin(admin.ModelAdmin):
    list_display = ("ticket", "window")
    list_filter = ("ticket__status",)
    search_fields = ("ticket__number__exact", "ticket__subject")
    list_select_related = ("ticket",)
    autocomplete_fields = ("ticket",)


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("original_name", "file", "content_type", "size_bytes", "created_at")
    readonly_fields = fields


@admin.register(Message)
class MessageAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    """The conversation is written by `ticket_reply` only."""

    list_display = ("ticket", "sender_type", "author", "is_internal", "short_body", "created_at")
    list_filter = ("sender_type", "is_internal")
    search_fields = ("ticket__number__exact", "ticket__subject", "author__email", "body")
    list_select_related = ("ticket", "author")
    date_hierarchy = "created_at"
    inlines = (AttachmentInline,)

    @admin.display(description=_("body"))
    def short_body(self, obj: Message) -> str:
        return obj.body if len(obj.body) <= 80 else f"{obj.body[:79]}…"


@admin.register(Attachment)
class AttachmentAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("original_name", "message", "content_type", "size_bytes", "created_at")
    list_filter = ("content_type",)
    search_fields = ("original_name", "message__ticket__number__exact")
    list_select_related = ("message",)
    date_hierarchy = "created_at"


@admin.register(TicketEvent)
class TicketEventAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    """The append-only audit trail: visible, never added, edited or deleted by hand."""

    list_display = ("created_at", "ticket", "kind", "from_status", "to_status", "actor")
    list_filter = ("kind", "to_status")
    search_fields = ("ticket__number__exact", "ticket__subject", "actor__email")
    list_select_related = ("ticket", "actor")
    date_hierarchy = "created_at"
