"""Reads from a read replica: search and the public pages read through `read_session()`,
while the admin area, imports and the contact form write through `db.session` (the primary).

Set LOCATOR_DATABASE_READ_URL to a replica of LOCATOR_DATABASE_URL. The read engine is a
Flask-SQLAlchemy bind named "read", so it takes the same engine options and is disposed of
with the others. On PostgreSQL it reads in autocommit, even from the primary (no replica
set): psycopg forgets its prepared statements at every ROLLBACK, and a request's read
transaction always ends in one, so search would be planned anew at every request (about
0.5 ms of 1 ms at 20,000 centers) and pay for BEGIN and ROLLBACK besides. Reads need no
transaction: each statement sees a consistent directory. On SQLite, with no replica,
reads share the primary's session.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from locator.extensions import db

READ_BIND = "read"
_EXTENSION = "locator.read_replica"


def init_app(app: Flask) -> None:
    """Add the replica as a bind (call before db.init_app) and close its sessions."""
    read_url = (app.config.get("LOCATOR_DATABASE_READ_URL") or "").strip()
    if read_url:
        try:
            sa.make_url(read_url)
        except sa.exc.ArgumentError as error:
            raise RuntimeError(
                "LOCATOR_DATABASE_READ_URL is not a database URL: give one like "
                "postgresql+psycopg://USER@REPLICA-HOST:5432/DBNAME, or leave it unset to read "
                "from LOCATOR_DATABASE_URL."
            ) from error
    primary = app.config["SQLALCHEMY_DATABASE_URI"]
    replica = bool(read_url) and read_url != primary
    url = sa.make_url(read_url if replica else primary)
    autocommit = url.get_backend_name() == "postgresql"
    separate = replica or autocommit
    if separate:
        binds = dict(app.config.get("SQLALCHEMY_BINDS") or {})
        binds[READ_BIND] = {"url": url, **({"isolation_level": "AUTOCOMMIT"} if autocommit else {})}
        app.config["SQLALCHEMY_BINDS"] = binds
    app.extensions[_EXTENSION] = {"separate": separate, "factory": None}
    app.teardown_appcontext(_close_read_session)


def read_engine():
    """The engine reads go to: the replica's, or the primary's when there is none."""
    if current_app.extensions[_EXTENSION]["separate"]:
        return db.engines[READ_BIND]
    return db.engine


def _factory() -> sessionmaker:
    state = current_app.extensions[_EXTENSION]
    if state["factory"] is None:
        from locator.database import configure_engine

        engine = db.engines[READ_BIND]
        configure_engine(engine)
        state["factory"] = sessionmaker(bind=engine, autoflush=False, expire_on_commit=False)
    return state["factory"]


def read_session() -> Session:
    """The session for reading: one per app context, on the replica when there is one."""
    if not current_app.extensions[_EXTENSION]["separate"]:
        return db.session
    if "locator_read_session" not in g:
        g.locator_read_session = _factory()()
    return g.locator_read_session


def _close_read_session(_error: BaseException | None = None) -> None:
    session = g.pop("locator_read_session", None)
    if session is not None:
        session.close()
