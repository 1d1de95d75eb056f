"""site search: each article's language, and an accent-free copy of its text

Revision ID: 0013_article_languages
Revises: 0012_mask_insert_adds_bits
Create Date: 2026-11-27 13:20:00.000000

Spanish articles (data/articles/es) are indexed beside the English ones (issue 13). `lang`
says which language an article is written in, so that a reader searching in Spanish gets
Spanish articles first and links to Spanish pages. `folded` holds the article's text with
its accents dropped: PostgreSQL's `english` configuration keeps accents, so "desintoxicacion"
typed on a phone would miss "desintoxicación"; SQLite's tokenizer already folds them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_article_languages"
down_revision = "0012_mask_insert_adds_bits"
branch_labels = None
depends_on = None

ARTICLE_DOCUMENT = """
    setweight(to_tsvector('english', title), 'A')
    || setweight(to_tsvector('english', headings), 'B')
    || setweight(to_tsvector('english', body), 'D')
"""
FOLDED_DOCUMENT = ARTICLE_DOCUMENT + " || setweight(to_tsvector('english', folded), 'D')"


def _document(expression: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_article_search_document")
    op.execute("ALTER TABLE article_search DROP COLUMN IF EXISTS document")
    op.execute(
        "ALTER TABLE article_search ADD COLUMN document tsvector "
        f"GENERATED ALWAYS AS ({expression}) STORED"
    )
    op.execute("CREATE INDEX ix_article_search_document ON article_search USING gin (document)")


def upgrade() -> None:
    # The rows already indexed are English articles: the defaults say so.
    op.add_column(
        "article_search", sa.Column("lang", sa.Text(), server_default="en", nullable=False)
    )
    op.add_column(
        "article_search", sa.Column("folded", sa.Text(), server_default="", nullable=False)
    )
    if op.get_bind().dialect.name == "postgresql":
        _document(FOLDED_DOCUMENT)


def downgrade() -> None:
    # Derived rows only (index-articles fills them again); the older schema has no Spanish.
    op.execute("DELETE FROM article_search")
    if op.get_bind().dialect.name == "postgresql":
        _document(ARTICLE_DOCUMENT)
    with op.batch_alter_table("article_search") as batch_op:
        batch_op.drop_column("folded")
        batch_op.drop_column("lang")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("INSERT INTO article_search_fts(article_search_fts) VALUES ('rebuild')")
