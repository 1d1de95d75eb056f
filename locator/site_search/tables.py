"""The search tables: derived copies of the text people search, kept out of the models.

`center_search` and `article_search` exist on every engine and hold the indexed text.
On SQLite each has an FTS5 index over it (`*_fts`, external content: the index reads its
text back from these tables for snippets). On PostgreSQL each has a generated `document`
tsvector column with a GIN index. The migration 0003 creates all of them; 0013 adds the
articles' language and their text without accents.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Session

# Apart from db.metadata, so that neither create_all nor the models' comparison sees them.
search_metadata = sa.MetaData()

center_search = sa.Table(
    "center_search",
    search_metadata,
    sa.Column("center_id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),  # both names, as Center.display_name
    sa.Column("place", sa.Text, nullable=False),  # "Austin, Texas"
    sa.Column("state", sa.Text, nullable=False),  # "TX"
    sa.Column("services", sa.Text, nullable=False),  # service labels, "; " between
    sa.Column("document", TSVECTOR),  # PostgreSQL only (generated)
)

article_search = sa.Table(
    "article_search",
    search_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("slug", sa.Text, nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("headings", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("lang", sa.Text, nullable=False),  # "en", "es": the article's language
    sa.Column("folded", sa.Text, nullable=False),  # the text without accents (PostgreSQL's)
    sa.Column("document", TSVECTOR),  # PostgreSQL only (generated)
)

# The SQLite FTS5 indexes. Their column order is what highlight() and snippet() number.
CENTER_FTS = "center_search_fts"
CENTER_FTS_COLUMNS = ("name", "place", "state", "services")
ARTICLE_FTS = "article_search_fts"
ARTICLE_FTS_COLUMNS = ("title", "headings", "body")
FTS5_TOKENIZER = "porter unicode61 remove_diacritics 2"


def _fts5_table(name: str, columns: tuple[str, ...]) -> sa.TableClause:
    """An FTS5 index as SQLAlchemy sees it: rowid, the hidden command column, the text."""
    return sa.table(name, sa.column("rowid"), sa.column(name), *map(sa.column, columns))


center_fts = _fts5_table(CENTER_FTS, CENTER_FTS_COLUMNS)
article_fts = _fts5_table(ARTICLE_FTS, ARTICLE_FTS_COLUMNS)


def is_sqlite(session: Session) -> bool:
    """Whether the session's database is SQLite (FTS5) rather than PostgreSQL."""
    return session.get_bind().dialect.name == "sqlite"


def rebuild_fts(session: Session, index: sa.TableClause) -> None:
    """Re-read a whole FTS5 index from its content table (SQLite only)."""
    session.execute(sa.insert(index).values({index.name: "rebuild"}))
