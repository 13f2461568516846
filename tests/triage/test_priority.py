"""Priority: rules (keywords in English and German, VIP customers), the category minimum and the
severity model; the highest wins and its reason is stored."""

import pytest

from tests.factories import CategoryFactory, CustomerFactory, PriorityRuleFactory
from tickets.models import Priority, Ticket
from tickets.services import ticket_create
from tickets.services.priority import find_keyword, priority_decide
from triage.ml import Prediction
from triage.models import PriorityRule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_test_rules():
    PriorityRule.objects.all().delete()  # the shipped defaults are tested separately below


def _decide(subject="Tap drips", description="It drips.", *, vip=False, category=None, prediction=None):
    return priority_decide(
        subject=subject, description=description, is_vip=vip, category=category, prediction=prediction
    )


@pytest.mark.parametrize(
    ("keywords", "subject", "description", "expected"),
    [
        (["dringend"], "Dringend: Heizung", "kalt", ("dringend", "subject")),
        (["urgent"], "Tap", "This is URGENT, please.", ("urgent", "description")),
        (["urgent"], "Urgently needed", "x", None),  # whole words only
        (["*ausfall"], "Stromausfall im Haus", "x", ("stromausfall", "subject")),
        (["no heating"], "Flat", "We have no heating since Monday", ("no heating", "description")),
        (["keine heizung"], "Keine  Heizung", "x", None),  # the phrase as written
        (["wasserschaden"], "x", "Großer Wasserschaden im Bad", ("wasserschaden", "description")),
        (["kritisch"], "KRITISCH", "", ("kritisch", "subject")),
    ],
)
def test_keywords_match_whole_words_case_insensitively(keywords, subject, description, expected):
    assert find_keyword(keywords, subject=subject, description=description) == expected


def test_a_keyword_in_the_subject_raises_the_priority_with_its_reason():
    PriorityRuleFactory.create(keywords=["dringend", "urgent"], priority=Priority.HIGH)

    decision = _decide("Dringend: Wasserhahn", "Er tropft.")

    assert (decision.priority, decision.source) == (Priority.HIGH, Ticket.PrioritySource.RULE)
    assert decision.reason == "keyword 'dringend' in subject"


def test_vip_customers_get_the_vip_rule():
    PriorityRuleFactory.create(keywords=[], vip_only=True, priority=Priority.HIGH)

    assert (_decide(vip=True).priority, _decide(vip=True).reason) == (Priority.HIGH, "VIP customer")
    assert _decide(vip=False).priority == Priority.MEDIUM  # not a VIP: the rule does not apply


def test_the_category_minimum_applies():
    electrical = CategoryFactory.create(name="Electrical", minimum_priority=Priority.HIGH)

    decision = _decide(category=electrical)

    assert (decision.priority, decision.reason) == (Priority.HIGH, "category Electrical: at least High")


def test_a_confident_model_prediction_counts_and_explains_itself():
    decision = _decide(prediction=Prediction("HIGH", 0.81, [("HIGH", 0.81)]))

    assert (decision.priority, decision.source, decision.reason) == (
        "HIGH",
        Ticket.PrioritySource.MODEL,
        "model: HIGH 0.81",
    )


def test_an_unsure_model_prediction_is_ignored(settings):
    settings.PRIORITY_MODEL_MIN_CONFIDENCE = 0.6

    decision = _decide(prediction=Prediction("URGENT", 0.59, []))

    assert (decision.priority, decision.source, decision.reason) == ("MEDIUM", "DEFAULT", "Default priority")


def test_the_higher_of_rules_and_model_wins():
    PriorityRuleFactory.create(keywords=["urgent"], priority=Priority.HIGH)

    rule_wins = _decide("urgent", prediction=Prediction("LOW", 0.9, []))
    model_wins = _decide("urgent", prediction=Prediction("URGENT", 0.9, []))

    assert (rule_wins.priority, rule_wins.source) == ("HIGH", "RULE")
    assert (model_wins.priority, model_wins.source, model_wins.reason) == ("URGENT", "MODEL", "model: URGENT 0.90")
    assert [c.priority for c in model_wins.candidates] == ["URGENT", "HIGH"]


def test_on_equal_priority_the_rule_explains_the_decision():
    PriorityRuleFactory.create(keywords=["urgent"], priority=Priority.HIGH)

    decision = _decide("urgent", prediction=Prediction("HIGH", 0.95, []))

    assert (decision.source, decision.reason) == ("RULE", "keyword 'urgent' in subject")


def test_a_low_model_prediction_alone_lowers_the_default():
    decision = _decide(prediction=Prediction("LOW", 0.9, []))

    assert (decision.priority, decision.source) == ("LOW", "MODEL")


def test_inactive_rules_are_ignored():
    PriorityRuleFactory.create(keywords=["urgent"], priority=Priority.URGENT, is_active=False)

    assert _decide("urgent").priority == Priority.MEDIUM


def test_without_any_signal_the_default_is_medium():
    assert (_decide().priority, _decide().source, _decide().reason) == ("MEDIUM", "DEFAULT", "Default priority")


def test_ticket_create_stores_priority_source_and_reason():
    PriorityRuleFactory.create(keywords=["wasserschaden"], priority=Priority.HIGH)
    customer = CustomerFactory.create()

    ticket = ticket_create(customer=customer, subject="Bad", description="Wasserschaden unter der Wanne")

    assert (ticket.priority, ticket.priority_source) == (Priority.HIGH, Ticket.PrioritySource.RULE)
    assert ticket.priority_reason == "keyword 'wasserschaden' in description"
    assert ticket.routing_reason["priority"]["candidates"] == [
        {"priority": "HIGH", "kind": "keyword", "reason": "keyword 'wasserschaden' in description"}
    ]


@pytest.mark.parametrize("rules", [1, 10])
def test_priority_rules_cost_one_query_however_many(rules, django_assert_num_queries):
    for i in range(rules):
        PriorityRuleFactory.create(keywords=[f"word{i}", "*ausfall"], priority=Priority.HIGH)

    with django_assert_num_queries(1):
        _decide("Stromausfall", "x")
