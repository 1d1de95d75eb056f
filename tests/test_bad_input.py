"""Bad input gets a clear message and a normal status, never a 500 or a stack trace."""

from urllib.parse import quote

import pytest


def page(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("location=", 400, "Enter a ZIP code"),
        ("location=" + "a" * 2000, 400, "under 200 characters"),
        ("location=78701&radius=abc", 400, "Choose a radius of 5, 10, 25, 50 or 100 miles"),
        ("location=78701&radius=-5", 400, "Choose a radius"),
        ("location=78701&radius=10000", 400, "Choose a radius"),
        ("location=78701&page=0", 400, "The page must be a whole number"),
        ("location=78701&page=-1", 400, "The page must be a whole number"),
        ("location=95,-97", 400, "Latitude must be between -90 and 90"),
        ("location=Qwxyzzy", 400, "Try a ZIP code"),
    ],
)
def test_search_rejects_bad_values_with_a_message(client, query, status, message):
    response = client.get(f"/search?{query}")
    assert response.status_code == status
    assert message in page(response)
    assert "Traceback" not in page(response)


def test_page_past_the_end_says_where_results_end(client):
    response = client.get("/search?location=78701&page=9999")
    assert response.status_code == 200
    assert "There is no page 9999" in page(response)


def test_unknown_service_codes_are_ignored_with_a_notice(client):
    response = client.get("/search?location=78701&service=NOPE&service=detox")
    assert response.status_code == 200
    assert "We ignored filters we don't know: NOPE" in page(response)


HOSTILE = [
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '"><img src=x onerror=alert(1)>',
    "1; DROP TABLE center;",
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("parameter", ["location", "radius", "service", "page"])
def test_script_and_sql_in_every_parameter_are_harmless(client, parameter, value):
    params = {"location": "78701", parameter: value}
    for url in ("/search", "/api/v1/centers", "/rehab/texas", "/rehab/texas/austin"):
        response = client.get(url, query_string=params)
        assert response.status_code in (200, 400)
        if response.is_json:  # JSON is data, not markup: it is never rendered as HTML
            assert response.mimetype == "application/json"
            continue
        assert "<script>alert" not in page(response)
        assert "<img src=x" not in page(response)
    assert client.get("/api/v1/centers?location=78701").get_json()["total"] > 0


def test_invalid_utf8_in_the_query_string(client):
    response = client.get("/search?location=%ff%fe%80&radius=25")
    assert response.status_code == 400
    assert "Try a ZIP code" in page(response)


@pytest.mark.parametrize(
    "url", ["/centers/no-such-center", "/api/v1/centers/0", "/api/v1/centers/abc", "/rehab/zz/yy"]
)
def test_unknown_center_or_place_is_404(client, url):
    assert client.get(url).status_code == 404


def test_unexpected_failure_is_a_plain_500(directory, monkeypatch):
    from locator import search

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(search, "find", broken)
    directory.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = directory.test_client().get("/search?location=78701")
    finally:
        directory.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "boom" not in page(response) and "Traceback" not in page(response)


# Digits that str.isdigit() accepts (or int() reads) but that nobody types into a URL.
NON_ASCII_DIGITS = ["²", "²5", "1²", "５", "２５", "٥", "۲۵", "५", "𝟓", "①", "³⁰", "\u00a025"]


@pytest.mark.parametrize("digits", NON_ASCII_DIGITS)
def test_non_ascii_digits_are_refused_with_a_message(client, digits):
    for url, parameter in [
        ("/search?location=78701", "page"),
        ("/search?location=78701", "radius"),
        ("/rehab/texas?x=1", "page"),
        ("/rehab/texas/austin?x=1", "page"),
        ("/site-search?q=detox", "page"),
    ]:
        response = client.get(f"{url}&{parameter}={quote(digits)}")
        assert response.status_code == 400, (url, parameter, digits)
        body = page(response)
        assert "whole number" in body or "Choose a radius" in body, (url, parameter)
    for parameter in ("page", "radius"):
        response = client.get(
            "/api/v1/centers", query_string={"location": "78701", parameter: digits}
        )
        assert response.status_code == 400 and parameter in response.get_json()["errors"]


@pytest.mark.parametrize("digits", ["²", "５", "٣"])
@pytest.mark.parametrize("path", ["/admin/centers", "/admin/audit", "/admin/contact-requests"])
def test_admin_lists_refuse_non_ascii_page_numbers(admin_client, path, digits):
    response = admin_client.get(path, query_string={"page": digits})
    assert response.status_code == 400
    assert "whole number" in page(response)


def test_ascii_digits_with_spaces_still_work(client):
    assert client.get("/search?location=78701&page=+2+&radius=+10").status_code == 200
