"""`flask create-admin`, typed at a terminal or fed on standard input."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from locator.admin import commands as admin_commands
from locator.admin.account_store import authenticate, find_admin
from locator.extensions import db
from locator.models import AdminUser

PASSWORD = "a long enough passphrase"


@pytest.fixture
def email(directory):
    """An address no account has; its account, if a test makes one, is removed after."""
    address = "cli-admin@example.org"
    yield address
    with directory.app_context():
        db.session.execute(sa.delete(AdminUser).where(AdminUser.email == address))
        db.session.commit()


@pytest.fixture
def at_a_terminal(monkeypatch):
    """Standard input behaves as a person's terminal, so the password is asked twice."""
    monkeypatch.setattr(admin_commands, "stdin_is_terminal", lambda: True)


def create_admin(directory, *args: str, input: str):
    return directory.test_cli_runner().invoke(args=["create-admin", *args], input=input)


def signs_in(directory, email: str, password: str) -> bool:
    with directory.app_context():
        signed_in = authenticate(db.session, email, password) is not None
        db.session.rollback()
        return signed_in


def test_password_typed_twice_creates_the_account(directory, email, at_a_terminal):
    result = create_admin(directory, email, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    assert PASSWORD not in result.output  # the prompt hides what is typed
    assert f"Created the admin account {email} (owner)." in result.output
    assert signs_in(directory, email, PASSWORD)


def test_two_different_passwords_create_nothing(directory, email, at_a_terminal):
    result = create_admin(directory, email, input=f"{PASSWORD}\n{PASSWORD}x\n")
    assert result.exit_code != 0
    assert "do not match" in result.output
    with directory.app_context():
        assert find_admin(db.session, email) is None


def test_a_short_password_is_refused(directory, email, at_a_terminal):
    result = create_admin(directory, email, input="eleven char\neleven char\n")
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output and "Nothing was saved" in result.output
    with directory.app_context():
        assert find_admin(db.session, email) is None


@pytest.mark.parametrize("args", [["--password-stdin"], []])
def test_password_read_from_standard_input(directory, email, args):
    result = create_admin(directory, email, *args, input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Repeat" not in result.output
    assert signs_in(directory, email, PASSWORD)


def test_nothing_on_standard_input_is_refused(directory, email):
    result = create_admin(directory, email, "--password-stdin", input="")
    assert result.exit_code == 1 and "No password was given" in result.output


def test_only_a_strong_hash_is_stored(directory, email):
    create_admin(directory, email, input=f"{PASSWORD}\n")
    with directory.app_context():
        stored = find_admin(db.session, email).password_hash
    assert stored.startswith("scrypt:") and PASSWORD not in stored


def test_running_it_again_changes_the_password(directory, email):
    create_admin(directory, email.upper(), input=f"{PASSWORD}\n")
    result = create_admin(directory, email, input="another long passphrase\n")
    assert result.exit_code == 0
    assert "already existed: its password is now changed" in result.output
    assert signs_in(directory, email, "another long passphrase")
    assert not signs_in(directory, email, PASSWORD)
    with directory.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(AdminUser.email == email)) == 1


def test_a_malformed_email_is_refused(directory):
    result = create_admin(directory, "not-an-address", input=f"{PASSWORD}\n")
    assert result.exit_code == 2 and "is not an email address" in result.output
