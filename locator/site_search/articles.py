"""Articles for the site search: loaded as the article pages load them, indexed as plain text."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import sqlalchemy as sa
from markdown_it import MarkdownIt
from sqlalchemy.orm import Session

from locator.content.articles import LANGUAGE_FOLDERS, Article, load_library
from locator.geo.gazetteer import fold_ascii
from locator.site_search.tables import article_fts, article_search, is_sqlite, rebuild_fts
from locator.site_search.words import WORD

LINK_TAG = re.compile(r"\[url\b[^\]]*\](.*?)\[/url\]", re.S)  # keep the link's text
LEFTOVER_TAG = re.compile(r"\[/?url\b[^\]]*\]")
PLACE_PLACEHOLDER = re.compile(r"\[(?:city|region)\]")  # filled per page; nothing to search
CITATION = re.compile(r"[ \t]*\[\d+(?:\s*,\s*\d+)*\]")  # " [1]", " [1, 2]"
# Control characters never belong in text, and two of them mark matches in snippets.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_markdown = MarkdownIt("commonmark")


@dataclass(frozen=True)
class ArticleText:
    """What the site search reads of one article."""

    slug: str
    title: str
    headings: str
    body: str
    lang: str = "en"
    folded: str = ""  # the accented words of title, headings and body, without accents


@dataclass
class ArticleIndexReport:
    """The outcome of indexing the articles folder."""

    indexed: int = 0
    problems: list[str] = field(default_factory=list)


def plain_text(markup: str) -> str:
    """Text without the placeholders, link tags and citation markers of article markup."""
    text = LINK_TAG.sub(r"\1", markup)
    text = LEFTOVER_TAG.sub("", text)
    text = PLACE_PLACEHOLDER.sub("", text)
    return CONTROL.sub("", CITATION.sub("", text))


def _inline_text(token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def markdown_blocks(markdown: str) -> tuple[list[str], list[str]]:
    """The headings and the other text blocks of a Markdown body, as plain text."""
    headings: list[str] = []
    blocks: list[str] = []
    in_heading = False
    for token in _markdown.parse(plain_text(markdown)):
        if token.type in ("heading_open", "heading_close"):
            in_heading = token.type == "heading_open"
        elif token.type == "inline" and (text := _inline_text(token)):
            (headings if in_heading else blocks).append(text)
    return headings, blocks


def article_text(article: Article) -> ArticleText:
    """What the search indexes of a loaded article: its title, headings and body text."""
    headings, blocks = markdown_blocks(article.body)
    title, heading_text, body = (
        plain_text(article.title).strip(),
        "\n".join(headings),
        "\n".join(blocks),
    )
    return ArticleText(
        article.slug,
        title,
        heading_text,
        body,
        article.lang,
        accent_free_words(title, heading_text, body),
    )


def accent_free_words(*texts: str) -> str:
    """The words written with accents, without them ("desintoxicación" → "desintoxicacion"),
    once each: what PostgreSQL indexes beside the text so that a query typed without accents
    finds it (words without accents are not repeated, so ranks stay as they were)."""
    words = {word: fold_ascii(word) for text in texts for word in WORD.findall(text)}
    return " ".join(dict.fromkeys(f for w, f in words.items() if f and f != w))


def read_articles(directory: Path) -> tuple[list[ArticleText], list[str]]:
    """Every article the pages can show (the same loader), those of its language subfolders
    (data/articles/es) too, and a message for each left out."""
    if not directory.is_dir():
        return [], [f"There is no articles folder at {directory}."]
    translated = [directory / lang for lang in LANGUAGE_FOLDERS if (directory / lang).is_dir()]
    library = load_library([directory, *translated])
    problems = [str(error) for error in library.errors]
    return [article_text(a) for a in library.by_slug.values()], problems


def index_articles(session: Session, directory: Path) -> ArticleIndexReport:
    """Replace the articles' search index with the articles of a folder, in one transaction."""
    articles, problems = read_articles(directory)
    session.execute(sa.delete(article_search))
    if articles:
        rows = [{"id": n, **asdict(a)} for n, a in enumerate(articles, start=1)]
        session.execute(sa.insert(article_search), rows)
    if is_sqlite(session):
        rebuild_fts(session, article_fts)
    return ArticleIndexReport(indexed=len(articles), problems=problems)
