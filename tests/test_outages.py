"""When the database goes away: 503 with the helpline, and recovery without a restart."""

import os

import pytest
from sqlalchemy.engine import make_url

from locator import create_app
from tests.helpers.tcp_proxy import CuttableProxy


def test_unreachable_sqlite_file_answers_503(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.sqlite3"})
    client = app.test_client()
    page = client.get("/search?location=78701")
    assert page.status_code == 503
    body = page.get_data(as_text=True)
    assert "unavailable" in body and "988" in body and "Traceback" not in body
    api = client.get("/api/v1/centers?location=78701")
    assert api.status_code == 503 and api.is_json


def test_failure_page_gives_a_request_id(directory, monkeypatch):
    from locator import search

    monkeypatch.setattr(search, "find", lambda *a, **k: 1 / 0)
    directory.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = directory.test_client().get("/search?location=78701")
    finally:
        directory.config["PROPAGATE_EXCEPTIONS"] = None
    request_id = response.headers["X-Request-ID"]
    assert response.status_code == 500
    assert request_id in response.get_data(as_text=True)
    assert "ZeroDivisionError" not in response.get_data(as_text=True)


@pytest.mark.skipif(
    not (os.environ.get("LOCATOR_TEST_DATABASE_URL") or "").startswith("postgresql"),
    reason="needs the PostgreSQL server (LOCATOR_TEST_DATABASE_URL)",
)
def test_postgres_outage_and_recovery_without_restart(directory):
    url = make_url(directory.config["SQLALCHEMY_DATABASE_URI"])  # this worker's database
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port)
    app = create_app({"SQLALCHEMY_DATABASE_URI": proxied.render_as_string(hide_password=False)})
    client = app.test_client()
    try:
        assert client.get("/search?location=78701").status_code == 200
        proxy.cut()
        down = client.get("/search?location=78701")
        assert down.status_code == 503 and "988" in down.get_data(as_text=True)
        assert client.get("/api/v1/centers?location=78701").status_code == 503
        proxy.restore()
        assert client.get("/search?location=78701").status_code == 200
    finally:
        proxy.close()
        with app.app_context():
            from locator.extensions import db

            for engine in db.engines.values():  # the read engine too
                engine.dispose()


def test_outage_page_with_an_admin_cookie_needs_no_database(directory, admin_client, tmp_path):
    """The 503 page is drawn without loading the signed-in admin (which needs the database)."""
    cookie = admin_client.get_cookie("session").value
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.sqlite3",
            "SECRET_KEY": directory.config["SECRET_KEY"],
        }
    )
    client = app.test_client()
    client.set_cookie("session", cookie)
    for path in ("/search?location=78701", "/admin/", "/admin/centers"):
        response = client.get(path)
        assert response.status_code == 503, path
        body = response.get_data(as_text=True)
        assert "unavailable" in body and "988" in body, path
    # Pages that ask nothing of the database answer as usual (public pages don't load the
    # signed-in admin), the helpline included.
    for path, field in (("/", 'name="location"'), ("/contact", 'name="message"')):
        page = client.get(path)
        assert page.status_code == 200, path
        assert field in page.get_data(as_text=True) and "988" in page.get_data(as_text=True)
