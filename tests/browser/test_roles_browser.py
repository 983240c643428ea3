"""The public view and the member view, walked in a real Chromium: a cercle's GBV count is
"réservé aux membres" for the public, the data-protection note is on the page, a member logs
in through the login page and sees the exact figure, logs out and sees the public view again.
"""

from __future__ import annotations

import threading

import pytest

from tests.accounts_support import PASSWORD
from tests.browser.conftest import _free_port
from tests.browser.test_dashboard_browser import (  # noqa: F401  (the same skip marks)
    Watch,
    _ready,
    pytestmark,
)

CERCLE_GBV = "/?level=2&region=ML05&unit=ML0501&cats=pm_gbv&preset=1"


@pytest.fixture(scope="module")
def server():
    from werkzeug.serving import make_server

    from analysis.dataset import load_data
    from app import create_app

    app = create_app(load_data(use_store=False))
    app.server.extensions["mali_accounts"].users.add("aminata", PASSWORD, "member", actor="test")
    port = _free_port()
    httpd = make_server("127.0.0.1", port, app.server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", app
    httpd.shutdown()


def _incidents_tile(page) -> str:
    return page.locator(".kf-tile").first.locator(".kf-value").inner_text()


def test_public_then_member_view(browser, server):
    base, app = server
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    watch = Watch(page, base)
    page.goto(base + CERCLE_GBV)
    _ready(page)
    assert _incidents_tile(page) == "réservé aux membres"
    assert "réservé aux membres" in page.locator("#unit-panel").inner_text()
    assert "réservé aux membres" in page.locator("#key-figures-note").inner_text()
    page.locator("#protection-note summary").click()
    assert "trimestre civil" in page.locator("#protection-note").inner_text()

    page.locator("#login-link").click()
    page.wait_for_url("**/login**")
    page.fill("input[name=username]", "aminata")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    page.goto(base + CERCLE_GBV)
    _ready(page)
    assert "aminata" in page.locator(".account").inner_text()
    member_value = _incidents_tile(page)
    assert member_value != "réservé aux membres" and member_value.replace("\u202f", "").isdigit()
    exact = app.dashboard_data.cubes.incidents
    assert int(member_value.replace("\u202f", "")) == int(
        exact[
            (exact["unit2"] == "ML0501")
            & (exact["category"] == "pm_gbv")
            & (exact["month"] == "2019-12-01")
        ]["events"].sum()
    )

    page.locator("#logout").click()
    page.wait_for_load_state("networkidle")
    page.goto(base + CERCLE_GBV)
    _ready(page)
    assert _incidents_tile(page) == "réservé aux membres"
    assert page.locator("#login-link").is_visible()
    watch.check()
    context.close()
