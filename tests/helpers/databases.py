"""Where the tests keep their databases: one per pytest-xdist worker, and scratch ones.

SQLite files go to a memory-backed folder when the system has one (/dev/shm): the suite
commits thousands of times, and on a disk each commit waits for the file to be flushed.
On PostgreSQL each worker gets a database of its own, named after the one given
(test → test_gw0, test_gw1), created on first use.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from locator import create_app
from locator.cli import init_database
from locator.extensions import db

MEMORY_FOLDER = Path("/dev/shm")  # noqa: S108 (a folder of our own is made inside it)


def worker_name() -> str | None:
    """This process's pytest-xdist worker ("gw0", "gw1"…), or None outside xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER")


@contextmanager
def sqlite_folder(fallback: Path) -> Iterator[Path]:
    """A folder of our own in memory (removed after), else `fallback` (a pytest tmp folder)."""
    if not (MEMORY_FOLDER.is_dir() and os.access(MEMORY_FOLDER, os.W_OK)):
        yield fallback
        return
    folder = Path(tempfile.mkdtemp(prefix="locator-tests-", dir=MEMORY_FOLDER))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def worker_database_url(url: str, worker: str | None) -> str:
    """The PostgreSQL URL for this worker: the given one outside xdist, else the same server
    and a database named after the given one and the worker, created if it is missing."""
    if worker is None or not url.startswith("postgresql"):
        return url
    given = sa.make_url(url)
    name = f"{given.database}_{worker}"
    with server_connection(given) as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.execute(sa.text(f"CREATE DATABASE {_quoted(connection, name)}"))
    return given.set(database=name).render_as_string(hide_password=False)


@contextmanager
def scratch_database(beside: str, name: str) -> Iterator[str]:
    """The URL of a new, empty database beside the session's (`beside`), removed after: for a
    test whose data would be slow to take out of the shared database again."""
    url = sa.make_url(beside)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database).with_name(f"{name}.sqlite3")
        try:
            yield f"sqlite:///{path}"
        finally:
            for leftover in (path, *path.parent.glob(f"{path.name}-*")):  # -wal, -shm
                leftover.unlink(missing_ok=True)
        return
    database = f"{url.database}_{name}"
    with server_connection(url) as connection:
        _drop(connection, database)  # left by a run that was stopped halfway
        connection.execute(sa.text(f"CREATE DATABASE {_quoted(connection, database)}"))
    try:
        yield url.set(database=database).render_as_string(hide_password=False)
    finally:
        with server_connection(url) as connection:
            _drop(connection, database)


@contextmanager
def server_connection(url: sa.URL) -> Iterator[sa.Connection]:
    """A connection outside transactions (as CREATE DATABASE needs) to `url`'s database."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _quoted(connection: sa.Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def _drop(connection: sa.Connection, name: str) -> None:
    connection.execute(sa.text(f"DROP DATABASE IF EXISTS {_quoted(connection, name)} WITH (FORCE)"))


@contextmanager
def migrated_app(url: str, instance: Path | None = None) -> Iterator[Flask]:
    """The app for tests on the database `url`, emptied and migrated to the newest schema;
    given `instance`, uploads go there instead of the checkout's instance/ folder, apart from
    those of the other workers' tests."""
    # Jobs run in the request that starts them, so tests need no worker; the tests of
    # background jobs turn the thread pool on with the `background_jobs` fixture.
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
              "LOCATOR_IMPORT_IN_BACKGROUND": False}  # fmt: skip
    app = create_app(config)
    if instance is not None:
        app.instance_path = str(instance)
    try:
        with app.app_context():
            _drop_everything()
            init_database()
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():  # the read engine too
                engine.dispose()


def _drop_everything() -> None:
    """Start from an empty database, whatever an earlier run left."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
