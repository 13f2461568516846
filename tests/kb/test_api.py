"""GET /api/v1/kb/search/: public, the same ranking as the help center, never a 500."""

import pytest
from rest_framework.test import APIClient

from kb.selectors import article_search

pytestmark = pytest.mark.django_db

URL = "/api/v1/kb/search/"


def test_anonymous_search_returns_the_same_ranking_as_the_selector(library):
    response = APIClient().get(URL, {"q": "washing machine drain"})

    assert response.status_code == 200
    data = response.json()
    expected = article_search(query="washing machine drain", limit=10)
    assert [r["id"] for r in data["results"]] == [a.pk for a in expected]
    assert (data["query"], data["count"]) == ("washing machine drain", len(expected))
    first = data["results"][0]
    washer = library["washer"]
    assert first == {
        "id": washer.pk,
        "slug": washer.slug,
        "title": "Washing machine won't drain",
        "summary": "",
        "language": "en",
        "category": None,
        "tags": ["washing machine", "drain", "pump", "filter"],
        "url": f"http://testserver/kb/articles/{washer.slug}/",
        "score": pytest.approx(expected[0].score),
    }


def test_limit_and_language(library):
    data = APIClient().get(URL, {"q": "Waschmaschine washing machine", "limit": 1, "language": "de"}).json()

    assert [r["slug"] for r in data["results"]] == [library["waschmaschine"].slug]


def test_at_most_ten_results(library):
    response = APIClient().get(URL, {"q": "water machine heating pressure invoice fridge", "limit": 11})

    assert response.status_code == 400
    assert set(response.json()) == {"limit"}


@pytest.mark.parametrize(
    "params",
    [{}, {"q": ""}, {"q": "!!!"}, {"q": "&|!():*<>'"}, {"q": "x" * 10_000}, {"q": "Heizung kaputt, boiler broken"}],
)
def test_bad_queries_answer_200_with_a_clear_shape(library, params):
    response = APIClient().get(URL, params)

    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"query", "count", "results"}
    assert len(data["query"]) <= 200
    assert data["count"] == len(data["results"]) <= 10


@pytest.mark.parametrize("params", [{"limit": "abc"}, {"limit": 0}, {"language": "fr"}])
def test_bad_parameters_are_400(params):
    response = APIClient().get(URL, {"q": "boiler", **params})

    assert response.status_code == 400


def test_an_invalid_token_does_not_block_the_public_search(library):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    assert client.get(URL, {"q": "boiler"}).status_code == 200


def test_schema_documents_the_search():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"q", "limit", "language"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ArticleSearchOutput"
    )
