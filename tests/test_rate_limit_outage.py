"""A rate-limit store (Redis) that is down: limits go on in each process's memory, said once in
the log, and sign-in attempts are still counted. Nothing is started: the app is pointed at a
port where nothing listens.

The app runs in its own process, because the limiter object is shared by every app made in
one interpreter (the other tests' app would lose its storage).
"""

from __future__ import annotations

import http.cookiejar
import os
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from tests.helpers.app_process import SERVE, NoRedirects, free_port, status, wait_until_up
from tests.helpers.forms import csrf_token


@pytest.fixture
def app_without_redis(directory, tmp_path):
    """An app process whose rate-limit store is Redis on a closed port, with low limits."""
    port, closed = free_port(), free_port()
    log = (tmp_path / "server.log").open("w+")
    env = {
        **os.environ,
        "LOCATOR_DATABASE_URL": directory.config["SQLALCHEMY_DATABASE_URI"],
        "LOCATOR_RATELIMIT_STORAGE_URL": f"redis://127.0.0.1:{closed}/0",
        "LOCATOR_API_RATE_LIMIT": "4 per minute",
        "LOCATOR_SEARCH_RATE_LIMIT": "2 per minute",
        "LOCATOR_PAGE_RATE_LIMIT": "3 per minute",
        "LOCATOR_CONTACT_RATE_LIMIT": "2 per hour",
        "LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS": "5 per 15 minutes",
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", SERVE, str(port)], env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up([(process, base)])
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)


def _form(opener, page_url: str, **fields) -> bytes:
    with opener.open(page_url, timeout=10) as response:
        page = response.read().decode()
    token = csrf_token(page)
    return urllib.parse.urlencode({"csrf_token": token, **fields}).encode()


def test_limits_fall_back_to_memory_when_redis_is_down(app_without_redis):
    base, log = app_without_redis
    opener = _opener()
    # Sign-in first: nothing has found the store down yet when its attempts are counted.
    signin = [
        status(
            opener,
            base + "/admin/sign-in",
            _form(opener, base + "/admin/sign-in", email="a@example.org", password="wrong" * 3),
        )
        for _ in range(7)
    ]
    assert signin == [401] * 5 + [429] * 2  # never fails open
    api = [
        status(opener, base + path)
        for path in (
            "/api/v1/centers?location=78701",
            "/api/v1/places?q=aus",
            "/api/v1/centers?location=Austin%2C+TX",
            "/api/v1/places?q=bos",
            "/api/v1/places?q=den",
        )
    ]
    assert api == [200, 200, 200, 200, 429]
    assert [status(opener, base + "/site-search?q=detox") for _ in range(3)] == [200, 200, 429]
    pages = [status(opener, base + "/search?location=78701") for _ in range(4)]
    assert pages == [200, 200, 200, 429]
    contact = [
        status(opener, base + "/contact", _form(opener, base + "/contact", website="bot"))
        for _ in range(3)
    ]
    assert contact == [302, 302, 429]
    log.seek(0)
    text = log.read()
    assert "Traceback" not in text and " 500 " not in text
    assert text.count("sign-in attempts are counted in this process's memory") == 1
    assert text.count("falling back to in-memory storage") == 1
