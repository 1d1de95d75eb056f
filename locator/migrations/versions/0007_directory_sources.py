"""directory sources: filter bits for the new filters, and the fields an admin overrode

Revision ID: 0007_directory_sources
Revises: 0009_listing_reports
Create Date: 2026-11-27 10:40:00.000000

- The filters of data/filters.csv now cover teens (`AD`), other languages (`FX`) and day
  treatment (`PHDT`). Every bit of `center.service_mask` is taken (63, see migration 0004), so
  these take the bits of three codes that no filter names (`MOA`, `NMOA`, `NOE`), and the masks
  of the centers that have any of the six codes are computed again. Codes without a bit are
  still found, by joining center_service.
- `center.overrides`: the fields an admin changed by hand, which an import leaves alone.
- SQLite: linking a service whose bit the center's mask already has writes nothing (the import
  writes a new center with its mask; a directory row has some 75 links).
- `ix_center_zip`: imports look for a facility that came without its id among the centers of
  its ZIP code (another edition, another source).
"""

# ruff: noqa: S608
# The SQL of this migration is made of this file's constants only.

import sqlalchemy as sa
from alembic import op

revision = "0007_directory_sources"
down_revision = "0009_listing_reports"
branch_labels = None
depends_on = None

SWAPS = (("MOA", "AD"), ("NMOA", "FX"), ("NOE", "PHDT"))
BITS_OF_CENTER = (
    "SELECT {} FROM center_service AS cs JOIN service_bit AS sb ON sb.code = cs.service_code "
    "WHERE cs.center_id = center.id"
)


def _swap(pairs) -> None:
    dialect = op.get_bind().dialect.name
    for old, new in pairs:
        op.get_bind().execute(
            sa.text("UPDATE service_bit SET code = :new WHERE code = :old"),
            {"new": new, "old": old},
        )
    codes = ", ".join(f"'{code}'" for pair in pairs for code in pair)
    bits = "bit_or(1::bigint << sb.bit)" if dialect == "postgresql" else "sum(1 << sb.bit)"
    op.execute(
        f"UPDATE center SET service_mask = coalesce(({BITS_OF_CENTER.format(bits)}), 0) "  # nosec
        f"WHERE id IN (SELECT center_id FROM center_service WHERE service_code IN ({codes}))"
    )


BIT_OF = "(1 << (SELECT bit FROM service_bit WHERE code = NEW.service_code))"
HAS_BIT = "EXISTS (SELECT 1 FROM service_bit WHERE code = NEW.service_code)"
# Built from this module's own constants, no input: not an injection (bandit B608).
LACKS_BIT = f"((SELECT service_mask FROM center WHERE id = NEW.center_id) & {BIT_OF}) = 0"  # nosec


def _sqlite_insert_trigger(condition: str) -> None:
    op.execute("DROP TRIGGER IF EXISTS center_service_mask_insert")
    op.execute(
        "CREATE TRIGGER center_service_mask_insert AFTER INSERT ON center_service "  # nosec
        f"WHEN {condition} BEGIN UPDATE center SET service_mask = service_mask | {BIT_OF} "
        "WHERE id = NEW.center_id; END"
    )


def upgrade() -> None:
    with op.batch_alter_table("center", schema=None) as batch_op:
        batch_op.add_column(sa.Column("overrides", sa.JSON(), nullable=True))
    op.create_index("ix_center_zip", "center", ["zip"])
    _swap(SWAPS)
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_insert_trigger(f"{HAS_BIT} AND {LACKS_BIT}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_insert_trigger(HAS_BIT)
    _swap(tuple((new, old) for old, new in SWAPS))
    op.drop_index("ix_center_zip", table_name="center")
    with op.batch_alter_table("center", schema=None) as batch_op:
        batch_op.drop_column("overrides")
