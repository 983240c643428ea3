"""The attacker in the test suite (DATA_PROTECTION.md, "How to prove it").

Through the real endpoint (``POST /_dash-update-component`` on the app's own Flask server),
as the public, on a dataset with many small sensitive cells (:mod:`tests.attack_data`):

1. **differencing attacks**, solved with exact arithmetic: category (map of sensitive + other
   categories minus the others), period (key figures over months 1..m minus 1..m-1),
   geography (a région minus its other cercles), panel and CSV totals minus their rows, trend
   bars; the attacker must not recover any sensitive count of 1-4 at or below the protected
   grain;
2. **non-interference**: every public answer of every callback and export, over hundreds of
   states, is identical on the dataset and on its twin whose sensitive events were moved
   inside their protected cells — so nothing finer than a protected cell can be learnt, by
   these attacks or any other (need-index and rank inversion included);
3. **averaging**: repeated, re-sliced and restarted queries return the same published cells.

The attacker module knows nothing of the code; only the dataset builder does.
"""

from __future__ import annotations

import itertools
import random

import pytest

from tests.attack_data import KEY, MONTHS, PLAIN, SENSITIVE, attack_tables
from tests.attacker import (
    Endpoint,
    csv_rows,
    key_figure,
    map_values,
    panel_rows,
    trend_bars,
)

QUARTERS = [(MONTHS[i], MONTHS[i + 2]) for i in (0, 3, 6, 9)]
PERIODS = [(m, m) for m in MONTHS] + QUARTERS + [(MONTHS[i], MONTHS[i + 1]) for i in range(11)]


def build_app(tables):
    from analysis.cubes import build_cubes
    from app import create_app
    from geo.default import default_boundaries

    try:
        from analysis.dataset import DashboardData
        from analysis.protection import ProtectionPolicy

        extra = {"policy": ProtectionPolicy(key=KEY)}
    except ImportError:  # the code before the publishing gate (to show the attacks work)
        from callbacks.dataset import DashboardData

        extra = {}
    boundaries = default_boundaries()
    cubes = build_cubes(tables, boundaries)
    return create_app(DashboardData(boundaries, tables, cubes, is_demo=False, **extra))


@pytest.fixture(scope="module")
def apps():
    return build_app(attack_tables()), build_app(attack_tables(twin=True))


@pytest.fixture(scope="module")
def endpoint(apps):
    return Endpoint(apps[0].server.test_client())


def state(**values) -> dict:
    base = {
        "lang": "fr",
        "mode": "",
        "level": 1,
        "region": "",
        "preset": "custom",
        "start": "2019-10",
        "end": "2019-12",
        "cats": list(PLAIN),
        "sector": "",
        "ind": "incidents",
        "unit": "",
        "wi": 0.4,
        "wd": 0.4,
        "wa": 0.2,
    }
    return {**base, **values}


def truth(app, level: int, unit: str, start: str, end: str, category: str) -> int:
    from analysis import queries as q

    table = q.incident_matrix(
        app.dashboard_data.cubes, level, f"{start}-01", f"{end}-01", [category]
    )
    return int(table.loc[unit, category])


class Findings:
    """What the attacker derived: (level, unit, start, end, category) -> value."""

    def __init__(self) -> None:
        self.derived: dict[tuple, float] = {}

    def add(self, level, unit, start, end, category, value) -> None:
        if value is not None:
            self.derived[(level, unit, start, end, category)] = value

    def recovered(self, app) -> list[tuple]:
        """Derived values equal to a true sensitive count of 1-4 (a survivor's cell)."""
        out = []
        for (level, unit, start, end, category), value in self.derived.items():
            true = truth(app, level, unit, start, end, category)
            if 1 <= true <= 4 and value == true:
                out.append((level, unit, start, end, category, true))
        return out


def _cercles(app, region: str) -> list[str]:
    data = app.dashboard_data
    parents = data.cubes.parents[2]
    return [u for u in data.cubes.units[2] if parents[u] == region]


def test_differencing_attacks_recover_no_small_sensitive_cell(apps, endpoint):
    app = apps[0]
    found = Findings()
    regions = list(app.dashboard_data.cubes.units[1])
    from layouts.i18n import category_label, t

    incidents_label = t("ind_incidents", "fr")
    for (start, end), category, level in itertools.product(PERIODS, SENSITIVE, (1, 2)):
        # category differencing on the map, and the sensitive category alone
        with_cat = map_values(
            endpoint.call(
                "map",
                {"state-map": state(level=level, start=start, end=end, cats=[*PLAIN, category])},
            )
        )
        without = map_values(
            endpoint.call("map", {"state-map": state(level=level, start=start, end=end)})
        )
        alone = map_values(
            endpoint.call(
                "map", {"state-map": state(level=level, start=start, end=end, cats=[category])}
            )
        )
        for unit, value in with_cat.items():
            if unit in without:
                found.add(level, unit, start, end, category, value - without[unit])
        for unit, value in alone.items():
            found.add(level, unit, start, end, category, value)
        if level == 1:
            continue
        # geography differencing: a région minus its other cercles
        regional = map_values(
            endpoint.call(
                "map", {"state-map": state(level=1, start=start, end=end, cats=[category])}
            )
        )
        for region in regions:
            cercles = _cercles(app, region)
            known = {c: alone[c] for c in cercles if c in alone}
            missing = [c for c in cercles if c not in known]
            if region in regional and len(missing) == 1:
                value = regional[region] - sum(known.values())
                found.add(2, missing[0], start, end, category, value)
    # period differencing on key figures: months 1..m minus 1..m-1, for every scope
    scopes = [("", "", 1, None)] + [(r, "", 1, r) for r in regions]
    scopes += [("ML05", c, 2, c) for c in _cercles(app, "ML05")]
    for (region, unit, level, target), category in itertools.product(scopes, SENSITIVE):
        previous = 0.0
        for m, month in enumerate(MONTHS):
            figures = endpoint.call(
                "kf-value",
                {
                    "state-figures": state(
                        region=region, unit=unit, start=MONTHS[0], end=month, cats=[category]
                    )
                },
            )
            value = key_figure(figures, "ind_incidents")
            if target and value is not None and (m == 0 or previous is not None):
                found.add(level, target, month, month, category, value - (previous or 0))
            previous = value
    # panel and CSV totals minus their visible rows, and trend bars
    for unit, (start, end), category in itertools.product(
        _cercles(app, "ML05"), PERIODS[:16], SENSITIVE
    ):
        values = {
            "state-panel": state(
                level=2, region="ML05", unit=unit, start=start, end=end, cats=[*PLAIN, category]
            )
        }
        rows = panel_rows(endpoint.call("unit-panel", values))
        total, label = rows.get(incidents_label), category_label(category, "fr")
        visible = [rows.get(category_label(c, "fr")) for c in PLAIN]
        if total is not None and all(v is not None for v in visible if v):
            found.add(2, unit, start, end, category, total - sum(v for v in visible if v))
        found.add(2, unit, start, end, category, rows.get(label))
        export = endpoint.call(
            "download",
            {"state": values["state-panel"], "unit-export": 1},
            trigger="unit-export.n_clicks",
        )
        if export:
            for row in csv_rows(export):
                if row and row[0] == label:
                    found.add(2, unit, start, end, category, _csv_number(row[1]))
    for (region, unit, level, target), category in itertools.product(scopes, SENSITIVE):
        if not target:
            continue
        values = {
            "state-trend": {
                "on": True,
                **state(
                    region=region,
                    unit=unit,
                    start=MONTHS[0],
                    end=MONTHS[-1],
                    cats=[*PLAIN, category],
                ),
            },
            "state-displacement": {"on": False},
        }
        bars = trend_bars(endpoint.call("trend-incidents", values, trigger="state-trend.data"))
        for month, value in zip(MONTHS, bars.get(category_label(category, "fr"), []), strict=False):
            found.add(level, target, month, month, category, value)
    recovered = found.recovered(app)
    assert endpoint.requests > 1300
    assert len(found.derived) > 500  # the attacker did derive numbers (exact ones too)
    assert recovered == [], f"{len(recovered)} small sensitive cells recovered: {recovered[:5]}"


def _csv_number(text: str):
    from tests.attacker import number

    return number(text)


def test_protected_cells_are_never_narrowed_to_one_value(apps, endpoint):
    """What the public sees of a protected cell: a multiple of 5, 1-4 always as 5."""
    app = apps[0]
    for (start, end), category in itertools.product(QUARTERS, SENSITIVE):
        shown = map_values(
            endpoint.call("map", {"state-map": state(start=start, end=end, cats=[category])})
        )
        assert len(shown) == 10
        for region, value in shown.items():
            true = truth(app, 1, region, start, end, category)
            assert value % 5 == 0 and abs(value - true) < 5, (region, start, category)
            if 1 <= true <= 4:
                assert value == 5  # the same answer as for 5-9: at least 9 candidates
            assert (value == 0) == (true == 0)


def _battery(seed: int = 5) -> list[tuple[str, dict, str | None]]:
    """Public requests over every callback and export: (output, values, trigger)."""
    rng = random.Random(seed)
    out: list[tuple[str, dict, str | None]] = []
    cat_sets = [[*PLAIN, SENSITIVE[0]], [SENSITIVE[1]], list(SENSITIVE), [*PLAIN, *SENSITIVE]]
    regions = ["", "ML05", "ML07", "ML06"]
    units = ["", "ML0501", "ML0504", "ML0701", "ML0601"]
    for _ in range(160):
        start, end = rng.choice(PERIODS + [(MONTHS[0], MONTHS[-1]), (MONTHS[1], MONTHS[9])])
        region, unit = rng.choice(regions), rng.choice(units)
        s = state(
            level=rng.choice([1, 2]),
            region=region,
            unit=unit,
            start=start,
            end=end,
            cats=rng.choice(cat_sets),
            ind=rng.choice(["incidents", "incidents_10k", "fatalities", "need", "gap"]),
            wi=rng.choice([0.4, 1.0]),
            wd=rng.choice([0.4, 0.0]),
            wa=rng.choice([0.2, 0.0]),
            sector=rng.choice(["", "PRO-GBV", "PRO-CPN"]),
        )
        gated = {"on": True, **s}
        out += [
            ("map", {"state-map": s}, None),
            ("kf-value", {"state-figures": s}, None),
            ("unit-panel", {"state-panel": s}, None),
            (
                "trend-incidents",
                {"state-trend": gated, "state-displacement": {"on": False}},
                "state-trend.data",
            ),
            ("gap-map", {"state-gap": gated}, None),
            ("briefing-priorities", {"state-briefing": gated}, None),
            ("download", {"state": s, "unit-export": 1}, "unit-export.n_clicks"),
            ("download", {"state": s, "gap-export": 1}, "gap-export.n_clicks"),
        ]
        if len(out) % 3 == 0:  # the XLSX files hold the same cells as the CSV ones
            out += [
                ("download", {"state": s, "unit-export-xlsx": 1}, "unit-export-xlsx.n_clicks"),
                ("download", {"state": s, "gap-export-xlsx": 1}, "gap-export-xlsx.n_clicks"),
            ]
    out.append(("quality", {"state-quality": {"on": True, "lang": "fr"}}, None))
    return out


def test_public_answers_do_not_depend_on_anything_below_the_protected_grain(apps):
    """Non-interference: the twin moved every sensitive event within its protected cell."""
    first, twin = (Endpoint(app.server.test_client()) for app in apps)
    differences = []
    for output, values, trigger in _battery():
        a = first.raw(output, values, trigger)
        b = twin.raw(output, values, trigger)
        assert a.status_code == b.status_code == 200 or a.status_code == b.status_code == 204
        if a.get_data() != b.get_data():
            differences.append((output, values))
    assert first.requests > 1000
    assert differences == [], f"{len(differences)} public answers differ: {differences[:2]}"


def test_the_twin_datasets_differ_below_the_grain(apps):
    """The non-interference test can fail: the two datasets differ in most cercle cells."""
    a, b = apps
    changed = sum(
        truth(a, 2, unit, m, m, category) != truth(b, 2, unit, m, m, category)
        for unit in list(a.dashboard_data.cubes.units[2])[:20]
        for m in MONTHS
        for category in SENSITIVE
    )
    assert changed > 200


def test_repeated_resliced_and_restarted_queries_give_the_same_cells(apps, endpoint):
    """Averaging needs fresh noise: there is none to average away."""
    half = state(start=MONTHS[0], end=MONTHS[5], cats=[SENSITIVE[0]])
    answers = [map_values(endpoint.call("map", {"state-map": half})) for _ in range(5)]
    assert all(a == answers[0] for a in answers)
    q1, q2 = (
        map_values(endpoint.call("map", {"state-map": state(start=s, end=e, cats=[SENSITIVE[0]])}))
        for s, e in QUARTERS[:2]
    )
    assert answers[0] == {r: q1[r] + q2[r] for r in q1}  # sums of the same published cells
    restarted = Endpoint(build_app(attack_tables()).server.test_client())
    assert map_values(restarted.call("map", {"state-map": half})) == answers[0]


def test_briefing_pack_content_does_not_depend_on_anything_below_the_grain(apps):
    """The pack (PDF, PPTX, HTML) is drawn from this content: the same on the twin datasets for
    the public (file bytes carry a creation time, so the content is what is compared)."""
    import datetime as dt

    from briefing.content import collect

    today = dt.date(2026, 1, 1)
    for region, (start, end) in (("", QUARTERS[3]), ("ML05", (MONTHS[6], MONTHS[7]))):
        s = state(region=region, start=start, end=end, cats=[*PLAIN, *SENSITIVE])
        first, twin = (
            _comparable(collect(app.dashboard_data, s, "public", today=today)) for app in apps
        )
        assert first == twin, region
    member = [_comparable(collect(app.dashboard_data, s, "member", today=today)) for app in apps]
    assert member[0] != member[1]  # the comparison can fail: members see the finer cells


def _comparable(content) -> object:
    """The pack's content as plain values (its trend tables are data frames)."""
    import dataclasses

    def plain(value):
        if dataclasses.is_dataclass(value):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if hasattr(value, "to_dict"):
            return value.to_dict()
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return plain(content)
