"""Admin accounts: roles, revocable sessions, two-step sign-in; sign-in writes nothing

Revision ID: 0008_admin_accounts
Revises: 0006
Create Date: 2026-11-27 10:30:00.000000

Every existing admin becomes an owner (they could all do everything before). `last_login_at`
goes: writing it made each sign-in wait for the database's write lock, which an import's
apply holds on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_admin_accounts"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("admin_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("role", sa.String(length=16), nullable=False, server_default="owner")
        )
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.drop_column("last_login_at")
    # The defaults above were for the rows already there; new rows get theirs from the model.
    with op.batch_alter_table("admin_user", schema=None) as batch_op:
        batch_op.alter_column("role", server_default=None)
        batch_op.alter_column("session_version", server_default=None)
    op.create_table(
        "admin_setting",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_admin_setting")),
    )


def downgrade() -> None:
    op.drop_table("admin_setting")
    with op.batch_alter_table("admin_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_login_at", sa.DateTime(), nullable=True))
        batch_op.drop_column("totp_secret")
        batch_op.drop_column("session_version")
        batch_op.drop_column("role")
