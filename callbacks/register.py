"""Dash wiring: each callback reads its inputs and calls one function of callbacks.views."""

from __future__ import annotations

from dash import (
    ALL,
    ClientsideFunction,
    Dash,
    Input,
    Output,
    Patch,
    State,
    ctx,
    dcc,
    no_update,
)

from analysis.live import LiveData
from briefing.pack import pack_bytes
from callbacks import views
from callbacks.clientside import register_clientside
from callbacks.router import CONTROL_IDS, TWINS
from callbacks.state import CONTROL_KEYS, WEIGHT_KEYS, clean_slice, clean_weight
from callbacks.viewer import audit, viewer_role
from layouts import ids
from layouts.filters import DROPDOWNS
from layouts.gap import GAP_MAP_IMAGE, WEIGHT_BOXES, weight_text
from layouts.i18n import DEFAULT_LANGUAGE, dropdown_labels
from layouts.overview import graph_config, map_config
from layouts.page import SLICE_STORES, TABS, overview_style, shown_view, tab_id
from layouts.tables import TileText

QUALITY_GRIDS = (
    ids.QUALITY_GRID,
    ids.QUALITY_REASONS,
    ids.QUALITY_UNRESOLVED,
    ids.QUALITY_CONFLICTS,
)


def _locale_patch(options: dict) -> Patch:
    """Only the grid's own texts (the rest of its options stay as laid out)."""
    patch = Patch()
    patch["localeText"] = options["localeText"]
    return patch


def map_patch(result: dict) -> Patch:
    """Only the values of the map's traces (locations, z, hover): never its geometry."""
    patch = Patch()
    for index, trace in enumerate(result["traces"]):
        patch["data"][index]["locations"] = trace["locations"]
        patch["data"][index]["z"] = trace["z"]
        patch["data"][index]["customdata"] = trace["customdata"]
    patch["layout"]["meta"] = result["meta"]
    patch["data"][3]["locations"] = result["outline"]
    patch["data"][3]["z"] = [0] * len(result["outline"])
    patch["data"][2]["colorbar"]["title"]["text"] = result["unit_label"]
    patch["data"][2]["name"] = result["unit_label"]
    patch["data"][2]["hovertemplate"] = (
        "<b>%{customdata[0]}</b><br>%{customdata[1]} " + result["unit_label"] + "<extra></extra>"
    )
    return patch


def tile_key(output: dict) -> str | None:
    """The figure key of a key-figure output the request names (anything may be sent)."""
    ident = output.get("id") if isinstance(output, dict) else None
    key = ident.get("key") if isinstance(ident, dict) else None
    return key if isinstance(key, str) else None


def register_callbacks(app: Dash, live: LiveData) -> None:
    """Wire every callback; each asks ``live`` for the data to serve, per request."""
    controls = [CONTROL_IDS[k] for k in CONTROL_KEYS]

    slice_names = list(SLICE_STORES)

    # The router runs in the browser (assets/router.js; its twin is callbacks/router.py): a
    # control, a map click or a button writes the URL, the state and the changed slices, and
    # the views' callbacks fire at once, each cleaning its slice on the server.
    app.clientside_callback(
        ClientsideFunction("router", "route"),
        Output(ids.URL, "search"),
        Output(ids.STATE, "data"),
        [Output(SLICE_STORES[name], "data") for name in slice_names],
        [Output(c, "value") for c in controls],
        Input(ids.URL, "search"),
        [Input(c, "value") for c in controls],
        Input(ids.MAP, "clickData"),
        Input(ids.GAP_MAP, "clickData"),
        Input(ids.COUNTRY_BUTTON, "n_clicks"),
        Input(ids.BRIEFING_BUTTON, "n_clicks"),
        State(ids.STATE, "data"),
        State(ids.ROUTER_DOMAIN, "data"),
    )
    app.clientside_twins = TWINS  # type: ignore[attr-defined]  # what bench.client runs instead

    option_targets = [
        ids.LEVEL,
        ids.REGION,
        ids.START,
        ids.END,
        ids.PRESET,
        ids.CATEGORIES,
        ids.SECTOR,
        ids.INDICATOR,
    ]
    chrome_outputs = len(option_targets) + 8 + len(TABS) + len(DROPDOWNS)

    @app.callback(
        Output({"type": ids.TEXT, "key": ALL, "n": ALL}, "children"),
        [Output(i, "options") for i in option_targets],
        Output(ids.REGION, "placeholder"),
        Output(ids.CATEGORIES, "placeholder"),
        Output(ids.SECTOR, "placeholder"),
        [Output(tab_id(value), "label") for value, _ in TABS],
        Output(ids.DATA_PERIOD, "children"),
        Output(ids.BRIEFING_BUTTON, "children"),
        Output(ids.ATTRIBUTION, "children"),
        Output(ids.ROOT, "className"),
        Output(ids.ROOT, "lang"),
        [Output(i, "labels") for i in DROPDOWNS],
        Output(ids.VIEW_OVERVIEW, "style"),
        Output(ids.VIEW_SWITCH, "value"),
        Input(ids.UI_STATE, "data"),
        State(ids.ROOT, "lang"),
        State(ids.ROOT, "className"),
        prevent_initial_call=True,  # the page is laid out in its language and view
    )
    def language(raw_ui, current_lang, current_class):
        """Page texts in the language, briefing class, and which view is shown (one request:
        fired only when the language, the mode or the tab changed)."""
        data = live.current()
        domain = data.domain()
        _, ui = clean_slice(raw_ui, domain)
        texts = [str(o["id"]["key"]) for o in ctx.outputs_list[0]]
        shown = shown_view(ui)
        shown_outputs = (overview_style(shown), shown)
        if ui["lang"] == current_lang and views.root_class(ui) == current_class:
            return ([no_update] * len(texts), *([no_update] * chrome_outputs), *shown_outputs)
        c = views.chrome(data, ui, texts)
        return (
            c["texts"],
            *c["options"],
            *c["placeholders"],
            *c["tabs"],
            c["period"],
            c["briefing"],
            c["attribution"],
            c["root_class"],
            ui["lang"],
            *([dropdown_labels(ui["lang"])] * len(DROPDOWNS)),
            *shown_outputs,
        )

    # <html lang>: set from the default language by the page template (app.index_string), then
    # follows the language switch, so screen readers and the browser's own texts (hyphenation,
    # number inputs, translation offers) use the page's language. When the overview is shown
    # again, a resize event lets its charts, drawn while it was hidden, take their card's width.
    app.clientside_callback(
        f"""function (lang) {{
            document.documentElement.lang = lang || "{DEFAULT_LANGUAGE}";
            window.requestAnimationFrame(() => window.dispatchEvent(new Event("resize")));
            return lang || "{DEFAULT_LANGUAGE}";
        }}""",
        Output(ids.HTML_LANG, "data"),
        Input(ids.ROOT, "lang"),
        Input(ids.VIEW_OVERVIEW, "style"),
    )

    sliders = [CONTROL_IDS[k] for k in WEIGHT_KEYS]

    @app.callback(
        [Output(c, "value", allow_duplicate=True) for c in sliders],
        [Output(WEIGHT_BOXES[c], "value") for c in sliders],
        [Input(WEIGHT_BOXES[c], "value") for c in sliders],
        Input(ids.GAP_STATE, "data"),
        prevent_initial_call=True,
    )
    def weight_boxes(*args):
        """A weight typed in its box ("0,5" or "0.5") moves its slider (the router then puts it
        in the URL); the boxes show the weights in use the page's way. A value that is not a
        weight between 0 and 1 is replaced by the weight in use."""
        domain = live.current().domain()
        n = len(sliders)
        typed, raw_gap = list(args[:n]), args[n]
        on, gap = clean_slice(raw_gap, domain)
        lang = gap.get("lang", DEFAULT_LANGUAGE)
        current = [gap.get(k) for k in WEIGHT_KEYS]
        trigger = ctx.triggered_id
        slider_out = [no_update] * n
        boxes = [weight_text(v, lang) for v in current] if on else [no_update] * n
        if trigger in (WEIGHT_BOXES[c] for c in sliders):
            i = [WEIGHT_BOXES[c] for c in sliders].index(trigger)
            value = clean_weight(typed[i])
            if value is not None:
                slider_out[i] = value
                boxes = [no_update] * n
                boxes[i] = weight_text(value, lang)
            else:
                boxes = [no_update] * n
                boxes[i] = weight_text(current[i], lang) if on else ""
        return (*slider_out, *boxes)

    @app.callback(
        Output(ids.MAP, "figure"),
        Output(ids.MAP, "config"),
        Output(ids.MAP_KEY, "data"),
        Output(ids.MAP_TITLE, "children"),
        Input(ids.MAP_STATE, "data"),
        State(ids.MAP_KEY, "data"),
    )
    def map_view(raw, current_key):
        data = live.current()
        domain = data.domain()
        _, state = clean_slice(raw, domain)
        state = views.briefing_map_state(state)
        result, key = views.map_output(data, state, viewer_role(), current_key)
        title = views.titled(views.map_title(data, state), result.pop("notes"), state["lang"])
        if views.is_values_only(result):
            return map_patch(result), no_update, no_update, title
        return result, map_config(state["lang"]), key, title

    for button, graph in ((ids.MAP_PNG, ids.MAP), (ids.GAP_MAP_PNG, ids.GAP_MAP)):
        app.clientside_callback(
            ClientsideFunction("maps", "png"),
            Output(button, "title"),
            Input(button, "n_clicks"),
            State(graph, "id"),
            State(button, "name"),
            prevent_initial_call=True,
        )

    @app.callback(
        Output({"type": ids.KF_VALUE, "key": ALL}, "children"),
        Output({"type": ids.KF_CHANGE, "key": ALL}, "children"),
        Output({"type": ids.KF_CHANGE, "key": ALL}, "className"),
        Output(ids.KF_FAMILIES, "children"),
        Output(ids.KF_OVERLAP, "children"),
        Output(ids.KF_PROTECTION, "children"),
        Input(ids.FIGURES_STATE, "data"),
    )
    def key_figures(raw):
        """The tiles' texts (the tiles are laid out once) and the notes below them."""
        data = live.current()
        domain = data.domain()
        _, state = clean_slice(raw, domain)
        role = viewer_role()
        tiles = views.key_figures_view(data, state, role)
        shown = [
            [tiles.get(tile_key(o), TileText()) for o in group] for group in ctx.outputs_list[:3]
        ]
        return (
            [tile.value for tile in shown[0]],
            [tile.change for tile in shown[1]],
            [f"kf-change {tile.direction}".strip() for tile in shown[2]],
            *views.families_note_view(data, state, role),
        )

    # The briefing, gap and quality views are off in the page as laid out (its default state):
    # they first answer when the router turns their slice on, not with an empty request on
    # every first load.
    @app.callback(
        Output(ids.BRIEFING_PRIORITIES, "children"),
        Input(ids.BRIEFING_STATE, "data"),
        prevent_initial_call=True,
    )
    def briefing_priorities(raw):
        data = live.current()
        domain = data.domain()
        on, state = clean_slice(raw, domain)
        if not on:
            return no_update
        return views.briefing_priorities(data, state, viewer_role())

    @app.callback(
        Output(ids.TREND_INCIDENTS, "figure"),
        Output(ids.TREND_INCIDENTS, "config"),
        Output(ids.TREND_DISPLACEMENT, "figure"),
        Output(ids.TREND_DISPLACEMENT, "config"),
        Output(ids.DISPLACEMENT_KEY, "data"),
        Input(ids.TREND_STATE, "data"),
        Input(ids.DISPLACEMENT_STATE, "data"),
        State(ids.DISPLACEMENT_KEY, "data"),
    )
    def trends(raw_trend, raw_displacement, drawn):
        """Both trends in one request; the displacement chart only when its scope or language
        differs from the one drawn (``drawn``), which no filter but those changes."""
        data = live.current()
        domain = data.domain()
        fired = ctx.triggered_prop_ids  # empty on the initial call: draw both
        role = viewer_role()
        trend_on, trend = clean_slice(raw_trend, domain)
        moved_on, moved_state = clean_slice(raw_displacement, domain)
        incidents = incidents_config = no_update
        if trend_on and (not fired or f"{ids.TREND_STATE}.data" in fired):
            incidents = views.incident_trend_view(data, trend, role)
            incidents_config = graph_config(trend["lang"])
        moved = moved_config = key = no_update
        wanted = views.displacement_key(moved_state)
        if moved_on and wanted != drawn:
            moved, key = views.displacement_trend_view(data, moved_state, role), wanted
            moved_config = graph_config(moved_state["lang"])
        return incidents, incidents_config, moved, moved_config, key

    @app.callback(
        Output(ids.UNIT_PANEL, "children"),
        Output(ids.UNIT_PARTNERS, "rowData"),
        Output(ids.UNIT_PARTNERS, "columnDefs"),
        Output(ids.UNIT_PARTNERS, "dashGridOptions"),
        Output(ids.UNIT_PARTNERS_BOX, "style"),
        Input(ids.PANEL_STATE, "data"),
        prevent_initial_call=True,  # laid out with its hint: no unit is selected on a load
    )
    def unit_panel(raw):
        data = live.current()
        domain = data.domain()
        _, state = clean_slice(raw, domain)
        role = viewer_role()
        partners = views.partners_view(data, state, role)
        return (
            views.unit_panel_view(data, state, role),
            partners["rows"],
            partners["columns"],
            partners["options"],
            partners["style"],
        )

    @app.callback(
        Output(ids.GAP_MAP, "figure"),
        Output(ids.GAP_MAP, "config"),
        Output(ids.GAP_MAP_KEY, "data"),
        Output(ids.GAP_TABLE, "rowData"),
        Output(ids.GAP_TABLE, "columnDefs"),
        Output(ids.GAP_TABLE, "dashGridOptions"),
        Output(ids.GAP_DESERTS, "children"),
        Output(ids.GAP_METHOD, "children"),
        Input(ids.GAP_STATE, "data"),
        State(ids.GAP_MAP_KEY, "data"),
        prevent_initial_call=True,
    )
    def gap(raw, current_key):
        data = live.current()
        domain = data.domain()
        on, state = clean_slice(raw, domain)
        if not on:
            return (no_update,) * 8
        out = views.gap_view(data, state, viewer_role(), current_key)
        out["figure"].pop("notes", None)
        if views.is_values_only(out["figure"]):
            figure, config, key = map_patch(out["figure"]), no_update, no_update
        else:
            figure, key = out["figure"], out["key"]
            config = map_config(state["lang"], GAP_MAP_IMAGE)
        return (
            figure,
            config,
            key,
            out["rows"],
            out["columns"],
            _locale_patch(out["options"]),
            out["deserts"],
            out["method"],
        )

    @app.callback(
        Output(ids.QUALITY, "children"),
        Output(ids.QUALITY_GRID, "rowData"),
        Output(ids.QUALITY_GRID, "columnDefs"),
        Output(ids.QUALITY_REASONS, "rowData"),
        Output(ids.QUALITY_REASONS, "columnDefs"),
        Output(ids.QUALITY_UNRESOLVED, "rowData"),
        Output(ids.QUALITY_UNRESOLVED, "columnDefs"),
        Output(ids.QUALITY_CONFLICTS, "rowData"),
        Output(ids.QUALITY_CONFLICTS, "columnDefs"),
        [Output(g, "dashGridOptions") for g in QUALITY_GRIDS],
        Output(ids.QUALITY_DETAILS, "style"),
        Output(ids.QUALITY_CONFLICTS_BOX, "style"),
        Input(ids.QUALITY_STATE, "data"),
        prevent_initial_call=True,
    )
    def quality(raw):
        data = live.current()
        domain = data.domain()
        on, state = clean_slice(raw, domain)
        if not on:
            return (no_update,) * (11 + len(QUALITY_GRIDS))
        out = views.quality_view(data, state, viewer_role())
        return (
            out["notes"],
            *out["summary"],
            *out["reasons"],
            *out["unresolved"],
            *out["conflicts"],
            *[_locale_patch(out["options"]) for _ in QUALITY_GRIDS],
            out["details_style"],
            out["conflicts_style"],
        )

    exports = {
        ids.UNIT_EXPORT: (views.unit_export, "csv"),
        ids.UNIT_EXPORT_XLSX: (views.unit_export, "xlsx"),
        ids.GAP_EXPORT: (views.gap_export, "csv"),
        ids.GAP_EXPORT_XLSX: (views.gap_export, "xlsx"),
    }

    @app.callback(
        Output(ids.DOWNLOAD_PACK, "data"),
        Input(ids.PACK_PDF, "n_clicks"),
        Input(ids.PACK_PPTX, "n_clicks"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    def briefing_pack(_pdf, _pptx, raw):
        """The pack of the scope and period on screen, with the viewer's content (the gate)."""
        data = live.current()
        domain = data.domain()
        _, state = clean_slice(raw, domain)
        role = viewer_role()
        fmt = "pptx" if ctx.triggered_id == ids.PACK_PPTX else "pdf"
        name, content = pack_bytes(data, state, role, fmt)
        audit("export", {"file": name, "role": role})
        return dcc.send_bytes(content, name)

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        [Input(button, "n_clicks") for button in exports],
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    def export(*args):
        data = live.current()
        domain = data.domain()
        _, state = clean_slice(args[-1], domain)
        role = viewer_role()
        trigger = ctx.triggered_id if isinstance(ctx.triggered_id, str) else None
        make, fmt = exports.get(trigger, exports[ids.UNIT_EXPORT])
        out = make(data, state, role, fmt)
        if not out:
            return no_update
        audit("export", {"file": out["filename"], "role": role})
        return out

    register_clientside(app)
