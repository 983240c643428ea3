"""The import screens over HTTP, on a real Flask server with accounts, a real publisher and a
real store: who may use them (every route, POSTs and job polls included), CSRF, refused
uploads, jobs bound to their uploader, and the whole flow — upload, report, teach a place,
re-check, publish, a refused loss, versions and rollback — on SQLite and on PostgreSQL."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import time
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from accounts.audit import latest
from data.publishing import Publisher
from imports.web import install
from imports.web.i18n import TEXTS
from tests import accounts_support as support
from tests.accounts_support import PASSWORD, TOKEN_RE, clean_env, login, make_app  # noqa: F401
from tests.import_files import TEACH_AS, UNKNOWN_CERCLE, accepted_rows, incidents_csv

database = support.database  # the same flow on SQLite and on a real PostgreSQL server
sqlite_db = support.sqlite_db
FILE_NAME = "suivi_protection_mars_2024.csv"
JSON = {"Accept": "application/json"}


class Site:
    """One server with three users: an IMO, a second IMO and a member."""

    def __init__(self, db, tmp_path) -> None:
        self.server, self.accounts = make_app(db)
        self.publisher = Publisher(db)
        self.uploads = tmp_path / "uploads"
        install(self.server, self.accounts, self.publisher, folder=self.uploads)
        self.database = db
        for name, role in (("ina", "imo"), ("oumar", "imo"), ("awa", "member")):
            self.accounts.users.add(name, PASSWORD, role, actor="test")

    def client(self, user: str | None = None):
        client = self.server.test_client()
        if user is not None:
            assert login(client, user).status_code in (302, 303)
        return client


@pytest.fixture
def site(sqlite_db, tmp_path, monkeypatch):
    monkeypatch.setenv("MALI_DASHBOARD_STORE", str(tmp_path / "store"))
    return Site(sqlite_db, tmp_path)


@pytest.fixture
def any_site(database, tmp_path, monkeypatch):
    monkeypatch.setenv("MALI_DASHBOARD_STORE", str(tmp_path / "store"))
    return Site(database, tmp_path)


def page_token(client, path: str = "/imports/") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return TOKEN_RE.search(page.get_data(as_text=True)).group(1)


def upload(client, content: bytes, name: str = FILE_NAME, stream: str = "auto", token=None):
    data = {
        "csrf_token": page_token(client) if token is None else token,
        "stream": stream,
        "file": (BytesIO(content), name),
    }
    return client.post(
        "/imports/upload", data=data, headers=JSON, content_type="multipart/form-data"
    )


def wait(client, status_url: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(status_url, headers=JSON).get_json()
        if state["state"] != "running":
            return state
        time.sleep(0.1)
    raise AssertionError(f"job still running after {timeout} s: {state}")


def draft_of(client, content: bytes = None, name: str = FILE_NAME, stream: str = "auto") -> str:
    """Upload, wait for the check, return the draft id."""
    response = upload(client, incidents_csv() if content is None else content, name, stream)
    assert response.status_code == 202, response.get_data(as_text=True)
    state = wait(client, response.get_json()["status_url"])
    assert state["state"] == "done", state
    return state["draft_url"].rsplit("/", 1)[-1]


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def fr(key: str, **values) -> str:
    return TEXTS["fr"][key].format(**values) if values else TEXTS["fr"][key]


# -- who may use the screens ---------------------------------------------------------------


def every_route(site: Site) -> tuple[list[tuple[str, str]], str, str]:
    """Each route with real ids: a job, a draft, a published version and a mapping of the IMO."""
    imo = site.client("ina")
    response = upload(imo, incidents_csv())
    job_url = response.get_json()["status_url"]
    draft = wait(imo, job_url)["draft_url"].rsplit("/", 1)[-1]
    mapping = site.publisher.learn(UNKNOWN_CERCLE, TEACH_AS, "ina", level=2, scope="ML06")
    other = draft_of(imo)
    version = site.publisher.publish(other, "ina").id
    return (
        [
            ("GET", "/imports/"),
            ("GET", "/imports/static/imports.js"),
            ("POST", "/imports/upload"),
            ("GET", job_url),
            ("GET", job_url + "?format=json"),
            ("GET", f"/imports/drafts/{draft}"),
            ("POST", f"/imports/drafts/{draft}/publish"),
            ("POST", f"/imports/drafts/{draft}/discard"),
            ("POST", f"/imports/drafts/{draft}/learn"),
            ("POST", f"/imports/drafts/{draft}/recheck"),
            ("GET", "/imports/mappings"),
            ("POST", f"/imports/mappings/{mapping.id}/forget"),
            ("GET", "/imports/versions/incidents"),
            ("POST", "/imports/versions/incidents/rollback"),
        ],
        draft,
        version,
    )


def test_public_and_member_are_refused_on_every_route(site):
    routes, draft, version = every_route(site)
    before = (site.publisher.versions("incidents"), site.publisher.mappings())
    anonymous, member = site.client(), site.client("awa")
    member_token = TOKEN_RE.search(member.get("/login").get_data(as_text=True)).group(1)
    form = {
        "csrf_token": member_token,
        "name": "Tombouctou",
        "pcode": "ML06",
        "level": "1",
        "version": version,
        "confirm": "yes",
        "stream": "incidents",
    }
    for method, path in routes:
        for who, client in (("public", anonymous), ("member", member)):
            if method == "GET":
                response = client.get(path)
                json_response = client.get(path, headers=JSON)
                assert json_response.status_code == 403, (who, path)
            else:
                data = {**form, "file": (BytesIO(incidents_csv()), FILE_NAME)}
                response = client.post(path, data=data, content_type="multipart/form-data")
            if who == "public" and method == "GET" and "format=json" not in path:
                assert response.status_code == 303, (who, path)
                assert response.headers["Location"].startswith("/login?next=%2Fimports%2F")
            else:
                assert response.status_code == 403, (who, method, path, response.status_code)
                body = response.get_json()["error"] if response.is_json else text(response)
                assert fr("forbidden") in body
    assert (site.publisher.versions("incidents"), site.publisher.mappings()) == before
    assert site.publisher.draft(draft).id == draft  # still there, still a draft


def test_the_account_box_links_imos_to_the_screens_and_members_not():
    from layouts.header import Viewer, account_box

    def links(role: str) -> list[str]:
        box = account_box(Viewer(role=role, name="x", csrf_token="t"), "fr")
        return [getattr(child, "href", None) for child in box.children]

    assert "/imports/" in links("imo") and "/imports/" in links("admin")
    assert "/imports/" not in links("member")


def test_a_post_without_its_csrf_token_changes_nothing(site):
    imo = site.client("ina")
    draft = draft_of(imo)
    before = site.publisher.versions("incidents")
    posts = [
        ("/imports/upload", {"file": (BytesIO(incidents_csv()), FILE_NAME), "stream": "auto"}),
        (f"/imports/drafts/{draft}/publish", {"confirm": "yes"}),
        (f"/imports/drafts/{draft}/learn", {"name": UNKNOWN_CERCLE, "pcode": TEACH_AS}),
        (f"/imports/drafts/{draft}/discard", {}),
        ("/imports/versions/incidents/rollback", {"version": draft}),
    ]
    for path, data in posts:
        for token in (None, "forged-token"):
            body = {
                k: (BytesIO(v[0].getvalue()), v[1]) if k == "file" else v for k, v in data.items()
            }
            body.update({"csrf_token": token} if token else {})
            response = imo.post(path, data=body, content_type="multipart/form-data")
            assert response.status_code == 400, path
            assert fr("csrf") in text(response)
    assert site.publisher.versions("incidents") == before
    assert site.publisher.mappings() == []
    assert len(list((site.uploads / "jobs").glob("*.json"))) == 1  # draft_of's job only


# -- refused uploads -----------------------------------------------------------------------


def test_too_big_uploads_are_refused_with_the_limit(site, monkeypatch):
    monkeypatch.setenv("MALI_INGEST_MAX_BYTES", "2000")
    imo = site.client("ina")
    token = page_token(imo)
    slightly = incidents_csv()[:2500]  # over the limit, within the form's slack: counted
    far = incidents_csv() * 60  # over the limit and the slack: refused before it is read
    assert len(far) > 2000 + 64 * 1024
    for content in (slightly, far):
        response = upload(imo, content, token=token)
        assert response.status_code == 413
        assert response.get_json()["error"] == fr("upload_too_big", size="2,0 Kio")
    page = imo.post(
        "/imports/upload",
        data={"csrf_token": token, "stream": "auto", "file": (BytesIO(slightly), FILE_NAME)},
        content_type="multipart/form-data",
    )
    assert page.status_code == 413 and fr("upload_too_big", size="2,0 Kio") in text(page)
    assert not any((site.uploads / "files").glob("*/*.csv"))  # nothing kept


@pytest.mark.parametrize(
    ("name", "content", "key", "values"),
    [
        ("carte.png", b"\x89PNG\r\n\x1a\n....", "upload_type", {"suffix": ".png"}),
        ("donnees", b"a;b\n1;2\n", "upload_type", {"suffix": "?"}),
        ("export.csv", b"PK\x03\x04 a zipped workbook", "upload_binary", {"suffix": ".csv"}),
        ("export.csv", b"Date;R\x00gion\n", "upload_binary", {"suffix": ".csv"}),
        ("export.xlsx", "Date;Région\n".encode(), "upload_not_xlsx", {}),
        ("vide.csv", b"", "upload_empty", {}),
    ],
)
def test_a_wrong_type_is_refused_with_a_clear_message(site, name, content, key, values):
    imo = site.client("ina")
    response = upload(imo, content, name=name)
    assert response.status_code == 400
    assert response.get_json()["error"] == fr(key, **values)
    assert not any((site.uploads / "files").glob("*/upload.json"))


def test_a_file_the_reader_rejects_fails_its_job_with_the_reason(site):
    imo = site.client("ina")
    book = BytesIO()
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("not-a-workbook.txt", "hello")
    response = upload(imo, book.getvalue(), name="dtm_round72.xlsx")
    state = wait(imo, response.get_json()["status_url"])
    assert state["state"] == "failed"
    assert state["error"].startswith(fr("job_rejected") + " dtm_round72.xlsx")
    page = imo.get(response.get_json()["status_url"])
    assert fr("job_failed_title") in text(page)


def test_a_job_of_another_user_is_not_found(site):
    ina, oumar = site.client("ina"), site.client("oumar")
    status_url = upload(ina, incidents_csv()).get_json()["status_url"]
    assert oumar.get(status_url, headers=JSON).status_code == 404
    assert oumar.get(status_url).status_code == 404
    assert ina.get("/imports/jobs/../../etc/passwd", headers=JSON).status_code == 404
    assert ina.get("/imports/jobs/" + "A" * 22, headers=JSON).status_code == 404
    assert wait(ina, status_url)["state"] == "done"


# -- the flow ------------------------------------------------------------------------------


def test_upload_report_teach_recheck_publish_refuse_loss_and_roll_back(any_site):
    site, imo = any_site, any_site.client("ina")
    first = draft_of(imo)
    report = text(imo.get(f"/imports/drafts/{first}"))
    assert 'id="rows-read">111<' in report and 'id="rows-rejected">3<' in report
    assert f'id="rows-accepted">{accepted_rows()}<' in report
    assert "unreadable date '31/02/2024'" in report and "negative count" in report
    assert "2024-03-01 – 2024-03-02" in report
    assert UNKNOWN_CERCLE in report and "Goundam (ML0602)" in report
    assert fr("comparison_none") in report
    index = imo.get("/imports/").get_data(as_text=True)
    assert f'href="/imports/drafts/{first}">{FILE_NAME}</a>' in index  # an open draft

    token = page_token(imo, f"/imports/drafts/{first}")
    bad = imo.post(
        f"/imports/drafts/{first}/learn",
        data={"csrf_token": token, "name": UNKNOWN_CERCLE, "level": "2", "pcode": "ML9999"},
    )
    assert bad.status_code == 400
    assert fr("learn_bad_pcode", pcode="ML9999", level="cercle") in text(bad)
    taught = imo.post(
        f"/imports/drafts/{first}/learn",
        data={
            "csrf_token": token,
            "name": UNKNOWN_CERCLE,
            "level": "2",
            "parent": "ML06",
            "candidate": TEACH_AS,
        },
    )
    assert taught.status_code == 303
    page = text(imo.get(taught.headers["Location"]))
    assert fr("learned", name=UNKNOWN_CERCLE, place="Goundam", pcode=TEACH_AS) in page
    assert 'id="recheck"' in page
    mappings = text(imo.get("/imports/mappings"))
    assert UNKNOWN_CERCLE in mappings and "Goundam (ML0602)" in mappings and "ina" in mappings

    again = imo.post(f"/imports/drafts/{first}/recheck", data={"csrf_token": token}, headers=JSON)
    state = wait(imo, again.get_json()["status_url"])
    second = state["draft_url"].rsplit("/", 1)[-1]
    assert second != first
    rechecked = text(imo.get(f"/imports/drafts/{second}"))
    assert fr("unresolved_none") in rechecked
    assert [v.status for v in site.publisher.versions("incidents") if v.id == first] == [
        "discarded"
    ]
    old_report = text(imo.get(f"/imports/drafts/{first}"))
    assert fr("not_draft", status=fr("status_discarded")) in old_report
    assert 'id="publish"' not in old_report

    published = imo.post(f"/imports/drafts/{second}/publish", data={"csrf_token": token})
    assert published.status_code == 303
    assert site.publisher.versions("incidents")[0].active
    versions = text(imo.get(published.headers["Location"]))
    assert fr("published") in versions and FILE_NAME in versions

    smaller = draft_of(imo, incidents_csv(per_cercle=1))
    refused = imo.post(f"/imports/drafts/{smaller}/publish", data={"csrf_token": token})
    assert refused.status_code == 409
    assert 'id="confirm-loss"' in text(refused) and "(plus de 20 %)" in text(refused)
    assert [v.id for v in site.publisher.versions("incidents") if v.active] == [second]
    confirmed = imo.post(
        f"/imports/drafts/{smaller}/publish", data={"csrf_token": token, "confirm": "yes"}
    )
    assert confirmed.status_code == 303
    assert [v.id for v in site.publisher.versions("incidents") if v.active] == [smaller]

    back = imo.post(
        "/imports/versions/incidents/rollback", data={"csrf_token": token, "version": second}
    )
    assert back.status_code == 303
    assert [v.id for v in site.publisher.versions("incidents") if v.active] == [second]
    assert fr("rolled_back", version=second) in text(imo.get(back.headers["Location"]))
    wrong = imo.post(
        "/imports/versions/incidents/rollback", data={"csrf_token": token, "version": first}
    )
    assert wrong.status_code == 409  # a discarded draft is not a version to go back to

    forget = imo.post(
        f"/imports/mappings/{site.publisher.mappings()[0].id}/forget", data={"csrf_token": token}
    )
    assert forget.status_code == 303 and site.publisher.mappings() == []
    actions = {event.action for event in latest(site.database, 100)}
    assert {"import.prepare", "import.publish", "import.rollback", "mapping.learn"} <= actions
    assert not (site.uploads / "files" / "drafts" / second).exists()  # upload gone once published


def test_a_file_with_no_accepted_row_cannot_be_published(site):
    imo = site.client("ina")
    content = "\ufeffDate;Région;Cercle;Catégorie;Nombre de victimes\r\n" + "".join(
        f"{day}/13/2024;Mopti;Bandiagara;VBG;1\r\n" for day in range(10, 20)
    )
    draft = draft_of(imo, content.encode())
    token = page_token(imo, f"/imports/drafts/{draft}")
    refused = imo.post(
        f"/imports/drafts/{draft}/publish", data={"csrf_token": token, "confirm": "yes"}
    )
    assert refused.status_code == 409 and fr("refused_empty") in text(refused)
    assert not any(v.active for v in site.publisher.versions("incidents"))


def test_stream_is_detected_from_the_name_then_the_headers(site):
    imo = site.client("ina")
    draft = draft_of(imo, name="export_sans_indice.csv")  # headers say incidents
    assert site.publisher.draft(draft).stream == "incidents"
    misleading = draft_of(imo, name="acces_terrain_mars.csv")  # the name says access
    assert site.publisher.draft(misleading).stream == "incidents"
    chosen = upload(imo, incidents_csv(), name="dtm_round72.csv", stream="incidents")
    state = wait(imo, chosen.get_json()["status_url"])
    assert site.publisher.draft(state["draft_url"].rsplit("/", 1)[-1]).stream == "incidents"
    wrong = upload(imo, incidents_csv(), name="x.csv", stream="services")
    state = wait(imo, wrong.get_json()["status_url"])
    assert state["state"] == "failed" and "it looks like an incidents file" in state["error"]
    unknown = upload(imo, b"Colonne A;Colonne B\r\n1;2\r\n", name="tableau.csv")
    state = wait(imo, unknown.get_json()["status_url"])
    assert state["state"] == "failed" and state["error"] == fr("stream_unknown")


def test_pages_are_in_english_with_lang_en(site):
    imo = site.client("ina")
    page = text(imo.get("/imports/?lang=en"))
    assert TEXTS["en"]["index_title"] in page and '<html lang="en">' in page
    assert set(TEXTS["fr"]) == set(TEXTS["en"])
    for key, french in TEXTS["fr"].items():
        assert re.findall(r"{(\w+)}", french) == re.findall(r"{(\w+)}", TEXTS["en"][key]), key


def test_a_job_whose_worker_stopped_is_reported_interrupted(tmp_path):
    from imports.web.jobs import Jobs

    worker = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys, time\n"
            "from imports.web.jobs import Jobs\n"
            f"print(Jobs({str(tmp_path)!r}).start('ina', lambda progress: time.sleep(60)))\n"
            "sys.stdout.flush(); os._exit(0)  # the worker dies mid-job",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )
    job_id = worker.stdout.strip()
    state = Jobs(tmp_path).status(job_id, "ina")
    assert (state.state, state.error_key) == ("failed", "job_interrupted")
    assert Jobs(tmp_path).status(job_id, "oumar") is None


def test_a_mostly_rejected_file_needs_an_explicit_confirmation(site):
    imo = site.client("ina")
    good = "".join(f"0{day}/03/2024;Mopti;Bandiagara;VBG;1\r\n" for day in range(1, 7))
    bad = "".join(f"{day}/13/2024;Mopti;Bandiagara;VBG;1\r\n" for day in range(10, 14))
    content = "\ufeffDate;Région;Cercle;Catégorie;Nombre de victimes\r\n" + good + bad
    draft = draft_of(imo, content.encode())
    token = page_token(imo, f"/imports/drafts/{draft}?lang=en")
    refused = imo.post(f"/imports/drafts/{draft}/publish?lang=en", data={"csrf_token": token})
    assert refused.status_code == 409
    expected = TEXTS["en"]["refused_rejected"].format(read=10, rejected=4, share="40.0", limit=20)
    assert expected in text(refused) and TEXTS["en"]["confirm_loss"] in text(refused)
    assert not any(v.active for v in site.publisher.versions("incidents"))
    published = imo.post(
        f"/imports/drafts/{draft}/publish?lang=en", data={"csrf_token": token, "confirm": "yes"}
    )
    assert published.status_code == 303 and published.headers["Location"].endswith("lang=en")
    assert [v.id for v in site.publisher.versions("incidents") if v.active] == [draft]
