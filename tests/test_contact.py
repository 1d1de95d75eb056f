"""The contact form, sent as a person (or a bot) would: with the real CSRF token from the page."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import TooManyRequests

from locator import create_app
from locator.extensions import db, limiter
from locator.models import ContactRequest, utcnow
from tests.helpers.contact import VALID, send
from tests.helpers.forms import text

HELPLINE_LINK = 'href="tel:+18006624357"'
REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each test starts with no sendings counted."""
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def stored(directory):
    """A function returning the requests this test stored; they are deleted afterwards."""
    with directory.app_context():
        first_new_id = (db.session.scalar(sa.select(sa.func.max(ContactRequest.id))) or 0) + 1

    def new_requests() -> list[ContactRequest]:
        with directory.app_context():
            query = sa.select(ContactRequest).where(ContactRequest.id >= first_new_id)
            rows = db.session.scalars(query.order_by(ContactRequest.id)).all()
            db.session.expunge_all()
            return list(rows)

    yield new_requests
    with directory.app_context():
        db.session.execute(sa.delete(ContactRequest).where(ContactRequest.id >= first_new_id))
        db.session.commit()


def test_form_page_explains_use_of_data_and_hides_the_honeypot(client):
    html = text(client.get("/contact"))
    assert "Ask to be contacted" in html
    assert "only to contact me about finding treatment" in html
    assert "Only the site's administrators can read them" in html
    assert "deleted after 30 days" in html and "never sold or shared" in html
    trap = re.search(r'<input id="website"[^>]*>', html).group(0)
    assert 'tabindex="-1"' in trap and 'autocomplete="off"' in trap
    assert "Leave this field empty" in html
    assert 'href="/contact"' in text(client.get("/"))  # reachable from every page's navigation


def test_valid_request_is_stored_with_exactly_its_fields(client, stored):
    response = send(client)
    assert response.status_code == 302 and response.location.endswith("/contact/sent")
    [request] = stored()
    assert (request.name, request.phone, request.email) == (
        "Ana Ruiz",
        "(512) 555-0123",
        "ana.ruiz@example.org",
    )
    assert (request.best_time, request.for_whom) == ("evening", "someone")
    assert request.message == VALID["message"]
    assert request.consent is True and request.handled is False and request.handled_at is None


def test_confirmation_says_what_happens_next_and_repeats_the_helpline(client, stored):
    assert send(client).status_code == 302
    html = text(client.get("/contact/sent"))
    # No mail server is set: the page says how requests are really handled.
    assert "They are not alerted when one arrives" in html
    assert "at the time you chose" in html
    assert "not an emergency service" in html
    assert 'href="tel:988"' in html and 'href="tel:911"' in html
    assert HELPLINE_LINK in html and "1-800-662-4357" in html and "24 hours a day" in html


def test_phone_alone_or_email_alone_is_enough(client, stored):
    assert send(client, email="").status_code == 302
    assert send(client, phone="").status_code == 302
    assert [(r.phone, r.email) for r in stored()] == [
        ("(512) 555-0123", ""),
        ("", "ana.ruiz@example.org"),
    ]


def test_no_way_to_reach_the_person_names_both_fields(client, stored):
    response = send(client, phone="", email="  ")
    html = text(response)
    assert response.status_code == 400
    assert "Give a phone number or an email address (or both)" in html
    for field in ("phone", "email"):
        tag = re.search(rf'<input id="{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag and "reach-error" in tag
    assert stored() == []


@pytest.mark.parametrize("phone", ["123", "555-0100", "+44 20 7946 0958", "call me", "5" * 41])
def test_invalid_phone_is_refused_at_its_field(client, stored, phone):
    response = send(client, phone=phone)
    html = text(response)
    assert response.status_code == 400
    assert 'id="phone-error">Enter a US phone number with its area code' in html
    assert re.search(r'<input id="phone"[^>]*aria-describedby="phone-hint phone-error"', html)
    assert stored() == []


@pytest.mark.parametrize("email", ["not-an-email", "ana@", "ana@example", "a" * 250 + "@x.org"])
def test_invalid_email_is_refused_at_its_field(client, stored, email):
    response = send(client, email=email)
    html = text(response)
    assert response.status_code == 400
    assert 'id="email-error">' in html
    assert re.search(
        r'<input id="email"[^>]*aria-describedby="email-error" aria-invalid="true"', html
    )
    assert stored() == []


def test_oversized_message_is_refused_with_its_length(client, stored):
    response = send(client, message="x" * 2001)
    assert response.status_code == 400
    assert "Keep the message to 2,000 characters; it has 2,001." in text(response)
    assert stored() == []


def test_line_breaks_count_once_as_typed(client, stored):
    message = "a" * 999 + "\r\n" + "b" * 1000  # 2,000 characters in the box, 2,001 on the wire
    assert send(client, message=message).status_code == 302
    assert stored()[0].message == "a" * 999 + "\n" + "b" * 1000


def test_consent_box_is_required(client, stored):
    response = send(client, consent=None)
    assert response.status_code == 400
    assert "Tick the box to agree" in text(response)
    assert stored() == []


def test_errors_are_summed_up_and_every_value_is_kept(client):
    response = send(client, email="ana@", consent=None)
    html = text(response)
    summary = re.search(r'<div class="notice error-summary" role="alert".*?</div>', html, re.S)
    assert summary and 'href="#email"' in summary.group(0) and 'href="#consent"' in summary.group(0)
    assert 'value="Ana Ruiz"' in html and 'value="512 555 0123"' in html and 'value="ana@"' in html
    assert '<option value="evening" selected>' in html
    assert re.search(r'value="someone" checked', html)
    assert "My brother needs help with opioids.</textarea>" in html


def test_missing_or_wrong_csrf_token_is_refused_with_a_clear_page(client, stored):
    data = {k: v for k, v in VALID.items()}
    for response in (
        client.post("/contact", data=data),
        client.post("/contact", data={**data, "csrf_token": "forged"}),
    ):
        assert response.status_code == 400
        assert "This form has expired. Please go back, reload the page and submit again." in (
            text(response)
        )
    assert stored() == []


def test_filled_honeypot_answers_like_success_and_stores_nothing(client, stored):
    person = send(client)
    bot = send(client, website="https://spam.example")
    assert (bot.status_code, bot.location) == (person.status_code, person.location)
    assert len(stored()) == 1


def test_contact_details_never_reach_the_logs(client, stored, caplog):
    caplog.set_level(logging.DEBUG)
    send(client, phone="(415) 555-2671", email="private.person@example.net", name="Zed Q")
    send(client, phone="415-555-2671x", email="private.person@example")  # refused, re-shown
    assert len(stored()) == 1
    for secret in ("555-2671", "5552671", "private.person", "Zed Q"):
        assert secret not in caplog.text


def test_a_failed_save_logs_no_contact_details(client, stored, caplog, monkeypatch):
    from locator.inbox.contact_requests import store_contact_request

    assert send(client).status_code == 302
    taken_id = stored()[0].id

    def store_with_a_clashing_id(session, details):
        request = store_contact_request(session, details)
        request.id = taken_id  # the database refuses the row, as it would in an outage
        return request

    monkeypatch.setattr("locator.public.contact.store_contact_request", store_with_a_clashing_id)
    caplog.set_level(logging.DEBUG)
    response = send(client, phone="(415) 555-2671", email="private.person@example.net")
    assert response.status_code in (500, 503) and "Traceback" not in text(response)
    assert "IntegrityError" in caplog.text  # the failure is logged...
    assert "555-2671" not in caplog.text and "private.person" not in caplog.text  # ...not its data
    assert len(stored()) == 1


def test_too_many_sendings_from_one_address_get_429_with_the_helpline(
    client, stored, monkeypatch, directory
):
    monkeypatch.setitem(directory.config, "LOCATOR_CONTACT_RATE_LIMIT", "3 per hour")
    assert [send(client).status_code for _ in range(3)] == [302, 302, 302]
    response = send(client)
    html = text(response)
    assert response.status_code == 429 and response.headers.get("Retry-After")
    assert "please call instead" in html.lower() and HELPLINE_LINK in html
    assert 'href="tel:988"' in html and 'href="tel:911"' in html
    assert len(stored()) == 3
    other = directory.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert send(other).status_code == 302  # the limit is per address
    assert client.get("/contact").status_code == 200  # reading the form is never limited


def test_fixing_a_mistake_does_not_use_up_the_limit(client, stored, monkeypatch, directory):
    monkeypatch.setitem(directory.config, "LOCATOR_CONTACT_RATE_LIMIT", "2 per hour")
    assert [send(client, email="ana@").status_code for _ in range(3)] == [400, 400, 400]
    assert [send(client).status_code for _ in range(3)] == [302, 302, 429]


def test_too_many_requests_answers_json_on_api_paths(directory):
    from locator.web.errors import handle_too_many_requests

    with directory.test_request_context("/api/v1/centers"):
        response = handle_too_many_requests(TooManyRequests())
    assert response.status_code == 429 and response.is_json
    assert "Too many requests" in response.get_json()["error"]


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis server answers at {REDIS_URL} ({error}); shared limits untested")
    return client


def test_two_workers_share_the_count_through_redis(directory, stored):
    redis_client = _redis_or_skip()
    # A unique address keeps this run's counts apart from any other run on the same server.
    address = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    settings = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": directory.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "LOCATOR_CONTACT_RATE_LIMIT": "2 per hour",
    }
    workers = []
    try:
        workers.append(create_app(settings))
        first = workers[0].test_client()
        first.environ_base["REMOTE_ADDR"] = address
        assert [send(first).status_code for _ in range(2)] == [302, 302]
        assert list(redis_client.scan_iter(f"*{address}*"))  # the count lives in Redis
        workers.append(create_app(settings))  # its own connection to Redis, nothing in memory
        second = workers[1].test_client()
        second.environ_base["REMOTE_ADDR"] = address
        assert send(second).status_code == 429
    finally:
        for key in redis_client.scan_iter(f"*{address}*"):
            redis_client.delete(key)
        for worker in workers:
            with worker.app_context():
                for engine in db.engines.values():  # the read engine too
                    engine.dispose()
        limiter.init_app(directory)  # the limiter is shared: give it back its memory storage
    assert len(stored()) == 2


def _make_request(age: timedelta) -> None:
    db.session.add(ContactRequest(email="old@example.org", consent=True, created_at=utcnow() - age))


def _purge(directory, *args: str):
    return directory.test_cli_runner().invoke(args=["purge-contact-requests", *args])


def test_purge_deletes_requests_older_than_the_given_age(directory, stored):
    with directory.app_context():
        for age in (
            timedelta(days=40),
            timedelta(days=31),
            timedelta(hours=30),
            timedelta(hours=2),
        ):
            _make_request(age)
        db.session.commit()
    result = _purge(directory, "--older-than", "30d")
    assert (
        result.exit_code == 0 and "Deleted 2 contact requests older than 30 days." in result.output
    )
    result = _purge(directory, "--older-than", "12h")
    assert (
        result.exit_code == 0 and "Deleted 1 contact request older than 12 hours." in result.output
    )
    assert len(stored()) == 1


def test_purge_defaults_to_the_retention_setting(directory, stored, monkeypatch):
    monkeypatch.setitem(directory.config, "LOCATOR_CONTACT_RETENTION_DAYS", 10)
    with directory.app_context():
        _make_request(timedelta(days=11))
        _make_request(timedelta(days=9))
        db.session.commit()
    result = _purge(directory)
    assert (
        result.exit_code == 0 and "Deleted 1 contact request older than 10 days." in result.output
    )
    assert len(stored()) == 1


@pytest.mark.parametrize("value", ["30", "thirty days", "0d", "-5d", "30m", "99999d", "9999999d"])
def test_purge_rejects_a_bad_age_with_exit_code_2(directory, stored, value):
    with directory.app_context():
        _make_request(timedelta(days=400))
        db.session.commit()
    result = _purge(directory, "--older-than", value)
    assert result.exit_code == 2
    assert "Invalid value for '--older-than'" in result.output
    assert len(stored()) == 1
