"""PostgreSQL: linking services ORs their bits into the masks, and writes only masks that change

Revision ID: 0012_mask_insert_adds_bits
Revises: 0011_services_by_source
Create Date: 2026-11-27 13:35:00.000000

Migration 0004's statement trigger recomputed, after every insert of links, the whole mask of
each center concerned and wrote its row, changed or not. An insert only adds links, so the new
mask is the old one with the new links' bits: the trigger now ORs those in and leaves alone the
rows whose mask already has them, which is every row of an import's new centers (they are
written with their mask). Deleting and updating links still recompute (0004). The result is
the same mask; the default load on PostgreSQL no longer rewrites 17,000 center rows.
"""

from alembic import op

revision = "0012_mask_insert_adds_bits"
down_revision = "0011_services_by_source"
branch_labels = None
depends_on = None

ADD_BITS = """
CREATE OR REPLACE FUNCTION center_service_mask_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE center SET service_mask = center.service_mask | added.bits
    FROM (SELECT links.center_id, bit_or(1::bigint << sb.bit) AS bits
          FROM changed_links AS links JOIN service_bit AS sb ON sb.code = links.service_code
          GROUP BY links.center_id) AS added
    WHERE center.id = added.center_id
      AND center.service_mask | added.bits <> center.service_mask;
    RETURN NULL;
END $$
"""
TRIGGER = (
    "CREATE TRIGGER center_service_mask_insert AFTER INSERT ON center_service "
    "REFERENCING NEW TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION {}()"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(ADD_BITS)
    op.execute("DROP TRIGGER IF EXISTS center_service_mask_insert ON center_service")
    op.execute(TRIGGER.format("center_service_mask_add"))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS center_service_mask_insert ON center_service")
    op.execute(TRIGGER.format("center_service_mask_refresh"))
    op.execute("DROP FUNCTION IF EXISTS center_service_mask_add()")
