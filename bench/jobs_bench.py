"""Measure an import job and an export on the real National Directory (20,524 rows).

    .venv/bin/python bench/jobs_bench.py [--database-url URL]

On a scratch SQLite database (or the PostgreSQL database named): a preview job and then an
apply job of data/samhsa-national-directory.csv.gz, each timed, while a thread reads the run's
record as the progress page does and notes the longest time the page saw no new figure; then
the full CSV and HSDS exports, timed, with the peak of memory allocated by Python while they
stream (tracemalloc). Prints a Markdown section for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import sqlalchemy as sa  # noqa: E402

from locator import create_app  # noqa: E402
from locator.cli import init_database  # noqa: E402
from locator.extensions import db  # noqa: E402
from locator.importers.export import csv_chunks, export_hsds  # noqa: E402
from locator.importers.pipeline import run_import  # noqa: E402
from locator.models import ImportRun  # noqa: E402

DIRECTORY = REPO / "data" / "samhsa-national-directory.csv.gz"


class PageWatcher(threading.Thread):
    """Reads the newest run's record every 0.1 s, as the progress page's script would."""

    def __init__(self, engine) -> None:
        super().__init__(daemon=True)
        self.engine, self.stop, self.gaps = engine, threading.Event(), []
        self.last_seen = None

    def run(self) -> None:
        changed_at = time.perf_counter()
        while not self.stop.wait(0.1):
            with self.engine.connect() as connection:
                row = connection.execute(
                    sa.select(ImportRun.heartbeat_at, ImportRun.rows_done, ImportRun.phase)
                    .order_by(ImportRun.id.desc()).limit(1)
                ).first()  # fmt: skip
            if row is not None and tuple(row) != self.last_seen:
                now = time.perf_counter()
                if self.last_seen is not None:
                    self.gaps.append(now - changed_at)
                self.last_seen, changed_at = tuple(row), now


def timed_job(session, path: Path, dry_run: bool) -> tuple[float, float, dict]:
    watcher = PageWatcher(db.engine)
    watcher.start()
    started = time.perf_counter()
    report = run_import(session, [path], dry_run=dry_run, format="directory")
    elapsed = time.perf_counter() - started
    watcher.stop.set()
    watcher.join()
    return elapsed, max(watcher.gaps or [0.0]), report.counts


def timed_export(write) -> tuple[float, float]:
    tracemalloc.start()
    started = time.perf_counter()
    write()
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="locator-jobs-bench-"))
    try:
        url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        csv_path = folder / "national-directory.csv"
        with gzip.open(DIRECTORY, "rb") as source, csv_path.open("wb") as target:
            shutil.copyfileobj(source, target)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            if args.database_url:
                db.drop_all()
                with db.engine.begin() as connection:
                    connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            init_database()
            preview = timed_job(db.session, csv_path, dry_run=True)
            apply = timed_job(db.session, csv_path, dry_run=False)
            count = db.session.scalar(sa.text("SELECT count(*) FROM center"))
            sink = folder / "export.csv"

            def write_csv() -> None:
                with sink.open("w", encoding="utf-8") as handle:
                    for chunk in csv_chunks(db.session):
                        handle.write(chunk)

            csv_export = timed_export(write_csv)
            hsds_export = timed_export(lambda: export_hsds(db.session, folder / "export.zip"))
        engine = url.split(":", 1)[0]
        print(f"### Import jobs and exports ({engine}, the real National Directory)\n")
        print("| step | time | longest the progress page saw no new figure | result |")
        print("|---|---|---|---|")
        for name, (elapsed, gap, counts) in (("preview", preview), ("apply", apply)):
            print(f"| {name} of {counts['rows']:,} rows | {elapsed:.1f} s | {gap:.1f} s | "
                  f"{counts['new']:,} new, {counts['merged']:,} merged, "
                  f"{counts['rejected']} rejected |")  # fmt: skip
        print(f"\n{count:,} centers exported:\n")
        print("| export | time | peak memory allocated by Python while streaming |")
        print("|---|---|---|")
        print(f"| CSV, streamed | {csv_export[0]:.1f} s | {csv_export[1]:.1f} MB |")
        print(f"| HSDS 3.0 zip | {hsds_export[0]:.1f} s | {hsds_export[1]:.1f} MB |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
