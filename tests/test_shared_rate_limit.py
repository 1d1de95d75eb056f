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
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

REDIS_URL = "redis://127.0.0.1:6379/14"
SERVE = (
    "import sys; from werkzeug.serving import make_server; from locator import create_app; "
    "make_server('127.0.0.1', int(sys.argv[1]), create_app()).serve_forever()"
)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Report a redirect's status instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(opener, url: str, data: bytes | None = None) -> int:
    try:
        with opener.open(urllib.request.Request(url, data=data), timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _start(database_url: str, storage: str, limit: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
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


def _wait_until_up(servers: list[tuple[subprocess.Popen, str]]) -> None:
    opener = urllib.request.build_opener(NoRedirects)
    deadline = time.monotonic() + 60
    for process, base in servers:
        while _status_or_zero(opener, base + "/contact") != 200:
            assert process.poll() is None, "an app process stopped while starting"
            assert time.monotonic() < deadline, "an app process did not start in 60 s"
            time.sleep(0.1)


def _status_or_zero(opener, url: str) -> int:
    try:
        return _status(opener, url)
    except OSError:
        return 0


@pytest.fixture
def two_processes(directory):
    """Start two app processes with the given storage; stop them afterwards."""
    started: list[subprocess.Popen] = []

    def start(storage: str, limit: str) -> list[str]:
        url = directory.config["SQLALCHEMY_DATABASE_URI"]
        servers = [_start(url, storage, limit) for _ in range(2)]
        started.extend(process for process, _ in servers)
        _wait_until_up(servers)
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
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "website": "bot"}).encode()
    return [_status(opener, bases[i % len(bases)] + "/contact", form) for i in range(times)]


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
