"""Schema migrations (Alembic, run in-process) and engine-specific set-up."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, event

from locator.extensions import db

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """An Alembic config that points at the package's migrations, not at an ini file."""
    # Alembic is imported when migrating only: it costs a worker 10 MB and a third of a second.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade_database() -> None:
    """Bring the schema of the app's database to the newest migration."""
    from alembic import command

    with db.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets readers run during an import.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # A statement that may fail halfway keeps the pages it changes in a statement journal,
    # a temporary file by default: a link insert (foreign keys and the mask trigger) wrote
    # seven small pieces to it, 9.6 million writes and 9 s of system time in the default
    # load. In memory it is the same journal without the system calls.
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def configure_engine(engine: Engine) -> None:
    """Engine-specific settings that every connection needs."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if engine.dialect.name == "postgresql":
        # Bulk inserts as multi-row statements (1,000 rows each), not one statement a row:
        # faster, and the statement triggers on center_service (migration 0004) run once per
        # thousand links instead of once per link.
        engine.dialect.use_insertmanyvalues_wo_returning = True
