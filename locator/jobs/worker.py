"""`flask --app locator worker`: runs the queued jobs, and between them the periodic chores."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from locator.extensions import db

IDLE_SECONDS = 30  # how long the worker waits for a job before it does its chores again


def chores() -> None:
    """Undo and mark dead imports; send the mail notices that could not be sent before."""
    from locator.importers.stale_runs import recover_dead_runs
    from locator.inbox.notices import send_pending_notices

    recover_dead_runs(db.session)
    send_pending_notices(db.session)
    db.session.remove()


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop (for tests).")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run import and mail jobs from the Redis queue (LOCATOR_JOBS_REDIS_URL)."""
    from rq import SimpleWorker

    from locator.jobs import rq_queue

    if not current_app.config["LOCATOR_JOBS_REDIS_URL"]:
        raise click.ClickException(
            "Set LOCATOR_JOBS_REDIS_URL (e.g. redis://127.0.0.1:6379/0): without it the web "
            "process runs jobs itself and no worker is needed."
        )
    queue = rq_queue(current_app)
    # SimpleWorker runs each job in this process: the app, its settings and its database
    # engine are set up once, and no connection is shared across a fork.
    worker = SimpleWorker([queue], connection=queue.connection)
    while True:
        chores()
        worker.work(burst=burst, max_idle_time=None if burst else IDLE_SECONDS)
        if burst:
            chores()
            return
