"""Layered fixtures: app (schema migrated once) → directory (listings loaded once) → client."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

os.environ.setdefault("LOCATOR_SECRET_KEY", "test-secret-key")

from locator import create_app
from locator.cli import init_database
from locator.extensions import db
from locator.importers.load import replace_source
from locator.sample_directory import generate_centers
from locator.taxonomy import current_taxonomy
from tests.factories import HAND_MADE_CENTERS


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
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        _drop_everything()
        init_database()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


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
