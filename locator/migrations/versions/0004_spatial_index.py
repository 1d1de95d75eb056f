"""spatial index: an R*Tree on SQLite, a GiST index on PostgreSQL (PostGIS or earthdistance)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 13:00:00.000000

Nearest-first search reads these (see locator.search.spatial and locator.search.sql). They hold
derived data only, so they stay out of the models:

- SQLite: `center_rtree`, an R*Tree of the published, placed centers with their exact
  coordinates as auxiliary columns, kept in step with `center` by triggers, so that every
  writer (bulk Core inserts of the importers included) keeps it current.
- PostgreSQL: the extensions the server offers (creating them needs a superuser, or a
  database owner for the trusted `cube` and `earthdistance`), then one partial GiST index:
  on the PostGIS geography of each center if PostGIS is there, else on `ll_to_earth()`.
  Without either, search falls back to the latitude/longitude B-tree.

It also adds `center.service_mask`, one bit per filterable code (the table `service_bit`
says which), which search filters test instead of joining `center_service` once per
candidate: at a million centers the join made a rare filter several times slower. Triggers
on `center_service` keep it current whoever writes the links: row triggers on SQLite,
statement triggers with transition tables on PostgreSQL (so that a bulk import updates each
center once).
"""

# ruff: noqa: S608
# (and a `nosec` for bandit's B608, "SQL injection", at each statement it flags): the SQL of
# this migration is made of this file's constants only; nothing in it comes from a person.

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Only this file's constants are pasted into its SQL (hence the file's `noqa: S608`).
PLACED = "published AND latitude IS NOT NULL AND longitude IS NOT NULL"
RTREE_ROW = (
    "NEW.id, NEW.latitude, NEW.latitude, NEW.longitude, NEW.longitude, NEW.latitude, NEW.longitude"
)
NEW_IS_PLACED = "NEW.published AND NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL"


# The codes that get a bit in center.service_mask, bit 0 first: every code of the filters
# (data/filters.csv), then the commonest others, 63 in all (a signed 64-bit integer, sign bit
# unused). Frozen here; a later migration may add codes with the next bits. Codes without a
# bit are still found, by joining center_service.
MASKED = (
    "DT HID RD OD TELE SUMH CO HH RES RS RL HI HIT OP ORT OIT ODT OMB METH MU MM DM BU BUM DB "
    "UB BWN BWON BERI BSDM NU UN NXN VTRL OTP MD MC PI MI SF NP SS PA CHLD YAD TAY SNR SE FEM "
    "WN PW MALE MN VET GL CJ SP AH SA MH MOA NMOA NOE"
)
MASKED_CODES = MASKED.split()


def _add_service_mask(bits_of_center: str) -> None:
    """The table of bits, and the column, filled from the links already there."""
    op.execute("DROP TABLE IF EXISTS service_bit")  # derived, like the indexes
    service_bit = op.create_table(
        "service_bit",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("bit", sa.Integer(), nullable=False, unique=True),
    )
    op.bulk_insert(service_bit, [{"code": c, "bit": i} for i, c in enumerate(MASKED_CODES)])
    with op.batch_alter_table("center", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("service_mask", sa.BigInteger(), server_default="0", nullable=False)
        )
    op.execute(
        f"UPDATE center SET service_mask = coalesce(({BITS_OF_CENTER.format(bits_of_center)}), 0)"  # nosec
    )


# The OR of the bits of one center's links: its codes are distinct, so a sum is the same.
BITS_OF_CENTER = (
    "SELECT {} FROM center_service AS cs JOIN service_bit AS sb ON sb.code = cs.service_code "
    "WHERE cs.center_id = center.id"
)
BIT_OF = "(1 << (SELECT bit FROM service_bit WHERE code = {}.service_code))"
HAS_BIT = "EXISTS (SELECT 1 FROM service_bit WHERE code = {}.service_code)"


def _sqlite_mask_triggers() -> None:
    add = f"UPDATE center SET service_mask = service_mask | {BIT_OF.format('NEW')} "  # nosec
    remove = f"UPDATE center SET service_mask = service_mask & ~{BIT_OF.format('OLD')} "  # nosec
    op.execute(
        "CREATE TRIGGER center_service_mask_insert AFTER INSERT ON center_service "
        f"WHEN {HAS_BIT.format('NEW')} BEGIN {add} WHERE id = NEW.center_id; END"
    )
    op.execute(
        "CREATE TRIGGER center_service_mask_delete AFTER DELETE ON center_service "
        f"WHEN {HAS_BIT.format('OLD')} BEGIN {remove} WHERE id = OLD.center_id; END"
    )
    op.execute(
        "CREATE TRIGGER center_service_mask_update AFTER UPDATE ON center_service BEGIN "
        f"{remove} WHERE id = OLD.center_id AND {HAS_BIT.format('OLD')}; "
        f"{add} WHERE id = NEW.center_id AND {HAS_BIT.format('NEW')}; END"
    )


REFRESH_MASKS = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE center SET service_mask = coalesce(({bits}), 0)
    WHERE center.id IN (SELECT center_id FROM changed_links)
       OR center.id IN (SELECT center_id FROM {other});
    RETURN NULL;
END $$
"""


def _postgresql_mask_triggers() -> None:
    # One function per shape of transition tables: inserts and deletes have one, updates two.
    bits = BITS_OF_CENTER.format("bit_or(1::bigint << sb.bit)")
    for name, other in (("center_service_mask_refresh", "changed_links"),
                        ("center_service_mask_refresh_update", "old_links")):  # fmt: skip
        op.execute(REFRESH_MASKS.format(name=name, bits=bits, other=other))
    for event, referencing, function in (
        ("INSERT", "NEW TABLE AS changed_links", "center_service_mask_refresh"),
        ("DELETE", "OLD TABLE AS changed_links", "center_service_mask_refresh"),
        ("UPDATE", "OLD TABLE AS old_links NEW TABLE AS changed_links",
         "center_service_mask_refresh_update"),
    ):  # fmt: skip
        op.execute(
            f"CREATE TRIGGER center_service_mask_{event.lower()} AFTER {event} ON center_service "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )


def _sqlite_upgrade() -> None:
    # A copy left behind (the test suite drops the models' tables alone) is replaced.
    op.execute("DROP TABLE IF EXISTS center_rtree")
    op.execute(
        "CREATE VIRTUAL TABLE center_rtree USING rtree("
        "id, min_lat, max_lat, min_lon, max_lon, +latitude REAL, +longitude REAL)"
    )
    op.execute(
        "INSERT INTO center_rtree SELECT id, latitude, latitude, longitude, longitude, "  # nosec
        f"latitude, longitude FROM center WHERE {PLACED}"
    )
    op.execute(
        f"CREATE TRIGGER center_rtree_insert AFTER INSERT ON center WHEN {NEW_IS_PLACED} "  # nosec
        f"BEGIN INSERT INTO center_rtree VALUES ({RTREE_ROW}); END"
    )
    op.execute(
        "CREATE TRIGGER center_rtree_update AFTER UPDATE OF id, published, latitude, longitude "  # nosec
        "ON center BEGIN DELETE FROM center_rtree WHERE id = OLD.id; "
        f"INSERT INTO center_rtree SELECT {RTREE_ROW} WHERE {NEW_IS_PLACED}; END"
    )
    op.execute(
        "CREATE TRIGGER center_rtree_delete AFTER DELETE ON center "
        "BEGIN DELETE FROM center_rtree WHERE id = OLD.id; END"
    )


def _create_extension(name: str) -> bool:
    """Create an extension if the server has it and we may; False otherwise."""
    bind = op.get_bind()
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = :name"), {"name": name}
    ).first()
    if available is None:
        return False
    try:
        with bind.begin_nested():  # a refusal must not abort the migration's transaction
            bind.execute(sa.text(f"CREATE EXTENSION IF NOT EXISTS {name}"))
    except sa.exc.DBAPIError:
        return False
    return True


def _postgresql_upgrade() -> None:
    postgis = _create_extension("postgis")
    # Both kinds are installed when offered, so either can be tested; one index is built.
    earth = _create_extension("cube") and _create_extension("earthdistance")
    if postgis:
        op.execute(
            "CREATE INDEX ix_center_geography ON center USING gist "
            f"((ST_MakePoint(longitude, latitude)::geography)) WHERE {PLACED}"
        )
    elif earth:
        op.execute(
            "CREATE INDEX ix_center_earth ON center USING gist "
            f"(ll_to_earth(latitude, longitude)) WHERE {PLACED}"
        )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _add_service_mask("sum(1 << sb.bit)")
        _sqlite_mask_triggers()
        _sqlite_upgrade()
    elif dialect == "postgresql":
        _add_service_mask("bit_or(1::bigint << sb.bit)")
        _postgresql_mask_triggers()
        _postgresql_upgrade()
    else:
        _add_service_mask("sum(1 << sb.bit)")  # kept by no trigger: filters join instead


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for event in ("insert", "update", "delete"):
        on_table = "" if dialect == "sqlite" else " ON center_service"
        op.execute(f"DROP TRIGGER IF EXISTS center_service_mask_{event}{on_table}")
    if dialect == "sqlite":
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS center_rtree_{event}")
        op.execute("DROP TABLE IF EXISTS center_rtree")
    elif dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS center_service_mask_refresh()")
        op.execute("DROP FUNCTION IF EXISTS center_service_mask_refresh_update()")
        op.execute("DROP INDEX IF EXISTS ix_center_geography")
        op.execute("DROP INDEX IF EXISTS ix_center_earth")
    with op.batch_alter_table("center", schema=None) as batch_op:
        batch_op.drop_column("service_mask")
    op.drop_table("service_bit")
