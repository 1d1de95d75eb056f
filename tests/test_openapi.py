"""The API's OpenAPI description: schemathesis sends generated requests to every operation;
none may fail on our side, and every answer must match what the description promises."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from locator.api.openapi import DOCUMENT
from tests.helpers.examples import examples

OPERATIONS = [
    (path, method.upper()) for path, methods in DOCUMENT["paths"].items() for method in methods
]


@pytest.fixture(scope="module")
def api_schema(directory):
    """The description as the running app serves it, called in-process (WSGI)."""
    return schemathesis.openapi.from_wsgi("/api/openapi.json", directory)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_operation_answers_as_described(api_schema, path, method, mode):
    """Valid and invalid requests alike: no server error, every answer as described."""
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples(30),
        deadline=None,
        derandomize=True,  # the same requests on every run: a failure is reproducible
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_described(case):
        # Left out: "valid data is accepted". Text that fits the schema need not name a
        # place (location=503), and saying so with a 400 is the documented answer.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    answers_as_described()


@pytest.mark.parametrize(
    ("path", "parameters", "status"),
    [
        ("/api/v1/centers", {"query": {"location": "78701", "service": ["detox", "xx"]}}, 200),
        ("/api/v1/centers", {"query": {"location": "Texas", "page": 2}}, 200),
        ("/api/v1/centers", {"query": {"location": "Springfield"}}, 400),
        ("/api/v1/centers", {"query": {"location": "Zzyzxq, TX"}}, 400),
        ("/api/v1/centers/{id}", {"path_parameters": {"id": 2147483647}}, 404),
        ("/api/v1/places", {"query": {"q": "aus"}}, 200),
        ("/api/v1/places", {"query": {"q": "787"}}, 200),
        ("/api/v1/places", {"query": {"q": "x" * 101}}, 400),
    ],
)
def test_typical_answers_match_the_description(api_schema, path, parameters, status):
    case = api_schema[path]["GET"].Case(**parameters)
    assert case.call_and_validate().status_code == status


def test_a_real_center_matches_the_description(api_schema, client):
    first = client.get("/api/v1/centers?location=78701").json["centers"][0]
    case = api_schema["/api/v1/centers/{id}"]["GET"].Case(path_parameters={"id": first["id"]})
    assert case.call_and_validate().json()["slug"] == first["slug"]


def test_the_description_is_served_and_covers_every_api_route(client):
    served = client.get("/api/openapi.json")
    assert served.status_code == 200 and served.json == DOCUMENT
    assert served.json["openapi"].startswith("3.1")
    rules = {
        rule.rule.replace("<int:center_id>", "{id}")
        for rule in client.application.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert rules == set(served.json["paths"])


def test_the_page_for_people_lists_endpoints_parameters_and_an_example(client):
    response = client.get("/api/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    for text in ("GET /api/v1/centers", "GET /api/v1/centers/{id}", "GET /api/v1/places"):
        assert f"<code>{text}</code>" in html
    for parameter in ("location", "radius", "service", "page", "q", "id"):
        assert f"<dt><code>{parameter}</code>" in html
    assert "one of 5, 10, 25, 50, 100, default 25" in html
    assert 'href="/api/v1/places?q=aus"' in html
    assert 'href="/api/openapi.json"' in html
    assert "<script" not in html  # no Swagger UI, nothing from another site
    assert client.get("/api/v1/places?q=aus").status_code == 200  # the example works
