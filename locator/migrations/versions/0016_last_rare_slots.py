"""rare filters' own indexes for sign language and for children and teens

Revision ID: 0016_last_rare_slots
Revises: 0015_second_service_word
Create Date: 2026-11-27 22:20:00.000000

Sign language (AH: 10 % of the benchmark's million centers) and children and teens (CHLD, AD:
15 %) were the last rare filters without an index of their own (migrations 0014, 0015). At a
million centers PostgreSQL found them in 3.6 and 3.1 ms through the general GiST index,
against 1.1–1.4 ms for every other rare filter through its own. They take the rare R*Tree's
last two slots (6 and 7 of its 8) and, on PostgreSQL, two more partial GiST indexes.

- `rare_filter`: a row for each, with its codes' bits in either word of the service masks
  (both codes of the two have a bit since migration 0015).
- SQLite: the new slots' entries in `center_rare_rtree`, and its triggers on `center_point`
  written again for all the slots that `rare_filter` lists.
- PostgreSQL: `ix_center_rare_6` and `ix_center_rare_7`, over the centers that offer them,
  on the general index's expression; search writes the same condition
  (locator.search.masks.slot_condition), so the planner matches a search to its index.
"""

# ruff: noqa: S608
# (and a `nosec` for bandit's B608 at each statement it flags): the SQL of this migration is
# made of this file's constants and of integers read from the database; nothing from a person.

import sqlalchemy as sa
from alembic import op

revision = "0016_last_rare_slots"
down_revision = "0015_second_service_word"
branch_labels = None
depends_on = None

# (slot, the filter key it serves, its codes): data/filters.csv's codes for each.
NEW_RARE = ((6, "sign-language", "AH"), (7, "adolescents", "CHLD AD"))
SLOTS = 8  # as in migration 0014: entries of the R*Tree per center, id × SLOTS + slot
SPREAD = 1000  # and the slot's coordinate, slot × SPREAD, each entry 1 wide (0015)
RTREE = "center_rare_rtree"
PLACED = "published AND latitude IS NOT NULL AND longitude IS NOT NULL"
GEOGRAPHY = "(ST_MakePoint(longitude, latitude)::geography)"
EARTH = "ll_to_earth(latitude, longitude)"


def offers(row: str, mask: int, mask2: int) -> str:
    """A slot's condition on a row (`row` is "NEW." or ""): a bit of either word, written as
    migration 0015 and search write it."""
    parts = [f"({row}service_mask & {mask}) <> 0"] if mask else []
    parts += [f"({row}service_mask2 & {mask2}) <> 0"] if mask2 else []
    return parts[0] if len(parts) == 1 else f"({' OR '.join(parts)})"


def _new_slots() -> list[dict]:
    """The new slots' rows of `rare_filter`, their masks read from the tables of bits."""
    connection = op.get_bind()
    first = dict(connection.execute(sa.text("SELECT code, bit FROM service_bit")).all())
    second = dict(connection.execute(sa.text("SELECT code, bit FROM service_bit2")).all())
    return [
        {"slot": slot, "filters": key,
         "mask": sum(1 << first[c] for c in codes.split() if c in first),
         "mask2": sum(1 << second[c] for c in codes.split() if c in second)}
        for slot, key, codes in NEW_RARE
    ]  # fmt: skip


def _sqlite_triggers() -> None:
    """The rare R*Tree's triggers on `center_point` (migration 0015's), for every slot that
    `rare_filter` lists now."""
    slots = op.get_bind().execute(sa.text("SELECT slot, mask, mask2 FROM rare_filter")).all()
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS center_rare_{event}")
    add = " ".join(
        f"INSERT INTO {RTREE} SELECT NEW.id * {SLOTS} + {slot}, {slot * SPREAD}, "  # nosec
        f"{slot * SPREAD + 1}, NEW.latitude, NEW.latitude, NEW.longitude, NEW.longitude "
        f"WHERE {offers('NEW.', mask, mask2)};"
        for slot, mask, mask2 in slots
    )
    # One statement a slot: the R*Tree finds an entry by its exact id only.
    remove = " ".join(
        f"DELETE FROM {RTREE} WHERE id = OLD.id * {SLOTS} + {slot};"  # nosec
        for slot, _, _ in slots
    )
    columns = "id, latitude, longitude, service_mask, service_mask2"
    op.execute(f"CREATE TRIGGER center_rare_insert AFTER INSERT ON center_point BEGIN {add} END")
    op.execute(f"CREATE TRIGGER center_rare_delete AFTER DELETE ON center_point BEGIN {remove} END")
    op.execute(
        f"CREATE TRIGGER center_rare_update AFTER UPDATE OF {columns} "
        f"ON center_point BEGIN {remove} {add} END"
    )


def _postgresql_expression() -> str | None:
    """The expression of the general GiST index (migration 0004), if there is one."""
    names = set(
        op.get_bind()
        .execute(sa.text("SELECT indexname FROM pg_indexes WHERE tablename = 'center'"))
        .scalars()
    )
    if "ix_center_geography" in names:
        return GEOGRAPHY
    return EARTH if "ix_center_earth" in names else None


def upgrade() -> None:
    rows = _new_slots()
    table = sa.table("rare_filter", sa.column("slot"), sa.column("filters"),
                     sa.column("mask"), sa.column("mask2"))  # fmt: skip
    op.bulk_insert(table, rows)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for row in rows:
            slot = row["slot"]
            op.execute(
                f"INSERT INTO {RTREE} SELECT id * {SLOTS} + {slot}, {slot * SPREAD}, "  # nosec
                f"{slot * SPREAD + 1}, latitude, latitude, longitude, longitude "
                f"FROM center_point WHERE {offers('', row['mask'], row['mask2'])}"
            )
        _sqlite_triggers()
    elif dialect == "postgresql" and (expression := _postgresql_expression()):
        for row in rows:
            op.execute(
                f"CREATE INDEX ix_center_rare_{row['slot']} ON center USING gist "
                f"({expression}) WHERE {PLACED} AND {offers('', row['mask'], row['mask2'])}"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    first = min(slot for slot, _, _ in NEW_RARE)
    op.execute(f"DELETE FROM rare_filter WHERE slot >= {first}")  # nosec
    if dialect == "sqlite":
        # The R*Tree answers a range of its slot coordinate from the tree itself.
        op.execute(f"DELETE FROM {RTREE} WHERE min_slot >= {first * SPREAD}")  # nosec
        _sqlite_triggers()
    elif dialect == "postgresql":
        for slot, _, _ in NEW_RARE:
            op.execute(f"DROP INDEX IF EXISTS ix_center_rare_{slot}")
