"""The app served in its own process on a free port, and reading it over real HTTP."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request

# Run with `python -c SERVE PORT`: the app from the environment's settings on 127.0.0.1:PORT.
SERVE = (
    "import sys; from werkzeug.serving import make_server; from locator import create_app; "
    "make_server('127.0.0.1', int(sys.argv[1]), create_app()).serve_forever()"
)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Report a redirect's status instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status(opener, url: str, data: bytes | None = None) -> int:
    """The HTTP status of a GET (or a POST of `data`), errors included."""
    try:
        with opener.open(urllib.request.Request(url, data=data), timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _status_or_zero(opener, url: str) -> int:
    try:
        return status(opener, url)
    except OSError:
        return 0


def wait_until_up(servers: list[tuple[subprocess.Popen, str]]) -> None:
    """Wait (60 s at most) until every (process, base URL) answers its contact page."""
    opener = urllib.request.build_opener(NoRedirects)
    deadline = time.monotonic() + 60
    for process, base in servers:
        while _status_or_zero(opener, base + "/contact") != 200:
            assert process.poll() is None, "an app process stopped while starting"
            assert time.monotonic() < deadline, "an app process did not start in 60 s"
            time.sleep(0.1)
