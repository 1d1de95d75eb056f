"""Layered fixtures: app (schema migrated once) → directory (listings loaded once) → client."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

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

from hypothesis import settings

from locator.extensions import db
from locator.taxonomy import current_taxonomy
from tests.helpers.databases import (
    migrated_app,
    sqlite_folder,
    worker_database_url,
    worker_name,
)
from tests.helpers.examples import QUICK_PROFILE
from tests.helpers.factories import HAND_MADE_CENTERS, replace_source
from tools.sample_directory import generate_centers

# The development loop's profile (`make check`): fewer examples, see tests/helpers/examples.py.
settings.register_profile(QUICK_PROFILE, max_examples=20)

# The suite's processes keep some 250,000 objects past the app's frozen start-up; with the
# default thresholds (700, 10, 10) the collector walked them all 30-odd times a run, about
# 150 ms each: 7 s of CPU across the workers, 2 s with collections 14 times rarer.
gc.set_threshold(10_000, 10, 10)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """SQLite in a temporary folder, or the engine named by LOCATOR_TEST_DATABASE_URL; under
    pytest-xdist, each worker has its own (see tests/helpers/databases.py)."""
    given = os.environ.get("LOCATOR_TEST_DATABASE_URL")
    if given:
        yield worker_database_url(given, worker_name())
        return
    with sqlite_folder(tmp_path_factory.mktemp("db")) as folder:
        yield f"sqlite:///{folder / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """The app on a freshly migrated database, with an instance folder of its own."""
    with migrated_app(database_url, tmp_path_factory.mktemp("instance")) as app:
        yield app


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


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    """The browser tests are one xdist group: with `--dist loadgroup` (make test) one worker
    runs them one after another, as a run without xdist does, while the others take the rest."""
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("browser"))
