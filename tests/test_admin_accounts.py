"""Account controls: roles, revocable and expiring sessions, password policy, two-step sign-in."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pyotp
import pytest
import sqlalchemy as sa

from locator.admin import auth
from locator.admin.account_store import AccountError, check_password, set_totp_required
from locator.database import alembic_config
from locator.extensions import db
from locator.models import AdminUser
from tests.helpers.admin import sign_in
from tests.helpers.forms import csrf_token, post_form, text


@pytest.mark.parametrize("admin_user", ["editor"], indirect=True)
def test_an_editor_edits_but_cannot_read_contact_requests_or_manage_admins(admin_client):
    assert admin_client.get("/admin/centers").status_code == 200
    assert admin_client.get("/admin/imports").status_code == 200
    for path in ("/admin/contact-requests", "/admin/contact-requests/1/delete", "/admin/accounts"):
        response = admin_client.get(path)
        assert response.status_code == 403, path
        assert "Only an owner" in text(response)
    dashboard = text(admin_client.get("/admin/"))
    assert "Contact requests" not in dashboard and "/admin/accounts" not in dashboard


def test_an_owner_reads_contact_requests_and_manages_admins(admin_client):
    assert admin_client.get("/admin/contact-requests").status_code == 200
    page = admin_client.get("/admin/accounts")
    assert page.status_code == 200 and "Two-step sign-in" in text(page)


def test_an_owner_deactivates_an_editor_whose_session_ends(directory, admin_client, admin_user):
    from locator.admin.account_store import save_admin

    with directory.app_context():
        editor, _ = save_admin(
            db.session, "editor-x@example.org", "a quiet orange kettle", "editor"
        )
        db.session.commit()
        editor_id = editor.id
    try:
        editor_client = directory.test_client()
        assert (
            sign_in(editor_client, "editor-x@example.org", "a quiet orange kettle").status_code
            == 303
        )
        response = post_form(
            admin_client, f"/admin/accounts/{editor_id}/active", "/admin/accounts", active="no"
        )
        assert response.status_code == 303
        assert editor_client.get("/admin/").status_code == 302
        again = sign_in(directory.test_client(), "editor-x@example.org", "a quiet orange kettle")
        assert again.status_code == 401
    finally:
        with directory.app_context():
            db.session.execute(sa.delete(AdminUser).where(AdminUser.id == editor_id))
            db.session.commit()


def test_the_last_owner_cannot_be_demoted(directory, admin_client, admin_user):
    with directory.app_context():  # other tests' owners must not count
        others = db.session.scalars(
            sa.select(AdminUser).where(AdminUser.id != admin_user.id, AdminUser.role == "owner")
        ).all()
        assert others == []
    response = post_form(
        admin_client, f"/admin/accounts/{admin_user.id}/role", "/admin/accounts", role="editor"
    )
    assert "The last owner" in text(admin_client.get(response.headers["Location"]))
    with directory.app_context():
        assert db.session.get(AdminUser, admin_user.id).role == "owner"


def test_deactivate_admin_command_ends_sessions(directory, admin_client, admin_user):
    result = directory.test_cli_runner().invoke(args=["deactivate-admin", admin_user.email])
    assert result.exit_code == 0, result.output
    assert "deactivated" in result.output
    assert admin_client.get("/admin/").status_code == 302
    assert (
        sign_in(directory.test_client(), admin_user.email, admin_user.password).status_code == 401
    )
    unknown = directory.test_cli_runner().invoke(args=["deactivate-admin", "nobody@example.org"])
    assert unknown.exit_code != 0 and "no admin account" in unknown.output


def test_create_admin_takes_a_role(directory):
    runner = directory.test_cli_runner()
    try:
        result = runner.invoke(
            args=["create-admin", "roles@example.org", "--password-stdin", "--role", "editor"],
            input="seven purple lanterns drift\n",
        )
        assert result.exit_code == 0, result.output
        with directory.app_context():
            admin = db.session.scalar(
                sa.select(AdminUser).where(AdminUser.email == "roles@example.org")
            )
            assert admin.role == "editor"
        wrong = runner.invoke(
            args=["create-admin", "roles@example.org", "--password-stdin", "--role", "boss"],
            input="seven purple lanterns drift\n",
        )
        assert wrong.exit_code != 0
    finally:
        with directory.app_context():
            db.session.execute(sa.delete(AdminUser).where(AdminUser.email == "roles@example.org"))
            db.session.commit()


@pytest.mark.parametrize(
    "password", ["password12345", "qwertyuiop123", "letmein123456", "passwordpassword"]
)
def test_common_passwords_are_refused(password):
    with pytest.raises(AccountError, match="harder password"):
        check_password(password, "someone@example.org")


def test_a_common_password_is_refused_by_create_admin(directory):
    result = directory.test_cli_runner().invoke(
        args=["create-admin", "weak@example.org", "--password-stdin"], input="password12345\n"
    )
    assert result.exit_code != 0
    assert "harder password" in result.output and "Nothing was saved" in result.output


@pytest.mark.parametrize(
    ("setting", "value", "elapsed"),
    [("LOCATOR_ADMIN_IDLE_MINUTES", "10", 20 * 60), ("LOCATOR_ADMIN_SESSION_HOURS", "1", 3700)],
)
def test_sessions_expire(directory, admin_client, monkeypatch, setting, value, elapsed):
    directory.config[setting] = value
    start = time.time()
    try:
        if setting == "LOCATOR_ADMIN_SESSION_HOURS":  # busy all along: it still ends
            for minute in range(0, 56, 5):
                monkeypatch.setattr(
                    auth, "time", SimpleNamespace(time=lambda m=minute: start + m * 60)
                )
                assert admin_client.get("/admin/").status_code == 200
        else:
            monkeypatch.setattr(auth, "time", SimpleNamespace(time=lambda: start + 9 * 60))
            assert admin_client.get("/admin/").status_code == 200
        monkeypatch.setattr(auth, "time", SimpleNamespace(time=lambda: start + elapsed))
        response = admin_client.get("/admin/")
        assert response.status_code == 302
        assert "Your session has ended" in text(admin_client.get(response.headers["Location"]))
    finally:
        del directory.config[setting]


def _turn_on_two_step(client) -> str:
    page = text(client.get("/admin/account/two-step"))
    secret = page.split('id="two-step-secret">')[1].split("<")[0]
    assert "otpauth://totp/" in page
    response = post_form(
        client,
        "/admin/account/two-step",
        "/admin/account/two-step",
        action="on",
        code=pyotp.TOTP(secret).now(),
    )
    assert response.status_code == 303
    return secret


def _code_step(client, code: str):
    token = csrf_token(client, "/admin/sign-in/code")
    return client.post("/admin/sign-in/code", data={"code": code, "csrf_token": token})


def test_two_step_sign_in(directory, admin_client, admin_user):
    secret = _turn_on_two_step(admin_client)
    client = directory.test_client()
    first = sign_in(client, admin_user.email, admin_user.password)
    assert first.headers["Location"] == "/admin/sign-in/code"
    assert client.get("/admin/").status_code == 302  # the password alone is not enough
    assert (
        _code_step(
            client, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
        ).status_code
        == 401
    )
    # The current code was spent turning two-step on: the next one is accepted early.
    code = pyotp.TOTP(secret).at(time.time() + 30)
    assert _code_step(client, code).status_code == 303
    assert client.get("/admin/").status_code == 200
    replay = directory.test_client()
    sign_in(replay, admin_user.email, admin_user.password)
    assert _code_step(replay, code).status_code == 401  # a code works once


def test_an_owner_can_require_two_step_sign_in(directory, admin_user):
    with directory.app_context():
        set_totp_required(db.session, True)
        db.session.commit()
    try:
        client = directory.test_client()
        assert sign_in(client, admin_user.email, admin_user.password).status_code == 303
        page = text(client.get("/admin/sign-in/code"))
        assert "Set it up once" in page
        secret = page.split('id="two-step-secret">')[1].split("<")[0]
        assert _code_step(client, pyotp.TOTP(secret).now()).status_code == 303
        assert client.get("/admin/").status_code == 200
        with directory.app_context():
            assert db.session.get(AdminUser, admin_user.id).totp_secret == secret
    finally:
        result = directory.test_cli_runner().invoke(args=["require-totp", "--off"])
        assert result.exit_code == 0


def test_require_totp_command(directory):
    from locator.admin.account_store import totp_required

    runner = directory.test_cli_runner()
    try:
        assert runner.invoke(args=["require-totp"]).exit_code == 0
        with directory.app_context():
            assert totp_required(db.session)
    finally:
        runner.invoke(args=["require-totp", "--off"])
    with directory.app_context():
        assert not totp_required(db.session)


def test_sign_in_needs_no_database_write(directory, admin_user):
    """An import's apply holds the write lock: signing in must not wait for it."""
    with directory.app_context():
        connection = db.engine.connect()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")
            connection.exec_driver_sql("LOCK TABLE admin_user IN EXCLUSIVE MODE")
    statuses: list[int] = []
    client = directory.test_client()
    token = csrf_token(client, "/admin/sign-in")
    form = {"email": admin_user.email, "password": admin_user.password, "csrf_token": token}
    worker = threading.Thread(
        target=lambda: statuses.append(client.post("/admin/sign-in", data=form).status_code)
    )
    started = time.monotonic()
    try:
        worker.start()
        worker.join(timeout=4)
        assert statuses == [303], "the sign-in waited for the write lock"
        assert time.monotonic() - started < 4
    finally:
        connection.rollback()
        connection.close()
        worker.join()


def test_migration_makes_existing_admins_owners(tmp_path):
    from alembic import command

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
        connection.exec_driver_sql(
            "INSERT INTO admin_user (email, password_hash, active, created_at) "
            "VALUES ('old@example.org', 'x', 1, '2026-01-01')"
        )
        command.upgrade(config, "head")
        row = connection.exec_driver_sql(
            "SELECT role, session_version, totp_secret FROM admin_user"
        ).one()
    engine.dispose()
    assert tuple(row) == ("owner", 0, None)
