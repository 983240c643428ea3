"""An outsider's tools: call any callback of the dashboard through its public HTTP endpoint.

Nothing here imports the dashboard's code: the attacker knows only what any browser can read
(``/_dash-dependencies``) and what the page shows (numbers in responses). It reads numbers the
way a script would: map values, key-figure tiles, panel rows, trend bars, CSV exports.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
from typing import Any

UPDATE_URL = "/_dash-update-component"


def _split(output: str) -> list[tuple[Any, str]]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    out = []
    for part in parts:
        raw_id, prop = part.rsplit(".", 1)
        out.append((json.loads(raw_id) if raw_id.startswith("{") else raw_id, prop))
    return out


def page_ids(node: Any) -> list[dict]:
    """The pattern-matching (dict) ids of a serialised layout, in page order."""
    if isinstance(node, list):
        return [i for item in node for i in page_ids(item)]
    if not isinstance(node, dict):
        return []
    props = node.get("props", {})
    own = [props["id"]] if isinstance(props.get("id"), dict) else []
    return own + [i for value in props.values() for i in page_ids(value)]


def _matches(pattern: dict, ident: dict) -> bool:
    return pattern.keys() == ident.keys() and all(
        value == ["ALL"] or value == ident[key] for key, value in pattern.items()
    )


def _output(ident: Any, prop: str, in_page: list[dict]) -> dict | list[dict]:
    """An output as the browser sends it: a pattern as the page's ids that it matches."""
    if isinstance(ident, dict) and ["ALL"] in ident.values():
        return [{"id": i, "property": prop} for i in in_page if _matches(ident, i)]
    return {"id": ident, "property": prop}


def callback_body(
    dep: dict, values: dict[str, Any], in_page: list[dict], trigger: str | None = None
) -> dict:
    """The body a browser posts for callback ``dep`` (from ``/_dash-dependencies``) with
    ``values`` for some of its inputs and states (None for the others); ``in_page``: the
    page's pattern-matching ids (:func:`page_ids`)."""
    outputs = [_output(i, p, in_page) for i, p in _split(dep["output"])]

    def item(spec: dict) -> dict:
        return {**spec, "value": values.get(spec["id"])}

    return {
        "output": dep["output"],
        "outputs": outputs if dep["output"].startswith("..") else outputs[0],
        "inputs": [item(s) for s in dep["inputs"]],
        "state": [item(s) for s in dep["state"]],
        "changedPropIds": [trigger] if trigger else _changed(dep, values),
    }


def _changed(dep: dict, values: dict[str, Any]) -> list[str]:
    """What the browser says changed: the inputs given a value (else the first input)."""
    given = [f"{s['id']}.{s['property']}" for s in dep["inputs"] if s["id"] in values]
    first = dep["inputs"][0]
    return given or [f"{first['id']}.{first['property']}"]


class Endpoint:
    """The app's callbacks, called with any values for their inputs and states."""

    def __init__(self, client) -> None:
        self.client = client
        self.dependencies = client.get("/_dash-dependencies").get_json()
        self.page_ids = page_ids(client.get("/_dash-layout").get_json())
        self.requests = 0

    def dependency(self, output_id: str) -> dict:
        """The callback with an output ``output_id`` (an id, or the type of pattern ids)."""

        def named(ident: Any) -> bool:
            return ident == output_id or (isinstance(ident, dict) and ident["type"] == output_id)

        return next(d for d in self.dependencies if any(named(i) for i, _ in _split(d["output"])))

    def raw(self, output_id: str, values: dict[str, Any], trigger: str | None = None):
        """POST the callback that sets ``output_id``; inputs/states not in ``values`` are None."""
        body = callback_body(self.dependency(output_id), values, self.page_ids, trigger)
        self.requests += 1
        return self.client.post(UPDATE_URL, json=body)

    def call(self, output_id: str, values: dict[str, Any], trigger: str | None = None) -> dict:
        response = self.raw(output_id, values, trigger)
        if response.status_code == 204:
            return {}
        assert response.status_code == 200, response.data[:300]
        return response.get_json()["response"]


def number(text: Any) -> float | None:
    """A number as the page writes it ("1 234", "1,234", "12,5"), None for anything else."""
    if isinstance(text, (int, float)):
        return float(text)
    if not isinstance(text, str):
        return None
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if re.fullmatch(r"-?\d+", cleaned):
        return float(cleaned)
    if re.fullmatch(r"-?\d+[.,]\d+", cleaned):
        return float(cleaned.replace(",", "."))
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+", cleaned):
        return float(cleaned.replace(",", ""))
    return None


def map_values(response: dict) -> dict[str, float]:
    """Unit -> number shown on the map (hover text of every trace that shows a number)."""
    figure = response["map"]["figure"]
    out = {}
    for trace in figure["data"]:
        if "customdata" not in trace or "locations" not in trace:
            continue
        for location, custom in zip(trace["locations"], trace["customdata"], strict=True):
            value = number(custom[1])
            if value is not None:
                out[location] = value
    return out


def key_figure(response: dict, key: str) -> float | None:
    """The value of the key-figure tile ``key`` (its id in the page: {"type": "kf-value", ...})."""
    for raw_id, props in response.items():
        ident = json.loads(raw_id) if raw_id.startswith("{") else {}
        if ident.get("type") == "kf-value" and ident.get("key") == key:
            return number(props["children"])
    return None


def markdown_rows(text: str) -> list[list[str]]:
    """The cells of a Markdown table ("| a | b |" lines, character references read), without
    its alignment line."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [html.unescape(cell).strip() for cell in line.strip("|").split("|")]
        if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
            rows.append(cells)
    return rows


def panel_rows(response: dict) -> dict[str, float | None]:
    """Label -> value of the cercle panel's rows (a Markdown table in the panel)."""
    out: dict[str, float | None] = {}

    def tables(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                tables(item)
        elif isinstance(node, dict):
            props = node.get("props")
            if node.get("type") == "Markdown" and isinstance(props, dict):
                for cells in markdown_rows(props.get("children") or "")[1:]:
                    if len(cells) >= 2 and cells[0] and cells[1]:
                        out[cells[0]] = number(cells[1])
            elif isinstance(props, dict):
                tables(props.get("children"))

    tables(response["unit-panel"]["children"])
    return out


def trend_bars(response: dict) -> dict[str, list[float | None]]:
    """Category label -> monthly values of the incident trend."""
    figure = response["trend-incidents"]["figure"]
    return {trace["name"]: trace["y"] for trace in figure["data"]}


def download_bytes(response: dict) -> bytes:
    """The bytes of a downloaded file (base64 in the response, or plain text)."""
    data = response["download"]["data"]
    if data.get("base64"):
        return base64.b64decode(data["content"])
    return data["content"].encode("utf-8")


def csv_rows(response: dict) -> list[list[str]]:
    """The rows of a downloaded CSV (UTF-8 with or without BOM, ``;`` or ``,`` separated)."""
    content = download_bytes(response).decode("utf-8-sig")
    delimiter = ";" if ";" in content.splitlines()[-1] else ","
    return list(csv.reader(io.StringIO(content), delimiter=delimiter))
