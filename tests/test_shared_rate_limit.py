"""Two app processes on two ports, one database and one Redis: the contact form's rate limit
is counted once across both, as it must be behind a load balancer.

Real processes (not two app objects in one interpreter, whose limiter object is shared)
serve on 127.0.0.1; a visitor's sendings alternate between them. With memory storage each
process counts alone, which the second test shows, so the first proves the sharing.
"""

from __future__ import annotations

import http.cookiejar
import os
import random
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.helpers.app_process import SERVE, NoRedirects, free_port, status, wait_until_up
from tests.helpers.forms import csrf_token

REDIS_URL = "redis://127.0.0.1:6379/14"


def _start(database_url: str, storage: str, limit: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "LOCATOR_DATABASE_URL": database_url,
        "LOCATOR_SECRET_KEY": "shared-test-secret",  # one key: a form token works on both
        "LOCATOR_RATELIMIT_STORAGE_URL": storage,
        "LOCATOR_CONTACT_RATE_LIMIT": limit,
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", SERVE, str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


@pytest.fixture
def two_processes(directory):
    """Start two app processes with the given storage; stop them afterwards."""
    started: list[subprocess.Popen] = []

    def start(storage: str, limit: str) -> list[str]:
        url = directory.config["SQLALCHEMY_DATABASE_URI"]
        servers = [_start(url, storage, limit) for _ in range(2)]
        started.extend(process for process, _ in servers)
        wait_until_up(servers)
        return [base for _, base in servers]

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=30)


def send_in_turn(bases: list[str], times: int) -> list[int]:
    """One visitor (one cookie, one form token) sends the form `times` times, to each
    process in turn. The hidden bot field is filled in: nothing is stored, yet every
    sending counts against the limit, as a person's does."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)
    with opener.open(bases[0] + "/contact", timeout=10) as response:
        page = response.read().decode()
    token = csrf_token(page)
    form = urllib.parse.urlencode({"csrf_token": token, "website": "bot"}).encode()
    return [status(opener, bases[i % len(bases)] + "/contact", form) for i in range(times)]


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis server answers at {REDIS_URL} ({error})")
    return client


def _unique_limit() -> str:
    """Three sendings per an unusual number of minutes: this run's counters alone."""
    return f"3 per {random.randrange(1000, 9999)} minutes"


def test_two_processes_share_one_count_through_redis(two_processes):
    store = _redis_or_skip()
    limit = _unique_limit()
    try:
        bases = two_processes(REDIS_URL, limit)
        assert bases[0] != bases[1]
        assert send_in_turn(bases, 6) == [302, 302, 302, 429, 429, 429]
    finally:
        period = limit.split()[2]
        for key in store.scan_iter(f"LIMITS*/3/{period}/*"):
            store.delete(key)


def test_with_memory_storage_each_process_counts_alone(two_processes):
    bases = two_processes("memory://", _unique_limit())
    assert send_in_turn(bases, 6) == [302, 302, 302, 302, 302, 302]
