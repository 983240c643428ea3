"""Pre-aggregated cubes: the only data the dashboard's callbacks filter and sum.

Why: callbacks must answer in milliseconds and must not know about p-code vintages or the
Ménaka roll-up. The canonical tables are aggregated once (at start-up or after an import) to
map units of a :class:`~geo.boundaries.BoundarySet`, at région level (``unit1``), at
cercle level (``unit2``, "" when a row is known only at région level, or when the set has no
cercle level) and, for a set with communes, at commune level (``unit3``). Rows whose place
did not resolve keep ``unit1 == ""``; queries indexed by unit drop them, so they never land
on a wrong polygon.

Unit, category, sector and constraint-type columns are stored as pandas ``Categorical`` (integer
codes), not as Arrow-backed strings: every filter a query makes on them is then a comparison of
small integers instead of a string take. The incident and access cubes are also laid out as
dense arrays per level (:mod:`analysis.dense`), which is what :mod:`analysis.queries` sums.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.dense import DenseCube, build_levels
from data.schemas import SCHEMAS
from data.vocab import CATEGORY_BY_CODE
from geo.boundaries import BoundarySet

# 3W statuses that count as a partner being present (unknown status is given the benefit).
ACTIVE_STATUSES = ("ongoing", "")
MEASURES_DISPLACEMENT = ["idps", "returnees", "repatriated"]
MEASURES_INCIDENTS = ("events", "victims", "fatalities")
MEASURES_ACCESS = ("events",)


@dataclass(frozen=True)
class Cubes:
    """Small aggregated frames plus the ordered unit ids of each level (for reindexing).

    ``displacement`` keeps a ``place`` column (the finest canonical code of the row) because
    "latest report per place" must be decided per reporting place, not per map unit; it is an
    opaque key for :mod:`analysis.queries`, not something callbacks should filter on.
    ``service_orgs`` keeps one row per unit x sector x organisation so that distinct partner
    counts can be taken at any level (distinct counts do not add up across cercles).
    ``incident_arrays``/``access_arrays`` are the same incident and access cubes as dense
    arrays per level (see :class:`~analysis.dense.DenseCube`); queries fall back to the frames
    for a level without arrays, so a ``Cubes`` built by hand still answers.
    """

    incidents: pd.DataFrame
    access: pd.DataFrame
    displacement: pd.DataFrame
    services: pd.DataFrame
    service_orgs: pd.DataFrame
    population: pd.DataFrame
    units: dict[int, pd.Index] = field(default_factory=dict)
    names: dict[int, pd.Series] = field(default_factory=dict)
    parents: dict[int, pd.Series] = field(default_factory=dict)
    incident_arrays: dict[int, DenseCube] = field(default_factory=dict)
    access_arrays: dict[int, DenseCube] = field(default_factory=dict)

    def unit_column(self, level: int) -> str:
        """Cube column holding the unit ids of ``level`` (1 -> unit1, 2 -> unit2)."""
        if level not in self.units:
            raise ValueError(f"no admin level {level} in these cubes (have {sorted(self.units)})")
        return f"unit{level}"


def unit_columns(boundaries: BoundarySet) -> list[str]:
    """``unit1``, ``unit2`` and, for a set with communes, ``unit3``."""
    return [f"unit{level}" for level in range(1, max(2, boundaries.finest_level) + 1)]


def _units(frame: pd.DataFrame, boundaries: BoundarySet) -> pd.DataFrame:
    """Replace canonical codes by the map units of every level of the boundary set."""
    codes = {
        column: frame[column].astype("string").fillna("")
        if column in frame
        else pd.Series("", index=frame.index, dtype="string")
        for column in ("adm1_pcode", "adm2_pcode", "adm3_pcode")
    }
    out = pd.DataFrame(index=frame.index)
    for column in unit_columns(boundaries):
        level = int(column[-1])
        if level in boundaries.levels:
            units = boundaries.assign_units(
                codes["adm1_pcode"], codes["adm2_pcode"], level, codes["adm3_pcode"]
            )
            out[column] = units.astype("string")
        else:
            out[column] = pd.Series("", index=frame.index, dtype="string")
    return out


def _month(dates: pd.Series) -> pd.Series:
    """First day of each date's month (NaT stays NaT)."""
    return pd.Series(
        dates.to_numpy().astype("datetime64[M]").astype("datetime64[ns]"), index=dates.index
    )


def _ints(series: pd.Series) -> pd.Series:
    """Counts as int64, missing counted as 0 (sums of reported values)."""
    return pd.to_numeric(series, errors="coerce").fillna(0).astype("int64")


def _incidents(table: pd.DataFrame, boundaries: BoundarySet) -> pd.DataFrame:
    frame = _units(table, boundaries)
    frame["month"] = _month(table["date"])
    frame["category"] = table["category"].astype("string").fillna("")
    by_code = {c: CATEGORY_BY_CODE[c] for c in frame["category"].unique() if c in CATEGORY_BY_CODE}
    sectors = frame["category"].map({c: v.sector for c, v in by_code.items()})
    frame["sector"] = sectors.fillna("").astype("string")
    default = frame["category"].map({c: v.sensitive for c, v in by_code.items()}).fillna(False)
    # A row flagged sensitive by its reader stays sensitive even in a non-sensitive category.
    frame["sensitive"] = table["sensitive"].astype("boolean").fillna(False) | default.astype(bool)
    frame["sensitive"] = frame["sensitive"].astype(bool)
    frame["events"] = _ints(table["events"].fillna(1))
    frame["victims"] = _ints(table["victims"])
    frame["fatalities"] = _ints(table["fatalities"])
    frame = frame[frame["month"].notna()]
    keys = [*unit_columns(boundaries), "month", "category", "sector", "sensitive"]
    return frame.groupby(keys, as_index=False, sort=True)[["events", "victims", "fatalities"]].sum()


def _access(table: pd.DataFrame, boundaries: BoundarySet) -> pd.DataFrame:
    frame = _units(table, boundaries)
    frame["month"] = _month(table["date"])
    frame["constraint_type"] = table["constraint_type"].astype("string").fillna("")
    frame["events"] = _ints(table["events"].fillna(1))
    frame["severity"] = pd.to_numeric(table["severity"], errors="coerce").astype("float64")
    frame = frame[frame["month"].notna()]
    keys = [*unit_columns(boundaries), "month", "constraint_type"]
    return frame.groupby(keys, as_index=False, sort=True).agg(
        events=("events", "sum"), severity=("severity", "max")
    )


def _displacement(table: pd.DataFrame, boundaries: BoundarySet) -> pd.DataFrame:
    frame = _units(table, boundaries)
    adm2 = table["adm2_pcode"].astype("string").fillna("")
    frame["place"] = adm2.where(adm2 != "", table["adm1_pcode"].astype("string").fillna(""))
    frame["date"] = table["date"]
    for measure in MEASURES_DISPLACEMENT:
        frame[measure] = _ints(table[measure])
    frame = frame[frame["date"].notna()]
    keys = [*unit_columns(boundaries), "place", "date"]
    return frame.groupby(keys, as_index=False, sort=True)[MEASURES_DISPLACEMENT].sum()


def _service_orgs(table: pd.DataFrame, boundaries: BoundarySet) -> pd.DataFrame:
    frame = _units(table, boundaries)
    frame["sector"] = table["sector"].astype("string").fillna("")
    name = table["org_name"].astype("string").fillna("").str.strip()
    acronym = table["org_acronym"].astype("string").fillna("").str.strip()
    frame["org"] = name.where(name != "", acronym).str.casefold()
    status = table["status"].astype("string").fillna("").str.strip().str.lower()
    frame = frame[status.isin(ACTIVE_STATUSES) & (frame["org"] != "")]
    keys = [*unit_columns(boundaries), "sector", "org"]
    return (
        frame.groupby(keys, as_index=False, sort=True).size().rename(columns={"size": "services"})
    )


def _services(orgs: pd.DataFrame) -> pd.DataFrame:
    units = [c for c in orgs.columns if c.startswith("unit")]
    return orgs.groupby([*units, "sector"], as_index=False, sort=True).agg(
        partners=("org", "nunique"), services=("services", "sum")
    )


def _population(table: pd.DataFrame, boundaries: BoundarySet) -> pd.DataFrame:
    """Latest year per canonical place, summed per unit."""
    frame = _units(table, boundaries)
    frame["place"] = table["adm1_pcode"].astype(str) + "/" + table["adm2_pcode"].astype(str)
    frame["year"] = pd.to_numeric(table["year"], errors="coerce").fillna(-1)
    frame["population"] = pd.to_numeric(table["population"], errors="coerce")
    frame = frame[frame["population"].notna()]
    latest = frame.groupby("place")["year"].transform("max")
    frame = frame[frame["year"] == latest]
    units = unit_columns(boundaries)
    out = frame.groupby(units, as_index=False, sort=True)["population"].sum()
    out["population"] = out["population"].astype("int64")
    return out


def _categorical(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Key columns as Categorical (sorted categories, so row order and sorting are unchanged)."""
    keys = [c for c in frame.columns if c.startswith("unit") or c in columns]
    return frame.astype({c: "category" for c in keys}) if keys else frame


def _table(tables: dict[str, pd.DataFrame], stream: str) -> pd.DataFrame:
    table = tables.get(stream)
    return SCHEMAS[stream].empty() if table is None else table


def build_cubes(tables: dict[str, pd.DataFrame], boundaries: BoundarySet) -> Cubes:
    """Aggregate the canonical tables (see :mod:`data.schemas`) to the units of ``boundaries``.

    Missing streams give empty cubes, so the dashboard can run with any subset of data.
    """
    orgs = _service_orgs(_table(tables, "services"), boundaries)
    units: dict[int, pd.Index] = {}
    names: dict[int, pd.Series] = {}
    parents: dict[int, pd.Series] = {}
    for level in sorted(boundaries.levels):
        frame = boundaries.level(level)
        units[level] = pd.Index(frame["unit_id"].astype(str), name="unit")
        names[level] = pd.Series(frame["name"].to_numpy(), index=units[level], name="name")
        parents[level] = pd.Series(
            frame["parent_id"].astype(str).to_numpy(), index=units[level], name="parent"
        )
    incidents = _categorical(
        _incidents(_table(tables, "incidents"), boundaries), "category", "sector"
    )
    access = _categorical(_access(_table(tables, "access"), boundaries), "constraint_type")
    return Cubes(
        incidents=incidents,
        access=access,
        displacement=_categorical(_displacement(_table(tables, "displacement"), boundaries)),
        services=_categorical(_services(orgs), "sector"),
        service_orgs=_categorical(orgs, "sector"),
        population=_categorical(_population(_table(tables, "population"), boundaries)),
        units=units,
        names=names,
        parents=parents,
        incident_arrays=build_levels(
            incidents, units, "category", MEASURES_INCIDENTS, group_column="sector"
        ),
        access_arrays=build_levels(
            access, units, "constraint_type", MEASURES_ACCESS, maxima=("severity",)
        ),
    )


__all__ = ["ACTIVE_STATUSES", "MEASURES_ACCESS", "MEASURES_INCIDENTS", "Cubes", "build_cubes"]
