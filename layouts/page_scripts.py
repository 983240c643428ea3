"""What the page carries up front: the first view's scripts, nothing more (issue 11).

Dash links every script of every imported component library. Three are left out of this app's
page (Dash still serves them):

- **dash-ag-grid** (352 KB gzipped, and a 249 KB chunk): no table is on the first view. Its
  address goes in ``<meta name="dash-ag-grid-src">``; ``assets/ag-grid-lazy.js`` loads it when
  a grid is first shown.
- **Babel's polyfill** (34 KB): core-js for browsers older than the ones plotly.js 4 runs in.
  Dash's renderer and dcc still call its ``regeneratorRuntime``, which
  ``assets/regenerator-runtime-*.min.js`` provides (2.6 KB; built by ``tools/js-assets``).
- **dash_table** (9 KB): the page has no DataTable.

And the page's ``_dash-config`` goes without ``validation_layout`` (a copy of the whole layout,
7 KB gzipped, which Dash adds when the layout is a function): the renderer then checks the
callbacks against the layout it fetches, which holds every component of every view.

Done per app, on the page's HTML (``Dash.interpolate_index``), so other Dash apps of the
process (the benchmark's baseline) keep their scripts.
"""

from __future__ import annotations

import re

from dash import Dash

GRID_SCRIPT = re.compile(r'<script src="([^"]*/dash_ag_grid/dash_ag_grid\.[^"]*\.js)"></script>\s*')
# dcc's chunks for the first view's graphs and dropdowns: their URLs carry no version, so the
# browser asks for them again (304) on every load; preloaded, that round trip runs beside the
# scripts' instead of after the layout has rendered.
FIRST_VIEW_CHUNKS = (
    "_dash-component-suites/dash/dcc/async-graph.js",
    "_dash-component-suites/dash/dcc/async-dropdown.js",
)
LEFT_OUT = (
    GRID_SCRIPT,
    re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>\s*'),
    re.compile(r'<script src="[^"]*/dash_table/bundle\.[^"]*"></script>\s*'),
)


def page_scripts(scripts: str, prefix: str = "/") -> tuple[str, str]:
    """(the scripts' HTML without the left-out ones, the head's extra tags: the meta giving the
    grid's address, and preloads of the dcc chunks the first view needs)."""
    grid = GRID_SCRIPT.search(scripts)
    meta = f'<meta name="dash-ag-grid-src" content="{grid.group(1)}">\n' if grid else ""
    for chunk in FIRST_VIEW_CHUNKS:
        meta += f'<link rel="preload" as="script" href="{prefix}{chunk}">\n'
    for pattern in LEFT_OUT:
        scripts = pattern.sub("", scripts)
    return scripts, meta


def trim_page_scripts(app: Dash) -> None:
    """Make ``app``'s page link only the first view's scripts (see the module's docstring)."""
    interpolate = app.interpolate_index

    def interpolate_index(**kwargs) -> str:
        prefix = app.config.requests_pathname_prefix
        kwargs["scripts"], meta = page_scripts(kwargs.get("scripts", ""), prefix)
        kwargs["metas"] = meta + kwargs.get("metas", "")
        return interpolate(**kwargs)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign]
    config = app._config

    def config_without_layout_copy() -> dict:
        out = config()
        out.pop("validation_layout", None)
        return out

    app._config = config_without_layout_copy  # type: ignore[method-assign]
