"""The results page against its yardsticks in one run, optionally beside an older checkout.

    .venv/bin/python -m bench.compare_pages --database instance/bench/bench-20000.sqlite3 \
        [--before /path/to/older/checkout] [--seconds 10]

gunicorn (2 workers) and wrk (8 connections) as in bench/serving.py, one after the other on
the same machine: the app's results page for 200 random ZIP codes (25 miles), the same page
from an older checkout of the app when `--before` names one (its own `locator` package,
served from its folder), then the bare Flask + Jinja pages (20 made-up rows; the 20 nearest
centers through the R*Tree with plain sqlite3). Prints each load with the load average, and
the results page's share of the bare R*Tree page.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench import http, queries, serving
from locator import create_app


def _serve_from(folder: Path, app: str, env: dict[str, str]) -> http.Server:
    """`bench.http.serve`, with gunicorn started in another checkout's folder."""
    saved = http.REPO
    http.REPO = folder
    try:
        return http.serve(app, env)
    finally:
        http.REPO = saved


def _results_page(folder: Path, url: str, paths: list[str], seconds: int) -> http.Load:
    server = _serve_from(folder, "locator:create_app()", serving.app_environment(url))
    try:
        http.run_wrk(server.base, paths, serving.WARM_UP_SECONDS)
        return http.run_wrk(server.base, paths, seconds)
    finally:
        http.stop(server)


def _line(name: str, load: http.Load) -> str:
    return (
        f"{name}: {load.requests_per_second:,.0f} requests/s, p50 {load.p50_ms:.2f} ms, "
        f"p99 {load.p99_ms:.2f} ms, {load.errors} errors"
    )


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="an SQLite file of the app")
    parser.add_argument("--before", type=Path, help="an older checkout of the app, to compare")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    url = f"sqlite:///{args.database.resolve()}"
    with create_app({"SQLALCHEMY_DATABASE_URI": url}).app_context():
        zips = [code for code, _ in queries.random_zip_points(200, seed=7)]
        paths = serving.search_paths(zips)["results page"]
        print(f"load average at the start: {os.getloadavg()}", flush=True)
        loads = {"results page": _results_page(http.REPO, url, paths, args.seconds)}
        if args.before:
            loads["results page, before"] = _results_page(args.before, url, paths, args.seconds)
        bare = serving.bare_under_load(args.seconds, url, zips)
        loads["bare Flask + Jinja, 20 rows"] = bare["load"]
        loads["bare Flask + Jinja + sqlite3 R*Tree"] = bare["rtree"]
        print(f"load average at the end: {os.getloadavg()}")
    for name, load in loads.items():
        print(_line(name, load))
    rtree = bare["rtree"].requests_per_second
    for name in ("results page", "results page, before"):
        if name in loads:
            print(f"{name} ÷ bare R*Tree: {loads[name].requests_per_second / rtree:.2f}")


if __name__ == "__main__":
    main()
