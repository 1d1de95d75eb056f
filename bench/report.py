"""Write bench/RESULTS.md: the machine, the versions, the date, every figure and the targets."""

from __future__ import annotations

import platform
import re
import sqlite3
import subprocess
from datetime import UTC, datetime
from importlib.metadata import version

import sqlalchemy as sa

from bench.queries import percentiles
from bench.serving import UNCACHED_COUNTS

SEARCH_TARGETS = {20_000: (1.0, 5.0), 1_000_000: (2.0, 10.0)}  # median, p99 in ms
MEMORY_TARGET_MB = 150
READY_TARGET_S = 1.0
# Kept from the file being rewritten: the soak's (bench/soak.py writes it), and the imports'
# when this run skips them (--no-imports).
SOAK_SECTION = "## Soak"
# Written by hand (the default load and `make run` from a fresh clone), kept like the Soak.
DEFAULT_LOAD_SECTION = "## Default directory load"
# Written by hand from bench/geocode_bench.py's output; kept like the Soak.
GEOCODE_SECTION = "## Street-level geocoding and reports (bench/geocode_bench.py)"
IMPORTS_SECTION = "## Imports (bench/import_bench.py)"
# Written from bench/rare_filters.py's output; kept like the Soak.
RARE_SECTION = "## Rare filters at 1,000,000 centers"
# Written from bench/compare_pages.py's and bench/page_profile.py's output; kept too.
PAGES_SECTION = (
    "## The results page against a bare Flask + Jinja + sqlite3 R*Tree page "
    "(bench/compare_pages.py)"
)


def _versions(measured: dict) -> list[str]:
    lines = [f"Python {platform.python_version()}", f"SQLite {sqlite3.sqlite_version}"]
    lines += [f"{name} {version(name)}" for name in ("SQLAlchemy", "psycopg", "Flask", "gunicorn")]
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    lines.append((wrk.stdout + wrk.stderr).splitlines()[0].split(" Copyright")[0])
    postgres = next(
        (d["directory"].url for (e, _), d in measured.items() if e == "postgresql"), None
    )
    if postgres:
        engine = sa.create_engine(postgres)
        with engine.connect() as connection:
            lines.append(connection.execute(sa.text("SELECT version()")).scalar().split(" on ")[0])
            postgis = connection.execute(
                sa.text("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
            ).scalar()
            lines.append(f"PostGIS {postgis}" if postgis else "PostGIS: not installed")
        engine.dispose()
    return lines


def _ms(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


PASS_NAMES = ("none", "methadone")


def _scan_cells(timing, app: dict) -> tuple[str, str]:
    if not timing.scan:
        return "—", "—"
    scan = percentiles(timing.scan)
    return f"{_ms(scan['median'])} / {_ms(scan['p99'])}", f"{scan['median'] / app['median']:.0f}×"


def _search_targets(engine: str, size: int, name: str, timing, app: dict) -> list[str]:
    rows = []
    limit = SEARCH_TARGETS.get(size)
    if limit:
        ok = app["median"] <= limit[0] and app["p99"] <= limit[1]
        rows.append(
            f"| search, {engine}, {size:,}, filter {name}: median ≤ {limit[0]:g} ms, "
            f"p99 ≤ {limit[1]:g} ms | {_ms(app['median'])} / {_ms(app['p99'])} ms | "
            f"{_verdict(ok)} |"
        )
    mismatches = timing.agreement.get("mismatch", 0)
    rows.append(
        f"| answers equal the brute-force scan, {engine}, {size:,}, {name} | "
        f"{mismatches} mismatches of {sum(timing.agreement.values())} | "
        f"{_verdict(mismatches == 0)} |"
    )
    return rows


def _search_rows(measured: dict, targets: list[str]) -> list[str]:
    rows = [
        "| engine (index) | centers | filter | app median / p95 / p99 ms | bare SQL (b) | "
        "scan (a) | app ÷ bare | scan ÷ app | answers vs scan | 100+ |",
        "|---|---:|---|---|---|---|---:|---:|---|---:|",
    ]
    medians: dict = {}
    for (engine, size), figures in measured.items():
        found = figures["queries"]
        for name in PASS_NAMES:
            timing = found[name]
            app, bare = percentiles(timing.app), percentiles(timing.bare)
            scan, ratio = _scan_cells(timing, app)
            medians[(engine, name, size)] = app["median"]
            agreement = ", ".join(f"{n} {k}" for k, n in sorted(timing.agreement.items()))
            examples = " — " + "; ".join(timing.examples) if timing.examples else ""
            rows.append(
                f"| {engine} ({found['index']}) | {size:,} | {name} | "
                f"{_ms(app['median'])} / {_ms(app['p95'])} / {_ms(app['p99'])} | "
                f"{_ms(bare['median'])} / {_ms(bare['p99'])} | {scan} | "
                f"{app['median'] / bare['median']:.1f}× | {ratio} | {agreement}{examples} | "
                f"{timing.capped} |"
            )
            targets += _search_targets(engine, size, name, timing, app)
    for (engine, name, size), median in medians.items():
        small = medians.get((engine, name, 20_000))
        if size == 1_000_000 and small:
            targets.append(
                f"| median grows < 3× from 20,000 to 1,000,000, {engine}, {name} | "
                f"{median / small:.2f}× | {_verdict(median / small < 3)} |"
            )
    return rows


def _count_rows(measured: dict) -> list[str]:
    rows = ["| engine | centers | median ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|"]
    for (engine, size), figures in measured.items():
        times = figures["queries"].get("filter counts")
        if times:
            cuts = percentiles(times)
            rows.append(f"| {engine} | {size:,} | {_ms(cuts['median'])} | {_ms(cuts['p95'])} | "
                        f"{_ms(cuts['p99'])} |")  # fmt: skip
    return rows


RTREE_YARDSTICK = "bare Flask + Jinja + sqlite3 R*Tree, 20 nearest"
# Issue 16: the results page at 0.3 of the bare R*Tree page's requests per second (SQLite).
RTREE_SHARE = 0.3


def _http_rows(measured: dict, targets: list[str]) -> list[str]:
    rows = ["| engine | centers | page | requests/s | p50 ms | p99 ms | errors | ÷ bare | "
            "÷ bare R*Tree |",
            "|---|---:|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for (engine, size), figures in measured.items():
        if "http" not in figures:
            continue
        bare = figures["bare"]["load"]
        rtree = figures["bare"].get("rtree")
        loads = {**figures["http"]["loads"], "bare Flask + Jinja, 20 rows": bare}
        if rtree is not None:
            loads[RTREE_YARDSTICK] = rtree
        for page, load in loads.items():
            of_rtree = "—"
            if rtree is not None:
                of_rtree = f"{load.requests_per_second / rtree.requests_per_second:.2f}"
            rows.append(
                f"| {engine} | {size:,} | {page} | {load.requests_per_second:,.0f} | "
                f"{_ms(load.p50_ms)} | {_ms(load.p99_ms)} | {load.errors} | "
                f"{load.requests_per_second / bare.requests_per_second:.2f} | {of_rtree} |"
            )
        for page in ("results page", UNCACHED_COUNTS):
            results = figures["http"]["loads"].get(page)
            if results is None:
                continue
            share = results.requests_per_second / bare.requests_per_second
            targets.append(
                f"| {page} ≥ ½ of bare Flask, p99 < 20 ms, {engine}, {size:,} | "
                f"{share:.2f} of bare, p99 {_ms(results.p99_ms)} ms | "
                f"{_verdict(share >= 0.5 and results.p99_ms < 20)} |"
            )
            if rtree is not None:
                share = results.requests_per_second / rtree.requests_per_second
                targets.append(
                    f"| {page} ≥ {RTREE_SHARE} of bare Flask + Jinja + sqlite3 R*Tree, p99 < 20 "
                    f"ms, {engine}, {size:,} | {share:.2f} of it, p99 {_ms(results.p99_ms)} ms | "
                    f"{_verdict(share >= RTREE_SHARE and results.p99_ms < 20)} |"
                )
    return rows


def _memory_rows(measured: dict, targets: list[str]) -> list[str]:
    rows = ["| engine | centers | worker RSS after load (peak) MB | start to first page s "
            "(worker CPU s) | then first search s | idle worker RSS MB |",
            "|---|---:|---|---:|---:|---:|"]  # fmt: skip
    for (engine, size), figures in measured.items():
        if "http" not in figures:
            continue
        start = figures["http"]["startup"]
        workers = figures["http"]["workers"]
        memory = ", ".join(f"{w['rss']:.0f} ({w['peak']:.0f})" for w in workers)
        rows.append(
            f"| {engine} | {size:,} | {memory} | {start['ready']:.2f} ({start['ready_cpu']:.2f}) | "
            f"{start['first_search']:.2f} | {start['idle_rss']:.0f} |"
        )
        worst = max(max(w["rss"], w["peak"]) for w in workers)
        if size == 1_000_000:
            targets.append(
                f"| worker < {MEMORY_TARGET_MB} MB serving 1,000,000, {engine} | "
                f"{worst:.0f} MB | {_verdict(worst < MEMORY_TARGET_MB)} |"
            )
        targets.append(
            f"| worker ready < {READY_TARGET_S:g} s, {engine}, {size:,} | {start['ready']:.2f} s "
            f"(of which the worker's own CPU: {start['ready_cpu']:.2f} s) | "
            f"{_verdict(start['ready'] < READY_TARGET_S)} |"
        )
    return rows


def _load_rows(measured: dict) -> list[str]:
    rows = ["| engine | centers | generate CSV s | load s | VACUUM ANALYZE s | note |",
            "|---|---:|---:|---:|---:|---|"]  # fmt: skip
    for (engine, size), figures in measured.items():
        d = figures["directory"]
        generated = f"{d.generate_seconds:.1f}" if d.generate_seconds else "(file reused)"
        note = "loaded by an earlier run (--reuse); its time then" if d.reused else ""
        rows.append(
            f"| {engine} | {size:,} | {generated} | {d.load_seconds:.1f} | "
            f"{d.vacuum_seconds:.1f} | {note} |"
        )
    return rows


def _two_process_lines(measured: dict) -> list[str]:
    for figures in measured.values():
        demo = figures.get("two_processes")
        if not demo:
            continue
        loads = demo["loads"]
        total = sum(load.requests_per_second for load in loads)
        lines = [
            f"Two gunicorn processes (1 worker each) on ports {demo['ports'][0]} and "
            f"{demo['ports'][1]}, one PostgreSQL database, one Redis "
            "(`LOCATOR_RATELIMIT_STORAGE_URL=redis://127.0.0.1:6379/14`), loaded together by "
            "two wrk runs of 4 connections each on the results page:",
            "",
        ]
        lines += [
            f"- port {port}: {load.requests_per_second:,.0f} requests/s, p50 "
            f"{_ms(load.p50_ms)} ms, p99 {_ms(load.p99_ms)} ms, {load.errors} errors"
            for port, load in zip(demo["ports"], loads, strict=True)
        ]
        lines += [
            f"- together: {total:,.0f} requests/s",
            "",
            "The contact form, limited to 3 sendings a minute per address, sent 6 times by one "
            "visitor to each process in turn, answered "
            f"{', '.join(map(str, demo['contact_statuses']))}: the count is shared (each "
            "process alone would have accepted all six).",
        ]
        return lines
    return ["Not run (needs PostgreSQL and Redis on 127.0.0.1)."]


def write_results(args, machine: dict, measured: dict, imports: list, seconds: float) -> None:
    """Write the results file."""
    targets = ["| target | measured | verdict |", "|---|---|---|"]
    search_rows = _search_rows(measured, targets)
    http_rows = _http_rows(measured, targets)
    memory_rows = _memory_rows(measured, targets)
    notes = [n for figures in measured.values() for n in figures.get("http", {}).get("notes", [])]
    notes += args.notes
    loads = [f"{e} {s:,}: {f['machine_load_before']} → {f['machine_load_after']}"
             for (e, s), f in measured.items()]  # fmt: skip
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python -m bench.run{' --quick' if args.quick else ''}` on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {seconds / 60:.0f} minutes. "
        "How to read and rerun it: bench/README.md.",
        "",
        "## Machine and versions",
        "",
        f"- {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB",
        f"- load average (1, 5, 15 min) at the start: {machine['load']}; per directory, before → "
        f"after: {'; '.join(loads)}. Other work on the machine inflates every time here.",
        *[f"- {line}" for line in _versions(measured)],
        "",
        "## Targets",
        "",
        *targets,
        "",
        "## Loading the directories",
        "",
        *_load_rows(measured),
        "",
        f"## Nearest-first search: {args.queries:,} random ZIP centroids, 25 miles, page 1",
        "",
        "Times in ms (median / p95 / p99, or median / p99). app: `search.nearby_centers`, "
        "with a fresh session per search. (b) bare SQL: the same statements replayed on a "
        "raw DB-API connection. (a) scan: the brute-force reference in Python, every row "
        "measured (timed on a sample of the searches; every answer is checked against it). "
        "100+: searches whose count stopped at the cap.",
        "",
        *search_rows,
        "",
        "### The numbers beside the filters",
        "",
        "`filter_counts` for the same points, 25 miles, no filter chosen: each of the 31 "
        "filters counted over every center in range, in one pass of the spatial index. A "
        "results page spends this on top of the search.",
        "",
        *_count_rows(measured),
        "",
        f"## Under gunicorn (2 workers) and wrk (8 connections, {args.seconds} s)",
        "",
        *http_rows,
        *[f"\n{note}" for note in notes],
        "",
        "## Memory and start-up",
        "",
        *memory_rows,
        "",
        "## Two app processes, one database, one Redis",
        "",
        *_two_process_lines(measured),
        "",
        IMPORTS_SECTION,
        "",
    ]
    earlier = _kept_section(args.out, IMPORTS_SECTION) if not imports else ""
    if earlier:  # --no-imports: the figures of the run that timed them
        lines = lines[: lines.index(IMPORTS_SECTION)] + earlier.strip("\n").splitlines() + [""]
    for size, output in [] if earlier else imports or [(0, "Not run.")]:
        lines += [f"{size:,} rows:" if size else "", "", "```", output, "```", ""]
    kept = [
        _kept_section(args.out, heading)
        for heading in (
            DEFAULT_LOAD_SECTION,
            SOAK_SECTION,
            GEOCODE_SECTION,
            RARE_SECTION,
            PAGES_SECTION,
        )
    ]
    args.out.write_text("\n".join(lines).rstrip() + "\n" + "".join(f"\n{k}" for k in kept if k))


def _kept_section(results, heading: str) -> str:
    """A section of the file being replaced: the Soak (bench/soak.py writes it, on its own
    schedule), or the imports when this run skipped them, so that rewriting the other
    figures does not lose them."""
    text = results.read_text() if results.exists() else ""
    start = re.search(rf"^{re.escape(heading)}$", text, re.MULTILINE)
    if not start:
        return ""
    following = re.search(r"^## ", text[start.end() :], re.MULTILINE)
    end = start.end() + following.start() if following else len(text)
    section = text[start.start() : end].rstrip("\n") + "\n"
    return "" if "Not run." in section else section
