"""Drafts, publishing, rollback, the lock per stream and learned place names, on both stores:
the file store (SQLite accounts database) and PostgreSQL (a real server, tests/postgres.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from accounts import audit
from accounts.db import Database
from data import store
from data.mappings import MappingError
from data.publishing import Publisher, PublishRefused
from data.schemas import SCHEMAS, conform
from data.stores import FileStore

REPO = Path(__file__).resolve().parents[1]
HEADER = "Date;Région;Cercle;Catégorie;Nombre de victimes\n"


def incidents_csv(path: Path, good: int, bad: int = 0, year: int = 2019, odd: str = "") -> Path:
    """``good`` readable rows in Mopti and Gao (plus one in the cercle ``odd`` of Mopti when
    given) and ``bad`` rows whose date cannot be read."""
    rows = [
        f"{1 + i % 28:02d}/{1 + i % 12:02d}/{year};"
        + ("Mopti;Bandiagara" if i % 2 else "Gao;Ansongo")
        + f";VBG;{1 + i % 3}\n"
        for i in range(good)
    ]
    if odd:
        rows.append(f"15/06/{year};Mopti;{odd};VBG;1\n")
    rows += [f"xx/02/{year};Mopti;Bandiagara;VBG;1\n" for _ in range(bad)]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


@pytest.fixture(params=["files", "postgresql"])
def backend(request, tmp_path, monkeypatch):
    """``(publisher, environment for the command line)`` on each store."""
    monkeypatch.setenv(store.ENV, str(tmp_path / "store"))
    if request.param == "files":
        db_path = tmp_path / "accounts.sqlite3"
        database = Database(f"sqlite:///{db_path}")
        env = {store.ENV: str(tmp_path / "store"), "MALI_DASHBOARD_DB_PATH": str(db_path)}
        env_drop = ("DATABASE_URL",)
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.create_database()
        database = Database(url)
        env = {"DATABASE_URL": url.render_as_string(hide_password=False)}
        env_drop = ()
    publisher = Publisher(database)
    yield publisher, env, env_drop
    database.dispose()


def cli(env: dict, drop: tuple, *args: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in drop} | env
    return subprocess.run(
        [sys.executable, "-m", "data.ingest", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )


def actions(publisher: Publisher) -> list[tuple[str, dict]]:
    """The audit log, oldest first."""
    return [(e.action, e.detail) for e in reversed(audit.latest(publisher.database, 500))]


def publish_file(publisher: Publisher, path: Path, **kwargs) -> str:
    draft = publisher.prepare("incidents", path, path.name, "awa")
    return publisher.publish(draft.id, "awa", **kwargs).id


# -- drafts and publishing ------------------------------------------------------------------


def test_a_draft_changes_nothing_until_published(backend, tmp_path):
    publisher, _, _ = backend
    before = publisher.generation()
    draft = publisher.prepare("incidents", incidents_csv(tmp_path / "a.csv", 10, 1), "a.csv", "awa")
    assert (draft.report["rows_read"], draft.report["rows_accepted"]) == (11, 10)
    assert draft.report["rejected"][0]["reason"] == "unreadable date 'xx/02/2019'"
    assert draft.comparison["rows"] == {"active": 0, "draft": 10}
    by_region = {r["pcode"]: r for r in draft.comparison["regions"]}
    assert by_region["ML05"]["draft"] == 5 and by_region["ML05"]["name"] == "Mopti"
    assert publisher.generation() == before
    assert publisher.store.active_id("incidents") is None
    [listed] = publisher.versions("incidents")
    assert (listed.status, listed.active, listed.created_by) == ("draft", False, "awa")

    version = publisher.publish(draft.id, "awa")
    assert version.active and version.status == "published" and version.rows == 10
    assert publisher.generation() != before
    assert publisher.updated_at()["incidents"] == version.published_at
    assert [a for a, _ in actions(publisher)] == ["import.prepare", "import.publish"]
    with pytest.raises(PublishRefused) as refused:
        publisher.publish(draft.id, "awa")
    assert refused.value.code == "stale"


def test_a_file_with_no_accepted_row_is_never_published(backend, tmp_path):
    publisher, _, _ = backend
    good = publish_file(publisher, incidents_csv(tmp_path / "a.csv", 10))
    draft = publisher.prepare("incidents", incidents_csv(tmp_path / "z.csv", 0, 12), "z.csv", "awa")
    assert draft.report["rows_accepted"] == 0 and draft.report["rows_rejected"] == 12
    for confirm in (False, True):
        with pytest.raises(PublishRefused) as refused:
            publisher.publish(draft.id, "awa", confirm=confirm)
        assert refused.value.code == "empty" and "z.csv" in str(refused.value)
    assert publisher.store.active_id("incidents") == good


def test_a_mostly_rejected_or_much_smaller_file_needs_confirmation(backend, tmp_path):
    publisher, _, _ = backend
    first = publish_file(publisher, incidents_csv(tmp_path / "a.csv", 10))
    rejected = publisher.prepare(
        "incidents", incidents_csv(tmp_path / "r.csv", 12, 30), "r.csv", "awa"
    )
    with pytest.raises(PublishRefused) as refused:
        publisher.publish(rejected.id, "awa")
    assert refused.value.code == "loss" and "30 of the 42 rows" in str(refused.value)
    smaller = publisher.prepare("incidents", incidents_csv(tmp_path / "s.csv", 3), "s.csv", "awa")
    assert smaller.comparison["loss_share"] == pytest.approx(0.7)
    with pytest.raises(PublishRefused) as refused:
        publisher.publish(smaller.id, "awa")
    assert refused.value.code == "loss" and "70%" in str(refused.value)
    assert publisher.store.active_id("incidents") == first
    confirmed = publisher.publish(smaller.id, "awa", confirm=True)
    assert publisher.store.active_id("incidents") == confirmed.id
    assert actions(publisher)[-1] == (
        "import.publish",
        {
            "stream": "incidents",
            "version": confirmed.id,
            "replaced": first,
            "file": "s.csv",
            "rows": 3,
            "confirmed": True,
            "loss_share": 0.7,
        },
    )


def test_rollback_and_discard_delete_nothing(backend, tmp_path):
    publisher, _, _ = backend
    first = publish_file(publisher, incidents_csv(tmp_path / "a.csv", 10, year=2019))
    second = publish_file(publisher, incidents_csv(tmp_path / "b.csv", 11, year=2020))
    draft = publisher.prepare("incidents", incidents_csv(tmp_path / "c.csv", 12), "c.csv", "awa")
    publisher.discard(draft.id, "awa")
    with pytest.raises(PublishRefused) as refused:
        publisher.publish(draft.id, "awa")
    assert refused.value.code == "stale"
    generation = publisher.generation()
    rolled = publisher.rollback("incidents", first, "awa")
    assert rolled.active and publisher.store.active_id("incidents") == first
    assert publisher.generation() != generation
    listed = publisher.versions("incidents")
    assert [(v.id, v.status, v.active) for v in listed] == [
        (draft.id, "discarded", False),
        (second, "published", False),
        (first, "published", True),
    ]
    assert publisher.draft(draft.id).report["rows_accepted"] == 12  # the report is kept
    frame = publisher.store.frame(publisher.store.record(first))
    assert frame["date"].dt.year.unique().tolist() == [2019]
    with pytest.raises(PublishRefused):
        publisher.rollback("incidents", draft.id, "awa")
    assert ("import.rollback", {"stream": "incidents", "version": first, "replaced": second}) in (
        actions(publisher)
    )
    assert "import.discard" in [a for a, _ in actions(publisher)]


# -- learned place names --------------------------------------------------------------------


def test_a_learned_name_resolves_in_the_next_import_until_forgotten(backend, tmp_path):
    publisher, _, _ = backend
    path = incidents_csv(tmp_path / "a.csv", 4, odd="Bandiagara Est")
    draft = publisher.prepare("incidents", path, "a.csv", "awa")
    [unresolved] = draft.unresolved
    assert (unresolved["name"], unresolved["level"], unresolved["parent"]) == (
        "Bandiagara Est",
        2,
        "ML05",
    )
    assert unresolved["count"] == 1
    assert unresolved["candidates"][0]["pcode"].startswith("ML05")

    mapping = publisher.learn("Bandiagara Est", "ML0501", "awa", scope="ML05")
    assert (mapping.level, mapping.pcode, mapping.scope, mapping.created_by) == (
        2,
        "ML0501",
        "ML05",
        "awa",
    )
    again = publisher.prepare("incidents", path, "a.csv", "awa")
    assert again.unresolved == [] and again.report["resolved_by"]["learned"] == 1
    assert publisher.mappings() == [mapping]

    publisher.forget(mapping.id, "awa")
    assert publisher.mappings() == []
    third = publisher.prepare("incidents", path, "a.csv", "awa")
    assert [u["name"] for u in third.unresolved] == ["Bandiagara Est"]
    logged = [(a, d) for a, d in actions(publisher) if a.startswith("mapping.")]
    assert [a for a, _ in logged] == ["mapping.learn", "mapping.forget"]
    assert logged[0][1]["pcode"] == "ML0501" and logged[1][1]["name"] == "Bandiagara Est"
    with pytest.raises(LookupError):
        publisher.forget(mapping.id, "awa")


def test_a_learned_region_name_places_rows_in_that_region(backend, tmp_path):
    publisher, _, _ = backend
    path = tmp_path / "r.csv"
    path.write_text(
        "Date;Région;Catégorie\n01/02/2020;Sikasso Sud;VBG\n02/02/2020;Sikasso Sud;VBG\n",
        encoding="utf-8",
    )
    [unresolved] = publisher.prepare("incidents", path, "r.csv", "awa").unresolved
    assert (unresolved["name"], unresolved["level"], unresolved["count"]) == ("Sikasso Sud", 1, 2)
    publisher.learn("Sikasso Sud", "ML03", "awa")
    draft = publisher.prepare("incidents", path, "r.csv", "awa")
    assert draft.unresolved == [] and draft.report["resolved_by"] == {"learned": 2}
    assert draft.report["totals_by_adm1"]["ML03"]["rows"] == 2
    with pytest.raises(LookupError):
        publisher.forget("not a number", "awa")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "pcode", "level", "scope", "words"),
    [
        ("", "ML0501", None, None, "place name"),
        ("X", "ML99", None, None, "not a région or cercle p-code"),
        ("X", "ML0501", 1, None, "cannot mean the cercle"),
        ("X", "ML0501", 3, None, "level must be"),
        ("X", "ML0501", None, "ML07", "not in the région"),
        ("X", "ML0501", None, "ML0502", "not a région p-code"),
    ],
)
def test_a_mapping_that_cannot_be_right_is_refused(backend, name, pcode, level, scope, words):
    publisher, _, _ = backend
    with pytest.raises(MappingError, match=words):
        publisher.learn(name, pcode, "awa", level=level, scope=scope)
    assert publisher.mappings() == []


def test_a_learned_name_resolves_through_the_command_line(backend, tmp_path):
    publisher, env, drop = backend
    path = incidents_csv(tmp_path / "a.csv", 4, odd="Bandiagara Est")
    before = cli(env, drop, "incidents", str(path), "--dry-run", "--json")
    assert before.returncode == 0, before.stderr
    assert '"learned"' not in before.stdout
    mapping = publisher.learn("Bandiagara Est", "ML0501", "awa", scope="ML05")
    after = cli(env, drop, "incidents", str(path), "--json")
    assert after.returncode == 0, after.stderr
    assert '"resolved_by": {"name": 4, "learned": 1}' in after.stdout
    assert publisher.store.active_id("incidents") is not None
    publisher.forget(mapping.id, "awa")
    again = cli(env, drop, "incidents", str(path), "--dry-run", "--json")
    assert '"learned"' not in again.stdout and "Bandiagara Est" in again.stdout


def test_the_command_line_refuses_like_the_screens(backend, tmp_path):
    publisher, env, drop = backend
    assert cli(env, drop, "incidents", str(incidents_csv(tmp_path / "a.csv", 10))).returncode == 0
    active = publisher.store.active_id("incidents")
    count = len(publisher.versions("incidents"))
    for path, words in (
        (incidents_csv(tmp_path / "z.csv", 0, 5), "none of the 5 rows could be read"),
        (incidents_csv(tmp_path / "r.csv", 11, 30), "30 of the 41 rows"),
        (incidents_csv(tmp_path / "s.csv", 2), "80% of the rows would be lost"),
    ):
        proc = cli(env, drop, "incidents", str(path))
        assert proc.returncode == 2 and proc.stdout == ""
        [line] = proc.stderr.strip().splitlines()
        assert words in line and line.startswith("rejected: ")
    assert publisher.store.active_id("incidents") == active
    assert len(publisher.versions("incidents")) == count  # nothing stored, not even a draft
    confirmed = cli(env, drop, "incidents", str(tmp_path / "s.csv"), "--confirm-loss")
    assert confirmed.returncode == 0, confirmed.stderr
    assert publisher.store.record(publisher.store.active_id("incidents")).rows == 2
    assert actions(publisher)[-1][1]["confirmed"] is True


# -- the lock per stream --------------------------------------------------------------------


def assert_serialised(publisher: Publisher) -> None:
    """The publishes form one chain, each replacing the version the previous one made active
    (no two saw the same active version), ending at the active version, the newest published."""
    published = [d for a, d in actions(publisher) if a == "import.publish"]
    links = {d["replaced"]: d["version"] for d in published}
    assert len(links) == len(published), f"two publishes saw the same active version: {links}"
    node, chain = None, []
    while node in links:
        node = links[node]
        chain.append(node)
    assert len(chain) == len(published)
    newest = max(
        (v for v in publisher.versions("incidents") if v.status == "published"),
        key=lambda v: v.published_at,
    )
    assert publisher.store.active_id("incidents") == newest.id == node


def test_concurrent_publishes_in_threads_are_serialised(backend, tmp_path):
    publisher, _, _ = backend
    publish_file(publisher, incidents_csv(tmp_path / "a.csv", 10))
    drafts = [
        publisher.prepare("incidents", incidents_csv(tmp_path / f"{i}.csv", 10), f"{i}.csv", "awa")
        for i in range(8)
    ]
    start = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def publish(draft_id: str) -> None:
        start.wait()
        try:
            publisher.publish(draft_id, "awa")
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=publish, args=(d.id,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert_serialised(publisher)


def test_concurrent_command_line_imports_are_serialised(backend, tmp_path):
    publisher, env, drop = backend
    environment = {k: v for k, v in os.environ.items() if k not in drop} | env
    paths = [incidents_csv(tmp_path / f"{i}.csv", 10 + i % 2) for i in range(6)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "data.ingest", "incidents", str(p)],
            cwd=REPO,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in paths
    ]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    assert [code for _, _, code in results] == [0] * len(paths), results
    assert_serialised(publisher)
    assert len([v for v in publisher.versions("incidents") if v.status == "published"]) == 6


# -- an empty version never stops the dashboard ----------------------------------------------


def test_the_dashboard_starts_and_answers_on_an_empty_active_version(tmp_path, monkeypatch):
    monkeypatch.setenv(store.ENV, str(tmp_path / "store"))
    for stream in ("incidents", "access"):
        store.save(stream, conform(pd.DataFrame(), SCHEMAS[stream]), {"rows_read": 0})
    from app import create_app
    from tests.attacker import Endpoint

    app = create_app(database=Database(f"sqlite:///{tmp_path / 'a.sqlite3'}"))
    data = app.live.current()
    assert not data.is_demo and data.table_rows["incidents"] == 0
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    text = json.dumps(layout.get_json(), ensure_ascii=False)
    assert "Incidents : données mises à jour le" in text
    assert "Contraintes d'accès : données mises à jour le" in text
    endpoint = Endpoint(client)
    state = data.domain()
    from callbacks.state import default_state, slices

    figures = slices(default_state(state))["figures"]
    assert endpoint.raw("kf-value", {"state-figures": figures}).status_code == 200


def test_an_unreadable_active_version_is_left_out_not_fatal(tmp_path, monkeypatch):
    monkeypatch.setenv(store.ENV, str(tmp_path / "store"))
    good = store.save("population", pd.DataFrame({"population": [10], "adm1_pcode": ["ML05"]}))
    broken = store.save("incidents", conform(pd.DataFrame(), SCHEMAS["incidents"]))
    (tmp_path / "store" / "incidents" / "versions" / f"{broken}.parquet").write_bytes(b"junk")
    from analysis.dataset import load_data, stored_tables

    data = load_data()
    assert "incidents" not in data.table_rows and data.reports["population"]["version"] == good
    with pytest.raises(Exception):  # noqa: B017 - whatever parquet raises on junk
        stored_tables(FileStore(), strict=True)


def test_a_store_written_before_drafts_existed_is_read_and_rolled_back(tmp_path, monkeypatch):
    """The layout of earlier releases: versions/<id>.parquet + <id>.json without a status."""
    monkeypatch.setenv(store.ENV, str(tmp_path / "store"))
    folder = tmp_path / "store" / "population" / "versions"
    folder.mkdir(parents=True)
    ids = ["20240101T000000000000Z-aaaaaa", "20240202T000000000000Z-bbbbbb"]
    for version, value in zip(ids, (10, 20), strict=True):
        frame = conform(pd.DataFrame({"population": [value], "adm1_pcode": ["ML05"]}),
                        SCHEMAS["population"])  # fmt: skip
        frame.to_parquet(folder / f"{version}.parquet", index=False)
        meta = {"version": version, "stream": "population", "saved_at": "2024-01-01T00:00:00+00:00",
                "rows": 1, "report": {"file": f"{value}.csv", "rows_read": 1}}  # fmt: skip
        (folder / f"{version}.json").write_text(json.dumps(meta), encoding="utf-8")
    (tmp_path / "store" / "population" / "ACTIVE").write_text(ids[1] + "\n", encoding="utf-8")
    publisher = Publisher(Database(f"sqlite:///{tmp_path / 'a.sqlite3'}"))
    listed = publisher.versions("population")
    assert [(v.id, v.status, v.active, v.file_name) for v in listed] == [
        (ids[1], "published", True, "20.csv"),
        (ids[0], "published", False, "10.csv"),
    ]
    publisher.rollback("population", ids[0], "awa")
    assert store.active("population")["population"].tolist() == [10]
    from analysis.dataset import load_data

    assert load_data().reports["population"]["version"] == ids[0]
