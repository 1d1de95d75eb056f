"""The migrations build exactly the schema the models describe."""

import sqlite3

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from locator.database import alembic_config
from locator.extensions import db

# Made by raw SQL in migrations: site search (0003), the spatial index, the service bits and
# PostGIS's own table (0004), the R*Tree entries' points (0006), the rare filters' indexes (0014),
# the second word's bits (0015).
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


def _down_and_up(connection, revision: str, measure, between=None) -> list:
    """`measure` before, after going down to `revision` (and `between`, run there), and
    after coming back to the head."""
    config = alembic_config()
    config.attributes["connection"] = connection
    seen = [measure(connection)]
    command.downgrade(config, revision)
    seen.append(measure(connection))
    if between:
        between(connection)
    command.upgrade(config, "head")
    return [*seen, measure(connection)]


def _on_a_copy(directory, tmp_path, work) -> list:
    """`work(connection)` on the loaded directory: on SQLite a copy of it, on PostgreSQL in
    a transaction rolled back."""
    with directory.app_context():
        if db.engine.dialect.name == "sqlite":
            copy = tmp_path / "copy.sqlite3"
            with sqlite3.connect(db.engine.url.database) as source, sqlite3.connect(copy) as target:
                source.backup(target)
            engine = sa.create_engine(f"sqlite:///{copy}")
            with engine.begin() as connection:
                seen = work(connection)
            engine.dispose()
        else:
            with db.engine.connect() as connection:
                transaction = connection.begin()
                seen = work(connection)
                transaction.rollback()
    return seen


def test_the_rare_filters_migration_goes_down_and_up_again(directory, tmp_path):
    """Migration 0014 undone and done again on a loaded directory: its indexes are dropped,
    then rebuilt (with the two slots of migration 0015 and the two of 0016)."""
    work = lambda connection: _down_and_up(connection, "0013_article_languages", _rare_indexes)  # noqa: E731
    before, down, up = _on_a_copy(directory, tmp_path, work)
    assert down == (-1, -1)
    assert before == up and up[0] == 8 and up[1] >= 8


def _second_word(connection) -> dict:
    """What migration 0015 adds: each center's second word (stored, and from its links),
    the rare filters' slots, and (SQLite) the rare R*Tree's entries by slot."""
    columns = {c["name"] for c in sa.inspect(connection).get_columns("center")}
    stored, linked = {}, {}
    if "service_mask2" in columns:
        rows = connection.execute(sa.text("SELECT id, service_mask2 FROM center"))
        stored = {center_id: mask for center_id, mask in rows if mask}
        bits = dict(connection.execute(sa.text("SELECT code, bit FROM service_bit2")).all())
        for center_id, code in connection.execute(sa.text("SELECT * FROM center_service")):
            if code in bits:
                linked[center_id] = linked.get(center_id, 0) | 1 << bits[code]
    slots = connection.execute(sa.text("SELECT slot FROM rare_filter ORDER BY slot")).scalars()
    entries: dict[int, int] = {}
    slot6_ids: set[int] = set()
    if connection.dialect.name == "sqlite":
        for slot, count in connection.execute(
            sa.text("SELECT min_slot, count(*) FROM center_rare_rtree GROUP BY min_slot")
        ):
            entries[int(slot) // 1000] = count
        slot6_ids = set(
            connection.execute(
                sa.text("SELECT id FROM center_rare_rtree WHERE min_slot BETWEEN 6000 AND 6001")
            ).scalars()
        )
    return {"stored": stored, "linked": linked, "slots": list(slots), "entries": entries,
            "slot6_ids": slot6_ids}  # fmt: skip


PLACED = "published AND latitude IS NOT NULL AND longitude IS NOT NULL"


def _placed_center(connection, pick: str) -> int:
    """The `pick` ("min" or "max") id of the published, placed centers."""
    return connection.execute(sa.text(f"SELECT {pick}(id) FROM center WHERE {PLACED}")).scalar_one()


def _relink(connection, center_id: int, codes: tuple[str, ...], slot: int) -> int | None:
    """Link `codes` to the center anew (each taken away first, so that the insert's triggers
    run) and count its entries of `slot` in SQLite's rare R*Tree (None on PostgreSQL)."""
    for code in codes:
        connection.execute(
            sa.text("DELETE FROM center_service WHERE center_id = :c AND service_code = :s"),
            {"c": center_id, "s": code},
        )
        connection.execute(sa.text("INSERT INTO center_service VALUES (:c, :s)"),
                           {"c": center_id, "s": code})  # fmt: skip
    if connection.dialect.name != "sqlite":
        return None
    entry = connection.execute(
        sa.text("SELECT count(*) FROM center_rare_rtree WHERE id = :id"),
        {"id": center_id * 8 + slot},
    )
    return entry.scalar_one()


def _link_languages_and_methadone(connection) -> None:
    """Under migration 0014's schema, a center gains methadone and a language of the second
    word: its triggers, as 0015's downgrade left them, keep the first word and its index."""
    entries = _relink(connection, _placed_center(connection, "min"), ("METH", "F4"), 2)
    assert entries in (None, 1)


def test_the_second_word_migration_goes_down_and_up_again(directory, tmp_path):
    """Migration 0015 undone and done again on a loaded directory: the second word and its
    two slots go and come back, computed again from the links."""
    work = lambda connection: _down_and_up(  # noqa: E731
        connection, "0014_rare_filter_indexes", _second_word, _link_languages_and_methadone
    )
    before, down, up = _on_a_copy(directory, tmp_path, work)
    assert before["stored"] == before["linked"] and len(before["stored"]) > 20
    assert down["stored"] == down["linked"] == {} and down["slots"] == [0, 1, 2, 3]
    assert up["stored"] == up["linked"] and len(up["stored"]) >= len(before["stored"])
    assert up["slots"] == [0, 1, 2, 3, 4, 5, 6, 7]
    if directory.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert down["entries"] == {s: n for s, n in before["entries"].items() if s < 4}
        assert up["entries"][4] > 20 and up["entries"][5] > 20


def _link_sign_language(connection) -> None:
    """Under migration 0015's schema, a placed center gains sign language (AH): the R*Tree's
    triggers, as 0016's downgrade wrote them again, add no entry of slot 6 any more."""
    entries = _relink(connection, _placed_center(connection, "max"), ("AH",), 6)
    assert entries in (None, 0)


def test_the_last_rare_slots_migration_goes_down_and_up_again(directory, tmp_path):
    """Migration 0016 undone and done again on a loaded directory: sign language's and
    children and teens' slots (and SQLite's entries of them) go, and come back from the
    masks, a link made in between included."""

    def work(connection) -> list:
        seen = _down_and_up(
            connection, "0015_second_service_word", _second_word, _link_sign_language
        )
        return [*seen, _placed_center(connection, "max")]

    before, down, up, linked = _on_a_copy(directory, tmp_path, work)
    assert before["slots"] == up["slots"] == [0, 1, 2, 3, 4, 5, 6, 7]
    assert down["slots"] == [0, 1, 2, 3, 4, 5]
    assert up["stored"] == up["linked"]
    if directory.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert down["entries"] == {s: n for s, n in before["entries"].items() if s < 6}
        assert up["entries"][7] == before["entries"][7] > 0
        assert up["entries"][6] - before["entries"][6] in (0, 1)
        assert linked * 8 + 6 in up["slot6_ids"]
