"""Acceptance of the import screens in a real Chromium against a real server: an information
manager logs in, uploads a real-format file (semicolons, accents, dd/mm/yyyy, bad rows, an
unknown place name), reads the report, teaches the place, re-checks, publishes; a member sees
the new figures on the dashboard without a restart; the IMO rolls back; the figures return."""

from __future__ import annotations

import threading
import time

import pytest

from tests.accounts_support import PASSWORD
from tests.browser.conftest import _free_port
from tests.browser.test_dashboard_browser import (  # noqa: F401  (the same skip marks)
    Watch,
    _ready,
    pytestmark,
)
from tests.import_files import UNKNOWN_CERCLE, accepted_rows, incidents_csv

SEED_PER_CERCLE = 2  # the version published before the test: 2 incidents per cercle
NEW_PER_CERCLE = 4  # the uploaded file: 4 per cercle, same month
MONTH = "02/2024"
LIVE_SECONDS = 10  # a published version is served by every worker within this


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from werkzeug.serving import make_server

    from accounts.db import Database
    from app import create_app
    from data.publishing import Publisher

    folder = tmp_path_factory.mktemp("imports")
    with pytest.MonkeyPatch.context() as env:
        for name in ("DATABASE_URL", "REDIS_URL", "MALI_DASHBOARD_PUBLISHING_KEY"):
            env.delenv(name, raising=False)
        env.setenv("MALI_DASHBOARD_STORE", str(folder / "store"))
        env.setenv("MALI_DASHBOARD_UPLOADS", str(folder / "uploads"))
        database = Database(f"sqlite:///{folder / 'accounts.sqlite3'}")
        seed = folder / "suivi_janvier.csv"
        seed.write_bytes(incidents_csv(MONTH, per_cercle=SEED_PER_CERCLE))
        publisher = Publisher(database)
        first = publisher.prepare("incidents", seed, seed.name, "seed")
        publisher.publish(first.id, "seed")
        app = create_app(database=database)
        users = app.server.extensions["mali_accounts"].users
        users.add("ina", PASSWORD, "imo", actor="test")
        users.add("awa", PASSWORD, "member", actor="test")
        port = _free_port()
        httpd = make_server("127.0.0.1", port, app.server, threaded=True)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{port}", folder, first.id
        httpd.shutdown()
        database.dispose()


def _log_in(page, base: str, user: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _incidents_tile(page) -> str:
    return page.locator(".kf-tile").first.locator(".kf-value").inner_text().replace("\u202f", "")


def _wait_for_tile(page, base: str, expected: str) -> float:
    """Reload the member's dashboard until the incidents tile shows ``expected``; seconds."""
    start = time.monotonic()
    while True:
        page.goto(base + "/")
        _ready(page)
        shown = _incidents_tile(page)
        if shown == expected:
            return time.monotonic() - start
        assert time.monotonic() - start < LIVE_SECONDS + 10, f"tile still {shown}, not {expected}"
        page.wait_for_timeout(1000)


def test_imo_publishes_from_the_browser_and_rolls_back(browser, server, tmp_path):
    base, _folder, seed_version = server
    file = tmp_path / "suivi_protection_février.csv"
    file.write_bytes(incidents_csv(MONTH, per_cercle=NEW_PER_CERCLE))

    member_context = browser.new_context(viewport={"width": 1366, "height": 768})
    member = member_context.new_page()
    member_watch = Watch(member, base)
    _log_in(member, base, "awa")
    seed_value = _incidents_tile_after_load(member, base)
    assert seed_value == str(accepted_rows(SEED_PER_CERCLE))  # each row is one incident

    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    watch = Watch(page, base)
    _log_in(page, base, "ina")
    page.goto(base + "/")
    _ready(page)
    page.locator("#imports-link").click()
    page.wait_for_url("**/imports/")

    # upload by drag and drop (a real drop event carrying the file); the stream is detected
    drop = page.evaluate_handle(
        """([name, content]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([content], name, {type: "text/csv"}));
            return transfer;
        }""",
        [file.name, file.read_text(encoding="utf-8")],
    )
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": drop})
    assert page.evaluate("document.getElementById('file').files[0].name") == file.name
    page.locator("#upload-button").click()
    page.wait_for_selector("#upload-progress-bar:not([hidden])")
    page.wait_for_url("**/imports/drafts/**", timeout=60_000)
    assert page.locator("#rows-read").inner_text() == str(accepted_rows(NEW_PER_CERCLE) + 3)
    assert page.locator("#rows-rejected").inner_text() == "3"
    rejected = page.locator("#rejected").inner_text()
    assert "unreadable date '31/02/2024'" in rejected and "negative count '-4'" in rejected
    assert "2024-02-01 – 2024-02-04" in page.locator("#date-range").inner_text()
    comparison = page.locator("#comparison-table").inner_text()
    assert "Tombouctou" in comparison and "+" in comparison
    unresolved = page.locator("#unresolved .unresolved-place")
    assert unresolved.count() == 1 and UNKNOWN_CERCLE in unresolved.inner_text()

    # teach the resolver: Goundam, one of the candidates; then re-check the same file
    unresolved.get_by_label("Goundam (ML0602)", exact=False).check()
    unresolved.get_by_role("button").click()
    page.wait_for_selector("#learned")
    assert "Goundam" in page.locator("#learned").inner_text()
    page.locator("#recheck").click()
    page.wait_for_url("**/imports/drafts/**", timeout=60_000)
    page.wait_for_selector("#unresolved")
    assert "Tous les lieux ont été reconnus" in page.locator("#unresolved").inner_text()
    page.goto(base + "/imports/mappings")
    assert "Goundam (ML0602)" in page.locator("#mappings").inner_text()
    page.go_back()

    # publish: the member sees the new figure without a restart
    page.locator("#publish").click()
    page.wait_for_url("**/imports/versions/incidents**")
    assert "Version publiée" in page.locator("#notice").inner_text()
    new_value = str(accepted_rows(NEW_PER_CERCLE))
    seconds = _wait_for_tile(member, base, new_value)
    print(f"\nnew version on the member's dashboard after {seconds:.1f} s")

    # roll back in one click (with the browser's confirmation); the figures return
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(f"tr[data-version='{seed_version}'] button.rollback").click()
    page.wait_for_selector("#notice")
    assert seed_version in page.locator("#notice").inner_text()
    seconds = _wait_for_tile(member, base, seed_value)
    print(f"rollback on the member's dashboard after {seconds:.1f} s")

    watch.check()
    member_watch.check()
    context.close()
    member_context.close()


def _incidents_tile_after_load(page, base: str) -> str:
    page.goto(base + "/")
    _ready(page)
    return _incidents_tile(page)
