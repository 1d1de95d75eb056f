"""The filter checkboxes of the search form, under their category headings, written as HTML.

Written in Python for the reason locator.web.card_markup gives: a results page shows some
thirty filters, each with its label, whether it is ticked and how many results it would
list, and in a template each of those values costs a lookup, an escape and a `Markup`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import Flask
from markupsafe import Markup, escape

from locator.taxonomy import Taxonomy
from locator.web.catalog import ngettext
from locator.web.templating import page_taxonomy


def _headed_filters(taxonomy: Taxonomy) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(escaped heading, [(key, escaped key, escaped label)]), worded once per language."""
    found = taxonomy.derived.get("filter_markup")
    if found is None:
        found = taxonomy.derived["filter_markup"] = [
            (escape(heading), [(f.key, escape(f.key), escape(f.label)) for f in filters])
            for heading, filters in taxonomy.filters_by_category()
        ]
    return found


def filter_group_list(
    chosen: Sequence[str], counts: Mapping[str, int] | None = None, form_id: str | None = None
) -> Markup:
    """Every filter's checkbox, ticked where `chosen`, with the count of results it would
    list where `counts` has one; `form_id` ties the boxes to a form they are not inside."""
    counts = counts or {}
    tied = f' form="{escape(form_id)}"' if form_id else ""
    words = {}  # "result" or "results", by count
    out = ['<div class="filter-groups">\n']
    for heading, filters in _headed_filters(page_taxonomy()):
        out.append(f"  <fieldset>\n    <legend>{heading}</legend>\n")
        for key, value, label in filters:
            ticked = "checked" if key in chosen else ""
            counted = ""
            count = counts.get(key)
            if count is not None:
                said = words.get(count)
                if said is None:
                    said = words[count] = escape(ngettext("result", "results", count))
                hidden = f'<span class="visually-hidden"> {said}</span>'
                counted = f' <span class="count">{count}{hidden}</span>'
            out.append(
                f'    <label class="check"><input type="checkbox" name="service" value="{value}"'
                f"{tied} {ticked}> <span>{label}{counted}</span></label>\n"
            )
        out.append("  </fieldset>\n")
    out.append("</div>")
    # The keys and labels are escaped once per language, the words per page; the rest is
    # this module's own HTML.
    return Markup("".join(out))  # noqa: S704  # nosec B704


def init_app(app: Flask) -> None:
    """Register the filter list for templates."""
    app.jinja_env.globals["filter_group_list"] = filter_group_list
