"""The publishing gate: every number a view may show, given the view state and the viewer's role.

Why one gate: the public view may show sensitive categories only through the protected cells
of the data-protection policy (:mod:`analysis.protection`), and that holds only if *every*
public number (map, hover, key figures, trends, panels, grids, exports, briefing) is computed
by the same rules. Callbacks format what these functions return; none computes a number.

Each public entry point takes ``(data, state, role)``; ``role`` is the viewer's role checked on
the server (``public``, ``member``, ``imo``, ``admin``; anything else is the public). Members
see exact figures. For the public, incident counts come from :mod:`analysis.published` only:
non-sensitive categories exact, sensitive ones as published protected cells when the request
is made of whole cells, else withheld (``WITHHELD``, "réservé aux membres"); the need index
uses no sensitive count at all. Results are memoised with the audience in the cache key, so a
member's answer is never served to the public.

``state`` must be a validated view state (:func:`callbacks.state.clean_state`). No Dash import.
"""

from analysis import queries as q
from analysis.gate.figures import (
    KeyFigures,
    Trend,
    displacement_trend,
    incident_trend,
    key_figures,
    warm,
)
from analysis.gate.maps import INDICATOR_UNITS, Values, indicator_values
from analysis.gate.need import (
    coverage_of,
    gap_columns,
    gap_frame,
    gap_frame_all,
    gap_notes,
    need_frame,
)
from analysis.gate.panels import (
    partner_rows,
    quality_rows,
    unit_notes,
    unit_rows,
    unresolved_rows,
)
from analysis.gate.scope import families_of, map_level, scope_units, selected_categories
from analysis.protection import WITHHELD

__all__ = [
    "INDICATOR_UNITS",
    "WITHHELD",
    "KeyFigures",
    "Trend",
    "Values",
    "coverage_of",
    "displacement_trend",
    "families_of",
    "gap_columns",
    "gap_frame",
    "gap_frame_all",
    "gap_notes",
    "incident_trend",
    "indicator_values",
    "key_figures",
    "map_level",
    "need_frame",
    "partner_rows",
    "quality_rows",
    "q",
    "scope_units",
    "selected_categories",
    "unit_notes",
    "unit_rows",
    "unresolved_rows",
    "warm",
]
