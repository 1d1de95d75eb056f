"""Articles: Markdown files with YAML front matter, parsed to tokens once at start-up."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it.token import Token

from locator.content.placeholders import MARKDOWN

REQUIRED_KEYS = ("title", "slug", "description", "published", "updated", "sources")
FENCE = "---"
DEFAULT_LANGUAGE = "en"
# An article in a folder named after a language (data/articles/es/) is in that language, and
# names its English twin with `translation_of: <english slug>`.
LANGUAGE_FOLDERS = ("es",)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class ArticleError(ValueError):
    """An article file that cannot be loaded, with the line to look at."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class Source:
    """One numbered source an article cites."""

    publisher: str
    title: str


@dataclass(frozen=True)
class Article:
    """An article, its body already tokenized; readers' values are filled in at render."""

    path: Path
    slug: str
    title: str
    description: str
    published: dt.date
    updated: dt.date
    sources: tuple[Source, ...]
    body: str
    body_line: int  # the file's line number of the body's first line
    tokens: list[Token] = field(repr=False)
    reviewer: str = ""
    reviewed: dt.date | None = None
    lang: str = DEFAULT_LANGUAGE
    translation_of: str = ""  # the English slug a translated article renders


def split_front_matter(path: Path, text: str) -> tuple[str, str, int]:
    """(front matter, body, line number of the body's first line)."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise ArticleError(path, 1, "the file must start with a '---' line of front matter")
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == FENCE:
            return "".join(lines[1 : number - 1]), "".join(lines[number:]), number + 1
    raise ArticleError(path, 1, "the front matter is not closed with a '---' line")


def _date(path: Path, meta: dict, key: str) -> dt.date:
    value = meta[key]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ArticleError(path, 1, f"{key} must be a date (YYYY-MM-DD)") from None


def _sources(path: Path, raw: object) -> tuple[Source, ...]:
    if not isinstance(raw, list) or not raw:
        raise ArticleError(path, 1, "sources must be a list of {publisher, title}")
    sources = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not item.get("publisher") or not item.get("title"):
            raise ArticleError(path, 1, f"source {number} needs a publisher and a title")
        sources.append(Source(str(item["publisher"]), str(item["title"])))
    return tuple(sources)


def _front_matter(path: Path, raw: str) -> dict:
    try:
        meta = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 2
        raise ArticleError(path, line, "the front matter is not valid YAML") from None
    if not isinstance(meta, dict):
        raise ArticleError(path, 2, "the front matter must be key: value lines")
    missing = [key for key in REQUIRED_KEYS if not meta.get(key)]
    if missing:
        raise ArticleError(path, 2, "the front matter lacks " + ", ".join(missing))
    if not _SLUG.fullmatch(str(meta["slug"])):
        raise ArticleError(path, 2, "slug must be lowercase words joined by hyphens")
    twin = meta.get("translation_of")
    if twin is not None and not _SLUG.fullmatch(str(twin)):
        raise ArticleError(path, 2, "translation_of must be the English article's slug")
    if bool(meta.get("reviewer")) != bool(meta.get("reviewed")):
        raise ArticleError(path, 2, "reviewer and reviewed go together: set both or neither")
    return meta


def parse_article(path: Path) -> Article:
    """Read and tokenize one article file, or raise ArticleError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ArticleError(path, 1, f"cannot be read ({error.__class__.__name__})") from None
    raw_meta, body, body_line = split_front_matter(path, text)
    meta = _front_matter(path, raw_meta)
    sources = _sources(path, meta["sources"])
    return Article(
        path=path,
        slug=str(meta["slug"]),
        title=str(meta["title"]),
        description=str(meta["description"]),
        published=_date(path, meta, "published"),
        updated=_date(path, meta, "updated"),
        sources=sources,
        body=body,
        body_line=body_line,
        tokens=MARKDOWN.parse(body, {"source_count": len(sources)}),
        reviewer=str(meta.get("reviewer") or ""),
        reviewed=_date(path, meta, "reviewed") if meta.get("reviewed") else None,
        lang=path.parent.name if path.parent.name in LANGUAGE_FOLDERS else DEFAULT_LANGUAGE,
        translation_of=str(meta.get("translation_of") or ""),
    )


def article_folders(data_dir: str | Path) -> list[Path]:
    """The English articles' folder, then each translation's (data/articles/es)."""
    english = Path(data_dir) / "articles"
    return [english, *(english / lang for lang in LANGUAGE_FOLDERS if (english / lang).is_dir())]


def article_files(paths: list[Path]) -> list[Path]:
    """The .md files named, or found in the folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.glob("*.md")) if path.is_dir() else [path])
    return found


@dataclass
class ArticleLibrary:
    """The loaded articles by slug (one slug for one article, whatever its language), and the
    files that could not be loaded."""

    by_slug: dict[str, Article] = field(default_factory=dict)
    errors: list[ArticleError] = field(default_factory=list)

    def get(self, slug: str, lang: str | None = None) -> Article | None:
        """One article by its slug; with `lang`, only if it is in that language."""
        found = self.by_slug.get(slug)
        return found if found is not None and lang in (None, found.lang) else None

    def newest_first(self, lang: str = DEFAULT_LANGUAGE) -> list[Article]:
        """Every article in a language, most recently updated first."""
        return sorted(
            (a for a in self.by_slug.values() if a.lang == lang),
            key=lambda a: (-a.updated.toordinal(), a.title),
        )

    def twin(self, article: Article, lang: str) -> Article | None:
        """The same article in another language, if it has been translated."""
        if article.lang == lang:
            return article
        english = article.translation_of if article.lang != DEFAULT_LANGUAGE else article.slug
        if lang == DEFAULT_LANGUAGE:
            return self.get(english, DEFAULT_LANGUAGE)
        return next(
            (a for a in self.by_slug.values() if a.lang == lang and a.translation_of == english),
            None,
        )


def load_library(paths: list[Path]) -> ArticleLibrary:
    """Load every article; a broken file is reported, never fatal; slugs must be unique."""
    library = ArticleLibrary()
    for path in article_files(paths):
        try:
            article = parse_article(path)
        except ArticleError as error:
            library.errors.append(error)
            continue
        if article.slug in library.by_slug:
            first = library.by_slug[article.slug].path.name
            library.errors.append(ArticleError(path, 2, f"slug {article.slug} is used by {first}"))
            continue
        library.by_slug[article.slug] = article
    return library
