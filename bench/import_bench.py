"""Measure the import pipeline on a generated National Directory CSV (no coordinates).

    .venv/bin/python bench/import_bench.py             # 20,000 rows
    .venv/bin/python bench/import_bench.py --rows 1000000

Writes the CSV from tools.sample_directory.generate_centers (mapped to the directory's
columns, services grouped into `service_code_info`), then runs `flask import-centers` on a
scratch SQLite database in a child process — the CLI code path — and prints the elapsed
seconds, the child's peak RSS and the share of listings placed on the map.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# Run as a script, this folder comes first on sys.path, where a sibling module could shadow
# the standard library (a bench/http.py would hide `http`): look in the repo instead.
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

from tools.sample_directory import generate_centers  # noqa: E402

DIRECTORY_COLUMNS = (
    "name1", "name2", "street1", "street2", "city", "state", "zip", "phone",
    "intake1", "intake2", "intake1a", "intake2a", "service_code_info",
)  # fmt: skip
# The directory groups codes by kind; the exact grouping does not matter to the importer.
GROUPS = (
    {"SA", "DT", "HH", "SUMH", "MH", "TELE"},
    {"HI", "HID", "HIT", "RES", "RD", "RS", "RL", "OP", "OD", "ODT", "OIT", "ORT", "OMB"},
)


def service_code_info(codes: str) -> str:
    """Codes in ` * `-separated groups, as the National Directory writes them."""
    buckets: list[list[str]] = [[], [], []]
    for code in codes.split():
        index = next((i for i, group in enumerate(GROUPS) if code in group), 2)
        buckets[index].append(code)
    return " * ".join(" ".join(bucket) for bucket in buckets if bucket)


def write_directory_csv(path: Path, rows: int) -> None:
    """A National Directory CSV of `rows` fictitious listings, without coordinates."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(DIRECTORY_COLUMNS)
        for center in generate_centers(rows, seed=11):
            row = {column: center.get(column, "") for column in DIRECTORY_COLUMNS}
            row["service_code_info"] = service_code_info(center["services"])
            writer.writerow([row[column] for column in DIRECTORY_COLUMNS])


def flask(env: dict[str, str], *args: str) -> None:
    """Run a flask command of the app in a child process; stop on failure."""
    command = [str(REPO / ".venv" / "bin" / "flask"), "--app", "locator", *args]
    done = subprocess.run(command, env=env, cwd=REPO, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:1])} failed:\n{done.stdout}")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    """Generate, import, measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="locator-bench-") as folder:
        csv_path, db_path = Path(folder) / "directory.csv", Path(folder) / "bench.sqlite3"
        started = time.perf_counter()
        write_directory_csv(csv_path, args.rows)
        print(f"generated {args.rows} rows in {time.perf_counter() - started:.1f} s "
              f"({csv_path.stat().st_size / 1e6:.1f} MB)")  # fmt: skip
        env = {**os.environ, "LOCATOR_DATABASE_URL": f"sqlite:///{db_path}",
               "LOCATOR_SECRET_KEY": "bench"}  # fmt: skip
        flask(env, "init-db")
        started, cpu_before = time.perf_counter(), _children_cpu()
        flask(env, "import-centers", "--format", "directory", str(csv_path))
        elapsed, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with sqlite3.connect(db_path) as connection:
            total, placed = connection.execute(
                "SELECT count(*), sum(placement != '') FROM center"
            ).fetchone()
    print(f"imported {total} listings in {elapsed:.1f} s ({cpu:.1f} s of CPU)")
    print(f"peak RSS of the import process: {peak_mb:.0f} MB")
    print(f"placed: {100 * placed / max(total, 1):.2f} %")


if __name__ == "__main__":
    main()
