"""GET /api/v1/places: suggestions for the search box, from the offline gazetteer."""

from __future__ import annotations

import pytest

from locator.geo import gazetteer


def places(client, q: str) -> list[dict]:
    response = client.get("/api/v1/places", query_string={"q": q})
    assert response.status_code == 200
    return response.get_json()["places"]


def test_cities_starting_with_the_letters_most_populous_first(client):
    found = places(client, "aus")
    assert found[0]["label"] == "Austin, TX"
    assert 1 < len(found) <= 8
    sizes = [gazetteer().city(p["city"], p["state"]).size for p in found]
    assert sizes == sorted(sizes, reverse=True)
    assert {"kind", "city", "state", "latitude", "longitude"} <= set(found[0])


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("austin, t", "Austin, TX"),
        ("Austin TX", "Austin, TX"),
        ("springfield, il", "Springfield, IL"),
        ("st lou", "Saint Louis, MO"),
        ("SAN", "San Antonio, TX"),
    ],
)
def test_state_after_the_city_and_short_forms_narrow_the_list(client, typed, first):
    found = places(client, typed)
    assert found[0]["label"] == first
    if "," in typed or typed.endswith("TX"):
        assert {p["state"] for p in found} == {first[-2:]}


def test_digits_suggest_zip_codes_of_the_largest_cities_first(client):
    found = places(client, "787")
    assert len(found) == 8
    assert all(p["zip"].startswith("787") and p["label"] == p["zip"] for p in found)
    assert found[0]["description"] == "Austin, TX"
    assert found[0]["kind"] == "zip"


@pytest.mark.parametrize("typed", ["zzzzqq", "!!!", "123456", "12 main street"])
def test_text_that_names_no_place_gets_an_empty_list(client, typed):
    assert places(client, typed) == []


@pytest.mark.parametrize(
    ("query_string", "message"),
    [
        ({}, "start of a city name or a ZIP code"),
        ({"q": "   "}, "start of a city name or a ZIP code"),
        ({"q": "a" * 101}, "under 100 characters"),
    ],
)
def test_bad_queries_answer_400_naming_the_parameter(client, query_string, message):
    response = client.get("/api/v1/places", query_string=query_string)
    assert response.status_code == 400
    body = response.get_json()
    assert message in body["errors"]["q"][0]


def test_answers_stay_in_the_browser_cache_only(client):
    response = client.get("/api/v1/places?q=aus")
    assert response.headers["Cache-Control"] == "private, max-age=86400"
