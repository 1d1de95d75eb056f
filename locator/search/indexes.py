"""What search knows of each database: its best spatial index, each service code's bit in
`center.service_mask` or `center.service_mask2`, the rare filters' own indexes, and the
directory's rough size. Each is looked up once per engine.

Names here match migrations 0004, which creates the indexes and the bits, 0014, which
creates the rare filters' indexes, and 0015, which adds the second word of bits.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from locator.search.density import forget_density

RTREE_TABLE = "center_rtree"
RARE_RTREE_TABLE = "center_rare_rtree"
# Entries of the rare filters' R*Tree per center: its id × RARE_SLOTS + the slot; the
# slot's coordinate in it: from slot × RARE_SLOT_SPREAD, 1 wide (migration 0015).
RARE_SLOTS = 8
RARE_SLOT_SPREAD = 1000
# A code of the second word (`service_bit2`, migration 0015) is known here by its bit plus
# SECOND_WORD: one Python integer holds both of a center's masks (see `split_mask`).
SECOND_WORD = 64
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
    """Each masked code's bit, asked of the database now: in center.service_mask (migration
    0004), or in center.service_mask2 (0015) plus SECOND_WORD."""
    if not _has_table(connection, "service_bit"):
        return {}
    bits = dict(connection.execute(sa.text("SELECT code, bit FROM service_bit")).all())
    if _has_table(connection, "service_bit2"):
        second = connection.execute(sa.text("SELECT code, bit FROM service_bit2"))
        bits.update({code: SECOND_WORD + bit for code, bit in second})
    return bits


def split_mask(mask: int) -> tuple[int, int]:
    """A mask of `service_bits` as the two columns hold it: (service_mask, service_mask2)."""
    return mask & ((1 << SECOND_WORD) - 1), mask >> SECOND_WORD


def masks_of(codes: Iterable[str], bits: Mapping[str, int]) -> tuple[int, int]:
    """The two masks of a center that offers `codes` (the codes without a bit left out)."""
    return split_mask(sum(1 << bits[code] for code in set(codes) if code in bits))


def rare_filter_slots(connection: Connection) -> tuple[tuple[int, int], ...]:
    """(slot, mask) of each rare filter's own index (migration 0014; the mask of both words,
    as `service_bits` counts them), looked up once per engine. An index exists beside the
    R*Tree or GiST index only (see `RARE_INDEXES`)."""
    engine = connection.engine
    found = _rare.get(engine)
    if found is None:
        found = ()
        if _has_table(connection, "rare_filter"):
            rows = connection.execute(
                sa.text("SELECT slot, mask, mask2 FROM rare_filter ORDER BY slot")
            )
            found = tuple((int(slot), int(mask) | int(mask2) << SECOND_WORD)
                          for slot, mask, mask2 in rows)  # fmt: skip
        _rare[engine] = found
    return found


def rare_slot(masks: Sequence[int], slots: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The first slot (they are numbered about rarest first) whose centers include every
    center that offers one of the group masks `masks` (a group's mask within the slot's):
    None if no slot holds one."""
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
    """The OR of the codes' bits (as `service_bits` counts them); None if a code has none."""
    bits = known_bits(connection)
    if not codes or any(code not in bits for code in codes):
        return None
    return sum(1 << bit for bit in {bits[code] for code in codes})
