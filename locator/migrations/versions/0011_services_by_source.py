"""which source gave each service of a center matched across sources

Revision ID: 0011_services_by_source
Revises: 0010_import_jobs
Create Date: 2026-11-27 13:15:00.000000

`center.services_by_source`: when a second source matches a center, each source's services
are recorded, so that a refresh or removal of one source replaces only what it gave. The links
in center_service stay the union, so the service-mask triggers (0004, 0006, 0007) are unchanged.
Centers matched across sources before this migration have no record: the next import of
either source starts one.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_services_by_source"
down_revision = "0010_import_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("center", schema=None) as batch_op:
        batch_op.add_column(sa.Column("services_by_source", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("center", schema=None) as batch_op:
        batch_op.drop_column("services_by_source")
