"""Articles: the list, and one article filled in for its reader's location."""

from __future__ import annotations

from flask import abort, render_template, url_for

from locator.content import current_library
from locator.content.filling import fill_for_reader, finding_box, render_article
from locator.content.reader_location import reader_location
from locator.public import bp


@bp.get("/articles/")
def articles_index():
    """Every article: title, description and when it was last updated."""
    return render_template("public/articles.html", articles=current_library().newest_first())


@bp.get("/articles/<slug>")
def article(slug: str):
    """One article, its placeholders filled for the reader's location, then its sources."""
    found = current_library().get(slug)
    if found is None:
        abort(404)
    reader = reader_location()
    fill = fill_for_reader(reader)
    label = reader.location.label if reader.location else ""
    here = url_for("public.article", slug=slug)
    return render_template(
        "public/article.html",
        article=found,
        body=render_article(found, fill),
        reader=reader,
        finding=finding_box(fill, label, here),
    )
