"""The soak: gunicorn (2 workers) on PostgreSQL under wrk, 50 connections for 60 seconds, on
the results page, the JSON API and an article. It passes with zero errors (no response outside
2xx/3xx, no socket error) and each worker's memory at the end within 10% of its start.

    LOCATOR_SOAK_DATABASE_URL=postgresql+psycopg://USER@HOST:5432/DB .venv/bin/python -m bench.soak

Needs wrk (`apt-get install -y wrk`) and gunicorn (`pip install -e '.[bench]'`). The database
is migrated, and seeded with the sample directory when empty. The app runs as in production
(LOCATOR_ENV=production, a random secret key); the API and site-search rate limits are raised
out of reach, because every request comes from 127.0.0.1 (the limiter still counts each one).
Worker memory is read from /proc/<pid>/status (VmRSS) after a 10-second warm-up at the same
load, and again at the end. The figures are appended to bench/RESULTS.md under "## Soak"
(replacing the previous soak's section, and nothing else). Exit status 1 when it fails.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench.http import BIN, REPO, Load, memory_mb, parse_wrk, serve, stop, worker_pids
from bench.report import SOAK_SECTION as SECTION

CONNECTIONS = 50
WORKERS = 2
MEMORY_TOLERANCE = 0.10
PATHS = [
    "/search?location=78701",
    "/search?location=Denver%2C+CO&radius=50&service=detox",
    "/search?location=Texas&page=2",
    "/api/v1/centers?location=78701",
    "/api/v1/centers?location=Chicago%2C+IL&service=medicaid",
]


def server_environment(database_url: str) -> dict[str, str]:
    """The settings the served app runs with."""
    return {
        "LOCATOR_DATABASE_URL": database_url,
        "LOCATOR_ENV": "production",
        "LOCATOR_SECRET_KEY": secrets.token_hex(32),
        "LOCATOR_API_RATE_LIMIT": "10000000 per minute",
        "LOCATOR_SEARCH_RATE_LIMIT": "10000000 per minute",
    }


def seed(env: dict[str, str]) -> None:
    """Migrate the database and load the sample directory if it has no listings."""
    command = [str(BIN / "flask"), "--app", "locator", "seed", "--if-empty"]
    subprocess.run(command, cwd=REPO, env={**os.environ, **env}, check=True)


def article_path(base: str) -> str:
    """The address of the first article the index lists."""
    with urllib.request.urlopen(f"{base}/articles/", timeout=30) as response:  # noqa: S310
        found = re.search(r'href="(/articles/[^"/]+)"', response.read().decode())
    if found is None:
        raise SystemExit("The articles index lists no article to load.")
    return found.group(1)


def wrk(base: str, paths: list[str], seconds: int) -> tuple[Load, str]:
    """Load the server at CONNECTIONS connections, the paths drawn at random in turn."""
    listed = ",\n".join(f'  "{path}"' for path in paths)
    script = (
        f"local paths = {{\n{listed}\n}}\nmath.randomseed(7)\n"
        'request = function()\n  return wrk.format("GET", paths[math.random(#paths)])\nend\n'
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="soak-") as lua:
        lua.write(script)
        lua.flush()
        command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
                   "--latency", "-s", lua.name, base]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output), output


def rss_by_worker(pids: list[int]) -> dict[int, float]:
    """Each worker's resident memory now, in MB."""
    return {pid: memory_mb(pid)["rss"] for pid in pids}


def soak(database_url: str, seconds: int, warm_up: int) -> dict:
    """Serve, warm up, soak; the figures."""
    env = server_environment(database_url)
    seed(env)
    server = serve("locator:create_app()", env, workers=WORKERS, ready_path="/")
    try:
        paths = [*PATHS, article_path(server.base)]
        workers = worker_pids(server)
        cold = rss_by_worker(workers)
        wrk(server.base, paths, warm_up)
        start = rss_by_worker(workers)
        load, output = wrk(server.base, paths, seconds)
        end = rss_by_worker(workers)
        after = worker_pids(server)
    finally:
        stop(server)
    restarted = sorted(after) != sorted(workers)
    return {"paths": paths, "load": load, "wrk": output, "cold": cold, "start": start,
            "end": end, "restarted": restarted, "seconds": seconds}  # fmt: skip


def memory_growth(figures: dict) -> dict[int, float]:
    """Each worker's change of memory from the start of the soak to its end, as a fraction."""
    return {pid: figures["end"][pid] / figures["start"][pid] - 1 for pid in figures["start"]}


def passed(figures: dict) -> bool:
    """Zero errors, no worker replaced, and every worker's memory within the tolerance."""
    growth = memory_growth(figures).values()
    steady = all(abs(change) <= MEMORY_TOLERANCE for change in growth)
    return figures["load"].errors == 0 and not figures["restarted"] and steady


def section(figures: dict) -> list[str]:
    """The Markdown of the Soak section."""
    load, growth = figures["load"], memory_growth(figures)
    lines = [
        SECTION, "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, `python -m bench.soak`: gunicorn with "
        f"{WORKERS} sync workers on PostgreSQL (LOCATOR_ENV=production), wrk with "
        f"{CONNECTIONS} connections for {figures['seconds']} s after a warm-up, on these "
        "addresses in random turn: " + ", ".join(f"`{path}`" for path in figures["paths"]) + ".",
        "", f"Result: **{'passed' if passed(figures) else 'FAILED'}**.", "",
        "| requests | requests/s | median | p99 | errors (non-2xx/3xx and socket) |",
        "| --- | --- | --- | --- | --- |",
        f"| {load.requests} | {load.requests_per_second:.1f} | {load.p50_ms:.1f} ms "
        f"| {load.p99_ms:.1f} ms | {load.errors} |", "",
        "| worker | RSS cold | RSS at start | RSS at end | change |",
        "| --- | --- | --- | --- | --- |",
    ]  # fmt: skip
    for number, pid in enumerate(sorted(figures["start"]), 1):
        lines.append(
            f"| {number} | {figures['cold'][pid]:.1f} MB | {figures['start'][pid]:.1f} MB "
            f"| {figures['end'][pid]:.1f} MB | {growth[pid]:+.1%} |"
        )
    if figures["restarted"]:
        lines += ["", "A worker was replaced during the soak (it died or was killed)."]
    return [*lines, ""]


def append_section(results: Path, lines: list[str]) -> None:
    """Add the Soak section at the end of the file, in place of an earlier one."""
    text = results.read_text() if results.exists() else ""
    head, found, rest = text.partition(f"\n{SECTION}\n")
    if found:  # keep whatever follows the old section's end (the next "## " heading)
        following = re.search(r"^## ", rest, re.MULTILINE)
        text = head.rstrip("\n") + "\n" + (rest[following.start() :] if following else "")
    results.write_text(text.rstrip("\n") + ("\n\n" if text.strip() else "") + "\n".join(lines))


def main() -> int:
    """Run the soak and report it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warm-up", type=int, default=10)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args()
    database_url = os.environ.get("LOCATOR_SOAK_DATABASE_URL", "")
    if not database_url.startswith("postgresql"):
        raise SystemExit("Set LOCATOR_SOAK_DATABASE_URL to a PostgreSQL URL for the soak.")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    figures = soak(database_url, args.seconds, args.warm_up)
    lines = section(figures)
    append_section(args.out, lines)
    print("\n".join(lines))
    return 0 if passed(figures) else 1


if __name__ == "__main__":
    sys.exit(main())
