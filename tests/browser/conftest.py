"""Browser fixtures: the built book served on loopback, and Debian's Chromium driven by Playwright.

No browser is downloaded: Playwright drives /usr/bin/chromium (``apt-get install -y chromium``).
A missing browser fails the tests with a message saying what to install; they never skip.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def chromium_path() -> str:
    path = os.environ.get("MLCALC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(
            "Chromium is needed for the browser tests: run `apt-get update && apt-get install -y "
            "chromium` (or set MLCALC_CHROMIUM to a Chromium binary)"
        )
    return path


def is_loopback(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in {"data", "blob", "about", "chrome", "chrome-extension"}:
        return True
    return (parsed.hostname or "") in LOOPBACK


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture(scope="session")
def site_url(built_html) -> Iterator[str]:
    """Base URL (ending in '/') of the built book, served by a thread on 127.0.0.1."""
    handler = functools.partial(_QuietHandler, directory=str(built_html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium, driven by Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is needed for the browser tests: pip install -r tests/requirements.txt")
    path = chromium_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    """A fresh page that records requests to other hosts and console errors.

    ``page.external_requests``: URLs of every request to a host that is not loopback (they are
    aborted, so a test fails on them instead of hanging). ``page.console_errors``: console
    messages of type error, and uncaught page errors.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.external_requests = []
    pg.console_errors = []

    def route(r):
        if is_loopback(r.request.url):
            r.continue_()
        else:
            pg.external_requests.append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(f"page error: {e}"))
    try:
        yield pg
    finally:
        context.close()
