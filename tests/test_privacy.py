"""Privacy: no searched place or contact detail in any log, and a page that says plainly what
the site keeps, for how long, who sees it, and how to have it deleted."""

from __future__ import annotations

import http.cookiejar
import logging
import threading
import urllib.parse
import urllib.request

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from locator.extensions import db, limiter
from locator.models import ContactRequest
from locator.web.security import QueryStringFilter
from tests.helpers.app_process import NoRedirects
from tests.helpers.forms import csrf_token

SEARCHED_ZIP = "80202"
PHONE = "303 555 0147"
PHONE_FORMS = ("303 555 0147", "(303) 555-0147", "3035550147", "555-0147", "5550147")
EMAIL = "quiet.person@example.org"
MESSAGE = "Please call about methadone clinics."


@pytest.fixture
def served(directory):
    """The app behind Werkzeug's real server (so real access-log lines are written)."""
    limiter.reset()
    server = make_server("127.0.0.1", 0, directory)
    # Shutting down waits for the serving loop's next look at its stop flag: look often.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    limiter.reset()


def fetch(opener, url: str, data: dict | None = None) -> tuple[int, str]:
    """Status and body of a GET (or of a form POST when `data` is given)."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        request = urllib.request.Request(url, data=body)  # noqa: S310 (http://127.0.0.1 only)
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def everything_logged(caplog) -> str:
    """Every captured record as a handler would write it, tracebacks included."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


def test_no_log_holds_the_searched_zip_or_the_phone_number(served, directory, caplog):
    caplog.set_level(logging.DEBUG)  # the root logger: every logger of the app and libraries
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
    )
    status, page = fetch(opener, f"{served}/search?location={SEARCHED_ZIP}&radius=10")
    assert status == 200 and "Denver" in page
    status, form = fetch(opener, f"{served}/contact")
    token = csrf_token(form)
    sent = {"name": "Quiet Person", "phone": PHONE, "email": EMAIL, "best_time": "evening",
            "for_whom": "me", "message": MESSAGE, "consent": "y", "website": "",
            "csrf_token": token}  # fmt: skip
    assert fetch(opener, f"{served}/contact", sent)[0] == 302

    logged = everything_logged(caplog)
    assert "GET /search?… HTTP/1.1" in logged  # the access log was captured, without its query
    assert "POST /contact HTTP/1.1" in logged
    for secret in (SEARCHED_ZIP, *PHONE_FORMS, EMAIL, MESSAGE, "Quiet Person"):
        assert secret not in logged, secret
    with directory.app_context():  # the request itself was stored, for the admins
        stored = db.session.scalars(sa.select(ContactRequest).filter_by(email=EMAIL)).all()
        assert len(stored) == 1
        db.session.delete(stored[0])
        db.session.commit()


def test_gunicorn_access_log_lines_lose_their_query_too():
    # gunicorn passes its access-log fields as one mapping of named atoms.
    atoms = {"h": "127.0.0.1", "r": f"GET /search?location={SEARCHED_ZIP} HTTP/1.1",
             "q": f"location={SEARCHED_ZIP}", "U": "/search", "s": "200"}  # fmt: skip
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '%(h)s "%(r)s" %(s)s q=%(q)s', (atoms,), None
    )
    QueryStringFilter().filter(record)
    assert record.getMessage() == '127.0.0.1 "GET /search?… HTTP/1.1" 200 q=…'


# --- the /privacy page ---------------------------------------------------------------


def privacy_page(client) -> str:
    response = client.get("/privacy")
    assert response.status_code == 200
    return " ".join(response.get_data(as_text=True).split())


@pytest.fixture
def settings(directory):
    """Change settings for one test; they are put back afterwards."""
    saved = dict(directory.config)
    yield directory.config
    directory.config.clear()
    directory.config.update(saved)


def test_the_page_says_what_is_kept_for_how_long_and_who_sees_it(client, settings):
    settings["LOCATOR_CONTACT_RETENTION_DAYS"] = 45
    page = privacy_page(client)
    for field in ("your name", "phone number or email address", "the best time to reach you",
                  "your message", "date and time"):  # fmt: skip
        assert field in page
    assert "<strong>For how long:</strong> 45 days" in page
    assert "only the site's administrators" in page
    assert "not stored in our database and are not written to our logs" in page
    assert "city and state of your last search" in page and "cookie on your device" in page
    assert "no analytics" in page


def test_outside_services_are_off_by_default(client):
    page = privacy_page(client)
    assert "<dt>Maps</dt> <dd><strong>Off.</strong>" in page
    assert "<dt>Looking up street addresses online</dt> <dd><strong>Off.</strong>" in page
    assert "<dt>Guessing your city from your IP address</dt> <dd><strong>Off.</strong>" in page


def test_each_service_turned_on_says_what_it_receives(client, settings):
    settings["LOCATOR_TILE_URL"] = "https://{s}.tiles.example.net/{z}/{x}/{y}.png"
    settings["LOCATOR_GEOCODER_ENABLED"] = True
    settings["LOCATOR_GEOIP_DATABASE"] = "/srv/geoip/GeoLite2-City.mmdb"
    page = privacy_page(client)
    assert "Map images come from tiles.example.net" in page
    assert "learns your IP address and roughly where you are looking" in page
    assert "sends the address you typed to OpenStreetMap's Nominatim" in page
    assert "guesses your city from your IP address" in page and "Nothing is sent" in page


def test_deletion_is_asked_through_the_configured_contact(client, settings):
    assert "contact the site&#39;s administrators through the contact form." in privacy_page(client)
    settings["LOCATOR_PRIVACY_CONTACT"] = "privacy@example.org"
    assert '<a href="mailto:privacy@example.org">privacy@example.org</a>' in privacy_page(client)


@pytest.mark.parametrize("url", ["/", "/search?location=78701", "/contact", "/nowhere"])
def test_every_page_links_to_the_privacy_page(client, url):
    assert 'href="/privacy"' in client.get(url).get_data(as_text=True)


CENTER_SLUG = "congress-avenue-recovery-test-austin-tx"


def test_access_logs_do_not_name_the_center_or_place_looked_at(served, caplog):
    caplog.set_level(logging.DEBUG)
    opener = urllib.request.build_opener(NoRedirects())
    for path in (f"/centers/{CENTER_SLUG}", "/rehab/colorado/denver?page=1", "/rehab/colorado"):
        assert fetch(opener, served + path)[0] == 200, path
    logged = everything_logged(caplog)
    assert "GET /centers/<slug> HTTP/1.1" in logged
    assert "GET /rehab/<state>/<city>?… HTTP/1.1" in logged
    assert "GET /rehab/<state> HTTP/1.1" in logged
    for named in (CENTER_SLUG, "congress", "denver", "colorado"):
        assert named not in logged.lower(), named


def test_gunicorn_access_log_lines_lose_center_and_place_paths():
    atoms = {"h": "127.0.0.1", "r": f"GET /centers/{CENTER_SLUG} HTTP/1.1",
             "U": f"/centers/{CENTER_SLUG}", "s": "200", "q": "",
             "f": "https://locator.example/rehab/texas/austin?page=2"}  # fmt: skip
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '"%(r)s" %(U)s %(s)s "%(f)s"', (atoms,), None
    )
    QueryStringFilter().filter(record)
    assert record.getMessage() == (
        '"GET /centers/<slug> HTTP/1.1" /centers/<slug> 200 '
        '"https://locator.example/rehab/<state>/<city>?…"'
    )
