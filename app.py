"""Mali protection gap dashboard: ``create_app()`` builds the Dash app; ``python app.py`` runs it.

Data are loaded and aggregated in :func:`create_app`; ``app.server`` (the Flask server, for
``gunicorn --preload app:server``) is built on first access, not at import, so importing this
module stays cheap; with ``--preload`` the workers share the loaded data. Every request asks
:class:`analysis.live.LiveData` for the data to serve: when an information manager publishes
or rolls back a version, each worker rebuilds its data beside the old and swaps it within a
few seconds, without a restart.
Nothing is fetched from the internet at run time: scripts, Bootstrap CSS and map geometry are
served by the app itself, and the map has no tile layer. Aggregates are memoised per filter
state in a flask-caching cache (SimpleCache, or Redis when ``REDIS_URL`` is set).
"""

from __future__ import annotations

import argparse
import json
import os

from dash import Dash
from flask import Flask, Response, abort, request
from flask_caching import Cache

from accounts.db import Database
from accounts.web import install as install_accounts
from analysis.dataset import DashboardData, load_data
from analysis.gate import warm
from analysis.live import LiveData
from analysis.protection import policy_from_env
from analysis.resilient_cache import ResilientCache, redis_client_options
from callbacks.guard import install_guard
from callbacks.health import install_health
from callbacks.register import register_callbacks
from callbacks.router import router_domain
from callbacks.state import default_state
from callbacks.viewer import csrf_token, viewer_name, viewer_role
from data.publishing import Publisher
from imports.web import install as install_imports
from layouts.header import Viewer
from layouts.i18n import DEFAULT_LANGUAGE
from layouts.page import PageMeta, build_layout
from layouts.page_scripts import trim_page_scripts

GEO_CACHE_SECONDS = 24 * 3600
# Files of assets/ are linked as /assets/<file>?m=<modification time>: a new file is a new URL,
# so the browser may keep them for a year without asking (Dash does the same for the
# versioned component suites). Without this they were revalidated on every load, and the
# conditional request never matched the compressed response's ETag: re-sent in full.
ASSET_CACHE = "public, max-age=31536000, immutable"
AGGREGATE_CACHE_SECONDS = 6 * 3600


def make_cache(server: Flask) -> Cache:
    """Cache of the aggregates: Redis when ``REDIS_URL`` is set (shared by the workers), else
    an in-process SimpleCache. Keys include a fingerprint of the loaded data. The Redis client
    gives up within a second (see :func:`redis_client_options`), so a hung Redis cannot hang
    a request; :class:`ResilientCache` then computes without it."""
    url = os.environ.get("REDIS_URL")
    if url:
        config = {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": url,
            "CACHE_OPTIONS": redis_client_options(),
        }
    else:
        config = {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 5000}
    config["CACHE_DEFAULT_TIMEOUT"] = AGGREGATE_CACHE_SECONDS
    config["CACHE_KEY_PREFIX"] = "mali-protection:"
    return Cache(server, config=config)


def page_meta(data: DashboardData) -> PageMeta:
    return PageMeta(
        months=data.months,
        regions=data.regions(),
        categories=data.categories(),
        sectors=data.sectors(),
        is_demo=data.is_demo,
        levels=data.levels,
        updated=data.updated(),
        router_domain=router_domain(data),
    )


def geojson(data: DashboardData, level: int) -> str:
    """The map geometry of ``level`` as served to the browser (serialised once per data)."""
    return data.static(
        ("geojson", level),
        lambda: json.dumps(data.display(level).geojson, separators=(",", ":")),
    )


def live_data(publisher: Publisher, policy) -> LiveData:
    """The stored data (else the demo data), rebuilt beside the old whenever a version is
    published or rolled back (see :mod:`analysis.live`)."""
    seen = publisher.generation()  # before loading: a publish during the load is seen later
    data = load_data(policy=policy, store=publisher.store)

    def rebuild(old: DashboardData) -> DashboardData:
        fresh = load_data(
            boundaries=old.boundaries, policy=old.policy, store=publisher.store, strict=True
        )
        fresh.cache = old.cache
        warm(fresh)
        return fresh

    return LiveData(data, publisher.generation, rebuild, seen=seen)


def create_app(data: DashboardData | None = None, database: Database | None = None) -> Dash:
    """The dashboard over ``data`` (default: the stored active data, else demonstration data).

    What each viewer sees is decided per request from the viewer's role, read on the server
    from the signed session (public when nobody is logged in). Accounts, sessions and the
    publishing secret live in ``database`` (default: ``DATABASE_URL``, else a SQLite file).
    """
    app = Dash(
        __name__,
        title="Cluster Protection Mali",
        serve_locally=True,
        compress=True,
        suppress_callback_exceptions=False,
        update_title=None,
        assets_folder=os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets"),
    )
    # The page's language for the browser and screen readers before any script runs; the
    # language switch then updates it (clientside callback in callbacks.register).
    app.index_string = app.index_string.replace("<html>", f'<html lang="{DEFAULT_LANGUAGE}">', 1)
    trim_page_scripts(app)
    # flask-compress (Dash's compress=True) at zlib's best level: ~1.5 KB less on a cold load
    # for the field links, at no measurable cost (plotly.js compresses in ~40 ms either way).
    app.server.config.update(COMPRESS_LEVEL=9, COMPRESS_DEFLATE_LEVEL=9)
    accounts = install_accounts(app.server, database)
    publisher = Publisher(accounts.database)
    install_imports(app.server, accounts, publisher)
    if data is None:
        live = live_data(publisher, policy_from_env(accounts.publishing_key()))
    else:
        live = LiveData(data)  # given data is served as it is
    data = live.loaded  # no poller here: with --preload, this is gunicorn's master

    def layout() -> object:
        """The page, built per request for the viewer's role (login link or account box)."""
        viewer = Viewer(role=viewer_role(), name=viewer_name(), csrf_token=csrf_token())
        shown = live.current()
        return build_layout(default_state(shown.domain()), page_meta(shown), viewer)

    app.layout = layout

    @app.server.route("/geo/level-<int:level>.json")
    def geo(level: int) -> Response:
        shown = live.current()
        if level not in shown.cubes.units:
            abort(404)
        response = Response(geojson(shown, level), mimetype="application/json")
        response.headers["Cache-Control"] = f"public, max-age={GEO_CACHE_SECONDS}"
        return response

    assets = app.config.routes_pathname_prefix + app.config.assets_url_path.strip("/") + "/"

    @app.server.after_request
    def cache_fingerprinted_assets(response: Response) -> Response:
        fingerprinted = request.path.startswith(assets) and request.args.get("m")
        if response.status_code == 200 and fingerprinted:
            response.headers["Cache-Control"] = ASSET_CACHE
        return response

    data.cache = ResilientCache(make_cache(app.server))
    warm(data)
    app.cache = data.cache  # type: ignore[attr-defined]
    for level in data.cubes.units:
        geojson(data, level)
    register_callbacks(app, live)
    install_guard(app)
    install_health(
        app.server, live.current, accounts.database, data.cache, publisher.store.active_id
    )
    app.dashboard_data = data  # type: ignore[attr-defined]  # as loaded, for tests and tools
    app.live = live  # type: ignore[attr-defined]  # what requests are served from
    app.publisher = publisher  # type: ignore[attr-defined]  # imports, versions, mappings
    # For Flask views (import screens, health): current_app.extensions["publisher"] etc.
    app.server.extensions["publisher"] = publisher
    app.server.extensions["live_data"] = live
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8050")))
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args(argv)
    app = create_app()
    app.run(host=args.host, port=args.port, debug=args.debug)


def __getattr__(name: str):
    """``app.server``: the WSGI server of the default app, created once when first asked for."""
    if name == "server":
        server = create_app().server
        globals()["server"] = server
        return server
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    main()
