"""What a list of results holds: one center's summary, one page of them, and the query that
fetches a page's rows with their services (shared by locator.search.finder's ways of searching)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from operator import attrgetter

import sqlalchemy as sa
from flask_babel import gettext as _

from locator.models import Center, center_service
from locator.models.center_fields import SUMMARY_FIELDS

centers = Center.__table__

SUMMARY_COLUMNS = tuple(centers.c[name] for name in SUMMARY_FIELDS)
# A row's summary columns by name, in CenterSummary's order (attrgetter: no loop in Python).
_summary_values = attrgetter(*SUMMARY_FIELDS)
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


def summary_of(row: sa.Row, distance: float | None) -> CenterSummary:
    """The summary in a row that holds the SUMMARY_COLUMNS and `codes` by name."""
    return CenterSummary(
        *_summary_values(row),
        distance=distance,
        services=tuple(sorted((row.codes or "").split())),
    )


def summaries(
    connection: sa.Connection, found: Sequence[tuple[int, float | None]]
) -> list[CenterSummary]:
    """The summaries of found (id, distance) pairs, in their order, services included."""
    if not found:
        return []
    rows = {row.id: row for row in connection.execute(PAGE_ROWS, {"ids": [i for i, _ in found]})}
    return [summary_of(rows[center_id], distance) for center_id, distance in found]
