"""factory-boy factories for every model. Call as `.create()` / `.build()`."""

from datetime import date, timedelta

import factory
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import CustomerProfile, Role, User
from billing.models import PaidCustomerCache, PayoutBatch, PayoutLine, Plan, Subscription
from catalog.models import ApplianceModel
from experts.models import Availability, ExpertProfile, ExpertSkill, Proposal, Skill
from kb.models import (
    Article,
    ArticleFeedback,
    ArticleSuggestion,
    ArticleVersion,
    DeflectionEvent,
    SearchTerm,
    TicketArticleLink,
)
from kb.services import article_search_vectors_refresh
from notifications.models import Notification
from tickets.models import (
    AgentProfile,
    AgentSkill,
    Attachment,
    BusinessCalendar,
    BusinessHours,
    CannedResponse,
    Category,
    ClosedDay,
    Escalation,
    Macro,
    Message,
    PreferredWindow,
    RoutingRule,
    SLAAlert,
    SLAPolicy,
    SurveyResponse,
    Tag,
    Team,
    Ticket,
    TicketEvent,
)
from triage.models import ClassifierModel, PriorityRule, TeamRoutingWeights
from visits.models import Booking, Incident, RescheduleOffer, Visit, VisitGroup, VisitWindow


def _window(days: int = 1, hours: int = 4) -> DateTimeTZRange:
    start = (timezone.now() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    return DateTimeTZRange(start, start + timedelta(hours=hours), "[)")


# --- accounts ---------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")
    role = Role.CUSTOMER
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class CustomerProfileFactory(DjangoModelFactory[CustomerProfile]):
    class Meta:
        model = CustomerProfile

    user = factory.SubFactory(UserFactory, role=Role.CUSTOMER)
    city = "Berlin"
    postal_code = "10115"
    address_line = factory.Faker("street_address")


class CustomerFactory(UserFactory):
    """A customer user with a profile."""

    role = Role.CUSTOMER
    profile = factory.RelatedFactory(CustomerProfileFactory, factory_related_name="user")


# --- tickets: organisation --------------------------------------------------------------------


class BusinessCalendarFactory(DjangoModelFactory[BusinessCalendar]):
    class Meta:
        model = BusinessCalendar

    name = factory.Sequence(lambda n: f"Calendar {n}")
    holiday_country = "DE"


class BusinessHoursFactory(DjangoModelFactory[BusinessHours]):
    class Meta:
        model = BusinessHours

    calendar = factory.SubFactory(BusinessCalendarFactory)
    weekday = 0


class ClosedDayFactory(DjangoModelFactory[ClosedDay]):
    class Meta:
        model = ClosedDay

    calendar = factory.SubFactory(BusinessCalendarFactory)
    date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class CategoryFactory(DjangoModelFactory[Category]):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class TagFactory(DjangoModelFactory[Tag]):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag{n}")


class AgentFactory(UserFactory):
    role = Role.AGENT


class AgentProfileFactory(DjangoModelFactory[AgentProfile]):
    class Meta:
        model = AgentProfile

    user = factory.SubFactory(AgentFactory)
    team = factory.SubFactory(TeamFactory)


class AgentSkillFactory(DjangoModelFactory[AgentSkill]):
    class Meta:
        model = AgentSkill

    agent = factory.SubFactory(AgentProfileFactory)
    category = factory.SubFactory(CategoryFactory)
    level = 3


class SLAPolicyFactory(DjangoModelFactory[SLAPolicy]):
    class Meta:
        model = SLAPolicy

    name = factory.Sequence(lambda n: f"Policy {n}")
    priority = "MEDIUM"
    team = factory.SubFactory(TeamFactory)
    first_response_minutes = 60
    resolution_minutes = 240


# --- tickets: ticket and conversation ---------------------------------------------------------


class TicketFactory(DjangoModelFactory[Ticket]):
    class Meta:
        model = Ticket

    customer = factory.SubFactory(CustomerFactory)
    subject = factory.Faker("sentence", nb_words=5)
    description = factory.Faker("paragraph")
    first_response_due = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=8))
    resolution_due = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=72))

    class Params:
        assigned = factory.Trait(assigned_agent=factory.SubFactory(AgentProfileFactory))


class PreferredWindowFactory(DjangoModelFactory[PreferredWindow]):
    class Meta:
        model = PreferredWindow

    ticket = factory.SubFactory(TicketFactory)
    window = factory.LazyFunction(_window)


class MessageFactory(DjangoModelFactory[Message]):
    class Meta:
        model = Message

    ticket = factory.SubFactory(TicketFactory)
    author = factory.SelfAttribute("ticket.customer")
    sender_type = Message.SenderType.CUSTOMER
    body = factory.Faker("paragraph")


class AttachmentFactory(DjangoModelFactory[Attachment]):
    class Meta:
        model = Attachment

    message = factory.SubFactory(MessageFactory)
    file = factory.django.FileField(filename="photo.txt", data=b"leaking pipe")
    original_name = "photo.txt"
    content_type = "text/plain"
    size_bytes = 12


class TicketEventFactory(DjangoModelFactory[TicketEvent]):
    class Meta:
        model = TicketEvent

    ticket = factory.SubFactory(TicketFactory)
    kind = TicketEvent.Kind.CREATED
    to_status = "OPEN"


class EscalationFactory(DjangoModelFactory[Escalation]):
    class Meta:
        model = Escalation

    ticket = factory.SubFactory(TicketFactory)
    from_tier = 1
    to_tier = 2
    reason = Escalation.Reason.MANUAL


class RoutingRuleFactory(DjangoModelFactory[RoutingRule]):
    class Meta:
        model = RoutingRule

    name = factory.Sequence(lambda n: f"Rule {n}")
    team = factory.SubFactory(TeamFactory)


class CannedResponseFactory(DjangoModelFactory[CannedResponse]):
    class Meta:
        model = CannedResponse

    title = factory.Sequence(lambda n: f"Canned {n}")
    body = "Hello {{customer_name}}, thanks for ticket {{ticket_number}}."


class MacroFactory(DjangoModelFactory[Macro]):
    class Meta:
        model = Macro

    name = factory.Sequence(lambda n: f"Macro {n}")


class SurveyResponseFactory(DjangoModelFactory[SurveyResponse]):
    class Meta:
        model = SurveyResponse

    ticket = factory.SubFactory(TicketFactory)
    customer = factory.SelfAttribute("ticket.customer")
    kind = SurveyResponse.Kind.CSAT
    score = 5


# --- catalog ----------------------------------------------------------------------------------


class ApplianceModelFactory(DjangoModelFactory[ApplianceModel]):
    class Meta:
        model = ApplianceModel

    brand = "Bosch"
    model_number = factory.Sequence(lambda n: f"WAN28{n:03d}")
    appliance_type = ApplianceModel.Type.WASHER


# --- experts ----------------------------------------------------------------------------------


class SkillFactory(DjangoModelFactory[Skill]):
    class Meta:
        model = Skill
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Trade {n}")
    slug = factory.Sequence(lambda n: f"trade-{n}")


class ExpertUserFactory(UserFactory):
    role = Role.EXPERT


class ExpertProfileFactory(DjangoModelFactory[ExpertProfile]):
    class Meta:
        model = ExpertProfile

    user = factory.SubFactory(ExpertUserFactory)
    service_area = factory.LazyFunction(lambda: ["10"])


class ExpertSkillFactory(DjangoModelFactory[ExpertSkill]):
    class Meta:
        model = ExpertSkill

    expert = factory.SubFactory(ExpertProfileFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 3


class AvailabilityFactory(DjangoModelFactory[Availability]):
    class Meta:
        model = Availability

    expert = factory.SubFactory(ExpertProfileFactory)
    window = factory.LazyFunction(lambda: _window(hours=8))


# --- visits -----------------------------------------------------------------------------------


class VisitGroupFactory(DjangoModelFactory[VisitGroup]):
    class Meta:
        model = VisitGroup

    ticket = factory.SubFactory(TicketFactory)
    match_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=24))


class VisitFactory(DjangoModelFactory[Visit]):
    class Meta:
        model = Visit

    group = factory.SubFactory(VisitGroupFactory)
    position = factory.Sequence(lambda n: n + 1)
    required_skill = factory.SubFactory(SkillFactory)
    duration_minutes = 60


class VisitWindowFactory(DjangoModelFactory[VisitWindow]):
    class Meta:
        model = VisitWindow

    visit = factory.SubFactory(VisitFactory)
    window = factory.LazyFunction(_window)


class ProposalFactory(DjangoModelFactory[Proposal]):
    class Meta:
        model = Proposal

    expert = factory.SubFactory(ExpertProfileFactory)
    visit = factory.SubFactory(VisitFactory)
    start_at = factory.LazyFunction(lambda: _window().lower)


class BookingFactory(DjangoModelFactory[Booking]):
    class Meta:
        model = Booking

    visit = factory.SubFactory(VisitFactory)
    expert = factory.SubFactory(ExpertProfileFactory)
    during = factory.LazyFunction(lambda: _window(hours=1))


class IncidentFactory(DjangoModelFactory[Incident]):
    class Meta:
        model = Incident

    visit = factory.SubFactory(VisitFactory)
    kind = Incident.Kind.NOBODY_HOME


class RescheduleOfferFactory(DjangoModelFactory[RescheduleOffer]):
    class Meta:
        model = RescheduleOffer

    group = factory.SubFactory(VisitGroupFactory)
    options = factory.LazyFunction(lambda: [{"visits": []}])


# --- billing ----------------------------------------------------------------------------------


class PlanFactory(DjangoModelFactory[Plan]):
    class Meta:
        model = Plan
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"plan-{n}")
    name = factory.Sequence(lambda n: f"Plan {n}")
    monthly_price_cents = 1999


class SubscriptionFactory(DjangoModelFactory[Subscription]):
    class Meta:
        model = Subscription

    customer = factory.SubFactory(CustomerFactory)
    plan = factory.SubFactory(PlanFactory)
    started_on = factory.LazyFunction(lambda: date.today() - timedelta(days=60))
    paid_through = factory.LazyFunction(lambda: date.today() + timedelta(days=20))


class PaidCustomerCacheFactory(DjangoModelFactory[PaidCustomerCache]):
    class Meta:
        model = PaidCustomerCache

    customer = factory.SubFactory(CustomerFactory)
    answer = PaidCustomerCache.Answer.PAID
    checked_at = factory.LazyFunction(timezone.now)


class PayoutBatchFactory(DjangoModelFactory[PayoutBatch]):
    class Meta:
        model = PayoutBatch

    expert = factory.SubFactory(ExpertProfileFactory)
    period_start = date(2026, 10, 1)
    period_end = date(2026, 11, 1)


class PayoutLineFactory(DjangoModelFactory[PayoutLine]):
    class Meta:
        model = PayoutLine

    expert = factory.SubFactory(ExpertProfileFactory)
    visit = factory.SubFactory(VisitFactory)
    amount_cents = 4500
    earned_at = factory.LazyFunction(timezone.now)


# --- kb ---------------------------------------------------------------------------------------


class ArticleFactory(DjangoModelFactory[Article]):
    class Meta:
        model = Article
        skip_postgeneration_save = True  # a second save would write the stale (empty) search vector

    title = factory.Sequence(lambda n: f"How to fix problem {n}")
    slug = factory.Sequence(lambda n: f"how-to-fix-problem-{n}")
    body_markdown = "Turn it **off** and on again."
    status = Article.Status.PUBLISHED

    @factory.post_generation
    def _search_vector(obj, create, extracted, **kwargs):
        """Index the article like kb.services does, so factory articles are searchable."""
        if create:
            article_search_vectors_refresh(article_ids=[obj.pk])


class ArticleVersionFactory(DjangoModelFactory[ArticleVersion]):
    class Meta:
        model = ArticleVersion

    article = factory.SubFactory(ArticleFactory)
    version = factory.Sequence(lambda n: n + 1)
    title = factory.SelfAttribute("article.title")
    body_markdown = factory.SelfAttribute("article.body_markdown")


class ArticleFeedbackFactory(DjangoModelFactory[ArticleFeedback]):
    class Meta:
        model = ArticleFeedback

    article = factory.SubFactory(ArticleFactory)
    helpful = True


class DeflectionEventFactory(DjangoModelFactory[DeflectionEvent]):
    class Meta:
        model = DeflectionEvent

    article = factory.SubFactory(ArticleFactory)


class TicketArticleLinkFactory(DjangoModelFactory[TicketArticleLink]):
    class Meta:
        model = TicketArticleLink

    ticket = factory.SubFactory(TicketFactory)
    article = factory.SubFactory(ArticleFactory)


class ArticleSuggestionFactory(DjangoModelFactory[ArticleSuggestion]):
    class Meta:
        model = ArticleSuggestion

    ticket = factory.SubFactory(TicketFactory)
    article = factory.SubFactory(ArticleFactory)
    rank = 1


class SearchTermFactory(DjangoModelFactory[SearchTerm]):
    class Meta:
        model = SearchTerm
        django_get_or_create = ("word",)

    word = factory.Sequence(lambda n: f"word{n}")


# --- SLA engine and notifications ---------------------------------------------------------------


class SLAAlertFactory(DjangoModelFactory[SLAAlert]):
    class Meta:
        model = SLAAlert

    ticket = factory.SubFactory(TicketFactory, assigned=True)
    agent = factory.SelfAttribute("ticket.assigned_agent.user")
    kind = Escalation.SLAKind.FIRST_RESPONSE
    ack_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=15))


class NotificationFactory(DjangoModelFactory[Notification]):
    class Meta:
        model = Notification

    channel = Notification.Channel.IN_APP
    recipient = factory.SubFactory(AgentFactory)
    subject = factory.Sequence(lambda n: f"Ticket #{1000 + n} escalated to you")
    body = "Priority: High"
    link = "/agent/"
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    status = Notification.Status.SENT
    sent_at = factory.LazyFunction(timezone.now)


# --- intake triage (triage/) ----------------------------------------------------------------------


class ClassifierModelFactory(DjangoModelFactory[ClassifierModel]):
    """A model row; its file does not exist unless a test trains one (triage.services)."""

    class Meta:
        model = ClassifierModel

    kind = ClassifierModel.Kind.CATEGORY
    version = factory.Sequence(lambda n: n + 1)
    file_path = factory.LazyAttribute(lambda o: f"{o.kind.lower()}-v{o.version}.joblib")
    labels = factory.LazyFunction(lambda: ["billing", "plumbing"])
    metrics = factory.LazyFunction(lambda: {"cv": {"accuracy": 0.9, "macro_f1": 0.88}})


class PriorityRuleFactory(DjangoModelFactory[PriorityRule]):
    class Meta:
        model = PriorityRule

    name = factory.Sequence(lambda n: f"Priority rule {n}")
    keywords = factory.LazyFunction(lambda: ["urgent", "dringend"])
    priority = "HIGH"


class TeamRoutingWeightsFactory(DjangoModelFactory[TeamRoutingWeights]):
    class Meta:
        model = TeamRoutingWeights

    team = factory.SubFactory(TeamFactory)
