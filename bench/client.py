"""A headless stand-in for dash-renderer that talks to a Dash app through Flask's test client.

Why: the callback benchmark must time what a browser really triggers, through the real
``POST /_dash-update-component`` endpoint with the exact JSON the renderer sends, and must keep
working when the layout or the callbacks change. So nothing here knows the dashboard: the
client reads ``/_dash-layout`` and ``/_dash-dependencies`` (what the browser reads), keeps a
store of every component's props, expands ``ALL`` wildcards against the current layout, fires
the initial callbacks in dependency order, and after a prop change fires every callback that
has it as an input, then every callback fed by the props those responses set (as the renderer
does), summing the server time of each request.

Limits (documented, not silent): ``MATCH``/``ALLSMALLER`` wildcards, background callbacks and
clientside callbacks that feed a server callback raise, unless the app gives their Python twin
in ``app.clientside_twins`` or ``twins=`` (``"namespace.function"`` -> a function of the
request body that answers like the server; the dashboard's router): a twin's answer is applied
and followed like a response but is no request (it costs no server time); browser-only
clientside callbacks, such as the map's PNG download, are skipped: they never reach the
server; callbacks whose inputs are inside children added by a response are not fired as
initial calls (the dashboard has none that are not ``prevent_initial_call``).
"""

from __future__ import annotations

import copy
import gzip
import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

UPDATE_URL = "/_dash-update-component"
ACCEPT_ENCODING = "gzip"  # what the byte counts measure; browsers also offer br/zstd
_WILDCARDS = ("ALL", "MATCH", "ALLSMALLER")


class CallbackFailure(AssertionError):
    """A callback answered with an error or without the outputs it had to set."""


def id_key(component_id: Any) -> str:
    """The renderer's string form of an id (dict ids: JSON with sorted keys, no spaces)."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return str(component_id)


def _is_component(node: Any) -> bool:
    return isinstance(node, dict) and "props" in node and "type" in node and "namespace" in node


def _walk(node: Any) -> Iterator[dict]:
    """Every component dict of a serialised layout tree (any prop may hold components)."""
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif _is_component(node):
        yield node
        for value in node["props"].values():
            if isinstance(value, list | dict):
                yield from _walk(value)


def _split_output(output: str) -> list[tuple[Any, str]]:
    """(id, property) of each output of a callback's output string, as the renderer parses it."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    out = []
    for part in parts:
        raw_id, prop = part.rsplit(".", 1)
        out.append((json.loads(raw_id) if raw_id.startswith("{") else raw_id, prop))
    return out


def _wildcard(component_id: Any) -> bool:
    return isinstance(component_id, dict) and any(
        isinstance(v, list) and v and v[0] in _WILDCARDS for v in component_id.values()
    )


@dataclass
class Dependency:
    """One server callback as ``/_dash-dependencies`` describes it."""

    output: str
    outputs: list[tuple[Any, str]]
    inputs: list[tuple[Any, str]]
    state: list[tuple[Any, str]]
    prevent_initial_call: bool
    twin: Any = None  # the Python twin of a clientside callback (runs here, no request)

    @property
    def multi(self) -> bool:
        return self.output.startswith("..")


@dataclass
class Request:
    """One HTTP round trip: which callback, its server time and the bytes it cost."""

    output: str
    status: int
    ms: float  # wall time of the round trip (what the user waits for)
    cpu_ms: float  # CPU time of it (stable when other processes share the cores)
    raw_bytes: int
    wire_bytes: int  # as transferred (gzip when the server compressed)
    gzip_bytes: int
    props: list[str]  # "id.prop" set by the response


@dataclass
class Exchange:
    """Everything one user action caused: all requests, in order."""

    requests: list[Request] = field(default_factory=list)

    @property
    def ms(self) -> float:
        return sum(r.ms for r in self.requests)

    @property
    def cpu_ms(self) -> float:
        return sum(r.cpu_ms for r in self.requests)

    @property
    def raw_bytes(self) -> int:
        return sum(r.raw_bytes for r in self.requests)

    @property
    def gzip_bytes(self) -> int:
        return sum(r.gzip_bytes for r in self.requests)

    def props(self) -> set[str]:
        return {p for r in self.requests for p in r.props}


def _apply_patch(value: Any, operations: list[dict]) -> Any:
    """Apply a ``dash.Patch`` the way the renderer does (enough operations for figures)."""
    value = copy.deepcopy(value) if value is not None else {}
    for op in operations:
        *path, last = op["location"] or [None]
        target = value
        for step in path:  # missing containers are created, as the renderer's assocPath does
            if isinstance(target, dict) and step not in target:
                target[step] = {}
            target = target[step]
        params = op.get("params", {})
        kind = op["operation"]
        if kind == "Assign":
            target[last] = params["value"]
        elif kind == "Delete":
            del target[last]
        elif kind == "Merge":
            target[last].update(params["value"])
        elif kind in ("Append", "Extend"):
            items = [params["value"]] if kind == "Append" else params["value"]
            target[last].extend(items)
        # other operations (Insert, Add, ...) are not used by the figures measured here
    return value


def _server_side(raw_deps: list[dict]) -> list[dict]:
    """The callbacks a replay must follow: clientside callbacks whose outputs no server
    callback reads (such as the one setting ``<html lang>``) change nothing the server sees and
    are left to the browser; any other clientside callback is refused by ``_dependency``."""
    read = {
        (json.dumps(d["id"], sort_keys=True), d["property"])
        for dep in raw_deps
        if not dep.get("clientside_function")
        for d in (*dep["inputs"], *dep["state"])
    }

    def feeds_server(dep: dict) -> bool:
        return any(
            (json.dumps(cid, sort_keys=True), prop.split("@")[0]) in read
            for cid, prop in _split_output(dep["output"])
        )

    return [d for d in raw_deps if not d.get("clientside_function") or feeds_server(d)]


class DashClient:
    """A browser session on a Dash app, over ``app.server.test_client()``, or over ``http``: any
    object with the test client's ``get(url, headers=)`` and ``post(url, data=, headers=)``
    (``bench.http.HttpSession`` talks to a real server)."""

    def __init__(self, app: Any, search: str = "", http: Any = None, twins: Any = None) -> None:
        self.app = app
        self.http = http if http is not None else app.server.test_client()
        layout = self._get_json("/_dash-layout")
        self.layout = layout
        raw_deps = self._get_json("/_dash-dependencies")
        twins = twins if twins is not None else getattr(app, "clientside_twins", {})
        self.deps = [self._dependency(d, twins) for d in _server_side(raw_deps)]
        self.search = search
        self._index()
        for component in self._components.values():
            if component["type"] == "Location":  # dcc.Location sets these when it mounts
                component["props"].update(
                    pathname="/", search=search, hash="", href=f"http://127.0.0.1/{search}"
                )

    # -- layout and props ---------------------------------------------------------------

    def _get_json(self, url: str) -> Any:
        response = self.http.get(url)
        if response.status_code != 200:
            raise CallbackFailure(f"GET {url}: HTTP {response.status_code}")
        return json.loads(response.get_data())

    @staticmethod
    def _dependency(raw: dict, twins: dict) -> Dependency:
        function = raw.get("clientside_function") or {}
        twin = twins.get(f"{function.get('namespace')}.{function.get('function_name')}")
        if (function and twin is None) or raw.get("background"):
            raise NotImplementedError(f"clientside/background callback {raw['output']}")
        pairs = [[(d["id"], d["property"]) for d in raw[key]] for key in ("inputs", "state")]
        for cid, _ in [*pairs[0], *pairs[1], *_split_output(raw["output"])]:
            if isinstance(cid, dict) and any(
                isinstance(v, list) and v and v[0] in ("MATCH", "ALLSMALLER") for v in cid.values()
            ):
                raise NotImplementedError(f"MATCH/ALLSMALLER in {raw['output']}")
        return Dependency(
            raw["output"],
            _split_output(raw["output"]),
            pairs[0],
            pairs[1],
            bool(raw.get("prevent_initial_call")),
            twin,
        )

    def _index(self) -> None:
        """Component id -> component dict of the current tree (re-run when children change)."""
        self._components = {
            id_key(c["props"]["id"]): c for c in _walk(self.layout) if "id" in c["props"]
        }

    def component(self, component_id: Any) -> dict:
        return self._components[id_key(component_id)]

    def get(self, component_id: Any, prop: str) -> Any:
        return self.component(component_id)["props"].get(prop)

    def has(self, component_id: Any) -> bool:
        return id_key(component_id) in self._components

    def _matches(self, pattern: dict) -> list[Any]:
        """Concrete ids of the current layout matching a wildcard (ALL) id, in tree order."""
        out = []
        for component in self._components.values():
            cid = component["props"]["id"]
            if not isinstance(cid, dict) or set(cid) != set(pattern):
                continue
            if all(isinstance(v, list) or cid[k] == v for k, v in pattern.items()):
                out.append(cid)
        return out

    def _expand(self, component_id: Any) -> list[Any] | None:
        """None for a plain id, else the matching concrete ids."""
        return self._matches(component_id) if _wildcard(component_id) else None

    def _present(self, dep: Dependency) -> bool:
        """Whether any output of ``dep`` is in the layout (the renderer skips the others)."""
        for cid, _ in dep.outputs:
            matched = self._expand(cid)
            if (matched is None and self.has(cid)) or matched:
                return True
        return False

    # -- payloads -----------------------------------------------------------------------

    def _values(self, pairs: list[tuple[Any, str]]) -> list[Any]:
        out: list[Any] = []
        for cid, prop in pairs:
            matched = self._expand(cid)
            ids = [cid] if matched is None else matched
            items = []
            for concrete in ids:
                item = {"id": concrete, "property": prop}
                if self.has(concrete) and prop in self.component(concrete)["props"]:
                    item["value"] = self.component(concrete)["props"][prop]
                items.append(item)
            out.append(items[0] if matched is None else items)
        return out

    def payload(self, dep: Dependency, changed: Iterable[str]) -> dict:
        """The JSON body dash-renderer posts for ``dep`` after the props ``changed``."""
        outputs: list[Any] = []
        for cid, prop in dep.outputs:
            matched = self._expand(cid)
            if matched is None:
                outputs.append({"id": cid, "property": prop})
            else:
                outputs.append([{"id": m, "property": prop} for m in matched])
        return {
            "output": dep.output,
            "outputs": outputs if dep.multi else outputs[0],
            "inputs": self._values(dep.inputs),
            "changedPropIds": list(changed),
            "state": self._values(dep.state),
        }

    # -- requests -----------------------------------------------------------------------

    def post(self, dep: Dependency, changed: Iterable[str]) -> tuple[Request, dict]:
        """Send one callback request; time it; check it; apply what it set to the props."""
        if dep.twin is not None:
            return self._run_twin(dep, changed)
        body = json.dumps(self.payload(dep, changed))
        start, cpu = time.perf_counter(), time.process_time()
        response = self.http.post(
            UPDATE_URL,
            data=body,
            headers={"Content-Type": "application/json", "Accept-Encoding": ACCEPT_ENCODING},
        )
        wire = response.get_data()
        ms = (time.perf_counter() - start) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        encoded = response.headers.get("Content-Encoding", "")
        raw = gzip.decompress(wire) if encoded == "gzip" else wire
        if encoded not in ("", "gzip"):
            raise CallbackFailure(f"{dep.output}: unexpected Content-Encoding {encoded}")
        status = response.status_code
        if status == 204:  # every output no_update (PreventUpdate): nothing to apply
            return Request(dep.output, status, ms, cpu_ms, 0, len(wire), len(wire), []), {}
        if status != 200:
            raise CallbackFailure(f"{dep.output}: HTTP {status}: {raw[:500]!r}")
        parsed = json.loads(raw)
        gz = len(wire) if encoded == "gzip" else min(len(raw), len(gzip.compress(raw, 6)))
        updates = parsed.get("response", {})
        allowed = {id_key(c) for c, _ in dep.outputs if not _wildcard(c)}
        props: list[str] = []
        for key, values in updates.items():
            if key not in allowed and not key.startswith("{"):
                raise CallbackFailure(f"{dep.output}: response sets undeclared output {key}")
            for prop, value in values.items():
                self._set(key, prop, value)
                props.append(f"{key}.{prop}")
        return Request(dep.output, status, ms, cpu_ms, len(raw), len(wire), gz, props), updates

    def _run_twin(self, dep: Dependency, changed: Iterable[str]) -> tuple[Request, dict]:
        """A clientside callback run by its Python twin: applied like a response (status 0:
        no request was made)."""
        updates = dep.twin(self.payload(dep, changed))
        props = []
        for key, values in updates.items():
            for prop, value in values.items():
                self._set(key, prop, value)
                props.append(f"{key}.{prop}")
        return Request(dep.output, 0, 0.0, 0.0, 0, 0, 0, props), updates

    def _set(self, key: str, prop: str, value: Any) -> None:
        component = self._components.get(key)
        if component is None:
            return  # an ALL output whose component left the layout meanwhile
        if isinstance(value, dict) and value.get("__dash_patch_update"):
            value = _apply_patch(component["props"].get(prop), value["operations"])
        component["props"][prop] = value
        if prop == "children" and isinstance(value, list | dict):
            self._index()

    def _listeners(self, prop_ids: set[str], source: str | None) -> list[tuple[Dependency, list]]:
        """Callbacks (other than ``source``) with an input among ``prop_ids``."""
        out = []
        for dep in self.deps:
            if dep.output == source:
                continue
            hits = []
            for cid, prop in dep.inputs:
                ids = self._expand(cid) or [cid]
                hits += [f"{id_key(c)}.{prop}" for c in ids if f"{id_key(c)}.{prop}" in prop_ids]
            if hits:
                out.append((dep, hits))
        return out

    def _cascade(self, first: list[tuple[Dependency, list]], exchange: Exchange) -> None:
        """Fire ``first``, then every callback fed by the props they set, wave by wave."""
        wave = first
        while wave:
            following: dict[str, tuple[Dependency, list]] = {}
            for dep, changed in wave:
                request, _ = self.post(dep, changed)
                if dep.twin is None:
                    exchange.requests.append(request)
                for nxt, hits in self._listeners(set(request.props), dep.output):
                    known = following.setdefault(nxt.output, (nxt, []))
                    known[1].extend(h for h in hits if h not in known[1])
            wave = list(following.values())

    def load(self) -> Exchange:
        """The initial callbacks of a page load, each fired once its inputs' producers answered."""
        exchange = Exchange()
        pending = [d for d in self.deps if not d.prevent_initial_call and self._present(d)]
        while pending:
            produced = {
                f"{id_key(c)}.{p}" for d in pending for c, p in d.outputs if not _wildcard(c)
            }
            ready = [
                d
                for d in pending
                if not any(
                    f"{id_key(c)}.{p}" in produced
                    and not any(
                        (c, p) == o for o in d.outputs
                    )  # a callback may feed itself (the router writes its own inputs)
                    for c, p in d.inputs
                )
            ]
            if not ready:
                raise CallbackFailure("initial callbacks form a cycle")
            for dep in ready:
                request, _ = self.post(dep, [])
                if dep.twin is None:
                    exchange.requests.append(request)
            pending = [d for d in pending if d not in ready]
        return exchange

    def change(self, component_id: Any, prop: str, value: Any) -> Exchange:
        """The user sets ``component_id.prop``: fire everything that triggers, sum the time."""
        self._set(id_key(component_id), prop, value)
        exchange = Exchange()
        key = f"{id_key(component_id)}.{prop}"
        self._cascade(self._listeners({key}, None), exchange)
        return exchange

    def fetch(self, url: str) -> tuple[int, int]:
        """(raw, gzip-on-the-wire) bytes of a GET, as the browser downloads it."""
        response = self.http.get(url, headers={"Accept-Encoding": ACCEPT_ENCODING})
        if response.status_code != 200:
            raise CallbackFailure(f"GET {url}: HTTP {response.status_code}")
        wire = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            return len(gzip.decompress(wire)), len(wire)
        return len(wire), min(len(wire), len(gzip.compress(wire, 6)))
