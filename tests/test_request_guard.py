"""NUL characters in addresses and forms are bad input (400), never an outage or a crash;
a refused method says which ones are allowed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.models import ContactRequest
from tests.helpers.contact import VALID
from tests.helpers.forms import csrf_token

MESSAGE = "a character that can&#39;t be used here (a null character)"


@pytest.mark.parametrize(
    "url", ["/centers/a%00b", "/rehab/texas/aus%00tin", "/rehab/tex%00as", "/articles/x%00"]
)
def test_a_nul_in_a_page_address_is_refused_with_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)
    assert 'href="tel:+18006624357"' in response.get_data(as_text=True)  # helpline kept


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/search?location=78701%00", 400),  # not a place
        ("/search?location=78701&service=de%00tox", 200),  # an unknown filter, ignored
        ("/rehab/texas?page=%00", 400),
        ("/site-search?q=a%00b", 200),  # finds nothing
        ("/api/v1/centers?location=78701%00", 400),
        ("/api/v1/places?q=aus%00", 200),
        ("/api/v1/centers/1%00", 404),  # no route: not a center's address
        ("/nowhere%00", 404),
    ],
)
def test_a_nul_in_a_query_is_read_as_text_by_the_views(client, url, status):
    assert client.get(url).status_code == status


def test_a_form_field_holding_a_nul_is_refused_and_nothing_is_stored(client, directory):
    with directory.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(ContactRequest))
    data = {**VALID, "message": "Please call\x00 me", "csrf_token": csrf_token(client)}
    response = client.post("/contact", data=data)
    assert response.status_code == 400
    assert "null character" in response.get_data(as_text=True)
    with directory.app_context():
        after = db.session.scalar(sa.select(sa.func.count()).select_from(ContactRequest))
    assert after == before


def test_ordinary_text_passes(client):
    assert client.get("/search?location=Austin,+TX").status_code == 200
    assert client.get("/site-search?q=%ff%fe").status_code == 200  # invalid UTF-8: replaced


@pytest.mark.parametrize(("url", "json"), [("/api/v1/centers", True), ("/search", False)])
def test_a_refused_method_says_which_are_allowed(client, url, json):
    response = client.post(url)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    assert response.is_json == json
