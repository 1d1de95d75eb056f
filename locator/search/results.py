"""What a list of results holds: one center's summary, one page of them, and the query that
fetches a page's rows with their services (shared by locator.search.finder's ways of searching)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from operator import itemgetter

import sqlalchemy as sa
from flask_babel import gettext as _

from locator.models import Center, center_service
from locator.models.center_fields import SUMMARY_FIELDS

centers = Center.__table__

SUMMARY_COLUMNS = tuple(centers.c[name] for name in SUMMARY_FIELDS)
# One page of found centers, with their service codes (`codes`) in the same query.
PAGE_ROWS = sa.select(
    *SUMMARY_COLUMNS,
    sa.select(sa.func.aggregate_strings(center_service.c.service_code, " "))
    .where(center_service.c.center_id == centers.c.id)
    .scalar_subquery()
    .label("codes"),
).where(centers.c.id.in_(sa.bindparam("ids", expanding=True)))


@dataclass(frozen=True)
class CenterSummary:
    """What a list of results shows of one center."""

    id: int
    slug: str
    name1: str
    name2: str
    street1: str
    street2: str
    city: str
    state: str
    zip: str
    phone: str
    intake1: str
    website: str
    latitude: float | None
    longitude: float | None
    placement: str
    last_verified: date | None
    source: str
    reported_on: date | None  # the newest open visitor report's day ("call ahead")
    distance: float | None
    services: tuple[str, ...] = ()

    @property
    def approximate(self) -> bool:
        """Whether the point stands for a ZIP code or city rather than the address."""
        return self.placement in ("zip", "city")


# The summary's fields come from the one list of a center's fields, in its order.
if tuple(f.name for f in fields(CenterSummary))[: len(SUMMARY_FIELDS)] != SUMMARY_FIELDS:
    raise RuntimeError("CenterSummary's fields differ from center_fields.SUMMARY_FIELDS")


@dataclass(frozen=True)
class ResultPage:
    """One page of results and the count of all of them.

    When counting every result would cost more than it tells, `total` is a floor and
    `total_is_capped` is set: "100+ centers".
    """

    results: list[CenterSummary]
    total: int
    page: int
    per_page: int
    total_is_capped: bool = False

    @property
    def pages(self) -> int:
        """The number of pages (at least 1); one more than counted when the count is capped."""
        counted = max(1, math.ceil(self.total / self.per_page))
        return counted + 1 if self.total_is_capped else counted

    @property
    def total_label(self) -> str:
        """The count as people read it: "37", or "100+" when capped."""
        return f"{self.total}+" if self.total_is_capped else str(self.total)

    @property
    def page_label(self) -> str:
        """ "Page 2 of 5", or "Page 2" when the count is capped."""
        if self.total_is_capped:
            return _("Page %(page)s", page=self.page)
        return _("Page %(page)s of %(pages)s", page=self.page, pages=self.pages)


@lru_cache(maxsize=64)
def _picker(fields: tuple[str, ...]) -> tuple[itemgetter, int]:
    """Where a statement's rows hold the summary's fields and the codes: reading a Row by
    position costs a tenth of reading it by name."""
    return itemgetter(*(fields.index(name) for name in SUMMARY_FIELDS)), fields.index("codes")


def row_summaries(rows: Sequence[sa.Row], distances: Sequence[float | None]) -> list[CenterSummary]:
    """The summaries in rows that hold the SUMMARY_FIELDS and `codes`, with their distances."""
    if not rows:
        return []
    pick, codes_at = _picker(rows[0]._fields)
    return [
        CenterSummary(
            *_dated(pick(row)),
            distance=distance,
            services=tuple(sorted(row[codes_at].split())) if row[codes_at] else (),
        )
        for row, distance in zip(rows, distances, strict=True)
    ]


# Where the summary's dates are. SQLite has no date type: a prepared statement's rows hold
# them as ISO text (PostgreSQL's hold dates).
_DATES = tuple(
    i for i, name in enumerate(SUMMARY_FIELDS) if isinstance(centers.c[name].type, sa.Date)
)


def _dated(values: tuple) -> tuple:
    if all(values[i].__class__ is not str for i in _DATES):
        return values
    dated = list(values)
    for i in _DATES:
        if dated[i].__class__ is str:
            dated[i] = date.fromisoformat(dated[i])
    return tuple(dated)


def summaries(
    connection: sa.Connection, found: Sequence[tuple[int, float | None]]
) -> list[CenterSummary]:
    """The summaries of found (id, distance) pairs, in their order, services included."""
    if not found:
        return []
    # PAGE_ROWS's first column is the id
    rows = {
        row[0]: row for row in connection.execute(PAGE_ROWS, {"ids": [i for i, _ in found]}).all()
    }
    return row_summaries([rows[i] for i, _ in found], [distance for _, distance in found])
