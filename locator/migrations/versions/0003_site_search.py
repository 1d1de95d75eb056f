"""site search: search tables, FTS5 indexes on SQLite, tsvector + GIN on PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 12:00:00.000000

The tables hold derived text only (rebuilt by refresh_center_index and index-articles),
so they stay out of the models. Their FTS5 and tsvector parts depend on the engine.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TOKENIZER = "porter unicode61 remove_diacritics 2"
# Prefix indexes make the last word's prefix query ("metha"*) an index lookup.
FTS5_OPTIONS = f"tokenize='{TOKENIZER}', prefix='2 3 4'"

CENTER_DOCUMENT = """
    setweight(to_tsvector('english', name), 'A')
    || setweight(to_tsvector('english', services), 'B')
    || setweight(to_tsvector('english', place || ' ' || state), 'C')
"""
ARTICLE_DOCUMENT = """
    setweight(to_tsvector('english', title), 'A')
    || setweight(to_tsvector('english', headings), 'B')
    || setweight(to_tsvector('english', body), 'D')
"""


def _drop_search_tables() -> None:
    # Derived data only: a copy left behind (the test suite drops the models' tables
    # alone before migrating again) is simply replaced.
    op.execute("DROP TABLE IF EXISTS center_search_fts")
    op.execute("DROP TABLE IF EXISTS article_search_fts")
    op.execute("DROP TABLE IF EXISTS center_search")
    op.execute("DROP TABLE IF EXISTS article_search")


def _create_text_tables() -> None:
    op.create_table(
        "center_search",
        sa.Column("center_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("services", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("center_id", name="pk_center_search"),
    )
    op.create_table(
        "article_search",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("slug", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("headings", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_article_search"),
        sa.UniqueConstraint("slug", name="uq_article_search_slug"),
    )


def _create_fts5_indexes() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE center_search_fts USING fts5("
        "name, place, state, services, content='center_search', content_rowid='center_id', "
        f"{FTS5_OPTIONS})"
    )
    op.execute(
        "CREATE VIRTUAL TABLE article_search_fts USING fts5("
        "title, headings, body, content='article_search', content_rowid='id', "
        f"{FTS5_OPTIONS})"
    )


def _create_tsvector_indexes() -> None:
    for table, document in (
        ("center_search", CENTER_DOCUMENT),
        ("article_search", ARTICLE_DOCUMENT),
    ):
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN document tsvector "
            f"GENERATED ALWAYS AS ({document}) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_document ON {table} USING gin (document)")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _drop_search_tables()
    _create_text_tables()
    if dialect == "sqlite":
        _create_fts5_indexes()
    elif dialect == "postgresql":
        _create_tsvector_indexes()


def downgrade() -> None:
    _drop_search_tables()
