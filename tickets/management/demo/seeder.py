"""Loads the demo's people, organisation, configuration and knowledge base. Every object is keyed
on a natural key (email, slug, name) and only created when missing: re-runs add nothing and keep
edits made in the admin."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Q
from django.utils import timezone

from accounts.models import CustomerProfile, Role, User
from billing.models import Plan, Subscription
from catalog.models import ApplianceModel
from experts.models import Availability, ExpertProfile, ExpertSkill, Skill
from kb.models import Article, ArticleVersion
from kb.services import article_search_vectors_refresh
from tickets.management.demo import data
from tickets.management.demo.articles import ARTICLES
from tickets.models import (
    AgentProfile,
    AgentSkill,
    BusinessCalendar,
    BusinessHours,
    CannedResponse,
    Category,
    ClosedDay,
    Macro,
    Priority,
    RoutingRule,
    SLAPolicy,
    Tag,
    Team,
)

BERLIN = ZoneInfo("Europe/Berlin")
PROJECT_APPS = ("accounts", "catalog", "tickets", "experts", "visits", "billing", "kb", "notifications", "triage")
LEAD_GROUP = "Team leads"


def next_workday(day: date, skip: int = 1) -> date:
    while skip:
        day += timedelta(days=1)
        if day.weekday() < 5:
            skip -= 1
    return day


def local_range(day: date, start_hour: int, end_hour: int) -> DateTimeTZRange:
    start = datetime.combine(day, time(start_hour), tzinfo=BERLIN)
    return DateTimeTZRange(start, datetime.combine(day, time(end_hour), tzinfo=BERLIN), "[)")


class DemoSeeder:
    """Seeds everything but the tickets and keeps the rows by natural key for the ticket player."""

    def __init__(self, write: Callable[[str], Any]) -> None:
        self.write = write
        self.today = timezone.localdate()
        self.users: dict[str, User] = {}
        self.teams: dict[str, Team] = {}
        self.categories: dict[str, Category] = {}
        self.agents: dict[str, AgentProfile] = {}
        self.skills: dict[str, Skill] = {}
        self.experts: dict[str, ExpertProfile] = {}
        self.tags: dict[str, Tag] = {}
        self.appliances: dict[tuple[str, str], ApplianceModel] = {}
        self.articles: dict[str, Article] = {}

    def run(self) -> None:
        calendar = self.seed_calendar()
        self.seed_users()
        self.seed_teams(calendar)
        self.seed_categories()
        self.seed_agents()
        self.seed_experts()
        self.seed_customers()
        self.seed_catalog()
        self.seed_automation()
        self.seed_lead_group()
        self.seed_articles()

    def report(self, label: str, created: int, total: int) -> None:
        self.write(f"  {label:<22} {total:>3} ({created} new)")

    # --- people and organisation -------------------------------------------------------------

    def seed_calendar(self) -> BusinessCalendar:
        spec = data.CALENDAR
        calendar, created = BusinessCalendar.objects.get_or_create(
            name=spec["name"],
            defaults={
                "timezone": spec["timezone"],
                "holiday_country": spec["country"],
                "holiday_subdivision": spec["subdivision"],
            },
        )
        for weekday in range(5):
            BusinessHours.objects.get_or_create(
                calendar=calendar, weekday=weekday, defaults={"opens_at": time(8), "closes_at": time(18)}
            )
        for month, day, reason in ((12, 24, "Christmas Eve"), (12, 31, "New Year's Eve")):
            ClosedDay.objects.get_or_create(
                calendar=calendar, date=date(self.today.year, month, day), defaults={"reason": reason}
            )
        self.report("business calendar", int(created), 1)
        return calendar

    def seed_users(self) -> None:
        password = make_password(data.DEMO_PASSWORD)  # hash once: the hasher is slow on purpose
        created = 0
        for spec in data.USERS:
            user, was_created = User.objects.get_or_create(
                email=spec.email,
                defaults={
                    "full_name": spec.full_name,
                    "role": spec.role,
                    "is_staff": spec.is_staff,
                    "is_superuser": spec.is_superuser,
                    "password": password,
                },
            )
            self.users[spec.email] = user
            created += was_created
        self.report("users", created, len(data.USERS))

    def seed_teams(self, calendar: BusinessCalendar) -> None:
        created = 0
        for name, (lead, _overflow, threshold) in data.TEAMS.items():
            team, was_created = Team.objects.get_or_create(
                name=name, defaults={"lead": self.users[lead], "calendar": calendar, "queue_threshold": threshold}
            )
            self.teams[name] = team
            created += was_created
        for name, (_lead, overflow, _threshold) in data.TEAMS.items():
            if overflow:
                Team.objects.filter(name=name, overflow_team__isnull=True).update(overflow_team=self.teams[overflow])
        self.report("teams", created, len(data.TEAMS))

    def seed_categories(self) -> None:
        created = 0
        for slug, (name, team, minimum_priority, description) in data.CATEGORIES.items():
            category, was_created = Category.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "default_team": self.teams[team],
                    "minimum_priority": minimum_priority,
                    "description": description,
                },
            )
            self.categories[slug] = category
            created += was_created
        self.report("categories", created, len(data.CATEGORIES))

    def seed_agents(self) -> None:
        created = 0
        for spec in data.AGENTS:
            agent, was_created = AgentProfile.objects.get_or_create(
                user=self.users[spec.email],
                defaults={"team": self.teams[spec.team], "tier": spec.tier, "max_tickets": spec.max_tickets},
            )
            for slug, level in spec.skills.items():
                AgentSkill.objects.get_or_create(agent=agent, category=self.categories[slug], defaults={"level": level})
            self.agents[spec.email] = agent
            created += was_created
        self.report("agent profiles", created, len(data.AGENTS))

    def seed_experts(self) -> None:
        for slug, name in data.SKILLS.items():
            self.skills[slug], _ = Skill.objects.get_or_create(slug=slug, defaults={"name": name})
        created = 0
        for spec in data.EXPERTS:
            expert, was_created = ExpertProfile.objects.get_or_create(
                user=self.users[spec.email],
                defaults={
                    "phone": spec.phone,
                    "service_area": list(spec.service_area),
                    "hourly_rate_cents": spec.hourly_rate_cents,
                },
            )
            for slug, level in spec.skills.items():
                ExpertSkill.objects.get_or_create(expert=expert, skill=self.skills[slug], defaults={"level": level})
            self.seed_availability(expert)
            self.experts[spec.email] = expert
            created += was_created
        self.report("expert profiles", created, len(data.EXPERTS))

    def seed_availability(self, expert: ExpertProfile) -> None:
        """Working hours for the next five working days (rolls forward on later starts)."""
        day = self.today
        for _ in range(5):
            day = next_workday(day)
            Availability.objects.get_or_create(expert=expert, window=local_range(day, 8, 17))

    def seed_customers(self) -> None:
        plans = {
            code: Plan.objects.get_or_create(code=code, defaults={"name": name, "monthly_price_cents": price})[0]
            for code, (name, price) in data.PLANS.items()
        }
        created = 0
        for spec in data.CUSTOMERS:
            user = self.users[spec.email]
            _, was_created = CustomerProfile.objects.get_or_create(
                user=user,
                defaults={
                    "is_vip": spec.is_vip,
                    "address_line": spec.address_line,
                    "postal_code": spec.postal_code,
                    "city": spec.city,
                    "phone": spec.phone,
                },
            )
            paid_through = self.today + timedelta(days=-10 if spec.subscription_status == "PAST_DUE" else 20)
            Subscription.objects.get_or_create(
                customer=user,
                defaults={
                    "plan": plans[spec.plan],
                    "status": spec.subscription_status,
                    "started_on": self.today - timedelta(days=200),
                    "paid_through": paid_through,
                },
            )
            created += was_created
        self.report("customers", created, len(data.CUSTOMERS))

    def seed_catalog(self) -> None:
        created = 0
        for brand, model_number, kind in data.APPLIANCES:
            appliance, was_created = ApplianceModel.objects.get_or_create(
                brand=brand, model_number=model_number, defaults={"appliance_type": kind}
            )
            self.appliances[(brand, model_number)] = appliance
            created += was_created
        self.report("appliance models", created, len(data.APPLIANCES))

    # --- helpdesk configuration --------------------------------------------------------------

    def seed_automation(self) -> None:
        for name in data.TAGS:
            self.tags[name], _ = Tag.objects.get_or_create(name=name)
        lead = self.users["lead@example.com"]
        canned: dict[str, CannedResponse] = {}
        for title, team, body in data.CANNED_RESPONSES:
            canned[title], _ = CannedResponse.objects.get_or_create(
                title=title, team=self.teams[team] if team else None, defaults={"body": body, "created_by": lead}
            )
        for name, (category, team, canned_title, tags) in data.MACROS.items():
            macro, created = Macro.objects.get_or_create(
                name=name,
                defaults={
                    "set_category": self.categories[category] if category else None,
                    "set_team": self.teams[team] if team else None,
                    "canned_response": canned[canned_title] if canned_title else None,
                },
            )
            if created:
                macro.add_tags.set([self.tags[t] for t in tags])
        for rule in data.ROUTING_RULES:
            routing, created = RoutingRule.objects.get_or_create(
                name=rule.name,
                defaults={
                    "position": rule.position,
                    "team": self.teams[rule.team] if rule.team else None,
                    "tier": rule.tier,
                    "category": self.categories[rule.category] if rule.category else None,
                    "vip": rule.vip,
                    "keywords": list(rule.keywords),
                },
            )
            if created:
                routing.add_tags.set([self.tags[t] for t in rule.tags])
        for priority, (first_response, resolution) in data.VIP_SLA.items():
            SLAPolicy.objects.get_or_create(
                priority=priority,
                team=None,
                vip_only=True,
                is_active=True,
                defaults={
                    "name": f"{Priority(priority).label} (VIP)",
                    "first_response_minutes": first_response,
                    "resolution_minutes": resolution,
                },
            )
        self.write(
            f"  {'automation':<22} {len(data.TAGS)} tags, {len(canned)} canned responses, "
            f"{len(data.MACROS)} macros, {len(data.ROUTING_RULES)} routing rules, VIP SLA policies"
        )

    def seed_lead_group(self) -> None:
        """Team leads may use the admin: see everything, manage the configuration, run ticket actions.
        The group's permissions are reset on every run; the group is the demo's, not the lead's to edit."""
        group, _ = Group.objects.get_or_create(name=LEAD_GROUP)
        managed = Q()
        for label in data.LEAD_MANAGED_MODELS:
            app_label, model = label.split(".")
            managed |= Q(content_type__app_label=app_label, content_type__model=model)
        change_only = Q()
        for label in data.LEAD_CHANGE_ONLY_MODELS:
            app_label, model = label.split(".")
            change_only |= Q(
                content_type__app_label=app_label, content_type__model=model, codename__startswith="change_"
            )
        permissions = Permission.objects.filter(
            Q(content_type__app_label__in=PROJECT_APPS, codename__startswith="view_") | managed | change_only
        )
        group.permissions.set(permissions)
        for user in self.users.values():
            if user.role == Role.LEAD:
                user.groups.add(group)
        self.write(f"  {'admin group':<22} “{LEAD_GROUP}” with {permissions.count()} permissions")

    # --- knowledge base ----------------------------------------------------------------------

    def seed_articles(self) -> None:
        author = self.users["lead@example.com"]
        created = 0
        for spec in ARTICLES:
            article, was_created = Article.objects.get_or_create(
                slug=spec.slug,
                defaults={
                    "title": spec.title,
                    "summary": spec.summary,
                    "body_markdown": spec.body,
                    "category": self.categories[spec.category],
                    "product_area": spec.product_area,
                    "tags": list(spec.tags),
                    "status": Article.Status.PUBLISHED,
                    "author": author,
                    "published_at": timezone.now() - timedelta(days=30),
                },
            )
            ArticleVersion.objects.get_or_create(
                article=article,
                version=article.version,
                defaults={"title": article.title, "body_markdown": article.body_markdown, "created_by": author},
            )
            self.articles[spec.slug] = article
            created += was_created
        article_search_vectors_refresh(article_ids=[a.pk for a in self.articles.values()])
        self.report("KB articles", created, len(ARTICLES))
