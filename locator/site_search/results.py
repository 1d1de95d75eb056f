"""Site search: articles and treatment centers matching the words of a query."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from locator.site_search.engines import START, STOP, Fts5Queries, GroupQuery, PostgresQueries
from locator.site_search.tables import is_sqlite
from locator.site_search.words import query_words

PER_PAGE = 10
MARKERS = re.compile(f"([{START}{STOP}])")


def marked(highlighted: str | None) -> Markup:
    """Engine text with matches between START and STOP, as HTML: escaped, then marked."""
    html: list[Markup] = []
    inside = False
    for piece in MARKERS.split(highlighted or ""):
        if piece in (START, STOP):
            inside = piece == START
        elif piece:
            html.append(Markup("<mark>{}</mark>").format(piece) if inside else escape(piece))
    return Markup("").join(html)


@dataclass(frozen=True)
class Hit:
    """One result: where it leads, its title, its place (centers) and a snippet, as HTML;
    an article's language ("es" for a Spanish article: it leads to a Spanish page)."""

    slug: str
    title: Markup
    place: Markup
    snippet: Markup
    lang: str = "en"


@dataclass(frozen=True)
class HitGroup:
    """One group of results: how many match in all, and the hits of this page."""

    total: int = 0
    hits: list[Hit] = field(default_factory=list)


@dataclass(frozen=True)
class SiteSearchResults:
    """The words searched for, and a page of each group."""

    words: list[str]
    page: int
    per_page: int
    articles: HitGroup = HitGroup()
    centers: HitGroup = HitGroup()

    @property
    def pages(self) -> int:
        """Pages needed for the larger group."""
        largest = max(self.articles.total, self.centers.total)
        return max(1, math.ceil(largest / self.per_page))

    @property
    def total(self) -> int:
        """Matches in both groups."""
        return self.articles.total + self.centers.total


def _group_page(session: Session, group: GroupQuery, page: int, per_page: int) -> HitGroup:
    matching = sa.select(group.key).select_from(group.source).where(group.matches)
    total = session.scalar(sa.select(sa.func.count()).select_from(matching.subquery())) or 0
    offset = (page - 1) * per_page
    if total <= offset:
        return HitGroup(total)
    this_page = matching.order_by(*group.order).limit(per_page).offset(offset).correlate(None)
    # Titles and snippets are made for this page's rows alone, not for every match.
    rows = session.execute(
        sa.select(*group.columns)
        .select_from(group.source)
        .where(group.matches, group.key.in_(this_page))
        .order_by(*group.order)
    ).mappings()
    hits = [
        Hit(
            row["slug"],
            marked(row["title"]),
            marked(row.get("place")),
            marked(row["snippet"]),
            row.get("lang") or "en",
        )
        for row in rows
    ]
    return HitGroup(total, hits)


def search_site(
    session: Session, text: str, page: int = 1, per_page: int = PER_PAGE, lang: str = "en"
) -> SiteSearchResults:
    """Articles and published centers holding every word of `text` (the last as a prefix);
    articles in the reader's language `lang` come first.

    Any text is safe: it is reduced to plain words first. With no words left, nothing
    is searched and both groups are empty.
    """
    words = query_words(text)
    if not words:
        return SiteSearchResults(words, page, per_page)
    engine = Fts5Queries(words, lang) if is_sqlite(session) else PostgresQueries(words, lang)
    return SiteSearchResults(
        words,
        page,
        per_page,
        articles=_group_page(session, engine.articles(), page, per_page),
        centers=_group_page(session, engine.centers(), page, per_page),
    )
