"""The OpenAPI schema (drf-spectacular) is served, documents the API, and generates cleanly."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_schema_is_served_and_lists_the_api() -> None:
    response = APIClient().get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/auth/token/", "/api/v1/tickets/"} <= set(paths)
    assert set(paths["/api/v1/tickets/"]) == {"get", "post"}
    assert set(paths["/api/v1/tickets/{id}/messages/"]) == {"get", "post"}


def test_actions_document_their_own_input_and_output() -> None:
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]

    def request_ref(path: str, method: str) -> str:
        return paths[path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]

    def response_ref(path: str, method: str, code: str) -> str:
        return paths[path][method]["responses"][code]["content"]["application/json"]["schema"]["$ref"]

    assert request_ref("/api/v1/auth/token/", "post").endswith("/TokenObtainInputRequest")
    assert response_ref("/api/v1/auth/token/", "post", "200").endswith("/TokenOutput")
    assert "security" not in paths["/api/v1/auth/token/"]["post"]  # no credentials needed to ask for a token
    assert request_ref("/api/v1/tickets/", "post").endswith("/TicketCreateInputRequest")
    assert response_ref("/api/v1/tickets/", "post", "201").endswith("/TicketOutput")
    assert request_ref("/api/v1/tickets/{id}/transition/", "post").endswith("/TicketTransitionInputRequest")
    assert set(paths["/api/v1/tickets/{id}/transition/"]["post"]["responses"]) >= {"200", "400", "403", "404", "409"}
    assert request_ref("/api/v1/tickets/{id}/messages/", "post").endswith("/MessageCreateInputRequest")
    assert response_ref("/api/v1/tickets/{id}/messages/", "get", "200").endswith("/PaginatedMessageOutputList")
    # The status/priority/q filters are documented on the list only, not on the conversation.
    list_params = {p["name"] for p in paths["/api/v1/tickets/"]["get"]["parameters"]}
    message_params = {p["name"] for p in paths["/api/v1/tickets/{id}/messages/"]["get"]["parameters"]}
    assert {"status", "priority", "category", "team", "assigned_agent", "unassigned", "q", "page"} <= list_params
    assert message_params == {"id", "page"}
    # Clients cannot send what intake decides.
    create_props = set(schema["components"]["schemas"]["TicketCreateInputRequest"]["properties"])
    assert create_props == {"subject", "description", "appliance_model_text", "preferred_windows"}


def test_swagger_ui_is_served() -> None:
    response = APIClient().get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_schema_generates_without_warnings_and_validates(tmp_path: Path) -> None:
    GENERATOR_STATS.reset()  # the counters are process-wide; count this generation only
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert not GENERATOR_STATS
    assert "/api/v1/tickets/{id}/transition/" in yaml.safe_load(target.read_text())["paths"]
