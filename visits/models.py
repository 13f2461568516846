"""Visits: a ticket's group of 1..N (possibly dependent) visits, their bookings and incidents."""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from helpdesk.db import bounded_range_check, range_label


class VisitGroup(models.Model):
    class Status(models.TextChoices):
        MATCHING = "MATCHING", _("Looking for experts")
        SCHEDULED = "SCHEDULED", _("Scheduled")
        NEEDS_HELPDESK = "NEEDS_HELPDESK", _("Needs helpdesk")
        COMPLETED = "COMPLETED", _("Completed")
        CANCELLED = "CANCELLED", _("Cancelled")

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="visit_groups")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.MATCHING)
    match_deadline = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    finalized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["match_deadline"], name="visitgroup_matching_idx", condition=Q(status="MATCHING")),
        ]

    def __str__(self) -> str:
        return f"Visits for #{self.ticket_id}"


class Visit(models.Model):
    class Status(models.TextChoices):
        OPEN = "OPEN", _("Open")
        SCHEDULED = "SCHEDULED", _("Scheduled")
        IN_PROGRESS = "IN_PROGRESS", _("In progress")
        COMPLETED = "COMPLETED", _("Completed")
        PARTIAL = "PARTIAL", _("Partly done")
        CANCELLED = "CANCELLED", _("Cancelled")

    group = models.ForeignKey(VisitGroup, on_delete=models.CASCADE, related_name="visits")
    position = models.PositiveSmallIntegerField(default=1)
    required_skill = models.ForeignKey("experts.Skill", on_delete=models.PROTECT)
    min_skill_level = models.PositiveSmallIntegerField(default=1)
    experts_needed = models.PositiveSmallIntegerField(default=1)
    duration_minutes = models.PositiveIntegerField(default=60)
    depends_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dependents",
        help_text=_("This visit starts after the other one ends, within the gap."),
    )
    min_gap_minutes = models.PositiveIntegerField(default=0)
    max_gap_minutes = models.PositiveIntegerField(default=60)
    follow_up_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    scheduled_start = models.DateTimeField(null=True, blank=True)
    scheduled_end = models.DateTimeField(null=True, blank=True)
    completion_notes = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group", "position"]
        constraints = [
            models.UniqueConstraint(fields=["group", "position"], name="visit_position_unique"),
            models.CheckConstraint(condition=Q(experts_needed__gte=1), name="visit_needs_an_expert"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="visit_duration_positive"),
            models.CheckConstraint(
                condition=Q(min_skill_level__gte=1, min_skill_level__lte=5), name="visit_skill_level_range"
            ),
            models.CheckConstraint(condition=Q(min_gap_minutes__lte=F("max_gap_minutes")), name="visit_gap_order"),
            models.CheckConstraint(condition=~Q(depends_on=F("pk")), name="visit_not_dependent_on_itself"),
            models.CheckConstraint(
                condition=Q(scheduled_start__isnull=True, scheduled_end__isnull=True)
                | Q(scheduled_start__lt=F("scheduled_end")),
                name="visit_schedule_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"Visit {self.position} ({self.required_skill}) for group {self.group_id}"


class VisitWindow(models.Model):
    """A window in which the customer accepts the visit to start."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="windows")
    window = DateTimeRangeField()

    class Meta:
        ordering = ["window"]
        constraints = [
            bounded_range_check("window", "visit_window_bounded"),
        ]

    def __str__(self) -> str:
        return range_label(self.window)


class Booking(models.Model):
    """An expert booked for a time range. The exclusion constraint makes overlapping active
    bookings of one expert impossible, whatever code path or process writes them."""

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Active")
        CANCELLED = "CANCELLED", _("Cancelled")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="bookings")
    expert = models.ForeignKey("experts.ExpertProfile", on_delete=models.PROTECT, related_name="bookings")
    during = DateTimeRangeField()
    proposal = models.ForeignKey("experts.Proposal", null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["during"]
        constraints = [
            ExclusionConstraint(
                name="booking_no_overlap_per_expert",
                expressions=[("expert", RangeOperators.EQUAL), ("during", RangeOperators.OVERLAPS)],
                condition=Q(status="ACTIVE"),
            ),
            models.UniqueConstraint(
                fields=["visit", "expert"], condition=Q(status="ACTIVE"), name="booking_one_per_visit_expert"
            ),
            bounded_range_check("during", "booking_during_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} {self.during.lower:%Y-%m-%d %H:%M}"


class Incident(models.Model):
    class Kind(models.TextChoices):
        CANT_ARRIVE = "CANT_ARRIVE", _("Can't arrive")
        NOBODY_HOME = "NOBODY_HOME", _("Nobody home")
        OVERRUN = "OVERRUN", _("Needs more time")
        PARTS_NEEDED = "PARTS_NEEDED", _("Parts needed")

    class Status(models.TextChoices):
        OPEN = "OPEN", _("Open")
        RESOLVED = "RESOLVED", _("Resolved")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="incidents")
    expert = models.ForeignKey("experts.ExpertProfile", null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    details = models.TextField(blank=True)
    overrun_minutes = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="OVERRUN") | Q(overrun_minutes__gte=1), name="incident_overrun_has_minutes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on visit {self.visit_id}"


class RescheduleOffer(models.Model):
    """Up to three complete alternative schedules sent to the customer."""

    class Status(models.TextChoices):
        PENDING = "PENDING", _("Waiting for the customer")
        ACCEPTED = "ACCEPTED", _("Accepted")
        DECLINED = "DECLINED", _("Declined")
        EXPIRED = "EXPIRED", _("Expired")

    group = models.ForeignKey(VisitGroup, on_delete=models.CASCADE, related_name="reschedule_offers")
    options = models.JSONField(help_text=_("List of schedules: [{visit_id: {start, expert_ids}}]."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    accepted_option = models.PositiveSmallIntegerField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"], condition=Q(status="PENDING"), name="reschedule_one_pending_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"Offer for group {self.group_id} ({self.status})"
