"""Articles: the list, and one article filled in for its reader's location, in either language.

An English article and its Spanish translation have different slugs (`/articles/<english>` and
`/es/articles/<spanish>`); each page links to the other, and a slug asked for in the wrong
language is sent to its twin.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for

from locator.content import current_library
from locator.content.filling import fill_for_reader, finding_box, render_article
from locator.content.reader_location import reader_location
from locator.public import bp
from locator.web.i18n import LANGUAGES, current_language, localized_url_for, set_twins


@bp.get("/articles/")
def articles_index():
    """Every article in the page's language: title, description and when it was last updated."""
    articles = current_library().newest_first(current_language())
    return render_template("public/articles.html", articles=articles)


@bp.get("/articles/<slug>")
def article(slug: str):
    """One article, its placeholders filled for the reader's location, then its sources."""
    lang = current_language()
    library = current_library()
    found = library.get(slug)
    if found is None:
        abort(404)
    if found.lang != lang:  # e.g. /es/articles/<english slug>: the Spanish twin, if any
        twin = library.twin(found, lang)
        if twin is None:
            abort(404)
        return redirect(url_for("public.article", slug=twin.slug), code=301)
    twins = {other: library.twin(found, other) for other in LANGUAGES}
    if all(twins.values()):
        set_twins(
            {o: localized_url_for("public.article", o, slug=t.slug) for o, t in twins.items()}
        )
    else:  # not translated yet: the switch leads to the other language's articles
        set_twins(
            {o: localized_url_for("public.articles_index", o) for o in LANGUAGES}, equivalent=False
        )
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
