"""cheaper upkeep: the sample-data probe's index, and the service-mask refresh on PostgreSQL

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 12:30:00.000000

- Every page asks whether published sample listings are loaded. With an index on `source`
  alone, SQLite's planner preferred the index on `published` and, in a directory without
  sample data, read every published row to learn that (a million, at the benchmark's largest
  size). With both columns in one index the answer is one index probe on either engine.
- PostgreSQL's statement triggers of migration 0004 refreshed the masks of the centers whose
  links changed with `id IN (changed) OR id IN (old)`, which the planner answers by scanning
  the whole center table once per statement. One IN over a UNION reaches the same centers by
  their primary key. Sequential scans are off inside the function: during a bulk import the
  table has no statistics yet, and the planner would scan a million rows to update fifty.
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BITS_OF_CENTER = (
    "SELECT bit_or(1::bigint << sb.bit) FROM center_service AS cs "
    "JOIN service_bit AS sb ON sb.code = cs.service_code WHERE cs.center_id = center.id"
)
REFRESH_MASKS = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql {settings} AS $$
BEGIN
    UPDATE center SET service_mask = coalesce(({bits}), 0)
    WHERE {which};
    RETURN NULL;
END $$
"""
INSERTED_OR_DELETED = "center_service_mask_refresh"
UPDATED = "center_service_mask_refresh_update"


def _refresh_functions(settings: str, inserted_or_deleted: str, updated: str) -> None:
    for name, which in ((INSERTED_OR_DELETED, inserted_or_deleted), (UPDATED, updated)):
        op.execute(REFRESH_MASKS.format(name=name, settings=settings, bits=BITS_OF_CENTER,
                                        which=which))  # fmt: skip


# Plain index statements, not a batch: a batch that rebuilt the table on SQLite would lose
# the triggers of migrations 0003 and 0004.
def upgrade() -> None:
    op.create_index("ix_center_source_published", "center", ["source", "published"])
    op.drop_index("ix_center_source", table_name="center")
    if op.get_bind().dialect.name == "postgresql":
        _refresh_functions(
            "SET enable_seqscan = off",
            "center.id IN (SELECT center_id FROM changed_links)",
            "center.id IN (SELECT center_id FROM changed_links "
            "UNION SELECT center_id FROM old_links)",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _refresh_functions(
            "",
            "center.id IN (SELECT center_id FROM changed_links) "
            "OR center.id IN (SELECT center_id FROM changed_links)",
            "center.id IN (SELECT center_id FROM changed_links) "
            "OR center.id IN (SELECT center_id FROM old_links)",
        )
    op.create_index("ix_center_source", "center", ["source"])
    op.drop_index("ix_center_source_published", table_name="center")
