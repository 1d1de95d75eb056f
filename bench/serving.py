"""The app under gunicorn and wrk: pages, API and an article against a bare Flask + Jinja
page; worker memory and start-up; two app processes sharing one database and one Redis."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import redis

from bench.http import (
    cpu_seconds,
    finish_wrk,
    get,
    memory_mb,
    run_wrk,
    serve,
    start_wrk,
    stop,
    worker_pids,
)

ARTICLE = "/articles/chances-of-recovering-from-heroin-addiction"
REDIS_URL = "redis://127.0.0.1:6379/14"
DEMO_CONTACT_LIMIT = "3 per minute"
# Unmeasured load first, so that each worker has loaded the gazetteer and filled its caches
# (a worker's first search takes about 0.25 s: that is start-up, measured apart).
WARM_UP_SECONDS = 2
UNCACHED_COUNTS = "results page, filter counts not cached"


def app_environment(url: str, **extra: str) -> dict[str, str]:
    """The settings of a served app on a benchmark database. wrk is one client address, so
    the per-address limits of the API and of the search pages are lifted (else it measures
    the limiter's 429s); the limiter still counts every request."""
    return {
        "LOCATOR_DATABASE_URL": url,
        "LOCATOR_SECRET_KEY": "bench-secret-key",
        "LOCATOR_API_RATE_LIMIT": "1000000 per minute",
        "LOCATOR_PAGE_RATE_LIMIT": "1000000 per minute",
        **extra,
    }


def search_paths(zips: list[str]) -> dict[str, list[str]]:
    """The URLs wrk asks for: results pages and API answers for random ZIP codes."""
    return {
        "results page": [f"/search?location={code}&radius=25" for code in zips],
        "API": [f"/api/v1/centers?location={code}&radius=25" for code in zips],
    }


def _startup(url: str, zips: list[str]) -> dict[str, float]:
    """Seconds from starting gunicorn to its first answered page, then to a first search
    (which loads the gazetteer), with one worker so that the same worker answers both."""
    server = serve("locator:create_app()", app_environment(url), workers=1)
    try:
        worker = worker_pids(server)[0]
        ready_cpu = cpu_seconds(worker)
        started = time.perf_counter()
        get(f"{server.base}/search?location={zips[0]}&radius=25")
        first_search = time.perf_counter() - started
        memory = memory_mb(worker)
    finally:
        stop(server)
    return {
        "ready": server.ready_seconds,
        "ready_cpu": ready_cpu,
        "first_search": first_search,
        "idle_rss": memory["rss"],
    }


def app_under_load(url: str, zips: list[str], seconds: int) -> dict:
    """wrk on the results page, the API and an article; then each worker's memory."""
    figures: dict = {"startup": _startup(url, zips), "loads": {}}
    server = serve("locator:create_app()", app_environment(url))
    try:
        for name, paths in search_paths(zips).items():
            run_wrk(server.base, paths, WARM_UP_SECONDS)
            figures["loads"][name] = run_wrk(server.base, paths, seconds)
        if get(server.base + ARTICLE) == 200:
            figures["loads"]["article"] = run_wrk(server.base, [ARTICLE], seconds)
        else:
            figures["notes"] = [f"{ARTICLE} does not answer 200 yet: not measured."]
        figures["workers"] = [memory_mb(pid) for pid in worker_pids(server)]
    finally:
        stop(server)
    # The same results pages with the numbers beside the filters counted at every request:
    # wrk asks for 200 places over and over, which the count cache would answer after once.
    uncached = serve("locator:create_app()", app_environment(url, LOCATOR_COUNT_CACHE_SECONDS="0"))
    try:
        paths = search_paths(zips)["results page"]
        run_wrk(uncached.base, paths, WARM_UP_SECONDS)
        figures["loads"][UNCACHED_COUNTS] = run_wrk(uncached.base, paths, seconds)
    finally:
        stop(uncached)
    return figures


def bare_under_load(seconds: int, url: str | None = None, zips: list[str] | None = None) -> dict:
    """wrk on the bare Flask + Jinja page of 20 rows; on SQLite also on the bare page of the
    20 nearest centers through the R*Tree (plain `sqlite3`), for the same URLs as the
    results page."""
    figures = {}
    points = {}
    if url and url.startswith("sqlite:///") and zips:
        from locator.geo import gazetteer

        known = gazetteer().zips
        points = {code: [known[code].latitude, known[code].longitude] for code in zips}
    env = {}
    if points:
        env = {
            "LOCATOR_BARE_DATABASE": url.removeprefix("sqlite:///"),
            "LOCATOR_BARE_POINTS": json.dumps(points),
        }
    server = serve("bench.bare_app:create_app()", env, ready_path="/rows")
    try:
        run_wrk(server.base, ["/rows"], WARM_UP_SECONDS)
        figures["load"] = run_wrk(server.base, ["/rows"], seconds)
        if points:
            paths = search_paths(list(points))["results page"]
            run_wrk(server.base, paths, WARM_UP_SECONDS)
            figures["rtree"] = run_wrk(server.base, paths, seconds)
    finally:
        stop(server)
    return figures


def _clear_limits() -> None:
    """Forget earlier counts in the demo's Redis database (only the limiter's keys)."""
    store = redis.Redis.from_url(REDIS_URL)
    for key in store.scan_iter("LIMITS*"):
        store.delete(key)


def _contact_posts(bases: list[str], count: int) -> list[int]:
    """Send the contact form `count` times, to each server in turn, as one visitor (one
    cookie, one form token); the statuses answered. The hidden bot field is filled in, so
    nothing is stored, yet each sending counts against the limit."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", "bench")]
    page = opener.open(bases[0] + "/contact").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "website": "bench"}).encode()
    statuses = []
    for i in range(count):
        request = urllib.request.Request(bases[i % len(bases)] + "/contact", data=form)  # noqa: S310
        try:
            with opener.open(request) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    return statuses


def two_processes(url: str, zips: list[str], seconds: int) -> dict:
    """Two app processes on two ports, one database, one Redis, loaded together by wrk;
    then the contact form's rate limit, counted once across both."""
    env = app_environment(
        url,
        LOCATOR_RATELIMIT_STORAGE_URL=REDIS_URL,
        LOCATOR_CONTACT_RATE_LIMIT=DEMO_CONTACT_LIMIT,
    )
    servers = [serve("locator:create_app()", env, workers=1) for _ in range(2)]
    try:
        paths = search_paths(zips)["results page"]
        for server in servers:
            get(server.base + paths[0])
        running = [start_wrk(server.base, paths, seconds, connections=4) for server in servers]
        loads = [finish_wrk(started) for started in running]
        _clear_limits()
        statuses = _contact_posts([server.base for server in servers], 6)
    finally:
        for server in servers:
            stop(server)
    return {"ports": [s.port for s in servers], "loads": loads, "contact_statuses": statuses}


def redis_available() -> bool:
    """Whether the demo's Redis answers."""
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def machine() -> dict[str, str]:
    """The CPU, its count, memory, and the load right now."""
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    return {
        "cpu": cpu.group(1) if cpu else "unknown",
        "cores": str(os.cpu_count()),
        "memory_gb": f"{int(memory.group(1)) / 1024 / 1024:.1f}" if memory else "?",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
