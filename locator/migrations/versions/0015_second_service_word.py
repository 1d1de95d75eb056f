"""rare filters for other languages and day treatment: a second word of service bits

Revision ID: 0015_second_service_word
Revises: 0014_rare_filter_indexes
Create Date: 2026-11-27 18:45:00.000000

Other languages (6 % of the National Directory's centers) and day treatment (15 %) had no
index of their own, and took 23 to 50 ms and 7 to 12 ms at a million centers: 21 of the
first's 22 codes and `PH` of the second have no bit in `center.service_mask`, whose 63 bits
are all taken (migrations 0004, 0007), so a center's membership could not be read from its
mask and each candidate was looked up in center_service.

- `service_bit2` gives each filter code without a bit (22 of them, frozen here) a bit in a
  second word, `center.service_mask2`, kept from the links by triggers on center_service
  exactly as the first word is (SQLite: row triggers that write only a bit that changes;
  PostgreSQL: statement triggers that OR in an insert's bits and recompute, for the centers
  that lost or gained such a code, after a delete or an update). Every code of every filter
  of data/filters.csv now has a bit in one word or the other, so search tests a filter by the
  two masks in the row it visits and joins center_service only for codes unknown here.
- SQLite: `center_point`, the narrow table search reads (migration 0006), carries the second
  word too, and its triggers on `center` copy it.
- Two more rare filters' slots (migration 0014): other languages (slot 4) and day treatment
  (slot 5), each a center whose first word has one of the slot's bits or whose second word
  has one of its second-word bits (`rare_filter.mask2`). SQLite: their entries in
  `center_rare_rtree`, whose triggers now test both words; PostgreSQL: two more partial GiST
  indexes.
- SQLite: `center_rare_rtree` is built again, each entry 1 wide on the slot axis instead of
  0. With no width there, every node of the tree had an area of 0, so SQLite's R*Tree, which
  chooses where an entry goes by the growth of areas, could not tell nodes apart and put
  entries anywhere: a search of an empty square mile read some 200 µs of nodes (8 µs in the
  general R*Tree), and detox at a million centers gained nothing from its own index. Slots
  stay 1,000 apart, so a node that mixed two would be a thousand times larger: none does.
"""

# ruff: noqa: S608
# (and a `nosec` for bandit's B608 at each statement it flags): the SQL of this migration is
# made of this file's constants and of integers read from the database; nothing from a person.

import sqlalchemy as sa
from alembic import op

revision = "0015_second_service_word"
down_revision = "0014_rare_filter_indexes"
branch_labels = None
depends_on = None

# The filter codes with no bit in service_mask, bit 0 first (other languages', then PH).
SECOND = "NX F4 F17 F19 F25 F28 F30 F31 F35 F36 F37 F42 F43 F47 F66 F67 F70 F81 F92 N24 N40 PH"
# Migration 0014's slots, and the two added here (slot, the filter keys it serves, its codes).
OLD_RARE = (
    (0, "free", "NP"),
    (1, "sober-living", "HH"),
    (2, "methadone otp", "METH MU MM DM OTP"),
    (3, "detox", "DT HID RD OD"),
)
NEW_RARE = (
    (4, "other-languages", "FX " + " ".join(SECOND.split()[:-1])),
    (5, "partial-hospitalization", "ODT PHDT PH"),
)
SLOTS = 8  # as in migration 0014: entries of the R*Tree per center, id × SLOTS + slot
SPREAD = 1000  # and the slot's coordinate, slot × SPREAD
WIDTH = 1  # each entry's width on the slot axis (0 in migration 0014)
RTREE = "center_rare_rtree"
PLACED = "published AND latitude IS NOT NULL AND longitude IS NOT NULL"
NEW_IS_PLACED = "NEW.published AND NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL"
GEOGRAPHY = "(ST_MakePoint(longitude, latitude)::geography)"
EARTH = "ll_to_earth(latitude, longitude)"


def offers(row: str, mask: int, mask2: int) -> str:
    """A slot's condition on a row (`row` is "NEW." or ""): a bit of either word. Search
    writes the same condition (locator.search.sql), so that PostgreSQL's planner matches a
    search to the slot's partial index."""
    parts = [f"({row}service_mask & {mask}) <> 0"] if mask else []
    parts += [f"({row}service_mask2 & {mask2}) <> 0"] if mask2 else []
    return parts[0] if len(parts) == 1 else f"({' OR '.join(parts)})"


def _slot_masks(slots) -> list[tuple[int, str, int, int]]:
    """Each slot with its codes' bits in either word, read from the tables of bits."""
    connection = op.get_bind()
    first = dict(connection.execute(sa.text("SELECT code, bit FROM service_bit")).all())
    second = {code: bit for bit, code in enumerate(SECOND.split())}
    return [
        (slot, keys, sum(1 << first[c] for c in codes.split() if c in first),
         sum(1 << second[c] for c in codes.split() if c in second))
        for slot, keys, codes in slots
    ]  # fmt: skip


# --- the second word and its triggers on center_service ---------------------------------

BITS_OF_CENTER = (
    "SELECT {} FROM center_service AS cs JOIN service_bit2 AS sb ON sb.code = cs.service_code "
    "WHERE cs.center_id = center.id"
)
HAS_BIT = "EXISTS (SELECT 1 FROM service_bit2 WHERE code = {}.service_code)"
BIT_OF = "(1 << (SELECT bit FROM service_bit2 WHERE code = {}.service_code))"
LACKS_BIT = (
    f"((SELECT service_mask2 FROM center WHERE id = NEW.center_id) & {BIT_OF.format('NEW')}) = 0"  # nosec
)


def _add_second_word() -> None:
    op.execute("DROP TABLE IF EXISTS service_bit2")  # derived, like service_bit
    table = op.create_table(
        "service_bit2",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("bit", sa.Integer(), nullable=False, unique=True),
    )
    op.bulk_insert(table, [{"code": c, "bit": i} for i, c in enumerate(SECOND.split())])
    op.add_column(
        "center", sa.Column("service_mask2", sa.BigInteger(), server_default="0", nullable=False)
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    bits = BITS_OF_CENTER.format(
        "bit_or(1::bigint << sb.bit)" if postgresql else "sum(1 << sb.bit)"
    )
    # Only the centers that offer such a code (through the index on service_code).
    op.execute(
        f"UPDATE center SET service_mask2 = coalesce(({bits}), 0) WHERE id IN "  # nosec
        "(SELECT center_id FROM center_service WHERE service_code IN "
        "(SELECT code FROM service_bit2))"
    )


def _sqlite_link_triggers() -> None:
    add = f"UPDATE center SET service_mask2 = service_mask2 | {BIT_OF.format('NEW')}"  # nosec
    remove = f"UPDATE center SET service_mask2 = service_mask2 & ~{BIT_OF.format('OLD')}"  # nosec
    op.execute(
        "CREATE TRIGGER center_service_mask2_insert AFTER INSERT ON center_service WHEN "
        f"{HAS_BIT.format('NEW')} AND {LACKS_BIT} BEGIN {add} WHERE id = NEW.center_id; END"
    )
    op.execute(
        "CREATE TRIGGER center_service_mask2_delete AFTER DELETE ON center_service WHEN "
        f"{HAS_BIT.format('OLD')} BEGIN {remove} WHERE id = OLD.center_id; END"
    )
    op.execute(
        "CREATE TRIGGER center_service_mask2_update AFTER UPDATE ON center_service BEGIN "
        f"{remove} WHERE id = OLD.center_id AND {HAS_BIT.format('OLD')}; "
        f"{add} WHERE id = NEW.center_id AND {HAS_BIT.format('NEW')}; END"
    )


ADD_BITS = """
CREATE OR REPLACE FUNCTION center_service_mask2_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE center SET service_mask2 = center.service_mask2 | added.bits
    FROM (SELECT links.center_id, bit_or(1::bigint << sb.bit) AS bits
          FROM changed_links AS links JOIN service_bit2 AS sb ON sb.code = links.service_code
          GROUP BY links.center_id) AS added
    WHERE center.id = added.center_id
      AND center.service_mask2 | added.bits <> center.service_mask2;
    RETURN NULL;
END $$
"""
# After a delete or an update: the centers that lost or gained a code of the second word,
# their word computed again from the links, and written where it changed.
REFRESH = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql
SET enable_seqscan = off AS $$
BEGIN
    UPDATE center SET service_mask2 = found.bits
    FROM (SELECT touched.center_id, coalesce((SELECT bit_or(1::bigint << sb.bit)
              FROM center_service AS cs JOIN service_bit2 AS sb ON sb.code = cs.service_code
              WHERE cs.center_id = touched.center_id), 0) AS bits
          FROM (SELECT center_id FROM {tables} AS links
                WHERE links.service_code IN (SELECT code FROM service_bit2)) AS touched
          GROUP BY touched.center_id) AS found
    WHERE center.id = found.center_id AND center.service_mask2 <> found.bits;
    RETURN NULL;
END $$
"""
PG_TRIGGERS = (
    ("insert", "NEW TABLE AS changed_links", "center_service_mask2_add"),
    ("delete", "OLD TABLE AS changed_links", "center_service_mask2_refresh"),
    ("update", "OLD TABLE AS old_links NEW TABLE AS changed_links",
     "center_service_mask2_refresh_update"),
)  # fmt: skip


def _postgresql_link_triggers() -> None:
    op.execute(ADD_BITS)
    op.execute(REFRESH.format(name="center_service_mask2_refresh", tables="changed_links"))
    both = "(SELECT * FROM changed_links UNION ALL SELECT * FROM old_links)"
    op.execute(REFRESH.format(name="center_service_mask2_refresh_update", tables=both))
    for event, referencing, function in PG_TRIGGERS:
        op.execute(
            f"CREATE TRIGGER center_service_mask2_{event} AFTER {event.upper()} ON "
            f"center_service REFERENCING {referencing} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {function}()"
        )


# --- SQLite: the narrow table and the rare filters' R*Tree --------------------------------


def _sqlite_point_triggers(masks: tuple[str, ...]) -> None:
    """Migration 0006's triggers that keep `center_point` in step with `center`, copying the
    mask columns `masks`."""
    for event in ("insert", "update", "delete", "mask"):
        op.execute(f"DROP TRIGGER IF EXISTS center_rtree_{event}")
    box = "NEW.id, NEW.latitude, NEW.latitude, NEW.longitude, NEW.longitude"
    columns = ", ".join(("id", "latitude", "longitude", *masks))
    values = ", ".join(f"NEW.{name}" for name in ("id", "latitude", "longitude", *masks))
    add = (
        f"INSERT INTO center_rtree SELECT {box} WHERE {NEW_IS_PLACED}; "  # nosec
        f"INSERT INTO center_point ({columns}) SELECT {values} WHERE {NEW_IS_PLACED};"
    )
    remove = (
        "DELETE FROM center_rtree WHERE id = OLD.id; DELETE FROM center_point WHERE id = OLD.id;"
    )
    op.execute(f"CREATE TRIGGER center_rtree_insert AFTER INSERT ON center BEGIN {add} END")
    op.execute(
        "CREATE TRIGGER center_rtree_update AFTER UPDATE OF id, published, latitude, longitude "
        f"ON center BEGIN {remove} {add} END"
    )
    op.execute(f"CREATE TRIGGER center_rtree_delete AFTER DELETE ON center BEGIN {remove} END")
    changed = " OR ".join(f"OLD.{name} IS NOT NEW.{name}" for name in masks)
    copied = ", ".join(f"{name} = NEW.{name}" for name in masks)
    op.execute(
        f"CREATE TRIGGER center_rtree_mask AFTER UPDATE OF {', '.join(masks)} ON center "  # nosec
        f"WHEN {changed} BEGIN UPDATE center_point SET {copied} WHERE id = NEW.id; END"
    )


def _slot_axis(slot: int, width: int) -> str:
    return f"{slot * SPREAD}, {slot * SPREAD + width}"


def _sqlite_rare_tree(masks, width: int) -> None:
    """Migration 0014's R*Tree, built again for the slots `masks`, its entries `width` wide
    on the slot axis, with its triggers on `center_point`."""
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS center_rare_{event}")
    op.execute(f"DROP TABLE IF EXISTS {RTREE}")
    op.execute(
        f"CREATE VIRTUAL TABLE {RTREE} USING rtree(id, min_slot, max_slot, min_lat, max_lat, "
        "min_lon, max_lon)"
    )
    for slot, _, mask, mask2 in masks:
        op.execute(
            f"INSERT INTO {RTREE} SELECT id * {SLOTS} + {slot}, {_slot_axis(slot, width)}, "  # nosec
            f"latitude, latitude, longitude, longitude FROM center_point "
            f"WHERE {offers('', mask, mask2)}"
        )
    add = " ".join(
        f"INSERT INTO {RTREE} SELECT NEW.id * {SLOTS} + {slot}, {_slot_axis(slot, width)}, "  # nosec
        f"NEW.latitude, NEW.latitude, NEW.longitude, NEW.longitude "
        f"WHERE {offers('NEW.', mask, mask2)};"
        for slot, _, mask, mask2 in masks
    )
    # One statement a slot: the R*Tree finds an entry by its exact id only.
    remove = " ".join(
        f"DELETE FROM {RTREE} WHERE id = OLD.id * {SLOTS} + {slot};"  # nosec
        for slot, _, _, _ in masks
    )
    # An update of what the slots test moves the center's entries.
    tested = ", service_mask2" if any(mask2 for *_, mask2 in masks) else ""
    columns = f"id, latitude, longitude, service_mask{tested}"
    op.execute(f"CREATE TRIGGER center_rare_insert AFTER INSERT ON center_point BEGIN {add} END")
    op.execute(f"CREATE TRIGGER center_rare_delete AFTER DELETE ON center_point BEGIN {remove} END")
    op.execute(
        f"CREATE TRIGGER center_rare_update AFTER UPDATE OF {columns} "
        f"ON center_point BEGIN {remove} {add} END"
    )


def _sqlite_upgrade(masks) -> None:
    _sqlite_link_triggers()
    op.execute("ALTER TABLE center_point ADD COLUMN service_mask2 INTEGER NOT NULL DEFAULT 0")
    op.execute(
        "UPDATE center_point SET service_mask2 = (SELECT service_mask2 FROM center "
        "WHERE center.id = center_point.id) WHERE id IN "
        "(SELECT id FROM center WHERE service_mask2 <> 0)"
    )
    _sqlite_point_triggers(("service_mask", "service_mask2"))
    _sqlite_rare_tree(masks, WIDTH)


def _sqlite_downgrade() -> None:
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS center_service_mask2_{event}")
    _sqlite_point_triggers(("service_mask",))
    _sqlite_rare_tree(_slot_masks(OLD_RARE), 0)  # as migration 0014 built it
    op.execute("ALTER TABLE center_point DROP COLUMN service_mask2")
    # Not a batch, which would rebuild the table and lose its triggers.
    op.execute("ALTER TABLE center DROP COLUMN service_mask2")


# --- PostgreSQL's partial indexes, and both engines -----------------------------------------


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


def _postgresql_upgrade(masks) -> None:
    _postgresql_link_triggers()
    if expression := _postgresql_expression():
        for slot, _, mask, mask2 in masks[len(OLD_RARE) :]:
            op.execute(
                f"CREATE INDEX ix_center_rare_{slot} ON center USING gist ({expression}) "
                f"WHERE {PLACED} AND {offers('', mask, mask2)}"
            )


def _postgresql_downgrade() -> None:
    for event, _, function in PG_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS center_service_mask2_{event} ON center_service")
        op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    for slot, _, _ in NEW_RARE:
        op.execute(f"DROP INDEX IF EXISTS ix_center_rare_{slot}")
    op.drop_column("center", "service_mask2")


def upgrade() -> None:
    _add_second_word()
    masks = _slot_masks(OLD_RARE + NEW_RARE)
    op.add_column(
        "rare_filter", sa.Column("mask2", sa.BigInteger(), server_default="0", nullable=False)
    )
    table = sa.table("rare_filter", sa.column("slot"), sa.column("filters"),
                     sa.column("mask"), sa.column("mask2"))  # fmt: skip
    op.bulk_insert(table, [{"slot": s, "filters": k, "mask": m, "mask2": m2}
                           for s, k, m, m2 in masks[len(OLD_RARE) :]])  # fmt: skip
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_upgrade(masks)
    elif dialect == "postgresql":
        _postgresql_upgrade(masks)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_downgrade()
    elif dialect == "postgresql":
        _postgresql_downgrade()
    else:
        op.drop_column("center", "service_mask2")
    op.execute(f"DELETE FROM rare_filter WHERE slot >= {len(OLD_RARE)}")  # nosec
    if dialect == "sqlite":
        op.execute("ALTER TABLE rare_filter DROP COLUMN mask2")
    else:
        op.drop_column("rare_filter", "mask2")
    op.drop_table("service_bit2")
