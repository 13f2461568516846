"""Filters of the agent's ticket list, shared by the agent workspace and the API."""

import django_filters
from django.db.models import Q, QuerySet

from tickets.models import AgentProfile, Category, Priority, Team, Ticket


class TicketFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Ticket.Status.choices)
    priority = django_filters.MultipleChoiceFilter(choices=Priority.choices)
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all())
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all())
    assigned_agent = django_filters.ModelChoiceFilter(
        queryset=AgentProfile.objects.select_related("user"), label="Assignee"
    )
    unassigned = django_filters.BooleanFilter(field_name="assigned_agent", lookup_expr="isnull", label="Unassigned")
    q = django_filters.CharFilter(method="filter_text", label="Search", max_length=200)

    class Meta:
        model = Ticket
        fields = ["status", "priority", "category", "team", "assigned_agent", "unassigned", "q"]

    def filter_text(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        value = value.strip()
        if not value:
            return queryset
        text = Q(subject__icontains=value) | Q(description__icontains=value) | Q(customer__email__icontains=value)
        digits = value.lstrip("#")
        if digits.isdigit():
            text |= Q(number=int(digits))
        return queryset.filter(text)


class QueueFilter(TicketFilter):
    """The live queue's filters: the ticket list's, plus the SLA colour (annotated by
    tickets.queue_selectors.queue_annotate)."""

    # distinct=False: these filters join nothing, and DISTINCT would defeat the queue's top-N index scan.
    status = django_filters.MultipleChoiceFilter(choices=Ticket.Status.choices, distinct=False)
    priority = django_filters.MultipleChoiceFilter(choices=Priority.choices, distinct=False)
    sla = django_filters.MultipleChoiceFilter(field_name="sla_colour", label="SLA state", choices=[], distinct=False)

    class Meta(TicketFilter.Meta):
        fields = ["status", "priority", "category", "team", "assigned_agent", "unassigned", "q", "sla"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from tickets.queue_selectors import SLA_STATES

        self.filters["sla"].extra["choices"] = SLA_STATES
        self.filters["status"].extra["choices"] = [c for c in Ticket.Status.choices if c[0] in OPEN_STATUS_VALUES]


OPEN_STATUS_VALUES = ("OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER")
