"""What the browser downloads: every text asset compressed, fingerprinted assets cached long.

The browser benchmark (``bench/browser.py``) measures the effect; this checks the headers that
produce it, through the Flask test client, on the page's own links.
"""

from __future__ import annotations

import re

import pytest

from app import ASSET_CACHE, create_app


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


@pytest.fixture(scope="module")
def links(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'(?:src|href)="(/(?:assets|_dash-component-suites)/[^"]+)"', html)


def _get(client, url: str):
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    response.get_data()
    response.close()
    return response


def test_css_and_javascript_of_the_page_are_compressed(client, links):
    css = [u for u in links if ".css" in u]
    js = [u for u in links if ".js" in u]
    assert any("bootstrap" in u for u in css) and js
    for url in js + css:
        response = _get(client, url)
        assert response.status_code == 200, url
        assert response.headers.get("Content-Encoding") in ("gzip", "deflate", "br"), url


def test_fingerprinted_assets_and_suites_are_cached_for_a_year(client, links):
    assets = [u for u in links if u.startswith("/assets/")]
    assert assets and all("?m=" in u for u in assets)
    for url in assets:
        assert _get(client, url).headers["Cache-Control"] == ASSET_CACHE, url
    versioned = re.compile(r"\.v\d[\w]*m\d+\.")  # not the preloaded chunks (unversioned)
    for url in (u for u in links if u.startswith("/_dash-component-suites/")):
        if not versioned.search(url):
            continue
        assert "max-age=31536000" in _get(client, url).headers["Cache-Control"], url
    # an asset asked for without its fingerprint keeps the default (revalidated)
    plain = assets[0].split("?")[0]
    assert _get(client, plain).headers.get("Cache-Control") != ASSET_CACHE


def test_the_page_draws_with_the_partial_plotly_bundle_of_the_version_dash_ships(client, links):
    """dcc.Graph loads its own plotly.js only when ``window.Plotly`` is missing: the page links
    the partial bundle from assets/ (before the French locale that registers into it), built
    from the same plotly.js version as the full one, and never the full one."""
    from plotly.offline import get_plotlyjs_version

    version = get_plotlyjs_version()
    scripts = [u.split("?")[0] for u in links if ".js" in u]
    bundle = f"/assets/plotly-{version}-mali.min.js"
    assert bundle in scripts, f"no {bundle}: rebuild it with tools/js-assets for {version}"
    assert scripts.index(bundle) < scripts.index("/assets/plotly-locale-fr.js")
    assert not [u for u in scripts if "package_data/plotly" in u]
    text = client.get(bundle).get_data()
    assert f"plotly.js v{version}".encode() in text[:200]
    # only the traces the figures use are registered (names as plotly.js registers them)
    for trace in ("scattergeo", "choropleth", "bar"):
        assert f'name:"{trace}"'.encode() in text, trace
    assert b'name:"scattermap"' not in text and b'name:"scatter3d"' not in text


# Hosts that serve content to pages (plotly's topojson CDN and chart cloud, map tiles, fonts,
# script CDNs): no script or stylesheet the app serves may name one, so nothing can be fetched
# from the internet even by a default a figure forgot to override.
ONLINE_HOSTS = (
    "cdn.plot.ly",
    "cloud.plotly.com",
    "api.mapbox.com",
    "demotiles.maplibre.org",
    "basemaps.cartocdn.com",
    "tile.openstreetmap.org",
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "unpkg.com",
    "cdn.jsdelivr.net",
    "cdnjs.cloudflare.com",
)


def test_no_served_script_or_stylesheet_names_an_online_host(client, links):
    from pathlib import Path

    served = [u for u in links if u.split("?")[0].endswith((".js", ".css"))]
    assets = Path(__file__).resolve().parents[1] / "assets"
    served += [f"/assets/{f.relative_to(assets)}" for f in assets.rglob("*.js")]
    assert any("plotly-" in u for u in served)
    for url in served:
        text = client.get(url).get_data(as_text=True)
        named = [host for host in ONLINE_HOSTS if f"//{host}" in text]
        assert not named, f"{url} names {named}"


def test_the_grid_bundle_is_not_linked_but_served_from_the_address_the_page_gives(client, links):
    """No table on the first view: the page links no dash-ag-grid script; the lazy loader
    (assets/ag-grid-lazy.js, linked) finds the bundle's fingerprinted address in a <meta>,
    and it is served compressed and cached like the other suites."""
    assert not [u for u in links if "dash_ag_grid" in u]
    assert any(u.startswith("/assets/ag-grid-lazy.js") for u in links)
    html = client.get("/").get_data(as_text=True)
    found = re.search(r'<meta name="dash-ag-grid-src" content="([^"]+)">', html)
    assert found and re.search(r"dash_ag_grid\.v[\w]+m\d+\.min\.js$", found.group(1))
    response = _get(client, found.group(1))
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") in ("gzip", "deflate", "br")
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_legacy_scripts_are_left_out_and_the_regenerator_runtime_comes_first(client, links):
    """Babel's polyfill and dash_table are not linked; the regenerator runtime the renderer
    calls is linked before it, and the page still works (tests/browser)."""
    scripts = [u.split("?")[0] for u in links if ".js" in u]
    assert not [u for u in scripts if "polyfill" in u or "dash_table" in u]
    runtime = next(i for i, u in enumerate(scripts) if "regenerator-runtime" in u)
    renderer = next(i for i, u in enumerate(scripts) if "dash_renderer" in u)
    assert runtime < renderer
    assert b"regeneratorRuntime" in client.get(scripts[runtime]).get_data()


def test_the_page_config_carries_no_copy_of_the_layout(client):
    html = client.get("/").get_data(as_text=True)
    config = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', html)
    assert config and '"validation_layout"' not in config.group(1)
    assert len(html) < 20_000


def test_the_linked_bootstrap_is_the_purged_build_of_the_full_one():
    """assets/00-bootstrap-5.3.3.min.css is what tools/css/purge_bootstrap.py makes of the full
    Bootstrap from the code as it is: a class added to the code without a rebuild fails here."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "tools" / "css" / "purge_bootstrap.py"
    spec = importlib.util.spec_from_file_location("purge_bootstrap", path)
    purge = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(purge)
    committed = purge.PURGED.read_text(encoding="utf-8")
    used = purge.words()
    assert committed.split("\n", 1)[1] == purge.purge(purge.FULL.read_text(), used) + "\n"
    # classes of the page and of the accounts pages are kept, unused components are not
    for kept in (".btn-primary", ".col-12", ".mb-2", ".card", ".alert-danger", ".form-control"):
        assert kept in committed, kept
    assert ".carousel" not in committed and ".offcanvas" not in committed
    assert len(committed) < len(purge.FULL.read_text()) / 4


def test_the_first_view_chunks_are_preloaded_from_the_addresses_dcc_asks_for(client):
    """dcc asks for its chunks at unversioned addresses when a graph or dropdown mounts; the
    page preloads exactly those, so they are fetched (or revalidated) beside the scripts."""
    html = client.get("/").get_data(as_text=True)
    preloads = re.findall(r'<link rel="preload" as="script" href="([^"]+)">', html)
    assert sorted(p.rsplit("/", 1)[1] for p in preloads) == ["async-dropdown.js", "async-graph.js"]
    for url in preloads:
        assert url.startswith("/_dash-component-suites/dash/dcc/")
        assert _get(client, url).status_code == 200
