"""Imports as jobs: other writes go on while an apply runs, the progress page follows the job
by itself, a silent job is dead after a minute, and a real RQ worker runs the queued jobs."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from locator import ROOT
from locator.extensions import db, limiter
from locator.importers import pipeline
from locator.jobs import wait_for_jobs
from locator.models import Center, ContactRequest, ImportRun, utcnow
from tests.helpers.admin_imports import apply_preview, latest_run, upload
from tests.helpers.contact import send
from tests.helpers.forms import text
from tests.helpers.importing import FIXTURES, imports_cleaned_up

REPO = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/14"


class BatchGate:
    """One listing a batch; once closed, an apply stops after its next commit and waits (30 s
    at most) until the gate opens again: an apply that is surely still running."""

    def __init__(self, monkeypatch) -> None:
        self.written, self.open = threading.Event(), threading.Event()
        self.open.set()
        commit_batch = pipeline._commit_batch

        def commit_then_wait(session, upsert):
            commit_batch(session, upsert)
            self.written.set()
            self.open.wait(30)

        monkeypatch.setattr(pipeline, "BATCH_SIZE", 1)
        monkeypatch.setattr(pipeline, "_commit_batch", commit_then_wait)

    def close(self) -> None:
        """Hold the next apply after its first batch."""
        self.written.clear()
        self.open.clear()


@pytest.fixture
def held_batches(monkeypatch):
    """A `BatchGate`, opened after the test whatever happened."""
    gate = BatchGate(monkeypatch)
    yield gate
    gate.open.set()


@pytest.fixture
def imports_undone(directory):
    """Like `importing`, but with no app context held open during the test: requests of
    two clients would share its `g`, and with it one CSRF token."""
    with directory.app_context():
        cleanup = imports_cleaned_up()
        next(cleanup)
    yield
    with directory.app_context():
        next(cleanup, None)


def test_other_writes_succeed_while_an_import_applies(
    admin_client, client, imports_undone, directory, held_batches, background_jobs
):
    upload(admin_client, "directory.csv", (FIXTURES / "directory.csv").read_bytes())
    wait_for_jobs(directory)
    held_batches.close()
    with directory.app_context():
        preview_id = latest_run().id
    applied = apply_preview(admin_client, preview_id)
    assert held_batches.written.wait(30), "the apply wrote no batch"
    limiter.reset()
    started = time.monotonic()
    sent = send(client, name="During Import")  # a write while the apply holds its batches
    assert sent.status_code == 302
    assert time.monotonic() - started < 3
    run_page = admin_client.get(applied.headers["Location"])
    assert run_page.status_code == 200
    progress = admin_client.get(applied.headers["Location"] + "/progress.json").get_json()
    assert progress["working"] and progress["status"] == "running"
    held_batches.open.set()
    wait_for_jobs(directory)
    with directory.app_context():
        assert latest_run().status == "applied"
        during = ContactRequest.name == "During Import"
        assert len(db.session.scalars(sa.select(ContactRequest).where(during)).all()) == 1
        db.session.execute(sa.delete(ContactRequest).where(during))
        db.session.commit()
    limiter.reset()


def _running_run(**fields) -> ImportRun:
    now = utcnow()
    run = ImportRun(status="running", dry_run=False, file_name="national.csv", phase="writing",
                    started_at=now - timedelta(seconds=10), heartbeat_at=now,
                    rows_done=500, rows_total=2000, **fields)  # fmt: skip
    db.session.add(run)
    db.session.commit()
    return run


def test_the_progress_page_shows_phase_rows_rate_and_time_left(admin_client, importing):
    run = _running_run()
    page = text(admin_client.get(f"/admin/imports/{run.id}"))
    assert "Writing listings" in page and "500 of 2000 rows" in page
    assert "50 rows a second, about 30 s left" in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert "import-progress.js" in page
    progress = admin_client.get(f"/admin/imports/{run.id}/progress.json").get_json()
    assert progress == {**progress, "rows_done": 500, "rows_total": 2000, "rate": 50,
                        "seconds_left": 30, "working": True, "dead": False}  # fmt: skip


def test_a_silent_run_reads_stopped_and_is_marked_unfinished(admin_client, importing, directory):
    run = _running_run()
    run.heartbeat_at = utcnow() - timedelta(minutes=2)
    db.session.commit()
    page = text(admin_client.get(f"/admin/imports/{run.id}"))
    assert "gave no sign of life for over a minute" in page
    db.session.expire_all()
    assert db.session.get(ImportRun, run.id).status == "unfinished"
    assert "unfinished" in text(admin_client.get(f"/admin/imports/{run.id}"))


def _redis_or_skip():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    try:
        Redis.from_url(REDIS_URL).ping()
    except RedisDown:
        pytest.skip("no Redis at 127.0.0.1:6379")


def _run_worker(database_url: str, queue: str) -> None:
    env = {**os.environ, "LOCATOR_DATABASE_URL": database_url, "LOCATOR_JOBS_QUEUE": queue,
           "LOCATOR_JOBS_REDIS_URL": REDIS_URL}  # fmt: skip
    command = [sys.executable, "-m", "flask", "--app", "locator", "worker", "--burst"]
    finished = subprocess.run(command, cwd=REPO, env=env, capture_output=True, timeout=300)  # noqa: S603
    assert finished.returncode == 0, finished.stderr.decode()[-2000:]


def test_a_real_worker_runs_the_preview_and_the_apply_from_redis(
    admin_client, importing, directory, database_url, background_jobs, monkeypatch
):
    _redis_or_skip()
    # The worker process keeps uploads in the checkout's instance folder, as any app made
    # afresh does; the test app keeps its own elsewhere (tests/conftest.py), but not here.
    monkeypatch.setattr(directory, "instance_path", str(ROOT / "instance"))
    queue = f"test-{uuid.uuid4().hex[:8]}"
    directory.config.update(LOCATOR_JOBS_REDIS_URL=REDIS_URL, LOCATOR_JOBS_QUEUE=queue)
    try:
        preview = upload(admin_client, "own.csv", (FIXTURES / "own.csv").read_bytes())
        assert latest_run().status == "queued"
        assert "Jobs wait for the worker" in text(admin_client.get(preview.headers["Location"]))
        _run_worker(database_url, queue)
        assert latest_run().status == "previewed"
        applied = apply_preview(admin_client, latest_run().id)
        assert latest_run().status == "queued"
        _run_worker(database_url, queue)
        assert latest_run().status == "applied"
        assert "What the import did" in text(admin_client.get(applied.headers["Location"]))
        assert db.session.scalar(sa.select(Center).where(Center.source_id == "P1")) is not None
    finally:
        directory.config.update(LOCATOR_JOBS_REDIS_URL="", LOCATOR_JOBS_QUEUE="locator")
