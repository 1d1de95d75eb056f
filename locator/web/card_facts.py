"""What a result card says to "can I go there?": the chosen filters a center meets, how
it can be paid, the languages it serves in, and where its listing comes from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from flask import Flask
from flask_babel import gettext as _

from locator.taxonomy import Taxonomy, current_taxonomy
from locator.web.i18n import long_date

PAYMENT_CATEGORIES = ("payment_accepted", "payment_assistance")
LANGUAGE_CATEGORY = "language_services"
# A card names this many ways to pay or languages, then "and N more".
SHOWN = 4


def matched_filters(taxonomy: Taxonomy, codes: Iterable[str], chosen: Sequence[str]) -> list[str]:
    """The labels of the chosen filters (keys or raw codes) that a center's codes meet.

    Within a category a center needs only one of the chosen filters, so the card says which.
    """
    offered = set(codes)
    labels = []
    for key in chosen:
        wanted = taxonomy.filters.get(key)
        if wanted is not None and offered & set(wanted.codes):
            labels.append(wanted.label)
        elif wanted is None and key in offered:
            labels.append(taxonomy.service(key).label)
    return labels


def _short_labels(taxonomy: Taxonomy) -> dict[str, str]:
    """Code → the filter's label where one filter stands for that code alone ("Self-pay"
    rather than "Self-pay (cash)"): the shorter words people pick from."""
    return {f.codes[0]: f.label for f in taxonomy.filters.values() if len(f.codes) == 1}


def labels_in(taxonomy: Taxonomy, codes: Iterable[str], categories: Sequence[str]) -> list[str]:
    """A center's services of some categories, in the taxonomy's order, in short words."""
    short = _short_labels(taxonomy)
    found = [taxonomy.service(code) for code in codes]
    found = [s for s in found if s.category in categories]
    found.sort(key=lambda s: (categories.index(s.category), s.position, s.code))
    return list(dict.fromkeys(short.get(s.code, s.label) for s in found))


def in_short(labels: list[str], shown: int = SHOWN) -> str:
    """ "Medicaid, Medicare, Self-pay and 2 more"."""
    if len(labels) <= shown:
        return ", ".join(labels)
    return _(
        "%(labels)s and %(count)s more", labels=", ".join(labels[:shown]), count=len(labels) - shown
    )


def listing_origin(last_verified: date | None, source_label: str) -> str:
    """When the listing was last checked, else which directory it is from (the source's
    label names the edition, LOCATOR_DIRECTORY_EDITION, for the National Directory)."""
    if last_verified is not None:
        return _("Last verified %(date)s", date=long_date(last_verified))
    return _("From %(source)s", source=source_label)


def init_app(app: Flask) -> None:
    """Register the card helpers for templates."""
    app.jinja_env.globals.update(
        matched_filters=lambda codes, chosen: matched_filters(current_taxonomy(), codes, chosen),
        payment_labels=lambda codes: labels_in(current_taxonomy(), codes, PAYMENT_CATEGORIES),
        language_labels=lambda codes: labels_in(current_taxonomy(), codes, (LANGUAGE_CATEGORY,)),
        listing_origin=listing_origin,
    )
    app.jinja_env.filters["in_short"] = in_short
