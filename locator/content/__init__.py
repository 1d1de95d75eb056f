"""Articles and the placeholder renderer: loaded once at start-up, filled per reader.

`articles` reads and tokenizes the files, `placeholders` is the grammar (one tokenizer for
the renderer and the checker), `filling` fills it for a reader, `check` is the CLI check.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app

from locator.content.articles import Article, ArticleLibrary, article_folders, load_library

log = logging.getLogger(__name__)

__all__ = ["Article", "ArticleLibrary", "article_folders", "current_library", "init_app"]


def init_app(app: Flask) -> None:
    """Load and tokenize the articles once (English, then each translation's folder)."""
    library = load_library(article_folders(app.config["LOCATOR_DATA_DIR"]))
    for error in library.errors:  # a broken file is left out, never fatal
        log.warning("article not loaded: %s", error)
    app.extensions["locator.articles"] = library


def current_library() -> ArticleLibrary:
    """The running app's articles."""
    return current_app.extensions["locator.articles"]
