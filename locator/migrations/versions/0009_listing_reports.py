"""visitor reports of wrong listings, who verified a listing, Census geocoding status

Revision ID: 0009_listing_reports
Revises: 0008_admin_accounts
Create Date: 2026-11-27 10:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_listing_reports"
down_revision = "0008_admin_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "listing_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("resolution", sa.String(length=20), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"],
            ["center.id"],
            name=op.f("fk_listing_report_center_id_center"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_report")),
    )
    op.create_index(
        op.f("ix_listing_report_center_id"), "listing_report", ["center_id"], unique=False
    )
    op.create_index(
        "ix_listing_report_status_center", "listing_report", ["status", "center_id"], unique=False
    )
    # Plain ADD COLUMNs (no table rebuild on SQLite): the center table's triggers stay as they are.
    op.add_column(
        "center",
        sa.Column("verified_by", sa.String(length=254), server_default="", nullable=False),
    )
    op.add_column(
        "center",
        sa.Column("geocode_status", sa.String(length=20), server_default="", nullable=False),
    )
    op.add_column("center", sa.Column("geocoded_at", sa.DateTime(), nullable=True))
    op.add_column("center", sa.Column("reported_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("center") as batch_op:
        batch_op.drop_column("reported_on")
        batch_op.drop_column("geocoded_at")
        batch_op.drop_column("geocode_status")
        batch_op.drop_column("verified_by")
    op.drop_index("ix_listing_report_status_center", table_name="listing_report")
    op.drop_index(op.f("ix_listing_report_center_id"), table_name="listing_report")
    op.drop_table("listing_report")
