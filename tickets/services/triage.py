"""The human classifier: an agent sets (or confirms) a ticket's category. The ticket leaves the
triage queue, and its category (source AGENT) becomes a label for the next training run
(`train_classifier --from-db` and the weekly retrain)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import DomainValidationError, InvalidTransitionError
from tickets.models import Category, Tag, Ticket, TicketEvent, TicketFlag
from tickets.services.intake import customer_is_vip
from tickets.services.routing import route_to_agent, routing_decide_team

TRIAGE_FLAGS = frozenset({TicketFlag.UNCLASSIFIED, TicketFlag.CLASSIFIER_UNAVAILABLE})


@transaction.atomic
def ticket_set_category(*, ticket: Ticket, category: Category, actor: User) -> Ticket:
    """Set or confirm the category. An open ticket nobody works on yet is routed again with it
    (team, tier and agent), as intake would have done had the classifier been sure."""
    if not category.is_active:
        raise DomainValidationError(_("This category is no longer in use."), field="category")
    locked = Ticket.objects.select_for_update().select_related("customer").get(pk=ticket.pk)
    if locked.status == Ticket.Status.CLOSED:
        raise InvalidTransitionError(_("A closed ticket cannot be reclassified."))
    previous = locked.category
    locked.category = category
    locked.category_source = Ticket.CategorySource.AGENT
    locked.category_confidence = None
    locked.flags = [flag for flag in locked.flags if flag not in TRIAGE_FLAGS]
    fields = ["category", "category_source", "category_confidence", "flags", "updated_at"]
    reroute = locked.is_open and locked.assigned_agent_id is None
    if reroute:
        routing = routing_decide_team(
            category=category,
            priority=locked.priority,
            is_vip=customer_is_vip(locked.customer),
            language=locked.language,
            subject=locked.subject,
            description=locked.description,
        )
        locked.team, locked.tier = routing.team, routing.tier
        locked.routing_reason = {
            **(locked.routing_reason or {}),
            "team": {**routing.reason, "after": _("classified by %(name)s") % {"name": actor.display_name}},
        }
        fields += ["team", "tier", "routing_reason"]
    locked.save(update_fields=fields)
    if reroute and routing.tag_names:
        locked.tags.add(*(Tag.objects.get_or_create(name=name)[0] for name in routing.tag_names))
    TicketEvent.objects.create(
        ticket=locked,
        actor=actor,
        kind=TicketEvent.Kind.CLASSIFIED,
        data={
            "from": previous.slug if previous else None,
            "to": category.slug,
            "confirmed": previous is not None and previous.pk == category.pk,
        },
    )
    if reroute:
        route_to_agent(ticket=locked, actor=actor)
    return locked
