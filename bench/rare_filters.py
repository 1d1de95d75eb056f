"""Time searches for the rare filters on a loaded directory, through each filter's own index
(migrations 0014 and 0015) and through the general spatial index, every answer checked
against the brute-force scan (bench/reference.py).

    .venv/bin/python -m bench.rare_filters                      # 1,000,000 centers, both engines
    .venv/bin/python -m bench.rare_filters --sizes 20000 --queries 300

Each directory is the benchmark's own (bench/directories.py: loaded once, then reused and
brought up to the newest migration). Rare: a filter offered by under RARE_SHARE of the
directory's centers; the shares of every filter are printed too. Each search is the one the
pages make (random ZIP centroids, 25 miles, page 1, `locator.search.nearby_centers` on a fresh
session), timed as bench/queries.py times it. Prints a Markdown section for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bench.directories import DEFAULT_POSTGRES, prepare
from bench.queries import StatementLog, _timed_pass, percentiles, random_zip_points, raw_connection
from bench.reference import Directory
from locator import create_app
from locator.extensions import db
from locator.read_replica import read_engine
from locator.search import indexes
from locator.taxonomy import current_taxonomy

REPO = Path(__file__).resolve().parent.parent
RARE_SHARE = 0.15
TARGET_MS = 3.0


def filter_shares(connection: sa.Connection, taxonomy) -> dict[str, float]:
    """Each filter's share of the published centers: how many offer one of its codes."""
    total = connection.execute(sa.text("SELECT count(*) FROM center WHERE published = :y"),
                               {"y": True}).scalar_one()  # fmt: skip
    shares = {}
    for key, item in taxonomy.filters.items():
        offering = connection.execute(
            sa.text(
                "SELECT count(DISTINCT cs.center_id) FROM center_service AS cs JOIN center AS c "
                "ON c.id = cs.center_id WHERE c.published = :y AND cs.service_code IN :codes"
            ).bindparams(sa.bindparam("codes", expanding=True)),
            {"y": True, "codes": list(item.codes)},
        ).scalar_one()
        shares[key] = offering / total
    return dict(sorted(shares.items(), key=lambda entry: entry[1]))


def _through(engine: sa.Engine, general: bool) -> None:
    """Search through the general index (as before migration 0014), or the rare ones."""
    indexes.forget_spatial_index(engine)
    if general:
        indexes._rare[engine] = ()


def measure(url: str, count: int, seed: int, only: set[str] | None = None) -> dict:
    """Every rare filter (and no filter), through its own index and the general one; the
    filters of `only` alone if given."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        taxonomy = current_taxonomy()
        with db.engine.connect() as connection:
            shares = filter_shares(connection, taxonomy)
            rare = [
                k for k, share in shares.items() if share < RARE_SHARE and k in (only or shares)
            ]
            reference = Directory(connection, {k: taxonomy.filters[k].codes for k in rare})
            slots = indexes.rare_filter_slots(connection)
            covered = {
                key
                for key in rare
                if indexes.rare_slot(
                    [indexes.service_mask_of(connection, taxonomy.filters[key].codes) or 0], slots
                )
            }
        state = {"log": StatementLog(read_engine()), "bare": raw_connection(url)}
        points = random_zip_points(count + 30, seed)
        figures = {"shares": shares, "slots": slots, "passes": {}}
        for name in [None, *rare]:
            groups = taxonomy.select([name]).groups if name else []
            for general in (False, True) if name in covered else (True,):
                _through(read_engine(), general)
                timings = _timed_pass(state, reference, points, groups, name, 0)
                figures["passes"][(name or "none", "general" if general else "own")] = timings
        _through(read_engine(), False)
        state["bare"].close()
        for engine in db.engines.values():
            engine.dispose()
    return figures


def _versions(url: str) -> str:
    if url.startswith("sqlite"):
        return f"SQLite {sqlite3.sqlite_version}"
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        server = connection.execute(sa.text("SELECT version()")).scalar().split(" on ")[0]
        postgis = connection.execute(
            sa.text("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
        ).scalar()
    engine.dispose()
    return f"{server}, PostGIS {postgis}"


def report(engine: str, size: int, url: str, figures: dict, load: str) -> list[str]:
    """Markdown lines for one directory."""
    lines = [f"### {engine}, {size:,} centers ({_versions(url)}; load average {load})", ""]
    shares = ", ".join(f"{k} {v:.1%}" for k, v in figures["shares"].items() if v < 0.3)
    lines += [f"Filters offered by under 30 % of its centers: {shares}.", ""]
    lines += ["| filter | index | median ms | p95 ms | p99 ms | bare SQL median ms | "
              "answers vs scan | 100+ |", "|---|---|---:|---:|---:|---:|---|---:|"]  # fmt: skip
    for (name, way), timing in figures["passes"].items():
        app, bare = percentiles(timing.app), percentiles(timing.bare)
        agreement = ", ".join(f"{n} {verdict}" for verdict, n in sorted(timing.agreement.items()))
        lines.append(
            f"| {name} | {'its own' if way == 'own' and name != 'none' else 'general'} | "
            f"{app['median']:.3f} | {app['p95']:.3f} | {app['p99']:.3f} | "
            f"{bare['median']:.3f} | {agreement} | {timing.capped} |"
        )
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    """Measure each engine's directory and print the section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--filters", default=None, help="only these rare filters (keys)")
    parser.add_argument(
        "--postgres", default=os.environ.get("LOCATOR_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    args = parser.parse_args(argv)
    print(f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `python -m bench.rare_filters`\n")
    for size in [int(s) for s in args.sizes.split(",")]:
        for engine in args.engines.split(","):
            directory = prepare(engine, size, REPO / "instance" / "bench", args.postgres, True)
            load = " ".join(f"{x:.1f}" for x in os.getloadavg())
            started = time.perf_counter()
            only = set(args.filters.split(",")) if args.filters else None
            figures = measure(directory.url, args.queries, seed=size, only=only)
            print(f"{engine} {size:,}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
            load += " → " + " ".join(f"{x:.1f}" for x in os.getloadavg())
            print("\n".join(report(engine, size, directory.url, figures, load)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
