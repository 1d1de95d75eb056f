"""Headers on every response, and searches kept out of the logs."""

import logging

import pytest

from locator.web.security import QueryStringFilter


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search?location=78701",
        "/api/v1/centers?location=78701",
        "/nowhere",
        "/static/site.css",
    ],
)
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    response.close()  # static files are streamed from an open file
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Permissions-Policy"].startswith("geolocation=(self)")
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://locator.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_tile_server_is_the_only_outside_image_source(directory):
    saved = directory.config["LOCATOR_TILE_URL"]
    directory.config["LOCATOR_TILE_URL"] = "https://{s}.tiles.example.net/{z}/{x}/{y}.png"
    try:
        csp = directory.test_client().get("/").headers["Content-Security-Policy"]
    finally:
        directory.config["LOCATOR_TILE_URL"] = saved  # later tests read it (the privacy page)
    assert "img-src 'self' data: https://*.tiles.example.net" in csp


def test_access_log_lines_lose_their_query_strings():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - "%s" %s',
        ("127.0.0.1", "GET /search?location=78701&radius=5 HTTP/1.1", "200"),
        None,
    )
    QueryStringFilter().filter(record)
    line = record.getMessage()
    assert "78701" not in line and "GET /search?… HTTP/1.1" in line
