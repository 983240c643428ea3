"""Roles on the dashboard itself, through its real endpoints and a real database server.

A member who logged in through ``/login`` gets exact figures from every callback and export;
the same requests without the session cookie get the public view; logging out ends it; a role
change on the server ends it at the next request; exports are written to the audit log.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from accounts.models import AuditEvent
from accounts.users import UserStore
from tests import accounts_support as support
from tests.accounts_support import PASSWORD, TOKEN_RE
from tests.attack_data import KEY, attack_tables
from tests.attacker import Endpoint, csv_rows, download_bytes, map_values
from tests.test_attacker import state

database = support.database  # the same tests on SQLite and on a real PostgreSQL server


@pytest.fixture
def dashboard(database):
    from analysis.cubes import build_cubes
    from analysis.dataset import DashboardData
    from analysis.protection import ProtectionPolicy
    from app import create_app
    from geo.default import default_boundaries

    tables = attack_tables()
    boundaries = default_boundaries()
    data = DashboardData(
        boundaries,
        tables,
        build_cubes(tables, boundaries),
        is_demo=False,
        policy=ProtectionPolicy(key=KEY),
    )
    app = create_app(data, database=database)
    users = UserStore(database)
    users.add("awa", PASSWORD, "member", actor="test")
    users.add("moussa", PASSWORD, "admin", actor="test")
    return app


def login(client, name: str) -> None:
    token = TOKEN_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post(
        "/login", data={"username": name, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]


def layout_nodes(client, key: str) -> list[dict]:
    """Every component props of the page layout (as the browser gets it) that set ``key``."""
    found = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if key in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(client.get("/_dash-layout").get_json())
    return found


def layout_token(client) -> str:
    """The CSRF token of the page's logout form."""
    return next(n["value"] for n in layout_nodes(client, "name") if n["name"] == "csrf_token")


GBV_CERCLES = state(level=2, start="2019-07", end="2019-07", cats=["pm_gbv"])


def test_member_sees_exact_cercle_counts_and_the_public_does_not(dashboard):
    exact = dashboard.dashboard_data
    from analysis import queries as q

    truth = q.incident_totals(exact.cubes, 2, "2019-07-01", "2019-07-01", ["pm_gbv"])
    public = Endpoint(dashboard.server.test_client())
    assert map_values(public.call("map", {"state-map": GBV_CERCLES})) == {}  # all withheld
    member_client = dashboard.server.test_client()
    login(member_client, "awa")
    member = Endpoint(member_client)
    shown = map_values(member.call("map", {"state-map": GBV_CERCLES}))
    assert shown == {u: float(v) for u, v in truth.items()}
    # the role is the server's: nothing in the body can raise it
    forged = {"state-map": {**GBV_CERCLES, "role": "member", "member": True}}
    assert map_values(public.call("map", forged)) == {}
    response = member_client.post("/logout", data={"csrf_token": layout_token(member_client)})
    assert response.status_code in (302, 303)
    assert map_values(Endpoint(member_client).call("map", {"state-map": GBV_CERCLES})) == {}


def test_disabling_a_member_applies_at_the_next_callback(dashboard, database):
    client = dashboard.server.test_client()
    login(client, "awa")
    endpoint = Endpoint(client)
    assert map_values(endpoint.call("map", {"state-map": GBV_CERCLES}))
    UserStore(database).set_active("awa", False, actor="moussa")
    assert map_values(endpoint.call("map", {"state-map": GBV_CERCLES})) == {}


def test_exports_follow_the_role_and_are_audited(dashboard, database):
    values = {
        "state": state(
            level=2, region="ML05", unit="ML0501", start="2019-07", end="2019-09", cats=["pm_gbv"]
        ),
        "unit-export": 1,
    }
    public = Endpoint(dashboard.server.test_client())
    rows = csv_rows(public.call("download", values, trigger="unit-export.n_clicks"))
    gbv = [r for r in rows if r and r[0].startswith("Violences basées")]
    assert gbv and gbv[0][1] == "réservé aux membres"
    client = dashboard.server.test_client()
    login(client, "awa")
    rows = csv_rows(Endpoint(client).call("download", values, trigger="unit-export.n_clicks"))
    gbv = [r for r in rows if r and r[0].startswith("Violences basées")]
    assert gbv and gbv[0][1].isdigit()
    # the XLSX of the same panel, through the same endpoint and session
    xlsx = {**values, "unit-export": None, "unit-export-xlsx": 1}
    public_book = load_workbook(
        io.BytesIO(download_bytes(public.call("download", xlsx, "unit-export-xlsx.n_clicks")))
    )
    member_book = load_workbook(
        io.BytesIO(
            download_bytes(Endpoint(client).call("download", xlsx, "unit-export-xlsx.n_clicks"))
        )
    )
    assert public_book.sheetnames == member_book.sheetnames == ["Données", "Métadonnées"]
    cells = [
        {r[0]: r[1] for r in book["Données"].iter_rows(min_row=2, values_only=True)}
        for book in (public_book, member_book)
    ]
    gbv_label = gbv[0][0]
    assert cells[0][gbv_label] == "réservé aux membres"
    assert isinstance(cells[1][gbv_label], int) and str(cells[1][gbv_label]) == gbv[0][1]
    notes = [
        dict(book["Métadonnées"].iter_rows(values_only=True))["Protection des données"]
        for book in (public_book, member_book)
    ]
    assert notes[0].startswith("Vue publique") and notes[1].startswith("Vue membres")
    with database.session() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
        who = sorted((e.username, str(e.detail)) for e in events)
    assert len(who) == 4 and [w[0] for w in who] == ["", "", "awa", "awa"]
    assert all("ML0501" in detail for _, detail in who)
    assert sum(".xlsx" in detail for _, detail in who) == 2


def test_page_shows_login_link_to_the_public_and_the_account_to_members(dashboard):
    client = dashboard.server.test_client()
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "login-link" in layout and "logout" not in layout
    login(client, "moussa")
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "moussa" in layout and "csrf_token" in layout and "login-link" not in layout
    assert "/admin" in [n["href"] for n in layout_nodes(client, "href")]
    assert client.get("/admin").status_code == 200


def test_briefing_pack_in_one_click_follows_the_role_and_is_audited(dashboard, database):
    import base64

    values = {"state": state(region="ML05", start="2019-10", end="2019-12"), "pack-pdf": 1}
    public = Endpoint(dashboard.server.test_client()).call(
        "download-pack", values, trigger="pack-pdf.n_clicks"
    )["download-pack"]["data"]
    assert public["filename"].endswith("_public.pdf")
    assert base64.b64decode(public["content"])[:5] == b"%PDF-"
    client = dashboard.server.test_client()
    login(client, "awa")
    member = Endpoint(client).call(
        "download-pack", {**values, "pack-pptx": 1}, trigger="pack-pptx.n_clicks"
    )["download-pack"]["data"]
    assert member["filename"].endswith("_member.pptx")
    assert base64.b64decode(member["content"])[:2] == b"PK"
    with database.session() as session:
        files = sorted(
            str(e.detail)
            for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "export"))
        )
    assert len(files) == 2 and any("public.pdf" in f for f in files)
