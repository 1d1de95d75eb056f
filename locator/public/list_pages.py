"""What every list page shares: the chosen filters, the page number, links that keep both."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from flask import render_template, request, url_for
from werkzeug.datastructures import MultiDict

from locator.geo import AREAS, STATE_SLUGS, close_matches, gazetteer, name_key, slugify
from locator.search import SearchQuery
from locator.taxonomy import FilterSelection, Taxonomy

# The parameters a list page carries from link to link; anything else is dropped.
KEPT_PARAMETERS = ("location", "radius", "service", "page")


@dataclass
class ListingContext:
    """The filters and page of a list page (its SearchQuery, placed by the view once it
    knows where), and links that keep them."""

    taxonomy: Taxonomy
    query: SearchQuery

    @property
    def selection(self) -> FilterSelection:
        """The chosen filters."""
        return self.query.selection

    @property
    def page(self) -> int:
        """The page shown."""
        return self.query.page

    @property
    def per_page(self) -> int:
        """Results a page."""
        return self.query.per_page

    def is_chosen(self, key: str) -> bool:
        """Whether a filter checkbox is ticked."""
        return key in self.selection.accepted

    def url(self, **changes) -> str:
        """The current URL with some parameters changed (None removes one)."""
        args = MultiDict((k, v) for k, v in request.args.items(multi=True) if k in KEPT_PARAMETERS)
        for key, value in changes.items():
            args.poplist(key)
            if value is not None:
                args.setlist(key, value if isinstance(value, list) else [value])
        return url_for(request.endpoint, **{**args.to_dict(flat=False), **request.view_args})

    def page_url(self, page: int) -> str:
        """The URL of another page of the same results."""
        return self.url(page=str(page))

    def without_filter(self, key: str) -> str:
        """The current URL without one filter, back at page 1."""
        kept = [k for k in self.selection.accepted if k != key]
        return self.url(service=kept, page=None)


def not_found_places(text: str, state: str | None = None):
    """A 404 page for an unknown state or city slug, with the closest places."""
    words = text.replace("-", " ")
    suggestions: list[tuple[str, str]] = []
    state_keys = {name_key(name): abbr for abbr, name in AREAS.items()}
    for match in difflib.get_close_matches(name_key(words), list(state_keys), n=2, cutoff=0.6):
        abbr = state_keys[match]
        suggestions.append(
            (AREAS[abbr], url_for("public.state_page", state_slug=STATE_SLUGS[abbr]))
        )
    for label in close_matches(words, state):
        city, _, abbr = label.rpartition(", ")
        found = gazetteer().city(city, abbr)
        if found:
            suggestions.append(
                (
                    label,
                    url_for(
                        "public.city_page",
                        state_slug=STATE_SLUGS[abbr],
                        city_slug=slugify(found.name),
                    ),
                )
            )
    return render_template("errors/404.html", suggestions=suggestions[:6]), 404
