"""Layered fixtures: app (schema migrated once) → directory (listings loaded once) → client."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

os.environ.setdefault("LOCATOR_SECRET_KEY", "test-secret-key")
os.environ.setdefault("LOCATOR_PASSWORD_HASH_METHOD", "scrypt:1024:8:1")  # cheap, tests only
# The suite sends hundreds of API and site-search requests from one address; the tests of the
# limits themselves (tests/test_rate_limits.py) set low ones.
os.environ.setdefault("LOCATOR_API_RATE_LIMIT", "100000 per minute")
os.environ.setdefault("LOCATOR_SEARCH_RATE_LIMIT", "100000 per minute")
os.environ.setdefault("LOCATOR_PAGE_RATE_LIMIT", "100000 per minute")
# Sign-ins are counted per address, and most tests sign in from 127.0.0.1; the tests of the
# lockout (tests/test_admin_auth.py) set low limits.
os.environ.setdefault("LOCATOR_SIGNIN_ATTEMPTS_PER_ADDRESS", "100000 per hour")
os.environ.setdefault("LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT", "100000 per hour")
os.environ.setdefault("LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS", "100000 per hour")

from locator import create_app
from locator.cli import init_database
from locator.extensions import db
from locator.taxonomy import current_taxonomy
from tests.helpers.factories import HAND_MADE_CENTERS, replace_source
from tools.sample_directory import generate_centers


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """SQLite in a temporary folder, or the engine named by LOCATOR_TEST_DATABASE_URL."""
    return os.environ.get("LOCATOR_TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    )


def _drop_everything() -> None:
    """Start from an empty database, whatever an earlier run left."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
def app(database_url):
    """The app on a freshly migrated database."""
    # Jobs run in the request that starts them, so tests need no worker; the tests of
    # background jobs turn the thread pool on with the `background_jobs` fixture.
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
              "LOCATOR_IMPORT_IN_BACKGROUND": False}  # fmt: skip
    app = create_app(config)
    with app.app_context():
        _drop_everything()
        init_database()
    yield app
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():  # the read engine too
            engine.dispose()


@pytest.fixture(scope="session")
def directory(app):
    """A directory loaded once: 600 generated sample centers and a few hand-made ones."""
    with app.app_context():
        taxonomy = current_taxonomy()
        replace_source(db.session, "test", HAND_MADE_CENTERS, taxonomy)
        replace_source(db.session, "sample", generate_centers(600, seed=7), taxonomy)
        db.session.commit()
    return app


@pytest.fixture
def client(directory):
    """A test client on the loaded directory."""
    return directory.test_client()


@pytest.fixture
def app_ctx(directory):
    """An app context, for calling the query modules directly."""
    with directory.app_context():
        yield directory
        db.session.rollback()


@pytest.fixture
def admin_user(directory, request):
    """An active owner account for one test (parametrize indirectly with "editor" for an
    editor); it and its audit entries are removed after."""
    from types import SimpleNamespace
    from uuid import uuid4

    from locator.admin.account_store import save_admin
    from locator.models import AdminUser, AuditEntry
    from tests.helpers.admin import ADMIN_PASSWORD

    email = f"admin-{uuid4().hex[:10]}@example.org"
    with directory.app_context():
        admin, _ = save_admin(db.session, email, ADMIN_PASSWORD, getattr(request, "param", "owner"))
        db.session.commit()
        account = SimpleNamespace(id=admin.id, email=email, password=ADMIN_PASSWORD)
    yield account
    with directory.app_context():
        db.session.execute(sa.delete(AuditEntry).where(AuditEntry.admin_email == email))
        db.session.execute(sa.delete(AdminUser).where(AdminUser.email == email))
        db.session.commit()


@pytest.fixture
def admin_client(directory, admin_user):
    """A test client signed in as `admin_user`."""
    from tests.helpers.admin import sign_in

    client = directory.test_client()
    response = sign_in(client, admin_user.email, admin_user.password)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


@pytest.fixture
def background_jobs(directory):
    """Jobs run in the web process's thread pool, as in development, for one test."""
    directory.config["LOCATOR_IMPORT_IN_BACKGROUND"] = True
    yield
    directory.config["LOCATOR_IMPORT_IN_BACKGROUND"] = False


@pytest.fixture
def importing(app_ctx):
    """The app's session; the listings, codes and runs a test's imports add are removed after."""
    from tests.helpers.importing import imports_cleaned_up

    yield from imports_cleaned_up()


@pytest.fixture
def synchronous(directory):
    """Import jobs run inside the request, so a test reads their outcome right away."""
    before = directory.config["LOCATOR_IMPORT_IN_BACKGROUND"]
    directory.config["LOCATOR_IMPORT_IN_BACKGROUND"] = False
    yield
    directory.config["LOCATOR_IMPORT_IN_BACKGROUND"] = before
