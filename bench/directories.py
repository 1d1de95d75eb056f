"""Synthetic directories for the benchmark, loaded into SQLite and PostgreSQL.

The centers come from `tools.sample_directory.generate_centers` (placed like the US
population, with the taxonomy's services). Up to BULK_FROM centers they are written once to a
CSV file, then loaded the app's way, through the seed path (`load_sample_directory`: the import
pipeline, as every load is; the place table, the site-search index, and the spatial index kept
by triggers or GiST). Bigger directories go straight into the tables (bench/bulk_load.py):
the import path takes over an hour for a million on PostgreSQL.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from bench.bulk_load import bulk_load
from locator import create_app
from locator.cli import init_database, load_sample_directory
from locator.extensions import db
from tools.sample_directory import write_csv

SEED = 20261121
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/"
# From this size on, a directory is loaded by bench/bulk_load.py instead of the import path.
BULK_FROM = 100_000


@dataclass
class Directory:
    """One loaded directory: where it is and what loading it took."""

    engine: str
    size: int
    url: str
    generate_seconds: float | None
    load_seconds: float
    vacuum_seconds: float
    reused: bool
    bulk: bool = False


def database_url(engine: str, size: int, folder: Path, postgres: str) -> str:
    """The benchmark's own database for one engine and size (never the test databases)."""
    if engine == "sqlite":
        return f"sqlite:///{folder / f'bench-{size}.sqlite3'}"
    return f"{postgres.rstrip('/')}/bench_{size}"


def create_postgres_database(url: str) -> None:
    """Create the database of a PostgreSQL URL if it does not exist yet."""
    target = sa.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        ).first()
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def centers_csv(size: int, folder: Path) -> tuple[Path, float | None]:
    """The generated CSV of `size` centers (made once); seconds taken, None if reused."""
    path = folder / f"centers-{size}-{SEED}.csv"
    if path.exists():
        return path, None
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    from tools.sample_directory import generate_centers

    write_csv(partial, generate_centers(size, SEED))
    partial.replace(path)
    return path, time.perf_counter() - started


def _drop_everything() -> None:
    """Start from an empty database, as the test suite does."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def _vacuum(url: str) -> float:
    """PostgreSQL: VACUUM ANALYZE after the load, as an operator would (plans need stats)."""
    if not url.startswith("postgresql"):
        return 0.0
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    started = time.perf_counter()
    with engine.connect() as connection:
        connection.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started


def _ledger(folder: Path) -> dict:
    path = folder / "loaded.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _newest_revision() -> str:
    from alembic.script import ScriptDirectory

    from locator.database import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _upgrade(url: str) -> None:
    from locator.database import upgrade_database

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade_database()
        for engine in db.engines.values():
            engine.dispose()


def _holds(url: str, size: int) -> bool:
    """Whether the database already holds a directory of that size, in the newest schema."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            count = connection.execute(sa.text("SELECT count(*) FROM center")).scalar()
            revision = connection.execute(
                sa.text("SELECT version_num FROM alembic_version")
            ).scalar()
    except sa.exc.DBAPIError:
        return False
    finally:
        engine.dispose()
    if count == size and revision != _newest_revision():
        _upgrade(url)  # a later migration: bring the loaded directory forward, as a deploy does
        return True
    return count == size


def prepare(engine: str, size: int, folder: Path, postgres: str, reuse: bool) -> Directory:
    """A loaded directory: loaded now and timed, or (with `reuse`) the one already there."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    url = database_url(engine, size, folder, postgres)
    key = f"{engine}-{size}-{SEED}"
    ledger = _ledger(folder)
    if engine == "postgresql":
        create_postgres_database(url)
    if reuse and key in ledger and _holds(url, size):
        return Directory(engine, size, url, reused=True, **ledger[key])
    bulk = size >= BULK_FROM
    path, generate_seconds = (None, None) if bulk else centers_csv(size, folder)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        _drop_everything()
        init_database()
        started = time.perf_counter()
        if bulk:  # generated as it is written: no CSV
            bulk_load(size, SEED, say=lambda text: print(f"  {engine} {size:,}: {text}"))
        else:
            load_sample_directory(path)
        load_seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    figures = {
        "generate_seconds": generate_seconds,
        "load_seconds": load_seconds,
        "vacuum_seconds": _vacuum(url),
        "bulk": bulk,
    }
    ledger = _ledger(folder)  # again: another run may have written it meanwhile
    ledger[key] = figures
    (folder / "loaded.json").write_text(json.dumps(ledger, indent=2))
    return Directory(engine, size, url, reused=False, **figures)
