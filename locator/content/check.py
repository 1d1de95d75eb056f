"""`flask check-articles`: every broken placeholder, citation or link, with file and line.

It reads the token stream the renderer reads, so it lists exactly what readers would see
as plain text, plus site links that lead nowhere and search filters that don't exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext
from markdown_it.token import Token
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from locator.content.articles import article_folders, load_library
from locator.content.placeholders import LINK_NAMES, PROBLEM
from locator.taxonomy import current_taxonomy


@dataclass(frozen=True)
class Problem:
    """One thing to fix in an article file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _inline_tokens(tokens: list[Token]) -> Iterator[tuple[Token, Token]]:
    """(inline block token, child) for every child token of the body."""
    for block in tokens:
        if block.type == "inline" and block.children:
            for child in block.children:
                yield block, child


def _line_of(block: Token, offset: int, first_line: int) -> int:
    start = block.map[0] if block.map else 0
    return first_line + start + block.content[:offset].count("\n")


def link_problem(link: str) -> str:
    """Why a site link would fail (no such page, unknown search filter), or ""."""
    if link in LINK_NAMES:
        return ""
    parts = urlsplit(link)
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(parts.path, method="GET")
    except RequestRedirect:
        pass  # e.g. "/rehab" → "/rehab/": the page exists
    except HTTPException:
        return f"link {link} leads to no page of this site"
    services = [v for k, v in parse_qsl(parts.query) if k == "service"]
    unknown = current_taxonomy().select(services).unknown
    return f"link {link} names unknown search filters: {', '.join(unknown)}" if unknown else ""


def article_problems(path: Path, tokens: list[Token], first_line: int) -> list[Problem]:
    """The problems of one parsed body: broken placeholders and citations, bad links."""
    problems: list[Problem] = []
    for block, token in _inline_tokens(tokens):
        if token.type == PROBLEM:
            message = f"{token.meta['problem']}: {token.content}"
        elif token.type == "placeholder_link_open":
            message = link_problem(token.meta["link"])
        else:
            continue
        if message:
            line = _line_of(block, token.meta["offset"], first_line)
            problems.append(Problem(path, line, message))
    return problems


def check_articles(paths: list[Path]) -> list[Problem]:
    """Every problem of the article files in `paths` (folders or files)."""
    library = load_library(paths)
    problems = [Problem(e.path, e.line, e.message) for e in library.errors]
    for article in library.by_slug.values():
        problems += article_problems(article.path, article.tokens, article.body_line)
    return sorted(problems, key=lambda p: (str(p.path), p.line))


def articles_folders() -> list[Path]:
    """Where the shipped articles live: the English ones and each translation's folder."""
    return article_folders(current_app.config["LOCATOR_DATA_DIR"])


@click.command("check-articles")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def check_articles_command(paths: tuple[Path, ...]) -> None:
    """List broken placeholders, citations and links in articles; exit 1 if any."""
    problems = check_articles(list(paths) or articles_folders())
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        raise click.exceptions.Exit(1)
    click.echo("No problems found.")
