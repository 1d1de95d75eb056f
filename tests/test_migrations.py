"""The migrations build exactly the schema the models describe."""

import sqlite3

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from locator.database import alembic_config
from locator.extensions import db

# Made by raw SQL in migrations: site search (0003), the spatial index, the service bits and
# PostGIS's own table (0004), the R*Tree entries' points (0006), the rare filters' indexes (0014).
DERIVED = ("search", "center_rtree", "center_point", "ix_center_geography", "ix_center_earth",
           "spatial_ref_sys", "service_bit", "center_rare_rtree", "ix_center_rare_",
           "rare_filter")  # fmt: skip


def _derived(name: str) -> bool:
    return any(part in name for part in DERIVED)


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [
            d
            for d in compare_metadata(context, db.metadata)
            # Search indexes made by raw SQL in migrations are not models' business.
            if not (d[0] in ("remove_table", "remove_index") and _derived(str(d[1])))
        ]
    assert differences == []


def _rare_indexes(connection) -> tuple[int, int]:
    """(rare_filter rows, entries or indexes of the rare filters); (-1, -1) with no table."""
    inspector = sa.inspect(connection)
    if "rare_filter" not in inspector.get_table_names():
        return -1, -1
    slots = connection.execute(sa.text("SELECT count(*) FROM rare_filter")).scalar_one()
    if connection.dialect.name == "sqlite":
        entries = connection.execute(sa.text("SELECT count(*) FROM center_rare_rtree"))
        return slots, entries.scalar_one()
    names = [i["name"] for i in inspector.get_indexes("center")]
    return slots, sum(name.startswith("ix_center_rare_") for name in names)


def _down_and_up(connection) -> list[tuple[int, int]]:
    config = alembic_config()
    config.attributes["connection"] = connection
    seen = [_rare_indexes(connection)]
    command.downgrade(config, "0013_article_languages")
    seen.append(_rare_indexes(connection))
    command.upgrade(config, "head")
    return [*seen, _rare_indexes(connection)]


def test_the_rare_filters_migration_goes_down_and_up_again(directory, tmp_path):
    """Migration 0014 undone and done again on a loaded directory (on SQLite a copy of it,
    on PostgreSQL in a transaction rolled back): its indexes are dropped, then rebuilt."""
    with directory.app_context():
        if db.engine.dialect.name == "sqlite":
            copy = tmp_path / "copy.sqlite3"
            with sqlite3.connect(db.engine.url.database) as source, sqlite3.connect(copy) as target:
                source.backup(target)
            engine = sa.create_engine(f"sqlite:///{copy}")
            with engine.begin() as connection:
                seen = _down_and_up(connection)
            engine.dispose()
        else:
            with db.engine.connect() as connection:
                transaction = connection.begin()
                seen = _down_and_up(connection)
                transaction.rollback()
    before, down, up = seen
    assert down == (-1, -1)
    assert before == up and up[0] == 4 and up[1] >= 4
