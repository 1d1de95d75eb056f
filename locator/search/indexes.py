"""What search knows of each database: its best spatial index, each service code's bit in
`center.service_mask`, and the directory's rough size. Each is looked up once per engine.

Names here match migration 0004, which creates the indexes and the bits.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

RTREE_TABLE = "center_rtree"
POSTGIS_INDEX = "ix_center_geography"
EARTH_INDEX = "ix_center_earth"
# The GiST indexes, which can be read nearest first.
WALKING_INDEXES = ("postgis", "earthdistance")

_indexes: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
_bits: weakref.WeakKeyDictionary[Engine, dict[str, int]] = weakref.WeakKeyDictionary()
_sizes: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()


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


def service_bits(connection: Connection) -> dict[str, int]:
    """Each masked code's bit in center.service_mask (see migration 0004), asked of it now."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        present = connection.execute(
            sa.text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'service_bit'")
        ).first()
    elif dialect == "postgresql":
        present = connection.execute(sa.text("SELECT to_regclass('service_bit')")).scalar()
    else:
        present = None
    if not present:
        return {}
    return dict(connection.execute(sa.text("SELECT code, bit FROM service_bit")).all())


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
    """Look the index, the service bits and the directory's size up again on next use."""
    _indexes.pop(engine, None)
    _bits.pop(engine, None)
    _sizes.pop(engine, None)


def service_mask_of(connection: Connection, codes: Sequence[str]) -> int | None:
    """The OR of the codes' bits in center.service_mask; None if a code has no bit."""
    bits = known_bits(connection)
    if not codes or any(code not in bits for code in codes):
        return None
    return sum(1 << bit for bit in {bits[code] for code in codes})
