"""import runs as jobs (phase, heartbeat, preview token), their change lists, mail notices

Revision ID: 0010_import_jobs
Revises: 0007_directory_sources
Create Date: 2026-11-27 10:35:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_import_jobs"
down_revision = "0007_directory_sources"
branch_labels = None
depends_on = None


def _run_columns() -> tuple[sa.Column, ...]:
    return (
        sa.Column("phase", sa.String(length=20), server_default="", nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("admin_id", sa.Integer(), nullable=True),
        sa.Column("upload_token", sa.String(length=64), server_default="", nullable=False),
        sa.Column("file_names", sa.JSON(), nullable=True),
        sa.Column("preview_token", sa.String(length=64), server_default="", nullable=False),
        sa.Column("directory_fingerprint", sa.String(length=64), server_default="", nullable=False),
        sa.Column("preview_run_id", sa.Integer(), nullable=True),
        sa.Column("applied_by_run_id", sa.Integer(), nullable=True),
        sa.Column("taxonomy_terms", sa.String(length=2000), server_default="", nullable=False),
    )


def upgrade() -> None:
    with op.batch_alter_table("import_run") as batch_op:
        for column in _run_columns():
            batch_op.add_column(column)
    with op.batch_alter_table("contact_request") as batch_op:
        batch_op.add_column(sa.Column("notified_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("notify_attempts", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "import_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("diffs", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["import_run.id"],
            name=op.f("fk_import_change_run_id_import_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_change")),
    )
    op.create_index("ix_import_change_run_kind", "import_change", ["run_id", "kind", "id"])


def downgrade() -> None:
    op.drop_index("ix_import_change_run_kind", table_name="import_change")
    op.drop_table("import_change")
    with op.batch_alter_table("contact_request") as batch_op:
        batch_op.drop_column("notify_attempts")
        batch_op.drop_column("notified_at")
    with op.batch_alter_table("import_run") as batch_op:
        for column in reversed(_run_columns()):
            batch_op.drop_column(column.name)
