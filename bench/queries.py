"""Time the app's nearest-first search against the reference scan and the bare SQL.

For each random ZIP centroid (radius 25 miles, page 1), with no filter and with the rare
methadone filter:

- app: `locator.search.nearby_centers`, the function the pages and the API call, on the
  session they read through (`read_session`), closed after each search as after a request;
- (a) reference: a brute-force great-circle scan in Python (bench/reference.py), whose
  answer the app's must match; timed as a scan of every row on a sample of the searches;
- (b) bare: the very statements the app sent, replayed on a raw DB-API connection, with no
  SQLAlchemy at all: what the database itself costs.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

import psycopg
import sqlalchemy as sa

from bench.reference import Directory, agrees
from locator import create_app, search
from locator.extensions import db
from locator.geo import gazetteer
from locator.read_replica import read_engine, read_session
from locator.search.filter_counts import filter_counts
from locator.search.indexes import spatial_index
from locator.search.query import SearchQuery
from locator.taxonomy import current_taxonomy

RADIUS = 25
# (name, filter): what the pages ask, with no filter and with a rare one.
PASSES = (("none", None), ("methadone", "methadone"))
WARM_UP = 30


@dataclass
class Timings:
    """Milliseconds per search of each way, and how the answers compared."""

    app: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    scan: list[float] = field(default_factory=list)
    agreement: Counter = field(default_factory=Counter)
    capped: int = 0
    examples: list[str] = field(default_factory=list)


def percentiles(values: list[float]) -> dict[str, float]:
    """Median, p95 and p99."""
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"median": statistics.median(values), "p95": cuts[94], "p99": cuts[98]}


def random_zip_points(count: int, seed: int) -> list[tuple[str, tuple[float, float]]]:
    """ZIP codes drawn at random, with their centroids."""
    records = sorted(gazetteer().zips.items())
    chosen = random.Random(seed).sample(records, count)
    return [(code, (record.latitude, record.longitude)) for code, record in chosen]


class StatementLog:
    """The statements the app sends during one search, to replay them bare."""

    def __init__(self, engine: sa.Engine) -> None:
        self.statements: list[tuple[str, object]] = []
        self.recording = False
        sa.event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, parameters, _context, _executemany) -> None:
        if self.recording:
            self.statements.append((statement, parameters))


def raw_connection(url: str):
    """A DB-API connection with no SQLAlchemy, as the app's read engine opens it."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return sqlite3.connect(parsed.database)
    # In autocommit, as the app's read engine: psycopg keeps its prepared statements.
    return psycopg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, dbname=parsed.database,
        autocommit=True,
    )  # fmt: skip


def replay(connection, statements: list[tuple[str, object]]) -> float:
    """Send the statements again on a bare connection; milliseconds taken."""
    started = time.perf_counter()
    cursor = connection.cursor()
    for statement, parameters in statements:
        cursor.execute(statement, parameters)
        cursor.fetchall()
    elapsed = time.perf_counter() - started
    connection.rollback()
    return elapsed * 1000


def _one_search(app_state, point, groups) -> tuple[search.ResultPage, float]:
    log = app_state["log"]
    log.statements.clear()
    log.recording = True
    started = time.perf_counter()
    page = search.nearby_centers(read_session(), point, RADIUS, groups, page=1, per_page=20)
    elapsed = (time.perf_counter() - started) * 1000
    log.recording = False
    read_session().close()  # as at the end of a request
    return page, elapsed


def _check(timings: Timings, page, reference, point, filter_name, code) -> None:
    expected = reference.nearest(point, RADIUS, filter_name)
    verdict = agrees([c.id for c in page.results], [c.distance for c in page.results], expected)
    total_ok = expected.total > page.total if page.total_is_capped else expected.total == page.total
    if not total_ok:
        verdict = "mismatch"
    timings.agreement[verdict] += 1
    timings.capped += page.total_is_capped
    if verdict == "mismatch" and len(timings.examples) < 5:
        timings.examples.append(f"ZIP {code}, filter {filter_name or 'none'}")


def _timed_pass(state, reference, points, groups, filter_name, full_scans) -> Timings:
    """Every point searched by the app, once unmeasured and once measured; then the same
    statements replayed bare; then every answer checked; then some full scans. The first
    round brings the pages the searches read into memory, as a running server has them: a
    million-center file is larger than a cold page cache, and without it the app would pay
    for the disk and the replay, right after, would not. One way at a time: interleaved, the
    reference's walk over a million rows in Python would evict the app's data from the CPU's caches
    before each search (a third of its time at a million), and the replay would find the
    database's pages just read by the app."""
    timings = Timings()
    for _code, point in points:  # unmeasured: the pages these searches read, in memory
        _one_search(state, point, groups)
    searched = []
    for i, (code, point) in enumerate(points):
        page, elapsed = _one_search(state, point, groups)
        searched.append((code, point, page, list(state["log"].statements)))
        if i >= WARM_UP:
            timings.app.append(elapsed)
    for i, (_code, _point, _page, statements) in enumerate(searched):
        bare_ms = replay(state["bare"], statements)
        if i >= WARM_UP:
            timings.bare.append(bare_ms)
    for code, point, page, _statements in searched[WARM_UP:]:
        _check(timings, page, reference, point, filter_name, code)
    for _code, point in points[WARM_UP : WARM_UP + full_scans]:
        started = time.perf_counter()
        reference.full_scan(point, RADIUS, filter_name)
        timings.scan.append((time.perf_counter() - started) * 1000)
    return timings


def _timed_counts(taxonomy, points) -> list[float]:
    """Milliseconds of the numbers beside the filters of a results page with none chosen:
    every filter's count over the centers within the radius."""
    times = []
    for i, (_code, point) in enumerate(points):
        started = time.perf_counter()
        filter_counts(
            read_session(), taxonomy, SearchQuery(taxonomy.select([]), point=point, radius=RADIUS)
        )
        elapsed = (time.perf_counter() - started) * 1000
        read_session().close()
        if i >= WARM_UP:
            times.append(elapsed)
    return times


def run(url: str, count: int, seed: int, full_scans: int = 20) -> dict:
    """Time `count` searches of each pass on one loaded directory (and `full_scans` of
    the reference's full scan, which takes about a second a search at a million rows)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    results: dict = {}
    with app.app_context():
        taxonomy = current_taxonomy()
        filters = {"methadone": taxonomy.filters["methadone"].codes}
        with db.engine.connect() as connection:
            reference = Directory(connection, filters)
            results["index"] = spatial_index(connection)
        state = {"log": StatementLog(read_engine()), "bare": raw_connection(url)}
        points = random_zip_points(count + WARM_UP, seed)
        for name, filter_name in PASSES:
            groups = taxonomy.select([filter_name]).groups if filter_name else []
            results[name] = _timed_pass(state, reference, points, groups, filter_name, full_scans)
        results["filter counts"] = _timed_counts(taxonomy, points)
        state["bare"].close()
        for engine in db.engines.values():
            engine.dispose()
    return results
