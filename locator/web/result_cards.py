"""What a result card says to "can I go there?": the distance, the chosen filters a center
meets, phone and directions, how it can be paid, the languages it serves in, a few services
and where its listing comes from.

Written once per card here rather than piece by piece in the template: a results page shows
twenty cards, and each call out of Jinja (a macro, a filter, a `gettext`) costs more than the
few string operations it wraps. The label tables come from the taxonomy once per language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from flask import Flask, current_app, url_for

from locator.search.results import CenterSummary
from locator.taxonomy import Taxonomy, current_taxonomy
from locator.web.catalog import gettext as _
from locator.web.i18n import current_language, long_date, miles
from locator.web.templating import directions_url, source_label, tel_href

PAYMENT_CATEGORIES = ("payment_accepted", "payment_assistance")
LANGUAGE_CATEGORY = "language_services"
# A card names this many ways to pay or languages, then "and N more"; and this many services.
SHOWN = 4
TAGS = 5
_UNKNOWN_POSITION = 10_000


@dataclass(frozen=True)
class LabelTables:
    """One taxonomy view's labels, arranged for cards (made once per language)."""

    order: dict[str, tuple[int, str]]  # code → where it comes in the taxonomy
    labels: dict[str, str]
    # code → (where it comes, the short label) for the payment and the language codes
    payment: dict[str, tuple[tuple[int, int, str], str]]
    language: dict[str, tuple[tuple[int, int, str], str]]
    filter_codes: dict[str, frozenset[str]]
    filter_labels: dict[str, str]


def label_tables(taxonomy: Taxonomy) -> LabelTables:
    """The card tables of a taxonomy view, kept with it."""
    found = taxonomy.derived.get("cards")
    if found is None:
        found = taxonomy.derived["cards"] = _label_tables(taxonomy)
    return found


def _label_tables(taxonomy: Taxonomy) -> LabelTables:
    # Where one filter stands for one code alone, its label is the shorter word people pick
    # from ("Self-pay" rather than "Self-pay (cash)").
    short = {f.codes[0]: f.label for f in taxonomy.filters.values() if len(f.codes) == 1}
    payment, language = {}, {}
    for code, service in taxonomy.services.items():
        words = short.get(code, service.label)
        if service.category in PAYMENT_CATEGORIES:
            rank = PAYMENT_CATEGORIES.index(service.category)
            payment[code] = ((rank, service.position, code), words)
        elif service.category == LANGUAGE_CATEGORY:
            language[code] = ((0, service.position, code), words)
    return LabelTables(
        order={code: (s.position, code) for code, s in taxonomy.services.items()},
        labels={code: s.label for code, s in taxonomy.services.items()},
        payment=payment,
        language=language,
        filter_codes={key: frozenset(f.codes) for key, f in taxonomy.filters.items()},
        filter_labels={key: f.label for key, f in taxonomy.filters.items()},
    )


def matched_filters(tables: LabelTables, codes: Iterable[str], chosen: Sequence[str]) -> list[str]:
    """The labels of the chosen filters (keys or raw codes) that a center's codes meet.

    Within a category a center needs only one of the chosen filters, so the card says which.
    """
    offered = set(codes)
    labels = []
    for key in chosen:
        wanted = tables.filter_codes.get(key)
        if wanted is not None:
            if offered & wanted:
                labels.append(tables.filter_labels[key])
        elif key in offered:
            labels.append(tables.labels.get(key, key))
    return labels


def _labels_of(codes: Iterable[str], table: dict[str, tuple[tuple[int, int, str], str]]) -> list:
    """A center's codes found in one table, in its order, in short words, each once."""
    found = sorted(table[code] for code in codes if code in table)
    return list(dict.fromkeys(words for _, words in found))


def leading_labels(tables: LabelTables, taxonomy: Taxonomy, codes: Iterable[str]) -> list[str]:
    """The first few services in the taxonomy's order (codes it does not know come last)."""
    order = tables.order
    ordered = sorted(codes, key=lambda code: order.get(code) or (_UNKNOWN_POSITION, code))
    return [tables.labels.get(code) or taxonomy.label(code) for code in ordered[:TAGS]]


def in_short(labels: list[str], shown: int = SHOWN) -> str:
    """ "Medicaid, Medicare, Self-pay and 2 more"."""
    if len(labels) <= shown:
        return ", ".join(labels)
    return _(
        "%(labels)s and %(count)s more", labels=", ".join(labels[:shown]), count=len(labels) - shown
    )


def listing_origin(last_verified: date | None, source: str) -> str:
    """When the listing was last checked, else which directory it is from (the source's
    label names the edition, LOCATOR_DIRECTORY_EDITION, for the National Directory)."""
    if last_verified is not None:
        return _("Last verified %(date)s", date=long_date(last_verified))
    return _("From %(source)s", source=source_label(source))


@dataclass(slots=True)
class Card:
    """One center's card, worded in the page's language."""

    center: CenterSummary
    href: str
    number: int | None
    distance: str  # "2.5", or "" when the card shows no distance
    approximate_note: str  # why the distance is "about", or ""
    matched: list[str]
    report_notice: str
    tel: str
    call: str
    directions: str
    pays: str
    speaks: str
    tags: list[str]
    origin: str


class CardWriter:
    """Writes the cards of one list: what is the same for every card is worked out once."""

    def __init__(self, chosen: Sequence[str], show_distance: bool) -> None:
        self.taxonomy = current_taxonomy(current_language())
        self.tables = label_tables(self.taxonomy)
        self.chosen = chosen
        self.show_distance = show_distance
        # "/centers/x" → "/centers/": one url_for for the list (slugs are [a-z0-9-]).
        self.center_prefix = url_for("public.center_detail", slug="x")[:-1]
        self.directions_template = current_app.config["LOCATOR_DIRECTIONS_URL"]
        self.notes = {
            "zip": _("(the listing is placed by its ZIP code)"),
            "city": _("(the listing is placed by its city)"),
        }
        self.origins: dict[tuple[date | None, str], str] = {}

    def card(self, center: CenterSummary, number: int | None) -> Card:
        """The card of one center."""
        codes = center.services
        shown = self.show_distance and center.distance is not None
        origin_key = (center.last_verified, center.source)
        origin = self.origins.get(origin_key)
        if origin is None:
            origin = self.origins[origin_key] = listing_origin(*origin_key)
        return Card(
            center=center,
            href=self.center_prefix + quote(center.slug),
            number=number,
            distance=miles(center.distance) if shown else "",
            approximate_note=self.notes.get(center.placement, "") if shown else "",
            matched=matched_filters(self.tables, codes, self.chosen) if self.chosen else [],
            report_notice=_(
                "A visitor reported a possible change on %(date)s; call ahead.",
                date=long_date(center.reported_on),
            )
            if center.reported_on
            else "",
            tel=tel_href(center.phone) if center.phone else "",
            # The number never breaks across lines; the words before it may ("Llamar al").
            call=_("Call %(phone)s", phone=center.phone.replace(" ", "\u00a0"))
            if center.phone
            else "",
            directions=directions_url(center.latitude, center.longitude)
            if center.latitude is not None
            else "",
            pays=in_short(_labels_of(codes, self.tables.payment)),
            speaks=in_short(_labels_of(codes, self.tables.language)),
            tags=leading_labels(self.tables, self.taxonomy, codes),
            origin=origin,
        )


def result_cards(
    results: Sequence[CenterSummary],
    chosen: Sequence[str] = (),
    show_distance: bool = True,
    start: int | None = 1,
) -> list[Card]:
    """The cards of a list, numbered from `start` (None: not numbered)."""
    writer = CardWriter(chosen, show_distance)
    return [
        writer.card(center, None if start is None else start + index)
        for index, center in enumerate(results)
    ]


def init_app(app: Flask) -> None:
    """Register the card writer for templates."""
    app.jinja_env.globals["result_cards"] = result_cards
