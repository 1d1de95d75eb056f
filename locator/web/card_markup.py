"""A list of result cards, written as HTML.

One of the two pieces of a page's HTML written in Python rather than in a template (the
other is the filters' checkboxes, locator.web.filter_markup). Twenty
cards of some twenty-five values each were the largest part of a results page's rendering:
Jinja escapes each value into a new `Markup`, looks each attribute up through the
environment and calls each macro through its runtime, and all of that cost more than the
card's own words. Here a card's text is escaped in one call and joined as plain strings.

The layout is the one templates/_partials/centers.html used to hold; the tests that read it
are tests/test_pages.py, tests/test_maps.py and the browser tests.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask, current_app, url_for
from markupsafe import Markup, escape

from locator.search.results import CenterSummary
from locator.taxonomy import current_taxonomy
from locator.web.catalog import gettext as _
from locator.web.i18n import current_language, long_date, miles
from locator.web.maps import current_map
from locator.web.result_cards import (
    in_short,
    label_tables,
    labels_in,
    leading_labels,
    listing_origin,
    matched_filters,
)
from locator.web.templating import directions_url, tel_href

# A card's texts are escaped together, joined by a character no listing's text holds (the
# importers drop control characters); a text that holds it anyway is escaped on its own.
_APART = "\x1f"
# Entries a language keeps of each table below (card words by set of service codes, origin
# lines): about 400 bytes each, so some 8 MB a language when full; then it starts again.
KEPT_PER_LANGUAGE = 20_000


def _escaped(texts: list[str]) -> list[str]:
    # str() first: Markup.split would make a Markup of every part.
    parts = str(escape(_APART.join(texts))).split(_APART)
    return parts if len(parts) == len(texts) else [str(escape(text)) for text in texts]


def _items(labels: Sequence[str], before: str = "") -> str:
    return "".join(f"<li>{before}{label}</li>" for label in labels)


class CardList:
    """Writes the cards of one list: what is the same for every card is worked out once."""

    def __init__(self, chosen: Sequence[str], show_distance: bool, on_map: bool) -> None:
        self.taxonomy = current_taxonomy(current_language())
        self.tables = label_tables(self.taxonomy)
        self.words_of_codes = self.taxonomy.derived.setdefault("words_of_codes", {})
        self.chosen, self.show_distance, self.on_map = chosen, show_distance, on_map
        # "/centers/x" → "/centers/": one url_for for the list (slugs are [a-z0-9-]).
        self.center_prefix = url_for("public.center_detail", slug="x")[:-1]
        words = (_("Matches your filters"), _("Directions"), _("Payment"), _("Languages"))
        self.matches, self.directions, self.payment, self.languages = _escaped(list(words))
        self.tags = escape(_("Some services"))
        self.notes = {
            "zip": escape(_("(the listing is placed by its ZIP code)")),
            "city": escape(_("(the listing is placed by its city)")),
        }
        # Where a listing comes from, by (day last verified, source, edition), per
        # language: the National Directory's name is a lazy string Flask-Babel words anew.
        self.origins: dict[tuple, str] = self.taxonomy.derived.setdefault("listing_origins", {})
        self.edition = current_app.config["LOCATOR_DIRECTORY_EDITION"]
        # Sentences with a number in them, looked up once and filled per card (a distance is
        # digits and a point; the catalog's HTML is the site's own, as in templates).
        self.about = _("about <strong>%(miles)s mi</strong> away")
        self.away = _("<strong>%(miles)s mi</strong> away")
        self.call = _("Call %(phone)s")

    def _origin(self, center: CenterSummary) -> str:
        key = (center.last_verified, center.source, self.edition)
        found = self.origins.get(key)
        if found is None:
            if len(self.origins) >= KEPT_PER_LANGUAGE:
                self.origins.clear()
            found = self.origins[key] = escape(listing_origin(*key[:2]))
        return found

    def _services(self, codes: tuple[str, ...]) -> tuple[str, str, str]:
        """How a set of codes can be paid, the languages and the first services, escaped (the
        services' `<li>` items). A center says the same words each time it is found, and
        finding them is half a card's cost: they are kept per language, by set of codes
        (a pure function of the codes and the taxonomy, so nothing to forget on an edit)."""
        kept = self.words_of_codes.get(codes)
        if kept is None:
            tables = self.tables
            kept = _escaped(
                [
                    in_short(labels_in(codes, tables.payment, tables.payment_labels)),
                    in_short(labels_in(codes, tables.language, tables.language_labels)),
                ]
            )
            kept.append(_items(_escaped(leading_labels(tables, self.taxonomy, codes))))
            if len(self.words_of_codes) >= KEPT_PER_LANGUAGE:
                self.words_of_codes.clear()
            self.words_of_codes[codes] = kept = tuple(kept)
        return kept

    def _distance(self, center: CenterSummary) -> str:
        note = self.notes.get(center.placement)
        distance = miles(center.distance)
        if note:
            about = self.about % {"miles": distance}
            note = f'<span class="visually-hidden"> {note}</span>'
            return f'  <p class="distance">{about}{note}</p>\n'
        return f'  <p class="distance">{self.away % {"miles": distance}}</p>\n'

    def item(self, c: CenterSummary, number: int | None) -> str:
        """One center's card, `<li>` to `</li>`."""
        codes = c.services
        pays, speaks, tags = self._services(codes)
        matched = matched_filters(self.tables, codes, self.chosen) if self.chosen else []
        texts = [
            c.name1,
            c.name2,
            f"{c.street1}, {c.street2}" if c.street1 and c.street2 else c.street1 or c.street2,
            f"{c.city}, {c.state} {c.zip}",
            # The number never breaks across lines; the words before it may ("Llamar al").
            self.call % {"phone": c.phone.replace(" ", "\u00a0")} if c.phone else "",
            *matched,
        ]
        name, name2, street, town, call, *ticks = _escaped(texts)
        href = self.center_prefix + c.slug  # slugs are [a-z0-9-]: nothing to escape
        located = c.latitude is not None
        shown = self.show_distance and c.distance is not None
        out = ['<li class="center-card"']
        if self.on_map and located:
            out.append(
                f' data-map-point data-lat="{c.latitude}" data-lon="{c.longitude}"'
                f' data-name="{name}" data-href="{href}"'
            )
            if shown:
                out.append(f' data-distance="{miles(c.distance)}"')
            if number:
                out.append(f' data-number="{number}"')
        out.append('>\n  <h3 class="center-name">')
        if number and self.on_map:
            out.append(f'<span class="result-number" aria-hidden="true">{number}</span> ')
        out.append(f'<a href="{href}">{name}</a></h3>\n')
        if name2:
            out.append(f'  <p class="center-name2">{name2}</p>\n')
        if shown:
            out.append(self._distance(c))
        if matched:
            ticked = _items(ticks, '<span aria-hidden="true">✓</span> ')
            out.append(f'  <ul class="matches" aria-label="{self.matches}">{ticked}</ul>\n')
        address = f"{street}<br>{town}" if street else town  # some addresses are withheld
        out.append(f'  <p class="address">{address}</p>\n')
        if c.reported_on:
            notice = _(
                "A visitor reported a possible change on %(date)s; call ahead.",
                date=long_date(c.reported_on),
            )
            out.append(f'  <p class="report-notice">{escape(notice)}</p>\n')
        out.append('  <p class="actions">\n')
        if c.phone:
            tel = escape(tel_href(c.phone))
            out.append(f'    <a class="button call" href="{tel}">{call}</a>\n')
        if located:
            way = escape(directions_url(c.latitude, c.longitude))
            out.append(
                f'    <a class="button directions" href="{way}" data-directions'
                f' data-lat="{c.latitude}" data-lon="{c.longitude}" data-name="{name}"'
                f' rel="noopener noreferrer">{self.directions}</a>\n'
            )
        out.append("  </p>\n")
        if pays or speaks:
            out.append('  <dl class="card-facts">\n')
            if pays:
                out.append(f"    <div><dt>{self.payment}</dt><dd>{pays}</dd></div>\n")
            if speaks:
                out.append(f"    <div><dt>{self.languages}</dt><dd>{speaks}</dd></div>\n")
            out.append("  </dl>\n")
        if tags:
            out.append(f'  <ul class="service-tags" aria-label="{self.tags}">{tags}</ul>\n')
        out.append(f'  <p class="listing-origin">{self._origin(c)}</p>\n</li>\n')
        return "".join(out)


def result_card_items(
    results: Sequence[CenterSummary],
    chosen: Sequence[str] = (),
    show_distance: bool = True,
    start: int | None = 1,
) -> Markup:
    """The `<li>` cards of a list, numbered from `start` (None: not numbered)."""
    cards = CardList(chosen, show_distance, current_map().enabled)
    written = (
        cards.item(center, None if start is None else start + index)
        for index, center in enumerate(results)
    )
    # Every text above went through escape(); the HTML around them is this module's own.
    return Markup("".join(written))  # noqa: S704  # nosec B704


def init_app(app: Flask) -> None:
    """Register the card list for templates."""
    app.jinja_env.globals["result_card_items"] = result_card_items
