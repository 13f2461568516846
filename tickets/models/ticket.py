"""The ticket, its conversation and its append-only audit trail."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from helpdesk.db import bounded_range_check, range_label
from tickets.models.organisation import AgentProfile, Category, Tag, Team, Tier
from tickets.models.sla import SLAStatus


class Priority(models.TextChoices):
    LOW = "LOW", _("Low")
    MEDIUM = "MEDIUM", _("Medium")
    HIGH = "HIGH", _("High")
    URGENT = "URGENT", _("Urgent")

    @classmethod
    def rank(cls, value: str) -> int:
        return [cls.LOW, cls.MEDIUM, cls.HIGH, cls.URGENT].index(cls(value))


class TicketFlag(models.TextChoices):
    PAYMENT_UNVERIFIED = "PAYMENT_UNVERIFIED", _("Payment unverified")
    UNPAID = "UNPAID", _("Unpaid subscription")
    UNCLASSIFIED = "UNCLASSIFIED", _("Needs classification")
    CLASSIFIER_UNAVAILABLE = "CLASSIFIER_UNAVAILABLE", _("Classifier unavailable")
    FREE_TEXT_APPLIANCE = "FREE_TEXT_APPLIANCE", _("Appliance given as free text")
    UNMATCHED_VISITS = "UNMATCHED_VISITS", _("Visits not matched in time")


class Ticket(models.Model):
    class Status(models.TextChoices):
        OPEN = "OPEN", _("Open")
        IN_PROGRESS = "IN_PROGRESS", _("In progress")
        WAITING_ON_CUSTOMER = "WAITING_ON_CUSTOMER", _("Waiting on customer")
        RESOLVED = "RESOLVED", _("Resolved")
        CLOSED = "CLOSED", _("Closed")

    class CategorySource(models.TextChoices):
        NONE = "NONE", _("Not classified")
        MODEL = "MODEL", _("Classifier")
        RULE = "RULE", _("Routing rule")
        AGENT = "AGENT", _("Agent")

    class PrioritySource(models.TextChoices):
        DEFAULT = "DEFAULT", _("Default")
        RULE = "RULE", _("Rule")
        MODEL = "MODEL", _("Model")
        AGENT = "AGENT", _("Agent")

    # Filled by the database from a sequence, so numbers never collide across web processes.
    number = models.BigIntegerField(
        unique=True, editable=False, db_default=Func(models.Value("tickets_ticket_number_seq"), function="nextval")
    )
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tickets")
    subject = models.CharField(max_length=200)
    description = models.TextField()
    language = models.CharField(max_length=8, default="en")
    appliance = models.ForeignKey("catalog.ApplianceModel", null=True, blank=True, on_delete=models.SET_NULL)
    appliance_model_text = models.CharField(max_length=120, blank=True)

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    category_confidence = models.FloatField(null=True, blank=True)
    category_source = models.CharField(max_length=8, choices=CategorySource.choices, default=CategorySource.NONE)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    priority_source = models.CharField(max_length=8, choices=PrioritySource.choices, default=PrioritySource.DEFAULT)
    priority_reason = models.CharField(max_length=255, blank=True)

    status = models.CharField(max_length=24, choices=Status.choices, default=Status.OPEN)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.L1)
    assigned_agent = models.ForeignKey(
        AgentProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tickets"
    )
    collaborators = models.ManyToManyField(AgentProfile, blank=True, related_name="collaborating_tickets")
    routing_reason = models.JSONField(default=dict, blank=True)
    flags = ArrayField(models.CharField(max_length=32, choices=TicketFlag.choices), default=list, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    first_response_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    first_response_sla = models.CharField(max_length=10, choices=SLAStatus.choices, default=SLAStatus.WITHIN)
    resolution_sla = models.CharField(max_length=10, choices=SLAStatus.choices, default=SLAStatus.WITHIN)
    sla_breached = models.BooleanField(default=False, help_text=_("Stays true once any SLA was breached."))
    sla_paused_at = models.DateTimeField(null=True, blank=True, help_text=_("Set while waiting on the customer."))
    # Where the last N % of each window begins (business time, computed once with the deadlines).
    first_response_risk_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_risk_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(subject=""), name="ticket_subject_not_empty"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("created_at")),
                name="ticket_resolved_after_created",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["RESOLVED", "CLOSED"]) | Q(closed_at__isnull=True),
                name="ticket_closed_at_only_when_done",
            ),
            models.CheckConstraint(
                condition=Q(sla_paused_at__isnull=True) | Q(status="WAITING_ON_CUSTOMER"),
                name="ticket_sla_paused_only_when_waiting",
            ),
        ]
        indexes = [
            models.Index(
                fields=["first_response_due"],
                name="ticket_open_frt_due_idx",
                condition=Q(status__in=["OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER"]),
            ),
            models.Index(
                fields=["resolution_due"],
                name="ticket_open_res_due_idx",
                condition=Q(status__in=["OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER"]),
            ),
            models.Index(fields=["customer", "-created_at"], name="ticket_customer_recent_idx"),
            models.Index(fields=["assigned_agent", "status"], name="ticket_agent_status_idx"),
            models.Index(fields=["team", "status"], name="ticket_team_status_idx"),
            GinIndex(fields=["flags"], name="ticket_flags_gin"),
            # The SLA sweep: clocks still WITHIN whose at-risk instant may have come (tickets leave
            # these indexes once marked), and open tickets that need attention (escalation).
            models.Index(
                fields=["first_response_risk_at"],
                name="ticket_frt_risk_idx",
                condition=Q(status__in=["OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER"])
                & Q(first_response_at__isnull=True)
                & Q(first_response_sla="WITHIN"),
            ),
            models.Index(
                fields=["resolution_risk_at"],
                name="ticket_res_risk_idx",
                condition=Q(status__in=["OPEN", "IN_PROGRESS"]) & Q(resolution_sla="WITHIN"),
            ),
            models.Index(
                fields=["id"],
                name="ticket_open_sla_attention_idx",
                condition=Q(status__in=["OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER"])
                & (~Q(first_response_sla="WITHIN") | ~Q(resolution_sla="WITHIN")),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


OPEN_STATUSES = frozenset({Ticket.Status.OPEN, Ticket.Status.IN_PROGRESS, Ticket.Status.WAITING_ON_CUSTOMER})


class PreferredWindow(models.Model):
    """A time window in which the customer would like a visit."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="preferred_windows")
    window = DateTimeRangeField()

    class Meta:
        ordering = ["window"]
        constraints = [
            bounded_range_check("window", "preferred_window_bounded"),
        ]

    def __str__(self) -> str:
        return range_label(self.window)


class Message(models.Model):
    class SenderType(models.TextChoices):
        CUSTOMER = "CUSTOMER", _("Customer")
        AGENT = "AGENT", _("Agent")
        EXPERT = "EXPERT", _("Expert")
        BOT = "BOT", _("Bot")
        SYSTEM = "SYSTEM", _("System")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    sender_type = models.CharField(max_length=10, choices=SenderType.choices)
    body = models.TextField()
    is_internal = models.BooleanField(default=False, help_text=_("Internal notes are never shown to the customer."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_ticket_time_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="message_body_not_empty"),
            models.CheckConstraint(
                condition=Q(is_internal=False) | Q(sender_type__in=["AGENT", "SYSTEM", "BOT"]),
                name="message_internal_only_from_staff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_sender_type_display()} on #{self.ticket_id}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.message.ticket_id}/{filename}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class TicketEvent(models.Model):
    """Append-only audit trail and metrics source: one row per change, written by the service
    that makes the change, in the same transaction."""

    class Kind(models.TextChoices):
        CREATED = "CREATED", _("Created")
        STATUS_CHANGED = "STATUS_CHANGED", _("Status changed")
        REPLIED = "REPLIED", _("Replied")
        CUSTOMER_REPLIED = "CUSTOMER_REPLIED", _("Customer replied")
        NOTE_ADDED = "NOTE_ADDED", _("Internal note")
        ASSIGNED = "ASSIGNED", _("Assigned")
        CLASSIFIED = "CLASSIFIED", _("Classified")
        PRIORITY_CHANGED = "PRIORITY_CHANGED", _("Priority changed")
        ESCALATED = "ESCALATED", _("Escalated")
        FLAGGED = "FLAGGED", _("Flagged")
        SLA_CHANGED = "SLA_CHANGED", _("SLA status changed")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_time_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.ticket_id}"
