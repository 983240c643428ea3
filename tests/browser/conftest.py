"""Fixtures of the browser tests: the dashboard on a free loopback port, one headless Chromium."""

from __future__ import annotations

import socket
import threading

import pytest

from bench.browser import CHROMIUM, FLAGS  # one headless Chromium set-up for tests and bench


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    from werkzeug.serving import make_server

    from app import create_app

    app = create_app()
    port = _free_port()
    httpd = make_server("127.0.0.1", port, app.server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
