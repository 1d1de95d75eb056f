"""The two engines' queries: SQLite FTS5 and PostgreSQL full-text search, same results.

Both mark matched words in titles and snippets with two control characters, START and
STOP, which never occur in indexed text; `locator.site_search.results` turns them into
`<mark>` after escaping the text around them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from locator.models import Center
from locator.site_search.tables import (
    ARTICLE_FTS,
    CENTER_FTS,
    article_fts,
    article_search,
    center_fts,
    center_search,
)
from locator.site_search.words import fts5_query, is_prefix

START, STOP = "\x02", "\x03"
SNIPPET_WORDS = 24
ELLIPSIS = "…"
centers = Center.__table__


@dataclass(frozen=True)
class GroupQuery:
    """One group's search: where to read, which rows match, best first, and what to show.

    `key` identifies a row; `columns` are labelled: `slug`, `title`, `place` (centers only)
    and `snippet`.
    """

    source: sa.FromClause
    key: sa.ColumnElement[int]
    matches: sa.ColumnElement[bool]
    order: tuple[sa.ColumnElement, ...]
    columns: tuple[sa.ColumnElement, ...]


def reader_language_first(lang: str) -> sa.ColumnElement[int]:
    """Sorts the articles in the reader's language before the others (0 before 1)."""
    return sa.case((article_search.c.lang == lang, 0), else_=1)


class Fts5Queries:
    """SQLite: FTS5 indexes, BM25 ranking (lower is better), highlight() and snippet()."""

    def __init__(self, words: list[str], lang: str = "en") -> None:
        self.match = fts5_query(words)
        self.lang = lang

    def centers(self) -> GroupQuery:
        """Published centers whose names, place or services hold every word."""
        index = sa.literal_column(CENTER_FTS)
        return GroupQuery(
            source=center_fts.join(centers, centers.c.id == center_fts.c.rowid),
            key=center_fts.c.rowid,
            # "IS NOT 0", not "IS 1": the planner would otherwise walk the published index
            # and run the MATCH once per center (seconds); the index holds published
            # centers only, so this is a safety net for edits awaiting a refresh.
            matches=sa.and_(index.bool_op("MATCH")(self.match), centers.c.published.is_not(False)),
            # Weights per column (name, place, state, services): a name match counts most.
            order=(sa.func.bm25(index, 10.0, 4.0, 2.0, 3.0), centers.c.name1),
            columns=(
                centers.c.slug.label("slug"),
                sa.func.highlight(index, 0, START, STOP).label("title"),
                sa.func.highlight(index, 1, START, STOP).label("place"),
                sa.func.snippet(index, 3, START, STOP, ELLIPSIS, SNIPPET_WORDS // 2).label(
                    "snippet"
                ),
            ),
        )

    def articles(self) -> GroupQuery:
        """Articles whose title, headings or body hold every word."""
        index = sa.literal_column(ARTICLE_FTS)
        return GroupQuery(
            source=article_fts.join(article_search, article_search.c.id == article_fts.c.rowid),
            key=article_fts.c.rowid,
            matches=index.bool_op("MATCH")(self.match),
            order=(
                reader_language_first(self.lang),
                sa.func.bm25(index, 10.0, 5.0, 1.0),
                article_search.c.title,
            ),
            columns=(
                article_search.c.slug.label("slug"),
                article_search.c.lang.label("lang"),
                sa.func.highlight(index, 0, START, STOP).label("title"),
                sa.func.snippet(index, 2, START, STOP, ELLIPSIS, SNIPPET_WORDS).label("snippet"),
            ),
        )


ENGLISH = sa.literal_column("'english'::regconfig")
WHOLE_TEXT = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
FRAGMENTS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords={SNIPPET_WORDS}, MinWords=8, "
    f'MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "'
)


class PostgresQueries:
    """PostgreSQL: a tsquery matched against the generated tsvectors, ranked by ts_rank."""

    def __init__(self, words: list[str], lang: str = "en") -> None:
        self.lang = lang
        # Every word as plainto_tsquery makes it, all required; the last also as a prefix.
        # Words are letters and digits only, and travel as bound parameters.
        last = words[-1]
        query = sa.func.to_tsquery(ENGLISH, f"{last}:*" if is_prefix(last) else last)
        if len(words) > 1:
            query = sa.func.plainto_tsquery(ENGLISH, " ".join(words[:-1])).op("&&")(query)
        self.query = query

    def _headline(self, column: sa.ColumnElement, options: str) -> sa.ColumnElement:
        return sa.func.ts_headline(ENGLISH, column, self.query, options)

    def centers(self) -> GroupQuery:
        """Published centers whose names, place or services hold every word."""
        return GroupQuery(
            source=center_search.join(centers, centers.c.id == center_search.c.center_id),
            key=center_search.c.center_id,
            matches=sa.and_(
                center_search.c.document.bool_op("@@")(self.query),
                centers.c.published.is_(True),
            ),
            order=(sa.func.ts_rank(center_search.c.document, self.query).desc(), centers.c.name1),
            columns=(
                centers.c.slug.label("slug"),
                self._headline(center_search.c.name, WHOLE_TEXT).label("title"),
                self._headline(center_search.c.place, WHOLE_TEXT).label("place"),
                self._headline(center_search.c.services, FRAGMENTS).label("snippet"),
            ),
        )

    def articles(self) -> GroupQuery:
        """Articles whose title, headings or body hold every word."""
        document = article_search.c.document
        return GroupQuery(
            source=article_search,
            key=article_search.c.id,
            matches=document.bool_op("@@")(self.query),
            order=(
                reader_language_first(self.lang),
                sa.func.ts_rank(document, self.query).desc(),
                article_search.c.title,
            ),
            columns=(
                article_search.c.slug.label("slug"),
                article_search.c.lang.label("lang"),
                self._headline(article_search.c.title, WHOLE_TEXT).label("title"),
                self._headline(article_search.c.body, FRAGMENTS).label("snippet"),
            ),
        )
