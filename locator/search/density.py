"""Where the directory is dense: how many centers lie in each cell of a coarse grid, so that
a search's first box is sized for the place it is made from.

A box that is too small is asked again, larger; one that is too large makes the database
measure every center in it. Sized for the densest places only, a first box at a rural ZIP
code nearly always grew (two statements a search on average), and sized for the average it
would measure hundreds of centers in a city. The grid is counted once per engine, like the
directory's size (locator.search.indexes), and is only a hint: the box still grows until
its answer is exact, so a grid that is out of date costs time, never a wrong answer.
"""

from __future__ import annotations

import math
import weakref

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

# Cells a degree of latitude or longitude is cut into: about 17 miles a side.
CELLS_PER_DEGREE = 4
MILES_PER_DEGREE = 69.0
# A first box holds about this many times the centers wanted within its inner circle: the
# centers of a place are never spread evenly over its cells.
MARGIN = 1.5

_grids: weakref.WeakKeyDictionary[Engine, dict[tuple[int, int], int]] = weakref.WeakKeyDictionary()


def _cell(degrees: float) -> int:
    return math.floor(degrees * CELLS_PER_DEGREE)


def _grid(connection: Connection) -> dict[tuple[int, int], int]:
    grid = _grids.get(connection.engine)
    if grid is None:
        statement = sa.text(
            "SELECT CAST(floor(latitude * :cells) AS INTEGER) AS lat_cell, "
            "CAST(floor(longitude * :cells) AS INTEGER) AS lon_cell, count(*) "
            "FROM center WHERE published AND latitude IS NOT NULL AND longitude IS NOT NULL "
            "GROUP BY 1, 2"
        )
        rows = connection.execute(statement, {"cells": CELLS_PER_DEGREE})
        grid = _grids[connection.engine] = {(row, col): count for row, col, count in rows}
    return grid


def local_box_miles(
    connection: Connection, point: tuple[float, float], wanted: int
) -> float | None:
    """Miles of a box whose inner circle holds about `wanted` centers around `point`, from
    the centers in its cell and the eight around it; None where those hold none."""
    grid = _grid(connection)
    row, col = _cell(point[0]), _cell(point[1])
    near = sum(grid.get((row + i, col + j), 0) for i in (-1, 0, 1) for j in (-1, 0, 1))
    if not near:
        return None
    side = MILES_PER_DEGREE / CELLS_PER_DEGREE
    # Nine cells; a degree of longitude narrows with the cosine of the latitude.
    area = 9 * side * side * max(math.cos(math.radians(point[0])), 0.01)
    return math.sqrt(MARGIN * wanted * area / (math.pi * near))


def forget_density(engine: Engine) -> None:
    """Count the grid again on next use."""
    _grids.pop(engine, None)
