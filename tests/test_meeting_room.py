"""Issue 10 without a browser: month axes, legends, the weight boxes' callback, <html lang>.

(The browser checks of every width and both languages are in tests/browser/test_widths_browser.py.)
"""

from __future__ import annotations

import pandas as pd
import pytest

from layouts.figures import MAX_MONTH_TICKS, displacement_trend_figure, month_axis
from layouts.gap import weight_text
from layouts.i18n import month_label


def _months(start: str, count: int) -> list[str]:
    return [str(p) for p in pd.period_range(start, periods=count, freq="M")]


@pytest.mark.parametrize("count", [1, 2, 3, 7, 12, 13, 24, 36, 60, 121])
def test_month_axis_has_few_short_horizontal_labels(count):
    months = _months("2018-01", count)
    for lang in ("fr", "en"):
        labels = [month_label(m, lang) for m in months]
        axis = month_axis(months, labels, lang)
        assert 1 <= len(axis["tickvals"]) <= MAX_MONTH_TICKS
        assert set(axis["tickvals"]) <= set(labels)
        assert axis["tickangle"] == 0 and axis["automargin"] is True
        assert axis["categoryarray"] == labels  # hover keeps the full month
        assert "<br>2018" in axis["ticktext"][0]  # the year under the first month
        assert all(len(text.split("<br>")[0]) <= 5 for text in axis["ticktext"])


def test_month_axis_labels_follow_the_language():
    months = _months("2018-11", 4)
    fr = month_axis(months, [month_label(m, "fr") for m in months], "fr")
    en = month_axis(months, [month_label(m, "en") for m in months], "en")
    assert fr["ticktext"] == ["nov.<br>2018", "déc.", "janv.<br>2019", "févr."]
    assert en["ticktext"] == ["Nov<br>2018", "Dec", "Jan<br>2019", "Feb"]


def test_displacement_chart_is_readable():
    index = pd.date_range("2018-01-31", periods=24, freq="ME")
    series = pd.DataFrame({"idps": range(24), "returnees": range(24)}, index=index)
    figure = displacement_trend_figure(series, "fr")
    layout = figure["layout"]
    assert "height" not in layout  # the card's CSS height (taller on a phone)
    assert layout["legend"]["orientation"] == "h"  # under the plot, never over the lines
    assert layout["xaxis"]["ticktext"][0] == "janv.<br>2018"
    assert layout["yaxis"]["automargin"] is True


def test_weight_text_is_written_the_page_way():
    assert weight_text(0.5, "fr") == "0,5"
    assert weight_text(0.05, "fr") == "0,05"
    assert weight_text(1.0, "fr") == "1"
    assert weight_text(0.0, "en") == "0"
    assert weight_text(0.35, "en") == "0.35"


@pytest.fixture(scope="module")
def client_app():
    from analysis.dataset import load_data
    from app import create_app

    app = create_app(load_data(use_store=False))
    return app, app.server.test_client()


def _weights_key(app) -> str:
    return next(k for k in app.callback_map if "weight-incidents-box.value" in k)


def _post_weights(client, app, boxes: list, gap: dict, changed: str):
    key = _weights_key(app)
    spec = app.callback_map[key]
    values = [*boxes, gap]
    body = {
        "output": key,
        "outputs": [
            {"id": o.component_id, "property": o.component_property} for o in spec["output"]
        ],
        "inputs": [{**item, "value": v} for item, v in zip(spec["inputs"], values, strict=True)],
        "state": [],
        "changedPropIds": [changed],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204), response.data[:300]
    return response.get_json()["response"] if response.status_code == 200 else {}


def _gap(lang: str, **weights) -> dict:
    return {"on": True, "lang": lang, "wi": 0.4, "wd": 0.4, "wa": 0.2, **weights}


def test_a_typed_decimal_comma_moves_the_slider(client_app):
    app, client = client_app
    out = _post_weights(
        client, app, ["0,5", "0,4", "0,2"], _gap("fr"), "weight-incidents-box.value"
    )
    assert out["weight-incidents"]["value"] == 0.5
    assert out["weight-incidents-box"]["value"] == "0,5"
    assert "weight-access" not in out  # the other weights are left alone


def test_a_point_is_read_too_and_shown_the_french_way(client_app):
    app, client = client_app
    out = _post_weights(client, app, ["0,4", "0,4", "0.25"], _gap("fr"), "weight-access-box.value")
    assert out["weight-access"]["value"] == 0.25
    assert out["weight-access-box"]["value"] == "0,25"


@pytest.mark.parametrize("typed", ["2", "abc", "-0,1", "", None, "0,5,5", "1e400", ["0.5"]])
def test_not_a_weight_shows_the_weight_in_use_again(client_app, typed):
    app, client = client_app
    out = _post_weights(
        client, app, [typed, "0,4", "0,2"], _gap("fr"), "weight-incidents-box.value"
    )
    assert "weight-incidents" not in out  # the slider (and so the URL) does not move
    assert out["weight-incidents-box"]["value"] == "0,4"


def test_boxes_follow_the_weights_in_use_and_the_language(client_app):
    app, client = client_app
    out = _post_weights(client, app, ["0,4", "0,4", "0,2"], _gap("en", wd=0.5), "state-gap.data")
    assert [out[f"weight-{k}-box"]["value"] for k in ("incidents", "displacement", "access")] == [
        "0.4",
        "0.5",
        "0.2",
    ]
    assert not any(k in out for k in ("weight-incidents", "weight-displacement", "weight-access"))


def test_page_names_its_language_and_the_clientside_callback_is_not_served(client_app):
    app, client = client_app
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)
    key = next(k for k in app.callback_map if k.startswith("html-lang."))
    body = {
        "output": key,
        "outputs": {"id": "html-lang", "property": "data"},
        "inputs": [{**i, "value": None} for i in app.callback_map[key]["inputs"]],
        "state": [],
        "changedPropIds": ["app-root.lang"],
    }
    assert client.post("/_dash-update-component", json=body).status_code == 400
