"""The results page against its yardsticks in one run, optionally beside an older checkout.

    .venv/bin/python -m bench.compare_pages --database instance/bench/bench-20000.sqlite3 \
        [--before /path/to/older/checkout] [--seconds 10]

gunicorn (2 workers) and wrk (8 connections) as in bench/serving.py, one after the other on
the same machine: the app's results page for 200 random ZIP codes (25 miles), the same page
from an older checkout of the app when `--before` names one (its own `locator` package,
served from its folder), then the bare Flask + Jinja page of the 20 nearest centers through
the R*Tree with plain sqlite3. Prints each load with the load average, the CPU the workers
spent per request (their own work, which other processes on a busy machine change far less
than the requests per second), and the results page's share of the bare page by both.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from bench import http, queries, serving
from locator import create_app


def _serve_from(folder: Path, app: str, env: dict[str, str], ready_path: str = "/") -> http.Server:
    """`bench.http.serve`, with gunicorn started in another checkout's folder."""
    saved = http.REPO
    http.REPO = folder
    try:
        return http.serve(app, env, ready_path=ready_path)
    finally:
        http.REPO = saved


def _measured(server: http.Server, paths: list[str], seconds: int) -> tuple[http.Load, float]:
    """wrk's load after a warm-up, and the workers' CPU milliseconds per request."""
    try:
        http.run_wrk(server.base, paths, serving.WARM_UP_SECONDS)
        workers = http.worker_pids(server)
        before = sum(http.cpu_seconds(pid) for pid in workers)
        load = http.run_wrk(server.base, paths, seconds)
        spent = sum(http.cpu_seconds(pid) for pid in workers) - before
        return load, 1000 * spent / max(load.requests, 1)
    finally:
        http.stop(server)


def _results_page(folder: Path, url: str, paths: list[str], seconds: int):
    server = _serve_from(folder, "locator:create_app()", serving.app_environment(url))
    return _measured(server, paths, seconds)


def _bare_page(database: Path, zips: list[str], paths: list[str], seconds: int):
    from locator.geo import gazetteer

    known = gazetteer().zips
    points = {code: [known[code].latitude, known[code].longitude] for code in zips}
    env = {"LOCATOR_BARE_DATABASE": str(database), "LOCATOR_BARE_POINTS": json.dumps(points)}
    server = _serve_from(http.REPO, "bench.bare_app:create_app()", env, ready_path="/rows")
    return _measured(server, paths, seconds)


def _line(name: str, load: http.Load, cpu_ms: float) -> str:
    return (
        f"{name}: {load.requests_per_second:,.0f} requests/s, p50 {load.p50_ms:.2f} ms, "
        f"p99 {load.p99_ms:.2f} ms, {load.errors} errors, {cpu_ms:.2f} ms of worker CPU a request"
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
        bare = loads["bare Flask + Jinja + sqlite3 R*Tree"] = _bare_page(
            args.database.resolve(), zips, paths, args.seconds
        )
        print(f"load average at the end: {os.getloadavg()}")
    for name, (load, cpu_ms) in loads.items():
        print(_line(name, load, cpu_ms))
    for name in ("results page", "results page, before"):
        if name in loads:
            load, cpu_ms = loads[name]
            share = load.requests_per_second / bare[0].requests_per_second
            print(
                f"{name} ÷ bare R*Tree: {share:.2f} in requests/s, "
                f"{bare[1] / cpu_ms:.2f} in worker CPU a request"
            )


if __name__ == "__main__":
    main()
