"""Run the benchmark suite and write bench/RESULTS.md (`make bench`; `--quick` to smoke-test).

    .venv/bin/python -m bench.run            # 20,000 and 1,000,000 centers, both engines
    .venv/bin/python -m bench.run --quick    # 20,000 centers, fewer queries, short loads
    .venv/bin/python -m bench.run --reuse    # skip loading a directory that is already there

Databases: SQLite files in instance/bench/, PostgreSQL databases bench_<size> on the server
of LOCATOR_BENCH_POSTGRES_URL (default: postgres on 127.0.0.1), never the test databases.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import queries, serving
from bench.directories import DEFAULT_POSTGRES, prepare
from bench.report import write_results

REPO = Path(__file__).resolve().parent.parent
IMPORT_BENCH = REPO / "bench" / "import_bench.py"


def options(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run at 20,000")
    parser.add_argument("--sizes", default=None, help="comma-separated directory sizes")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--queries", type=int, default=None, help="searches per filter")
    parser.add_argument("--seconds", type=int, default=None, help="wrk duration")
    parser.add_argument("--reuse", action="store_true", help="keep directories already loaded")
    parser.add_argument("--no-http", action="store_true", help="skip gunicorn and wrk")
    parser.add_argument("--no-imports", action="store_true", help="skip bench/import_bench.py")
    parser.add_argument("--import-sizes", default=None, help="sizes for bench/import_bench.py")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md")
    parser.add_argument(
        "--postgres", default=os.environ.get("LOCATOR_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    args = parser.parse_args(argv)
    args.sizes = [
        int(s) for s in (args.sizes or ("20000" if args.quick else "20000,1000000")).split(",")
    ]
    args.import_sizes = (
        [int(n) for n in args.import_sizes.split(",")] if args.import_sizes else args.sizes
    )
    args.queries = args.queries or (200 if args.quick else 1000)
    args.seconds = args.seconds or (3 if args.quick else 15)
    args.notes = []
    missing = [tool for tool in ("wrk", "gunicorn") if not _found(tool)]
    if missing and not args.no_http:
        args.no_http = True
        args.notes.append(
            f"Not measured under load: {' and '.join(missing)} not found (apt-get install -y "
            "wrk; pip install -e '.[bench]' for gunicorn)."
        )
    return args


def _found(tool: str) -> bool:
    return shutil.which(tool) is not None or (Path(sys.executable).parent / tool).exists()


def say(message: str) -> None:
    """Progress on stderr, with the machine's load (other work skews every figure)."""
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"[{time.strftime('%H:%M:%S')}] (load {load}) {message}", file=sys.stderr, flush=True)


def measure_directory(args, engine: str, size: int) -> dict:
    """Load one directory, time its searches, and serve it under wrk."""
    say(f"{engine} {size:,}: loading")
    directory = prepare(engine, size, REPO / "instance" / "bench", args.postgres, args.reuse)
    say(f"{engine} {size:,}: {args.queries} searches per filter")
    figures = {"directory": directory, "machine_load_before": serving.machine()["load"]}
    full_scans = 5 if args.quick else 20
    figures["queries"] = queries.run(directory.url, args.queries, seed=size, full_scans=full_scans)
    if not args.no_http:
        zips = [code for code, _ in queries.random_zip_points(200, seed=7)]
        say(f"{engine} {size:,}: gunicorn and wrk")
        figures["http"] = serving.app_under_load(directory.url, zips, args.seconds)
        figures["bare"] = serving.bare_under_load(args.seconds, directory.url, zips)
        if engine == "postgresql" and size == min(args.sizes) and serving.redis_available():
            say(f"{engine} {size:,}: two app processes, one database, one Redis")
            figures["two_processes"] = serving.two_processes(directory.url, zips, args.seconds)
    figures["machine_load_after"] = serving.machine()["load"]
    return figures


def run_imports(args) -> list[tuple[int, str]]:
    """bench/import_bench.py (the importers' benchmark), when it exists."""
    if args.no_imports or not IMPORT_BENCH.exists():
        return []
    outputs = []
    for size in args.import_sizes:
        say(f"imports of {size:,} rows (bench/import_bench.py)")
        done = subprocess.run(
            [sys.executable, str(IMPORT_BENCH), "--rows", str(size)],
            cwd=REPO, capture_output=True, text=True, check=False,
        )  # fmt: skip
        outputs.append((size, (done.stdout + done.stderr).strip()))
    return outputs


def main(argv: list[str] | None = None) -> int:
    """Measure everything asked for, then write the results file."""
    args = options(argv)
    started = time.perf_counter()
    machine = serving.machine()
    measured = {
        (engine, size): measure_directory(args, engine, size)
        for size in args.sizes
        for engine in args.engines.split(",")
    }
    imports = run_imports(args)
    write_results(args, machine, measured, imports, time.perf_counter() - started)
    say(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
