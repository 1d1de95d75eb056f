"""A worker killed in the middle of an import: nothing half-applied, and its run says so.

The apply runs in a real process on a temporary SQLite file and is killed with SIGKILL while
it writes a batch, as an out-of-memory kill would: in its first batch (inside its open
transaction), or in its second, when the first is committed and must be taken back.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.extensions import db
from locator.importers.runs import start_run
from locator.importers.stale_runs import UNFINISHED_MESSAGE, mark_stale_runs, recover_dead_runs
from locator.models import Center, ImportRun, Place, center_service, utcnow

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
REPO = Path(__file__).resolve().parent.parent
# argv: database URL, step ("prepare", or "stall1"/"stall2": the batch to stall in), listings
# file, marker file.
IMPORT_SCRIPT = """
import sys, time
from pathlib import Path
from locator import create_app
from locator.extensions import db
from locator.importers import pipeline, upsert

url, step, listings, marker = sys.argv[1:5]
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
with app.app_context():
    if step == "prepare":
        from locator.cli import init_database
        init_database()
    else:
        pipeline.BATCH_SIZE = 2
        write_batch = upsert.write_batch
        calls = []
        def write_then_stall(*args, **kwargs):
            ids = write_batch(*args, **kwargs)
            calls.append(1)
            if len(calls) == int(step[-1]):
                Path(marker).write_text("batch written")
                time.sleep(600)
            return ids
        upsert.write_batch = write_then_stall
    pipeline.run_import(db.session, [Path(listings)], dry_run=False)
"""


def run_script(url: str, step: str, listings: str, marker: Path) -> subprocess.Popen:
    """Start the import script in its own Python process."""
    command = [sys.executable, "-c", IMPORT_SCRIPT, url, step, listings, str(marker)]
    return subprocess.Popen(command, cwd=REPO, env=os.environ.copy())  # noqa: S603


def directory_rows(engine: sa.Engine) -> tuple[list, list, list]:
    """Every center, service link and place row."""
    with engine.connect() as connection:
        return (
            connection.execute(sa.select(Center.__table__).order_by(Center.id)).all(),
            connection.execute(
                sa.select(center_service).order_by("center_id", "service_code")
            ).all(),
            connection.execute(sa.select(Place.__table__).order_by(Place.id)).all(),
        )


def wait_for(marker: Path, process: subprocess.Popen, seconds: float = 180) -> None:
    """Wait until the process has written its first batch (or fail saying why)."""
    deadline = time.monotonic() + seconds
    while not marker.exists():
        assert process.poll() is None, f"the import ended early (status {process.returncode})"
        assert time.monotonic() < deadline, "the import wrote no batch in time"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def prepared_file(tmp_path_factory) -> Path:
    """A SQLite directory holding one applied import, made once for the module's tests."""
    folder = tmp_path_factory.mktemp("killed")
    path = folder / "prepared.sqlite3"
    prepare = run_script(f"sqlite:///{path}", "prepare", str(FIXTURES / "own.csv"), folder / "x")
    assert prepare.wait(timeout=300) == 0
    with closing(sqlite3.connect(path)) as connection:  # all in one file, to be copied
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def prepared(prepared_file, tmp_path):
    """A copy of the prepared directory for one test, and an engine on it."""
    path = tmp_path / "killed.sqlite3"
    shutil.copyfile(prepared_file, path)
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    yield url, engine
    engine.dispose()


def test_an_apply_killed_midway_changes_nothing_and_reads_unfinished(prepared, tmp_path):
    url, engine = prepared
    before = directory_rows(engine)
    assert len(before[0]) == 3  # own.csv's listings

    marker = tmp_path / "first-batch"
    apply = run_script(url, "stall1", str(FIXTURES / "directory.csv"), marker)
    try:
        wait_for(marker, apply)
    finally:
        apply.send_signal(signal.SIGKILL)
        apply.wait(timeout=60)
    assert apply.returncode == -signal.SIGKILL

    assert directory_rows(engine) == before  # the open transaction died with the process
    with Session(engine) as session:
        killed = session.scalars(sa.select(ImportRun).order_by(ImportRun.id.desc())).first()
        assert (killed.status, killed.dry_run) == ("running", False)
        assert mark_stale_runs(session, older_than=timedelta(0)) == 1
        session.commit()
        session.refresh(killed)
        assert killed.status == "unfinished" and killed.error == UNFINISHED_MESSAGE
        assert killed.finished_at is None  # when it stopped is not known


def test_an_apply_killed_after_a_committed_batch_is_taken_back(prepared, tmp_path):
    url, engine = prepared
    centers, links, places = directory_rows(engine)
    marker = tmp_path / "second-batch"
    apply = run_script(url, "stall2", str(FIXTURES / "directory.csv"), marker)
    try:
        wait_for(marker, apply)
    finally:
        apply.send_signal(signal.SIGKILL)
        apply.wait(timeout=60)
    assert len(directory_rows(engine)[0]) == len(centers) + 2  # the first batch is committed
    with Session(engine) as session:
        assert recover_dead_runs(session, older_than=timedelta(0)) == 1
        killed = session.scalars(sa.select(ImportRun).order_by(ImportRun.id.desc())).first()
        assert killed.status == "unfinished" and killed.error == UNFINISHED_MESSAGE
    assert directory_rows(engine) == (centers, links, places)


def test_starting_a_run_marks_silent_runs(app_ctx):
    session = db.session
    old = ImportRun(status="running", dry_run=True, created_at=utcnow() - timedelta(hours=3),
                    heartbeat_at=utcnow() - timedelta(minutes=2))  # fmt: skip
    recent = ImportRun(status="running", dry_run=False, created_at=utcnow() - timedelta(minutes=5),
                       heartbeat_at=utcnow() - timedelta(seconds=5))  # fmt: skip
    done = ImportRun(status="applied", dry_run=False, created_at=utcnow() - timedelta(days=2))
    session.add_all([old, recent, done])
    session.commit()
    try:
        new_id = start_run(session, admin_email="cli", dry_run=True)
        assert session.get(ImportRun, old.id).status == "unfinished"
        assert session.get(ImportRun, old.id).error == UNFINISHED_MESSAGE
        assert session.get(ImportRun, recent.id).status == "running"  # may still be at work
        assert session.get(ImportRun, done.id).status == "applied"
        assert session.get(ImportRun, new_id).status == "running"
    finally:
        session.execute(sa.delete(ImportRun))
        session.commit()
