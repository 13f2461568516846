from tickets.models.alerts import SLAAlert
from tickets.models.automation import CannedResponse, Macro, RoutingRule
from tickets.models.organisation import (
    AgentProfile,
    AgentSkill,
    BusinessCalendar,
    BusinessHours,
    Category,
    ClosedDay,
    Tag,
    Team,
    Tier,
)
from tickets.models.sla import Escalation, SLAPolicy, SLAStatus
from tickets.models.survey import SurveyResponse
from tickets.models.ticket import (
    OPEN_STATUSES,
    Attachment,
    Message,
    PreferredWindow,
    Priority,
    Ticket,
    TicketEvent,
    TicketFlag,
)

__all__ = [
    "OPEN_STATUSES",
    "AgentProfile",
    "AgentSkill",
    "Attachment",
    "BusinessCalendar",
    "BusinessHours",
    "CannedResponse",
    "Category",
    "ClosedDay",
    "Escalation",
    "Macro",
    "Message",
    "PreferredWindow",
    "Priority",
    "RoutingRule",
    "SLAAlert",
    "SLAPolicy",
    "SLAStatus",
    "SurveyResponse",
    "Tag",
    "Team",
    "Ticket",
    "TicketEvent",
    "TicketFlag",
    "Tier",
]
