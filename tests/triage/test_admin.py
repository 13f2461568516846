"""Admin: the warning when the model file is missing or corrupt, activating a model, the rules."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import ClassifierModelFactory, PriorityRuleFactory
from triage import registry
from triage.models import ClassifierModel

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
MODELS = reverse("admin:triage_classifiermodel_changelist")


def _warnings(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_the_admin_index_warns_when_the_active_model_file_is_missing(admin_client):
    ClassifierModelFactory.create(kind="CATEGORY", version=3, is_active=True)  # its file was never written

    page = admin_client.get(INDEX).content.decode()

    assert 'id="classifier-warnings"' in page
    assert "The active category model (v3) is unavailable: model file" in page
    assert "is missing" in page


def test_the_admin_index_warns_when_the_model_file_is_corrupt(admin_client, models):
    (registry.model_dir() / models["CATEGORY"].file_path).write_text("garbage", encoding="utf-8")

    page = admin_client.get(INDEX).content.decode()

    assert "The active category model (v1) is unavailable" in page
    assert "cannot be loaded" in page


def test_the_admin_index_warns_when_no_model_is_trained(admin_client):
    assert "No active category model" in admin_client.get(INDEX).content.decode()


def test_no_warning_with_a_working_model(admin_client, models):
    assert 'id="classifier-warnings"' not in admin_client.get(INDEX).content.decode()


def test_the_model_list_repeats_the_warning(admin_client):
    ClassifierModelFactory.create(kind="CATEGORY", is_active=True)

    response = admin_client.get(MODELS)

    assert response.status_code == 200
    assert len(_warnings(response)) == 1 and "is missing" in _warnings(response)[0]


def test_activating_a_model_deactivates_the_other_version_of_its_kind(admin_client):
    old = ClassifierModelFactory.create(kind="CATEGORY", version=1, is_active=True)
    new = ClassifierModelFactory.create(kind="CATEGORY", version=2)
    priority = ClassifierModelFactory.create(kind="PRIORITY", version=1)

    response = admin_client.post(
        MODELS, {"action": "activate", "_selected_action": [old.pk, new.pk, priority.pk]}, follow=True
    )

    assert response.status_code == 200
    assert set(ClassifierModel.objects.filter(is_active=True).values_list("pk", flat=True)) == {new.pk, priority.pk}


def test_models_cannot_be_added_by_hand(admin_client):
    assert admin_client.get(reverse("admin:triage_classifiermodel_add")).status_code == 403


def test_priority_rules_are_edited_in_the_admin(admin_client):
    rule = PriorityRuleFactory.create(name="Urgent words", keywords=["urgent", "dringend"])

    response = admin_client.post(
        reverse("admin:triage_priorityrule_change", args=[rule.pk]),
        {
            "name": "Urgent words",
            "keywords": "urgent,dringend,sofort",
            "priority": "URGENT",
            "position": 5,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.keywords, rule.priority) == (["urgent", "dringend", "sofort"], "URGENT")


def test_a_rule_without_any_condition_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:triage_priorityrule_add"),
        {"name": "Everything", "keywords": "", "priority": "HIGH", "position": 1},
    )

    assert response.status_code == 200  # the form again, with the error
    assert "priority_rule_has_condition" in response.content.decode() or "Constraint" in response.content.decode()
