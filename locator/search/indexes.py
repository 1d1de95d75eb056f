"""What search knows of each database: its best spatial index, each service code's bit in
`center.service_mask`, the rare filters' own indexes, and the directory's rough size. Each is
looked up once per engine.

Names here match migrations 0004, which creates the indexes and the bits, and 0014, which
creates the rare filters' indexes.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from locator.search.density import forget_density

RTREE_TABLE = "center_rtree"
RARE_RTREE_TABLE = "center_rare_rtree"
# Entries of the rare filters' R*Tree per center: its id × RARE_SLOTS + the slot; the
# slot's coordinate in it: slot × RARE_SLOT_SPREAD.
RARE_SLOTS = 8
RARE_SLOT_SPREAD = 1000
POSTGIS_INDEX = "ix_center_geography"
EARTH_INDEX = "ix_center_earth"
# The GiST indexes, which can be read nearest first.
WALKING_INDEXES = ("postgis", "earthdistance")
# The spatial indexes beside which each rare filter has an index of its own (migration 0014).
RARE_INDEXES = ("rtree", "postgis", "earthdistance")

_indexes: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
_bits: weakref.WeakKeyDictionary[Engine, dict[str, int]] = weakref.WeakKeyDictionary()
_sizes: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()
_rare: weakref.WeakKeyDictionary[Engine, tuple] = weakref.WeakKeyDictionary()


def detect_index(connection: Connection) -> str:
    """The best spatial index the database has (see `spatial_index`), asked of it now."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        found = connection.execute(
            sa.text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": RTREE_TABLE},
        ).first()
        return "rtree" if found else "btree"
    if dialect == "postgresql":
        names = set(
            connection.execute(
                sa.text(
                    "SELECT indexname FROM pg_indexes "
                    "WHERE tablename = 'center' AND indexname IN (:postgis, :earth)"
                ),
                {"postgis": POSTGIS_INDEX, "earth": EARTH_INDEX},
            ).scalars()
        )
        if POSTGIS_INDEX in names:
            return "postgis"
        return "earthdistance" if EARTH_INDEX in names else "btree"
    return "btree"


def _has_table(connection: Connection, name: str) -> bool:
    dialect = connection.dialect.name
    if dialect == "sqlite":
        return (
            connection.execute(
                sa.text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
                {"name": name},
            ).first()
            is not None
        )
    if dialect == "postgresql":
        found = connection.execute(sa.text("SELECT to_regclass(:name)"), {"name": name}).scalar()
        return found is not None
    return False


def service_bits(connection: Connection) -> dict[str, int]:
    """Each masked code's bit in center.service_mask (see migration 0004), asked of it now."""
    if not _has_table(connection, "service_bit"):
        return {}
    return dict(connection.execute(sa.text("SELECT code, bit FROM service_bit")).all())


def rare_filter_slots(connection: Connection) -> tuple[tuple[int, int], ...]:
    """(slot, mask) of each rare filter's own index (migration 0014), rarest first, looked
    up once per engine. An index exists beside the R*Tree or GiST index only (see
    `RARE_INDEXES`)."""
    engine = connection.engine
    found = _rare.get(engine)
    if found is None:
        found = ()
        if _has_table(connection, "rare_filter"):
            rows = connection.execute(sa.text("SELECT slot, mask FROM rare_filter ORDER BY slot"))
            found = tuple((int(slot), int(mask)) for slot, mask in rows)
        _rare[engine] = found
    return found


def rare_slot(masks: Sequence[int], slots: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The first (rarest) slot whose centers include every center that offers one of the
    group masks `masks` (a group's mask within the slot's): None if no slot holds one."""
    for slot, slot_mask in slots:
        if any(mask and not mask & ~slot_mask for mask in masks):
            return slot, slot_mask
    return None


def spatial_index(connection: Connection) -> str:
    """The best spatial index the database has: "rtree", "postgis", "earthdistance" or
    "btree" (none: boxes over the latitude/longitude index). Looked up once per engine."""
    engine = connection.engine
    found = _indexes.get(engine)
    if found is None:
        found = _indexes[engine] = detect_index(connection)
    return found


def known_bits(connection: Connection) -> dict[str, int]:
    """`service_bits`, looked up once per engine."""
    found = _bits.get(connection.engine)
    if found is None:
        found = _bits[connection.engine] = service_bits(connection)
    return found


def directory_size(connection: Connection) -> int:
    """About how many centers the directory holds: its highest id (cheap, and close),
    looked up once per engine."""
    size = _sizes.get(connection.engine)
    if size is None:
        highest = connection.execute(sa.text("SELECT max(id) FROM center")).scalar()
        size = _sizes[connection.engine] = max(1, highest or 1)
    return size


def forget_spatial_index(engine: Engine) -> None:
    """Look the index, the service bits, the directory's size and density up again on next
    use."""
    _indexes.pop(engine, None)
    _bits.pop(engine, None)
    _sizes.pop(engine, None)
    _rare.pop(engine, None)
    forget_density(engine)


def service_mask_of(connection: Connection, codes: Sequence[str]) -> int | None:
    """The OR of the codes' bits in center.service_mask; None if a code has no bit."""
    bits = known_bits(connection)
    if not codes or any(code not in bits for code in codes):
        return None
    return sum(1 << bit for bit in {bits[code] for code in codes})
