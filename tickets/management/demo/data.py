"""The demo company's people and helpdesk configuration (data only; the seeder loads it)."""

from dataclasses import dataclass

from accounts.models import Role
from tickets.models import Priority, Tier

DEMO_PASSWORD = "demo"

# --- people -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: str
    is_staff: bool = False
    is_superuser: bool = False


@dataclass(frozen=True)
class DemoAgent:
    email: str
    team: str
    tier: int
    skills: dict[str, int]  # Category slug -> level 1..5
    max_tickets: int = 10


@dataclass(frozen=True)
class DemoExpert:
    email: str
    skills: dict[str, int]  # Skill slug -> level 1..5
    service_area: tuple[str, ...]
    phone: str
    hourly_rate_cents: int = 4500


@dataclass(frozen=True)
class DemoCustomer:
    email: str
    is_vip: bool
    address_line: str
    postal_code: str
    city: str
    phone: str
    plan: str  # Plan code
    subscription_status: str = "ACTIVE"


USERS: tuple[DemoUser, ...] = (
    DemoUser("admin@example.com", "Ada Admin", Role.ADMIN, is_staff=True, is_superuser=True),
    DemoUser("lead@example.com", "Lea Lead", Role.LEAD, is_staff=True),
    DemoUser("lena.hoffmann@example.com", "Lena Hoffmann", Role.LEAD, is_staff=True),
    DemoUser("agent@example.com", "Alex Agent", Role.AGENT),
    DemoUser("jonas.weber@example.com", "Jonas Weber", Role.AGENT),
    DemoUser("sofia.rossi@example.com", "Sofia Rossi", Role.AGENT),
    DemoUser("tom.becker@example.com", "Tom Becker", Role.AGENT),
    DemoUser("mehmet.yilmaz@example.com", "Mehmet Yılmaz", Role.AGENT),
    DemoUser("anna.lange@example.com", "Anna Lange", Role.AGENT),
    DemoUser("expert@example.com", "Karl Schmidt", Role.EXPERT),
    DemoUser("petra.wagner@example.com", "Petra Wagner", Role.EXPERT),
    DemoUser("ali.demir@example.com", "Ali Demir", Role.EXPERT),
    DemoUser("jan.novak@example.com", "Jan Novák", Role.EXPERT),
    DemoUser("eva.klein@example.com", "Eva Klein", Role.EXPERT),
    DemoUser("customer@example.com", "Clara Fischer", Role.CUSTOMER),
    DemoUser("customer2@example.com", "Ben Müller", Role.CUSTOMER),
    DemoUser("hannah.schulz@example.com", "Hannah Schulz", Role.CUSTOMER),
    DemoUser("lukas.braun@example.com", "Lukas Braun", Role.CUSTOMER),
    DemoUser("mia.wolf@example.com", "Mia Wolf", Role.CUSTOMER),
)

CALENDAR = {"name": "Berlin office hours", "timezone": "Europe/Berlin", "country": "DE", "subdivision": "BE"}

# name -> (lead email, overflow team, queue threshold)
TEAMS: dict[str, tuple[str, str | None, int | None]] = {
    "Front line": ("lead@example.com", "Field coordination", 15),
    "Appliance specialists": ("lead@example.com", None, None),
    "Field coordination": ("lena.hoffmann@example.com", None, None),
}

AGENTS: tuple[DemoAgent, ...] = (
    DemoAgent("agent@example.com", "Front line", Tier.L1, {"billing": 4, "account": 4, "scheduling": 3, "general": 3}),
    DemoAgent("jonas.weber@example.com", "Front line", Tier.L1, {"billing": 3, "scheduling": 4, "general": 4}),
    DemoAgent("sofia.rossi@example.com", "Front line", Tier.L1, {"account": 3, "general": 3, "appliance-repair": 2}),
    DemoAgent("tom.becker@example.com", "Appliance specialists", Tier.L2, {"appliance-repair": 4, "electrical": 2}),
    DemoAgent("lead@example.com", "Appliance specialists", Tier.L3, {"appliance-repair": 5, "billing": 3}, 6),
    DemoAgent("anna.lange@example.com", "Field coordination", Tier.L1, {"scheduling": 4, "plumbing": 2}),
    DemoAgent("mehmet.yilmaz@example.com", "Field coordination", Tier.L2, {"heating": 4, "plumbing": 4}),
    DemoAgent("lena.hoffmann@example.com", "Field coordination", Tier.L3, {"electrical": 5, "heating": 4}, 6),
)

# Category slug -> (name, default team, minimum priority, description)
CATEGORIES: dict[str, tuple[str, str, str, str]] = {
    "plumbing": ("Plumbing", "Field coordination", "", "Leaks, blocked drains, taps, toilets, water heaters."),
    "electrical": ("Electrical", "Field coordination", Priority.MEDIUM, "Sockets, lights, breakers, wiring."),
    "appliance-repair": ("Appliance repair", "Appliance specialists", "", "Washers, dryers, dishwashers, ovens."),
    "heating": ("Heating", "Field coordination", "", "Boilers, radiators, hot water."),
    "billing": ("Billing", "Front line", "", "Invoices, payments, refunds, plans."),
    "account": ("Account", "Front line", "", "Login, contact details, addresses."),
    "scheduling": ("Scheduling", "Front line", "", "Booking, moving or cancelling visits."),
    "general": ("General", "Front line", "", "Everything else."),
}

SKILLS: dict[str, str] = {
    "plumbing": "Plumbing",
    "electrical": "Electrical work",
    "appliance-repair": "Appliance repair",
    "heating": "Heating",
}

EXPERTS: tuple[DemoExpert, ...] = (
    DemoExpert("expert@example.com", {"plumbing": 4, "heating": 3}, ("10", "12"), "+49 30 5550101"),
    DemoExpert("petra.wagner@example.com", {"electrical": 5, "appliance-repair": 2}, ("10", "13"), "+49 30 5550102"),
    DemoExpert("ali.demir@example.com", {"appliance-repair": 5, "electrical": 2}, ("10", "12", "14"), "+49 30 5550103"),
    DemoExpert("jan.novak@example.com", {"heating": 5, "plumbing": 3}, ("12", "13"), "+49 30 5550104", 5200),
    DemoExpert("eva.klein@example.com", {"plumbing": 2, "appliance-repair": 3}, ("10",), "+49 30 5550105", 3800),
)

PLANS: dict[str, tuple[str, int]] = {"basic": ("Basic", 1490), "plus": ("Plus", 2990)}

CUSTOMERS: tuple[DemoCustomer, ...] = (
    DemoCustomer("customer@example.com", True, "Invalidenstraße 12", "10115", "Berlin", "+49 151 2000001", "plus"),
    DemoCustomer("customer2@example.com", False, "Warschauer Str. 40", "10243", "Berlin", "+49 151 2000002", "basic"),
    DemoCustomer("hannah.schulz@example.com", False, "Weserstraße 8", "12045", "Berlin", "+49 151 2000003", "basic"),
    DemoCustomer("lukas.braun@example.com", False, "Müllerstraße 150", "13353", "Berlin", "+49 151 2000004", "plus"),
    DemoCustomer(
        "mia.wolf@example.com", False, "Akazienstraße 3", "10823", "Berlin", "+49 151 2000005", "basic", "PAST_DUE"
    ),
)

# brand, model number, type
APPLIANCES: tuple[tuple[str, str, str], ...] = (
    ("Bosch", "WAN28K40", "WASHER"),
    ("Bosch", "SMS46KI01E", "DISHWASHER"),
    ("Miele", "WCA032 WPS", "WASHER"),
    ("Miele", "TWC220 WP", "DRYER"),
    ("Siemens", "HB578GBS0", "OVEN"),
    ("Siemens", "SN23HI60AE", "DISHWASHER"),
    ("AEG", "RCB732E5MX", "FRIDGE"),
    ("AEG", "L7FEE48S", "WASHER"),
    ("Vaillant", "ecoTEC plus VC 206/5-5", "BOILER"),
    ("Stiebel Eltron", "DHB-E 18 LCD", "WATER_HEATER"),
)

TAGS = ("vip", "needs-visit", "repeat-issue", "refund", "warranty", "water-damage-risk", "spare-part")

# (title, team or None, body)
CANNED_RESPONSES: tuple[tuple[str, str | None, str], ...] = (
    (
        "Thanks – we're on it",
        None,
        "Hello {{customer_name}},\n\nthank you for your message about ticket {{ticket_number}}. "
        "We are looking into it and will get back to you shortly.\n\nBest regards,\n{{agent_name}}",
    ),
    (
        "Please send photos and the model number",
        None,
        "Hello {{customer_name}},\n\nto prepare the right parts for ticket {{ticket_number}}, could you "
        "send us a photo of the type plate (model number) and of the problem? You can attach them here.\n\n"
        "Thank you,\n{{agent_name}}",
    ),
    (
        "Technician visit will be scheduled",
        "Field coordination",
        "Hello {{customer_name}},\n\nthis needs a technician on site. Please add the times that suit you "
        "on ticket {{ticket_number}}; our technicians will pick one and you get a confirmation.\n\n{{agent_name}}",
    ),
    (
        "Resolved – please confirm",
        None,
        "Hello {{customer_name}},\n\nwe have marked ticket {{ticket_number}} as resolved. If everything "
        "works again, please confirm on the ticket page; if not, just reply and we will continue.\n\n"
        "{{agent_name}}",
    ),
)

# name -> (category slug, team, canned response title, tags)
MACROS: dict[str, tuple[str | None, str | None, str | None, tuple[str, ...]]] = {
    "Needs a technician visit": (None, "Field coordination", "Technician visit will be scheduled", ("needs-visit",)),
    "Billing question to front line": ("billing", "Front line", "Thanks – we're on it", ()),
}


@dataclass(frozen=True)
class DemoRoutingRule:
    name: str
    position: int
    team: str | None
    tier: int | None
    category: str | None = None
    vip: bool | None = None
    keywords: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


ROUTING_RULES: tuple[DemoRoutingRule, ...] = (
    DemoRoutingRule(
        "Emergencies to field coordination (L2)",
        10,
        "Field coordination",
        Tier.L2,
        keywords=("gas", "flood", "sparks", "burning smell", "burst pipe"),
        tags=("water-damage-risk",),
    ),
    DemoRoutingRule("VIP customers start at L2", 20, None, Tier.L2, vip=True, tags=("vip",)),
    DemoRoutingRule("Appliance repairs to specialists", 30, "Appliance specialists", None, category="appliance-repair"),
)

# priority -> (first response minutes, resolution minutes): extra, tighter targets for VIP customers.
VIP_SLA: dict[str, tuple[int, int]] = {
    Priority.URGENT: (30, 3 * 60),
    Priority.HIGH: (2 * 60, 12 * 60),
    Priority.MEDIUM: (4 * 60, 48 * 60),
}

# Model permissions for the "Team leads" group: view everything, manage the configuration.
LEAD_MANAGED_MODELS = (
    "tickets.team",
    "tickets.category",
    "tickets.tag",
    "tickets.businesscalendar",
    "tickets.businesshours",
    "tickets.closedday",
    "tickets.agentprofile",
    "tickets.agentskill",
    "tickets.slapolicy",
    "tickets.routingrule",
    "tickets.cannedresponse",
    "tickets.macro",
    "kb.article",
    "experts.skill",
    "experts.expertprofile",
    "experts.expertskill",
    "catalog.appliancemodel",
)
LEAD_CHANGE_ONLY_MODELS = ("tickets.ticket", "visits.visitgroup", "visits.visit")
