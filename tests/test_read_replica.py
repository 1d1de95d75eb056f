"""LOCATOR_DATABASE_READ_URL: search and the public pages read from the replica, writes go
to the primary. Both URLs point at the test database here, the replica's opened read-only
(as a real replica is), and every statement is counted on the engine that sends it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from locator import create_app
from locator.config import settings_from_environment
from locator.extensions import db, limiter
from locator.models import Center, ContactRequest
from locator.read_replica import READ_BIND, read_engine, read_session

CONGRESS = "congress-avenue-recovery-test-austin-tx"


def read_only_url(primary: str) -> str:
    """Another URL for the same database, opened read-only."""
    url = sa.make_url(primary)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///file:{url.database}?mode=ro&uri=true"
    read_only = url.update_query_dict({"options": "-c default_transaction_read_only=on"})
    return read_only.render_as_string(hide_password=False)


class StatementCount:
    """Statements sent through each engine since the last reset."""

    def __init__(self, engines: dict[str, sa.Engine]) -> None:
        self.counts = dict.fromkeys(engines, 0)
        self.sql: dict[str, list[str]] = {name: [] for name in engines}
        for name, engine in engines.items():
            sa.event.listen(engine, "before_cursor_execute", self._counter(name))

    def _counter(self, name: str):
        def count(_conn, _cursor, statement, *_args) -> None:
            self.counts[name] += 1
            self.sql[name].append(statement.split()[0].upper())

        return count

    def reset(self) -> None:
        """Start counting again."""
        self.counts = dict.fromkeys(self.counts, 0)
        self.sql = {name: [] for name in self.sql}


@pytest.fixture(scope="module")
def replica_app(directory):
    """The app with a replica: another, read-only URL for the test database."""
    primary = directory.config["SQLALCHEMY_DATABASE_URI"]
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": primary,
            "LOCATOR_DATABASE_READ_URL": read_only_url(primary),
        }
    )
    with app.app_context():
        app.extensions["statement_count"] = StatementCount(
            {"primary": db.engine, "replica": db.engines[READ_BIND]}
        )
    yield app
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
    limiter.init_app(directory)  # the limiter object is shared: give it back its storage


@pytest.fixture
def counted(replica_app):
    """The statement counts, reset."""
    count = replica_app.extensions["statement_count"]
    count.reset()
    return count


@pytest.fixture(scope="module")
def congress_id(directory) -> int:
    with directory.app_context():
        return db.session.scalar(sa.select(Center.id).where(Center.slug == CONGRESS))


@pytest.mark.parametrize(
    "path",
    [
        "/search?location=Austin%2C+TX",
        "/search?location=78701&radius=50&service=methadone&page=2",
        "/search?location=Texas",
        "/search?location=65.5%2C-168.0&radius=5",  # nothing in range: the nearest beyond
        f"/centers/{CONGRESS}",
        "/rehab/",
        "/rehab/texas",
        "/rehab/texas/austin",
        "/api/v1/centers?location=78701&service=buprenorphine",
        "/site-search?q=recovery",
    ],
)
def test_public_pages_read_from_the_replica_alone(replica_app, counted, path):
    response = replica_app.test_client().get(path)
    assert response.status_code == 200
    assert counted.counts["replica"] > 0
    assert counted.counts["primary"] == 0, counted.sql["primary"]


def test_one_center_from_the_api_reads_from_the_replica(replica_app, counted, congress_id):
    response = replica_app.test_client().get(f"/api/v1/centers/{congress_id}")
    assert response.get_json()["slug"] == CONGRESS
    assert counted.counts == {"primary": 0, "replica": counted.counts["replica"]} != {}
    assert counted.counts["replica"] > 0


def test_a_request_to_be_contacted_is_written_to_the_primary(replica_app, counted):
    response = replica_app.test_client().post(
        "/contact",
        data={"name": "Replica Test", "email": "replica@example.org", "best_time": "any time",
              "for_whom": "me", "consent": "y"},
    )  # fmt: skip
    assert response.status_code == 302
    assert "INSERT" in counted.sql["primary"]
    assert "INSERT" not in counted.sql["replica"]
    with replica_app.app_context():
        stored = db.session.scalars(
            sa.select(ContactRequest).where(ContactRequest.email == "replica@example.org")
        ).all()
        assert len(stored) == 1
        for request in stored:
            db.session.delete(request)
        db.session.commit()


def test_the_replica_session_cannot_write(replica_app):
    with replica_app.test_request_context("/"):
        session = read_session()
        assert session.get_bind() is db.engines[READ_BIND] is read_engine()
        with pytest.raises(sa.exc.DBAPIError):
            session.execute(sa.text("DELETE FROM geocode_cache"))
        session.rollback()


def _reads_alone(app) -> bool:
    return sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "postgresql"


def test_without_a_replica_reads_go_to_the_primary(directory):
    assert not directory.config["LOCATOR_DATABASE_READ_URL"]
    with directory.test_request_context("/"):
        if not _reads_alone(directory):  # SQLite: the one session
            assert read_session() is db.session and read_engine() is db.engine
            assert READ_BIND not in db.engines
            return
        # PostgreSQL: the primary's database, through an engine that reads in autocommit.
        assert read_engine().url == db.engine.url
        assert read_session().get_bind() is read_engine() is not db.engine
        with read_engine().connect() as connection:
            assert connection.connection.dbapi_connection.autocommit is True


def test_prepared_search_statements_outlive_the_request(directory, client):
    # psycopg forgets what it prepared at each ROLLBACK: reads must not end in one.
    if not _reads_alone(directory):
        pytest.skip("PostgreSQL only: psycopg's prepared statements")
    for _ in range(8):
        assert client.get("/search?location=78701").status_code == 200
    with directory.test_request_context("/"):
        prepared = (
            read_session()
            .execute(sa.text("SELECT count(*) FROM pg_prepared_statements"))
            .scalar_one()
        )
    assert prepared >= 1


def test_the_same_url_as_the_primary_adds_no_replica(directory):
    primary = directory.config["SQLALCHEMY_DATABASE_URI"]
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": primary,
                      "LOCATOR_DATABASE_READ_URL": primary})  # fmt: skip
    try:
        with app.test_request_context("/"):
            if _reads_alone(app):
                assert read_engine().url == db.engine.url
            else:
                assert read_session() is db.session and READ_BIND not in db.engines
    finally:
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()
        limiter.init_app(directory)


def test_a_malformed_replica_url_stops_the_app_with_a_clear_message(directory):
    with pytest.raises(RuntimeError, match="LOCATOR_DATABASE_READ_URL is not a database URL"):
        create_app({"TESTING": True, "LOCATOR_DATABASE_READ_URL": "replica.internal:5432"})


def test_the_setting_is_read_from_the_environment(tmp_path):
    url = "postgresql+psycopg://reader@replica:5432/locator"
    settings = settings_from_environment(
        str(tmp_path), {"LOCATOR_SECRET_KEY": "k", "LOCATOR_DATABASE_READ_URL": url}
    )
    assert settings["LOCATOR_DATABASE_READ_URL"] == url
    assert not settings_from_environment(str(tmp_path), {"LOCATOR_SECRET_KEY": "k"})[
        "LOCATOR_DATABASE_READ_URL"
    ]
