"""Intake through ticket_create: the category model, the confidence threshold, a missing or corrupt
model file, and text that must never break it."""

import logging
from pathlib import Path

import pytest

from tests.factories import (
    AgentProfileFactory,
    CustomerFactory,
    PriorityRuleFactory,
    RoutingRuleFactory,
    TagFactory,
)
from tickets.models import Ticket, TicketEvent, TicketFlag
from tickets.services import ticket_create
from tickets.services.intake import intake_decide
from tickets.triage_selectors import ticket_triage_queue_visible_to
from triage import registry
from triage.models import ClassifierModel

pytestmark = pytest.mark.django_db

LEAK = ("Wasserhahn tropft", "Der Wasserhahn im Bad tropft die ganze Zeit. Das Eckventil habe ich zugedreht.")


def _create(customer, subject: str, description: str, **kwargs) -> Ticket:
    return ticket_create(customer=customer, subject=subject, description=description, **kwargs)


def test_a_confident_prediction_sets_category_team_and_its_reason(customer, models, categories):
    ticket = _create(customer, *LEAK, language="de")

    assert (ticket.category, ticket.category_source) == (categories["plumbing"], Ticket.CategorySource.MODEL)
    assert ticket.category_confidence >= 0.5
    assert ticket.team == categories["plumbing"].default_team
    assert ticket.flags == []
    classifier = ticket.routing_reason["classifier"]
    assert (classifier["outcome"], classifier["version"], classifier["label"]) == ("classified", 1, "plumbing")
    assert classifier["threshold"] == 0.5
    assert classifier["top"][0] == ["plumbing", classifier["confidence"]]
    assert ticket.routing_reason["team"]["via"] == "category"


def test_below_the_confidence_threshold_the_ticket_waits_for_a_person(customer, models, categories, settings):
    settings.CLASSIFIER_MIN_CONFIDENCE = 0.999

    ticket = _create(customer, *LEAK)

    assert (ticket.category, ticket.category_source, ticket.team) == (None, Ticket.CategorySource.NONE, None)
    assert ticket.flags == [TicketFlag.UNCLASSIFIED]
    assert ticket.routing_reason["classifier"]["outcome"] == "below_threshold"
    assert ticket.routing_reason["classifier"]["label"] == "plumbing"  # the best guess is kept for the person
    assert list(ticket_triage_queue_visible_to(user=AgentProfileFactory.create().user)) == [ticket]


def test_a_missing_model_file_never_blocks_intake(customer, models, categories, caplog):
    Path(registry.model_dir() / models["CATEGORY"].file_path).unlink()

    with caplog.at_level(logging.ERROR, logger="triage.registry"):
        ticket = _create(customer, *LEAK)

    assert ticket.pk is not None
    assert (ticket.category, ticket.status) == (None, Ticket.Status.OPEN)
    assert ticket.flags == [TicketFlag.UNCLASSIFIED, TicketFlag.CLASSIFIER_UNAVAILABLE]
    assert ticket.routing_reason["classifier"]["outcome"] == "unavailable"
    assert "is missing" in ticket.routing_reason["classifier"]["error"]
    assert [r.levelname for r in caplog.records] == ["ERROR"]
    assert "CATEGORY v1 unavailable" in caplog.records[0].getMessage()
    assert TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.CREATED).count() == 1


def test_a_corrupt_model_file_never_blocks_intake(customer, models, categories):
    (registry.model_dir() / models["CATEGORY"].file_path).write_bytes(b"\x80\x04 not a pickle at all")

    ticket = _create(customer, *LEAK)

    assert ticket.category is None
    assert ticket.flags == [TicketFlag.UNCLASSIFIED, TicketFlag.CLASSIFIER_UNAVAILABLE]
    assert "cannot be loaded" in ticket.routing_reason["classifier"]["error"]
    assert ticket.routing_reason["severity_model"]["outcome"] == "classified"  # the other model still works


def test_a_file_of_another_kind_is_refused(customer, models, categories):
    target = registry.model_dir() / models["CATEGORY"].file_path
    target.write_bytes(b"")  # an empty file, e.g. a disk that filled up

    ticket = _create(customer, *LEAK)

    assert ticket.flags == [TicketFlag.UNCLASSIFIED, TicketFlag.CLASSIFIER_UNAVAILABLE]


def test_without_any_trained_model_tickets_are_created_unclassified_without_flags(customer, categories):
    ticket = _create(customer, *LEAK)

    assert (ticket.category, ticket.flags) == (None, [])
    assert ticket.routing_reason["classifier"]["outcome"] == "not_configured"


def test_the_model_is_loaded_once_per_process_not_per_ticket(customer, models, categories):
    first = _create(customer, *LEAK)
    loaded = registry.load(models["CATEGORY"])
    second = _create(customer, "Heizung geht nicht", "Die Heizung geht überhaupt nicht.")

    assert registry.load(models["CATEGORY"]) is loaded
    assert (first.category.slug, second.category.slug) == ("plumbing", "heating")


def test_a_new_active_version_replaces_the_loaded_one(customer, models, categories):
    _create(customer, *LEAK)
    old = models["CATEGORY"]
    (registry.model_dir() / "category-v2.joblib").write_bytes((registry.model_dir() / old.file_path).read_bytes())
    old.is_active = False
    old.save(update_fields=["is_active"])
    ClassifierModel.objects.create(kind="CATEGORY", version=2, file_path="category-v2.joblib", is_active=True)

    ticket = _create(customer, *LEAK)

    assert ticket.routing_reason["classifier"]["version"] == 2


@pytest.mark.parametrize(
    ("subject", "description"),
    [
        ("!!!", "???"),
        ("&|!():*<>'\"", "to_tsquery(') AND 1=1 --"),
        ("Heizung kaputt, boiler broken", "Die Heizung ist kalt and the radiator makes noise. Bitte schnell!"),
        ("x", "y" * 10_000),
        ("😡😡😡", "🔥🔥🔥 \u200b\u0000-free text \ufeff"),
    ],
    ids=["punctuation", "tsquery-syntax", "mixed-language", "huge", "emoji"],
)
def test_odd_text_never_breaks_intake(models, categories, subject, description):
    customer = CustomerFactory.create()

    ticket = _create(customer, subject, description.replace("\u0000", ""))

    assert ticket.pk is not None
    assert ticket.routing_reason["classifier"]["outcome"] in {"classified", "below_threshold"}


@pytest.mark.parametrize("n_rules", [1, 10])
def test_intake_decisions_cost_the_same_queries_for_one_or_many_rules(
    customer, models, categories, n_rules, django_assert_num_queries
):
    for i in range(n_rules):
        PriorityRuleFactory.create(keywords=[f"word{i}"])
        rule = RoutingRuleFactory.create(keywords=[f"term{i}"], team=categories["billing"].default_team)
        rule.add_tags.set([TagFactory.create(name=f"tag{i}")])
    _create(customer, *LEAK)  # warm: the models are loaded, the customer's profile cached

    with django_assert_num_queries(1):  # the intake snapshot: models, rules, tags, categories, teams
        decision = intake_decide(customer=customer, subject=LEAK[0], description=LEAK[1], language="de")

    assert decision.category == categories["plumbing"]


def test_the_intake_snapshot_carries_complete_teams_and_categories():
    from django.forms.models import model_to_dict

    from tests.factories import BusinessCalendarFactory, CategoryFactory, TeamFactory
    from triage.config import intake_config

    team = TeamFactory.create(
        calendar=BusinessCalendarFactory.create(), queue_threshold=4, chat_webhook_url="https://x.test/"
    )
    category = CategoryFactory.create(default_team=team, minimum_priority="HIGH", description="Pipes")
    CategoryFactory.create(is_active=False)  # retired: not offered

    config = intake_config()

    assert model_to_dict(config.teams[team.pk]) == model_to_dict(team)
    assert config.teams[team.pk].calendar_id == team.calendar_id  # the SLA clock reads it
    assert model_to_dict(config.categories[category.slug]) == model_to_dict(category)
    assert list(config.categories) == [category.slug]
