"""Signing in to the admin area, and the guard in front of every admin page and action."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from locator.admin.account_store import save_admin
from locator.extensions import db
from locator.models import AdminUser
from tests.helpers.admin import sign_in
from tests.helpers.forms import csrf_token, text

WRONG = "Email or password is not right."


def fresh_client(directory, address: str):
    """A client from its own address, so failure counts of other tests don't reach it."""
    client = directory.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_sign_in_opens_the_dashboard(directory, admin_user):
    client = directory.test_client()
    response = sign_in(client, admin_user.email.upper(), admin_user.password)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert f"Signed in as {admin_user.email}" in text(page)
    assert "no-store" in page.headers["Cache-Control"]


def _without_token(page: str) -> str:
    return re.sub(r'value="[^"]*"', 'value=""', page)


def test_wrong_password_and_unknown_account_answer_alike(directory, admin_user):
    client = fresh_client(directory, "10.20.0.1")
    wrong_password = sign_in(client, admin_user.email, "not the right password")
    unknown = sign_in(client, "nobody-here@example.org", "not the right password")
    assert wrong_password.status_code == unknown.status_code == 401
    assert WRONG in text(wrong_password) and WRONG in text(unknown)
    assert _without_token(text(wrong_password)) == _without_token(text(unknown))
    assert client.get("/admin/").status_code == 302  # still not signed in


def test_empty_form_says_what_is_missing(directory):
    client = fresh_client(directory, "10.20.0.2")
    response = sign_in(client, "", "")
    assert response.status_code == 400
    page = text(response)
    assert "Enter your email." in page and "Enter your password." in page
    assert 'aria-describedby="email-error"' in page


@pytest.fixture
def low_limits(directory):
    """Attempt limits low enough to reach in a test; the defaults come back after."""
    limits = {
        "LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS": "3 per 15 minutes",
        "LOCATOR_SIGNIN_ATTEMPTS_PER_ADDRESS": "4 per hour",
        "LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT": "8 per hour",
    }
    before = {name: directory.config[name] for name in limits}
    directory.config.update(limits)
    yield
    directory.config.update(before)


def test_failures_from_one_address_do_not_lock_the_admin_out_elsewhere(
    directory, admin_user, low_limits
):
    attacker = fresh_client(directory, "10.21.0.1")
    statuses = [sign_in(attacker, admin_user.email, "guessing wrong").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    locked = sign_in(attacker, admin_user.email, admin_user.password)
    assert locked.status_code == 429  # the guesser's address stays locked out of the account
    assert "Too many failed sign-ins" in text(locked)
    assert attacker.get("/admin/").status_code == 302
    admin = fresh_client(directory, "10.21.0.9")
    assert sign_in(admin, admin_user.email, admin_user.password).status_code == 303
    assert admin.get("/admin/").status_code == 200


def test_many_addresses_meet_the_slower_global_throttle(directory, admin_user, low_limits):
    statuses = [
        sign_in(fresh_client(directory, f"10.26.0.{n}"), admin_user.email, "wrong").status_code
        for n in range(10)
    ]
    assert statuses == [401] * 8 + [429] * 2
    late = sign_in(fresh_client(directory, "10.26.1.1"), admin_user.email, admin_user.password)
    assert late.status_code == 429


def test_repeated_failures_from_one_address_are_refused(directory, low_limits):
    client = fresh_client(directory, "10.22.0.1")
    statuses = [
        sign_in(client, f"guess{n}@example.org", "wrong-password").status_code for n in range(5)
    ]
    assert statuses == [401, 401, 401, 401, 429]


def test_a_successful_sign_in_clears_the_failures_from_its_address(
    directory, admin_user, low_limits
):
    directory.config["LOCATOR_SIGNIN_ATTEMPTS_PER_ADDRESS"] = "10 per hour"
    client = fresh_client(directory, "10.23.0.1")
    for _ in range(2):
        assert sign_in(client, admin_user.email, "guessing wrong").status_code == 401
    assert sign_in(client, admin_user.email, admin_user.password).status_code == 303
    client = fresh_client(directory, "10.23.0.1")
    for _ in range(2):
        assert sign_in(client, admin_user.email, "guessing wrong").status_code == 401


def test_concurrent_attempts_are_counted_before_they_are_checked(directory, admin_user, low_limits):
    directory.config["LOCATOR_SIGNIN_ATTEMPTS_PER_ADDRESS"] = "100 per hour"
    directory.config["LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT"] = "100 per hour"
    clients = [fresh_client(directory, "10.27.0.1") for _ in range(40)]
    tokens = [csrf_token(client, "/admin/sign-in") for client in clients]
    start = threading.Barrier(len(clients))

    def attempt(index: int) -> int:
        start.wait()
        form = {"email": admin_user.email, "password": "guessing", "csrf_token": tokens[index]}
        return clients[index].post("/admin/sign-in", data=form).status_code

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        statuses = list(pool.map(attempt, range(len(clients))))
    # Never more than the limit checked, however they overlapped (the store may read a
    # counter after a neighbour's increment, so one fewer can happen under contention).
    assert 1 <= statuses.count(401) <= 3
    assert statuses.count(401) + statuses.count(429) == 40


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example/admin/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "admin/centers",
        "",
    ],
)
def test_sign_in_never_redirects_off_the_site(directory, admin_user, target):
    client = directory.test_client()
    response = sign_in(client, admin_user.email, admin_user.password, next_path=quote(target))
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/"


def test_sign_in_returns_to_the_page_asked_for(directory, admin_user):
    client = directory.test_client()
    asked = client.get("/admin/centers?q=austin")
    assert asked.status_code == 302
    sign_in_url = asked.headers["Location"]
    parts = urlsplit(sign_in_url)
    assert parts.path == "/admin/sign-in"
    assert parse_qs(parts.query) == {"next": ["/admin/centers?q=austin"]}
    token = csrf_token(client, sign_in_url)
    response = client.post(
        sign_in_url,
        data={"email": admin_user.email, "password": admin_user.password, "csrf_token": token},
    )
    assert response.headers["Location"] == "/admin/centers?q=austin"


def _guarded_urls(app) -> list[tuple[str, str]]:
    """Every admin URL and method but the sign-in page and the stylesheet, with ids filled in."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin.") and rule.endpoint not in {
            "admin.sign_in",
            "admin.sign_in_code",  # the second step of signing in: it sends people back
            "admin.static",
        }:
            path = re.sub(r"<int:\w+>", "1", rule.rule)
            urls += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return urls


def test_every_admin_url_sends_people_to_sign_in(directory):
    urls = _guarded_urls(directory)
    assert len(urls) >= 14
    client = directory.test_client()
    token = csrf_token(client, "/admin/sign-in")
    for method, path in urls:
        response = client.open(path, method=method, data={"csrf_token": token})
        if path.startswith("/admin/api/"):
            assert response.status_code == 401, path
            continue
        assert response.status_code == 302, (method, path)
        assert response.headers["Location"].startswith("/admin/sign-in"), (method, path)


def test_every_admin_url_answers_401_json_to_programs(directory):
    client = directory.test_client()
    token = csrf_token(client, "/admin/sign-in")
    for method, path in _guarded_urls(directory):
        response = client.open(
            path, method=method, data={"csrf_token": token}, headers={"Accept": "application/json"}
        )
        assert response.status_code == 401, (method, path)
        assert response.is_json and response.get_json()["status"] == 401


def test_admin_json_answers_once_signed_in(admin_client):
    response = admin_client.get("/admin/api/summary")
    assert response.status_code == 200
    assert response.get_json()["centers"]["published"] > 600


def test_a_post_without_its_token_is_refused(admin_client, directory):
    with directory.app_context():
        before = db.session.scalars(db.select(AdminUser.session_version)).all()
    assert admin_client.post("/admin/centers/1/verify").status_code == 400
    assert (
        directory.test_client()
        .post("/admin/sign-in", data={"email": "a@example.org", "password": "x" * 12})
        .status_code
        == 400
    )
    assert admin_client.post("/admin/sign-out").status_code == 400
    assert admin_client.get("/admin/").status_code == 200  # still signed in
    with directory.app_context():
        assert db.session.scalars(db.select(AdminUser.session_version)).all() == before


def test_sign_out_ends_the_session(admin_client):
    token = csrf_token(admin_client, "/admin/")
    response = admin_client.post("/admin/sign-out", data={"csrf_token": token})
    assert response.status_code == 303
    assert "You are signed out." in text(admin_client.get(response.headers["Location"]))
    assert admin_client.get("/admin/").status_code == 302


def test_sign_out_revokes_a_copy_of_the_session_cookie(directory, admin_client):
    cookie = admin_client.get_cookie("session")
    copy = directory.test_client()  # same address and browser: only the version can tell
    copy.set_cookie("session", cookie.value)
    assert copy.get("/admin/").status_code == 200
    token = csrf_token(admin_client, "/admin/")
    assert admin_client.post("/admin/sign-out", data={"csrf_token": token}).status_code == 303
    assert copy.get("/admin/").status_code == 302


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in(
    directory, admin_client, admin_user
):
    with directory.app_context():
        db.session.get(AdminUser, admin_user.id).active = False
        db.session.commit()
    assert admin_client.get("/admin/").status_code == 302
    response = sign_in(fresh_client(directory, "10.24.0.1"), admin_user.email, admin_user.password)
    assert response.status_code == 401 and WRONG in text(response)


def test_a_new_password_ends_older_sessions(directory, admin_client, admin_user):
    with directory.app_context():
        save_admin(db.session, admin_user.email, "a brand new password")
        db.session.commit()
    assert admin_client.get("/admin/").status_code == 302


def test_a_session_from_another_browser_is_not_accepted(directory, admin_client):
    # "strong" session protection: the session cookie alone, from elsewhere, is not enough.
    cookie = admin_client.get_cookie("session")
    other = fresh_client(directory, "10.25.0.1")
    other.set_cookie("session", cookie.value)
    assert other.get("/admin/").status_code == 302


def test_an_unknown_account_costs_a_hash_check_too(app_ctx, admin_user, monkeypatch):
    from locator.admin import account_store as admin_accounts

    checked = []
    real_check = admin_accounts.check_password_hash
    monkeypatch.setattr(
        admin_accounts,
        "check_password_hash",
        lambda stored, password: (
            checked.append(stored.split("$")[0]) or real_check(stored, password)
        ),
    )
    assert admin_accounts.authenticate(db.session, "nobody@example.org", "some password") is None
    assert admin_accounts.authenticate(db.session, admin_user.email, "some password") is None
    assert len(checked) == 2 and checked[0] == checked[1]  # the same scrypt settings both times
