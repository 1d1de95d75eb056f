"""Pages of rows for the admin tables: the page asked for, and one page of a query."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import Session

from locator.web.params import ParameterError, page_number

PER_PAGE = 50
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page:
    """One page of rows, with what the page links need."""

    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least 1, so "page 1 of 1" reads right when empty)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def first_number(self) -> int:
        """The position of the page's first row in the whole list, from 1."""
        return (self.page - 1) * self.per_page + 1


def requested_page(args: Mapping[str, str]) -> int:
    """The `page` of the query string, 1 when absent; a 400 with a clear message when wrong."""
    try:
        return page_number(args, MAX_PAGE)
    except ParameterError as error:
        abort(400, str(error))


def paginate(session: Session, query: sa.Select, page: int, per_page: int = PER_PAGE) -> Page:
    """One page of an ordered query of ORM rows, and the count of all its rows."""
    total = session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total or 0, page=page, per_page=per_page)
