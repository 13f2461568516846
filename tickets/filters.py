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
