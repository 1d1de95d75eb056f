"""Rate limits on the JSON API and the site search: 429 with the helpline still in reach."""

from __future__ import annotations

import pytest

from locator.config import settings_from_environment
from locator.extensions import limiter

HELPLINE_LINK = 'href="tel:+18006624357"'


@pytest.fixture
def low_limits(directory):
    """Limits low enough to reach in a test, and no earlier requests counted."""
    saved = {key: directory.config[key] for key in ("LOCATOR_API_RATE_LIMIT",
                                                    "LOCATOR_SEARCH_RATE_LIMIT",
                                                    "LOCATOR_PAGE_RATE_LIMIT")}  # fmt: skip
    directory.config["LOCATOR_API_RATE_LIMIT"] = "3 per minute"
    directory.config["LOCATOR_SEARCH_RATE_LIMIT"] = "2 per minute"
    directory.config["LOCATOR_PAGE_RATE_LIMIT"] = "4 per minute"
    limiter.reset()
    yield directory
    directory.config.update(saved)
    limiter.reset()


def test_the_api_answers_429_json_once_the_limit_is_spent(low_limits):
    client = low_limits.test_client()
    for _ in range(3):
        assert client.get("/api/v1/centers?location=78701").status_code == 200
    refused = client.get("/api/v1/centers?location=78701")
    assert refused.status_code == 429
    assert refused.is_json and refused.json["status"] == 429
    assert "Too many requests" in refused.json["error"]
    assert int(refused.headers["Retry-After"]) > 0


def test_the_api_limit_counts_every_endpoint_together(low_limits):
    client = low_limits.test_client()
    assert client.get("/api/v1/centers?location=78701").status_code == 200
    assert client.get("/api/v1/places?q=aus").status_code == 200
    assert client.get("/api/v1/centers/999999999").status_code == 404
    assert client.get("/api/v1/places?q=bos").status_code == 429


def test_the_limit_is_per_client_address(low_limits):
    client = low_limits.test_client()
    for _ in range(4):
        client.get("/api/v1/places?q=aus")
    other = client.get("/api/v1/places?q=aus", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200


def test_site_search_answers_429_with_a_page_that_shows_the_helpline(low_limits):
    client = low_limits.test_client()
    for _ in range(2):
        assert client.get("/site-search?q=detox").status_code == 200
    refused = client.get("/site-search?q=detox")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and refused.mimetype == "text/html"
    assert "Please slow down" in html
    assert HELPLINE_LINK in html and 'href="tel:988"' in html


def test_other_pages_are_not_limited_by_the_search_limit(low_limits):
    client = low_limits.test_client()
    for _ in range(3):
        client.get("/site-search?q=detox")
    assert client.get("/articles/").status_code == 200
    assert client.get("/search?location=78701").status_code == 200


def test_search_and_place_pages_share_one_generous_limit(low_limits):
    client = low_limits.test_client()
    statuses = [
        client.get(path).status_code
        for path in (
            "/search?location=78701",
            "/rehab/",
            "/rehab/texas",
            "/rehab/texas/austin",
            "/search?location=78701",
        )
    ]
    assert statuses == [200, 200, 200, 200, 429]
    refused = client.get("/rehab/texas/austin")
    assert refused.status_code == 429 and HELPLINE_LINK in refused.get_data(as_text=True)
    assert client.get("/centers/" + "x").status_code in (404, 200)  # center pages: no limit
    assert client.get("/articles/").status_code == 200
    other = client.get("/search?location=78701", environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert other.status_code == 200


def test_the_defaults(tmp_path):
    settings = settings_from_environment(str(tmp_path), {"LOCATOR_SECRET_KEY": "k"})
    assert settings["LOCATOR_API_RATE_LIMIT"] == "120 per minute"
    assert settings["LOCATOR_SEARCH_RATE_LIMIT"] == "60 per minute"
    assert settings["LOCATOR_PAGE_RATE_LIMIT"] == "300 per minute"
