"""Every component id of the dashboard, in one place (layouts and callbacks import from here)."""

from __future__ import annotations

# page-level
URL = "url"
STATE = "state"  # dcc.Store: the canonical view state (filters, selection, language, mode)
ROUTER_DOMAIN = "router-domain"  # dcc.Store: valid state values, for the router in the browser
MAP_KEY = "map-key"  # dcc.Store: which geometry the map figure currently draws
# dcc.Stores holding the part of the state one group of views reads (see callbacks.state
# SLICES): the router sets one only when its content changes, so a filter change fires only
# the callbacks whose output can change.
UI_STATE = "state-ui"  # language, mode, tab: page texts and which view is shown
MAP_STATE = "state-map"
FIGURES_STATE = "state-figures"  # key figures and the families note
TREND_STATE = "state-trend"  # incident trend
DISPLACEMENT_STATE = "state-displacement"  # displacement trend
PANEL_STATE = "state-panel"  # selected unit panel and its partners
GAP_STATE = "state-gap"
QUALITY_STATE = "state-quality"
BRIEFING_STATE = "state-briefing"
ROOT = "root"
DOWNLOAD = "download"
DOWNLOAD_PACK = "download-pack"  # the briefing pack (PDF / PPTX)
PACK_PDF = "pack-pdf"
PACK_PPTX = "pack-pptx"
TEXT = "t"  # pattern-matching type of translatable text nodes: {"type": TEXT, "key": ...}

# header
LOGIN_LINK = "login-link"
LOGOUT = "logout"
IMPORTS_LINK = "imports-link"
PROTECTION_NOTE = "protection-note"
LANG = "lang"
BRIEFING_BUTTON = "briefing-button"
DEMO_BADGE = "demo-badge"
DATA_PERIOD = "data-period"
ATTRIBUTION = "attribution"
COPY_LINK = "copy-link"  # "Copier le lien": copies the URL of the view
COPY_LINK_STATUS = "copy-link-status"
COPY_LINK_URL = "copy-link-url"  # read-only input: the fallback without clipboard API

# filters
LEVEL = "filter-level"
REGION = "filter-region"
START = "filter-start"
END = "filter-end"
PRESET = "filter-preset"
CATEGORIES = "filter-categories"
SECTOR = "filter-sector"
INDICATOR = "filter-indicator"
COUNTRY_BUTTON = "country-button"
WEIGHT_INCIDENTS = "weight-incidents"  # need-index weights (gap view)
WEIGHT_DISPLACEMENT = "weight-displacement"
WEIGHT_ACCESS = "weight-access"
# The text box next to each weight slider: typed the page's way ("0,5" in French).
WEIGHT_INCIDENTS_BOX = "weight-incidents-box"
WEIGHT_DISPLACEMENT_BOX = "weight-displacement-box"
WEIGHT_ACCESS_BOX = "weight-access-box"
HTML_LANG = "html-lang"  # dcc.Store: the language last written to <html lang>

# views
TABS = "tabs"
MAP = "map"
MAP_TITLE = "map-title"
MAP_PNG = "map-png"  # button: the map as a PNG document (title, keys, source, demo mark)
GAP_MAP_PNG = "gap-map-png"
KEY_FIGURES = "key-figures"  # the tiles, laid out once (layouts.tables.key_figure_grid)
KF_VALUE = "kf-value"  # pattern-matching type: {"type": KF_VALUE, "key": "ind_incidents"}
KF_CHANGE = "kf-change"  # the tile's change against the previous period
TREND_INCIDENTS = "trend-incidents"
TREND_DISPLACEMENT = "trend-displacement"
UNIT_PANEL = "unit-panel"
UNIT_EXPORT = "unit-export"  # CSV
UNIT_EXPORT_XLSX = "unit-export-xlsx"
UNIT_PARTNERS = "unit-partners"  # AG Grid: partners present in the selected unit
UNIT_PARTNERS_BOX = "unit-partners-box"
KEY_FIGURES_NOTE = "key-figures-note"  # which counting systems the incident figures add up
KF_FAMILIES = "kf-families"
KF_OVERLAP = "kf-overlap"  # caution when several counting systems are added up
KF_PROTECTION = "kf-protection"  # what the public is told about sensitive categories
QUALITY = "quality"  # notes above the quality grids (demo data, population fallback)
QUALITY_GRID = "quality-grid"
QUALITY_REASONS = "quality-reasons"
QUALITY_UNRESOLVED = "quality-unresolved"
QUALITY_CONFLICTS = "quality-conflicts"  # rows whose point contradicts their name or p-code
QUALITY_CONFLICTS_BOX = "quality-conflicts-box"
QUALITY_DETAILS = "quality-details"  # reasons + first unresolved rows (hidden when none)
GAP_MAP = "gap-map"
GAP_MAP_KEY = "gap-map-key"  # dcc.Store: which geometry the gap map currently draws
DISPLACEMENT_KEY = "displacement-key"  # dcc.Store: which scope the displacement chart draws
GAP_TABLE = "gap-table"  # AG Grid: priority cercles
GAP_DESERTS = "gap-deserts"
GAP_EXPORT = "gap-export"  # CSV
GAP_EXPORT_XLSX = "gap-export-xlsx"
GAP_METHOD = "gap-method"
BRIEFING_PRIORITIES = "briefing-priorities"
VIEW_SWITCH = "view-switch"  # dcc.Tabs without a tab bar: mounts only the shown view
VIEW_OVERVIEW = "view-overview"
VIEW_GAP = "view-gap"
VIEW_QUALITY = "view-quality"
FOOTER_NOTE = "footer-note"
