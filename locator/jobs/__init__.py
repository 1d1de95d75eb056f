"""Background jobs: import previews and applies, and the mail notices of contact requests.

Where a job runs depends on the settings: with `LOCATOR_JOBS_REDIS_URL` it is queued in Redis
(RQ) and run by `flask --app locator worker`, so a queued job survives a restart of the web
processes; without it, a thread of the web process runs it (development, one process); with
`LOCATOR_IMPORT_IN_BACKGROUND` off, the request runs it itself (tests).
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor, wait

from flask import Flask, current_app

log = logging.getLogger(__name__)
POOL_KEY = "locator.jobs.pool"
FUTURES_KEY = "locator.jobs.futures"
JOB_TIMEOUT = 3600  # seconds: far beyond the largest import


def enqueue(task: str, *args) -> None:
    """Run the named task (see tasks.TASKS) in the background, or now when so configured."""
    from locator.jobs.tasks import run_task

    app = current_app._get_current_object()
    if not app.config.get("LOCATOR_IMPORT_IN_BACKGROUND", True):
        run_task(task, *args)
        return
    if app.config.get("LOCATOR_JOBS_REDIS_URL"):
        rq_queue(app).enqueue_call(
            "locator.jobs.tasks.run_in_app", args=(task, *args), timeout=JOB_TIMEOUT
        )
        return
    pool = app.extensions.get(POOL_KEY)
    if pool is None:
        pool = app.extensions[POOL_KEY] = ThreadPoolExecutor(2, thread_name_prefix="locator-job")
    futures: list[Future] = app.extensions.setdefault(FUTURES_KEY, [])
    futures[:] = [f for f in futures if not f.done()]
    futures.append(pool.submit(_in_context, app, task, args))


def _in_context(app: Flask, task: str, args: tuple) -> None:
    from locator.jobs.tasks import run_task

    with app.app_context():
        try:
            run_task(task, *args)
        except Exception:  # a thread has nobody to tell: the run records its own failure
            log.exception("background job %s failed", task)


def wait_for_jobs(app: Flask, timeout: float = 120) -> None:
    """Wait until the web process's background threads have finished their jobs (tests)."""
    wait(list(app.extensions.get(FUTURES_KEY, [])), timeout=timeout)


def rq_queue(app: Flask):
    """The RQ queue named by the settings, on the jobs' Redis."""
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(app.config["LOCATOR_JOBS_REDIS_URL"])
    return Queue(app.config["LOCATOR_JOBS_QUEUE"], connection=connection)


def uses_worker(app: Flask) -> bool:
    """True when jobs wait in Redis for `flask --app locator worker`."""
    return bool(app.config.get("LOCATOR_JOBS_REDIS_URL")) and app.config.get(
        "LOCATOR_IMPORT_IN_BACKGROUND", True
    )
