"""What a result card says in words: the chosen filters a center meets, how it can be paid,
the languages it serves in, its first few services and where its listing comes from.

The label tables come from the taxonomy once per language; locator.web.card_markup writes
the cards with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from locator.taxonomy import Taxonomy
from locator.web.catalog import gettext as _
from locator.web.i18n import long_date
from locator.web.templating import source_label

PAYMENT_CATEGORIES = ("payment_accepted", "payment_assistance")
LANGUAGE_CATEGORY = "language_services"
# A card names this many ways to pay or languages, then "and N more"; and this many services.
SHOWN = 4
TAGS = 5


@dataclass(frozen=True)
class LabelTables:
    """One taxonomy view's labels, arranged for cards (made once per language).

    Each table ranks the codes it knows by a whole number, so that a card sorts a center's
    codes as plain integers: a card is written twenty times a page.
    """

    labels: dict[str, str]
    rank: dict[str, int]  # code → where it comes in the taxonomy
    ranked_labels: list[str]  # rank → label
    # the payment and language codes: code → rank in their own order, rank → short label
    payment: dict[str, int]
    payment_labels: list[str]
    language: dict[str, int]
    language_labels: list[str]
    filter_codes: dict[str, frozenset[str]]
    filter_labels: dict[str, str]


def label_tables(taxonomy: Taxonomy) -> LabelTables:
    """The card tables of a taxonomy view, kept with it."""
    found = taxonomy.derived.get("cards")
    if found is None:
        found = taxonomy.derived["cards"] = _label_tables(taxonomy)
    return found


def _ranked(entries: dict[str, tuple]) -> tuple[dict[str, int], list[str]]:
    """`code → (sort key, words)` as `code → rank` and `rank → words`."""
    ordered = sorted(entries, key=lambda code: entries[code][0])
    return {code: rank for rank, code in enumerate(ordered)}, [entries[c][1] for c in ordered]


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
    services = {code: ((s.position, code), s.label) for code, s in taxonomy.services.items()}
    rank, ranked_labels = _ranked(services)
    payment_rank, payment_labels = _ranked(payment)
    language_rank, language_labels = _ranked(language)
    return LabelTables(
        labels={code: s.label for code, s in taxonomy.services.items()},
        rank=rank,
        ranked_labels=ranked_labels,
        payment=payment_rank,
        payment_labels=payment_labels,
        language=language_rank,
        language_labels=language_labels,
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


def labels_in(codes: Iterable[str], rank: dict[str, int], labels: list[str]) -> list[str]:
    """A center's codes found in one ranked table, in its order, in short words, each once."""
    found = sorted(rank[code] for code in codes if code in rank)
    return list(dict.fromkeys(labels[r] for r in found))


def leading_labels(tables: LabelTables, taxonomy: Taxonomy, codes: Iterable[str]) -> list[str]:
    """The first few services in the taxonomy's order (codes it does not know come last)."""
    rank = tables.rank
    known = sorted(rank[code] for code in codes if code in rank)[:TAGS]
    labels = [tables.ranked_labels[r] for r in known]
    if len(labels) < TAGS:
        unknown = sorted(code for code in codes if code not in rank)
        labels += [taxonomy.label(code) for code in unknown[: TAGS - len(labels)]]
    return labels


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
