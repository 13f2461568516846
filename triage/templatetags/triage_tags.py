"""`{% triage_why ticket %}`: the "why this category / priority / team / agent" card on the agent's
ticket page, rendered from the ticket's stored routing reason (no queries)."""

from typing import Any

from django import template

from tickets.models import Ticket
from triage.explain import explain

register = template.Library()


@register.inclusion_tag("agent/_triage_why.html")
def triage_why(ticket: Ticket) -> dict[str, Any]:
    return {"ticket": ticket, "sections": explain(ticket)}
