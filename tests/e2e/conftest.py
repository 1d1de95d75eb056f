"""The app served on 127.0.0.1 from a thread, and Chromium driven by Playwright.

Every request a page makes goes through `guard_requests`: the app's own address passes, map
tiles are answered from memory, and anything else is refused and fails the test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tests.helpers.browser import CHROMIUM_ARGS, CHROMIUM_PATH, TILE_PNG, chromium_missing

try:
    from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright
except ImportError:  # the folder is skipped, with its reason, by tests.e2e.browser
    sync_playwright = None


@dataclass
class LiveServer:
    """The app on a real port."""

    url: str
    port: int
    app: object


@dataclass
class RequestLog:
    """What the pages of one test asked for and said."""

    refused: list[str] = field(default_factory=list)
    tiles: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    policy_violations: list[str] = field(default_factory=list)


def read_whole(app):
    """The app, each response read whole and closed before the server writes it.

    Werkzeug's development server leaves a static file open when the browser drops the
    connection early (as it does when a test moves on); the file's ResourceWarning would then
    fail some later test. Pages and static files are small enough to hold in memory.
    """

    def whole_response(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return whole_response


@pytest.fixture(scope="package")
def live_server(directory) -> Iterator[LiveServer]:
    """The test app with a tile server on 127.0.0.1, served from a thread."""
    server = make_server("127.0.0.1", 0, read_whole(directory), threaded=True)
    base = f"http://127.0.0.1:{server.port}"
    saved = {key: directory.config[key] for key in ("LOCATOR_TILE_URL", "LOCATOR_TILE_ATTRIBUTION")}
    directory.config["LOCATOR_TILE_URL"] = base + "/tiles/{z}/{x}/{y}.png"
    directory.config["LOCATOR_TILE_ATTRIBUTION"] = "Test tiles"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(base, server.port, directory)
    server.shutdown()
    thread.join(timeout=10)
    directory.config.update(saved)  # the other tests see the app as it was: no map


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    if chromium_missing():
        pytest.skip(chromium_missing())
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def guard_requests(context: BrowserContext, server: LiveServer, log: RequestLog) -> None:
    """Refuse every request not for the app; answer map tiles with a blank tile."""

    def handle(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.hostname != "127.0.0.1" or url.port != server.port:
            log.refused.append(route.request.url)
            route.abort()
        elif url.path.startswith("/tiles/"):
            log.tiles.append(url.path)
            route.fulfill(status=200, content_type="image/png", body=TILE_PNG)
        else:
            route.continue_()

    context.route("**/*", handle)


def watch_page(page: Page, log: RequestLog) -> None:
    """Record script errors and Content-Security-Policy refusals."""
    page.on("pageerror", lambda error: log.script_errors.append(str(error)))

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            log.policy_violations.append(message.text)

    page.on("console", on_console)


@pytest.fixture
def open_context(browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts on the live server; after the test, check what they did."""
    made: list[tuple[BrowserContext, RequestLog]] = []

    def make(**options) -> BrowserContext:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, **options)
        log = RequestLog()
        guard_requests(context, live_server, log)
        context.on("page", lambda page: watch_page(page, log))
        context.request_log = log
        context.live_app = live_server.app
        made.append((context, log))
        return context

    yield make
    for context, log in made:
        context.close()
        assert not log.refused, f"requests to other hosts: {log.refused}"
        assert not log.script_errors, f"script errors: {log.script_errors}"
        assert not log.policy_violations, f"blocked by the CSP: {log.policy_violations}"


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def page(request, open_context) -> Page:
    """A desktop page, with JavaScript on and then off."""
    return open_context(java_script_enabled=request.param).new_page()


@pytest.fixture
def js_page(open_context) -> Page:
    """A desktop page with JavaScript on."""
    return open_context().new_page()
