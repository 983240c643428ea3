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

import numpy as np
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


def _distinct(series: pd.Series | None, length: int) -> tuple[np.ndarray, np.ndarray]:
    """(code of each row, its distinct values as str): missing values (or no column) are ""."""
    if series is None:
        return np.zeros(length, dtype=np.int64), np.array([""], dtype=object)
    codes, uniques = pd.factorize(series.astype("string"))
    values = np.append(np.asarray(uniques, dtype=object), "")
    return np.where(codes < 0, len(values) - 1, codes), values


def _category_column(units: pd.Series, row_codes: np.ndarray, index: pd.Index) -> pd.Series:
    """A Categorical column (sorted string categories) of ``units[row_codes]``."""
    units = units.astype("string")
    categories = pd.Index(sorted(set(units)), dtype="string")
    lookup = categories.get_indexer(units)
    return pd.Series(
        pd.Categorical.from_codes(lookup[row_codes], dtype=pd.CategoricalDtype(categories)),
        index=index,
    )


def _units(frame: pd.DataFrame, boundaries: BoundarySet) -> pd.DataFrame:
    """Replace canonical codes by the map units of every level of the boundary set.

    The unit columns are Categorical (sorted string categories, "" for no unit): each distinct
    combination of codes is assigned once, instead of mapping a million strings per level
    (the incident table's transient memory was most of the dashboard's peak).
    """
    length = len(frame)
    parts = [
        _distinct(frame.get(column), length)
        for column in ("adm1_pcode", "adm2_pcode", "adm3_pcode")
    ]
    (c1, v1), (c2, v2), (c3, v3) = parts
    combined = (c1 * len(v2) + c2) * len(v3) + c3
    rows, keys = pd.factorize(combined)
    keys = np.asarray(keys, dtype=np.int64)
    k1, rest = np.divmod(keys, len(v2) * len(v3))
    k2, k3 = np.divmod(rest, len(v3))
    codes = {
        "adm1_pcode": pd.Series(v1[k1], dtype="string"),
        "adm2_pcode": pd.Series(v2[k2], dtype="string"),
        "adm3_pcode": pd.Series(v3[k3], dtype="string"),
    }
    out = pd.DataFrame(index=frame.index)
    for column in unit_columns(boundaries):
        level = int(column[-1])
        if level in boundaries.levels:
            units = boundaries.assign_units(
                codes["adm1_pcode"], codes["adm2_pcode"], level, codes["adm3_pcode"]
            )
        else:
            units = pd.Series("", index=codes["adm1_pcode"].index, dtype="string")
        out[column] = _category_column(units, rows, frame.index)
    return out


def _month(dates: pd.Series) -> pd.Series:
    """First day of each date's month (NaT stays NaT)."""
    return pd.Series(
        dates.to_numpy().astype("datetime64[M]").astype("datetime64[ns]"), index=dates.index
    )


def _ints(series: pd.Series) -> pd.Series:
    """Counts as int64, missing counted as 0 (sums of reported values)."""
    return pd.to_numeric(series, errors="coerce").fillna(0).astype("int64")


def _group_sum(keys: dict[str, pd.Series], measures: dict[str, np.ndarray]) -> pd.DataFrame:
    """``groupby(keys, as_index=False, sort=True, observed=True)[measures].sum()`` over rows
    already filtered, without pandas' per-key code arrays: the keys' codes are combined into one
    integer per row, whose sorted distinct values are the groups in the same order (a
    Categorical key sorts by its categories, which are sorted)."""
    values: list[pd.Index | np.ndarray] = []
    combined = np.zeros(len(next(iter(keys.values()))) if keys else 0, dtype=np.int64)
    for series in keys.values():  # one key's codes at a time (a million rows each)
        if isinstance(series.dtype, pd.CategoricalDtype):
            code, unique = series.cat.codes.to_numpy(), series.cat.categories
        else:
            code, unique = pd.factorize(series, sort=True)
        values.append(unique)
        combined *= max(len(unique), 1)
        combined += code
        del code
    inverse, distinct = pd.factorize(combined)
    del combined
    order = np.argsort(distinct)
    groups = np.asarray(distinct)[order]
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    np.take(rank, inverse, out=inverse)  # group positions in sorted order
    out: dict[str, object] = {}
    rest = groups
    decoded: list[np.ndarray] = []
    for unique in reversed(values):
        rest, code = np.divmod(rest, max(len(unique), 1))
        decoded.append(code)
    for (name, series), code, unique in zip(keys.items(), reversed(decoded), values, strict=True):
        if isinstance(series.dtype, pd.CategoricalDtype):
            out[name] = pd.Categorical.from_codes(code, dtype=series.dtype)
        else:
            out[name] = np.asarray(unique)[code] if len(code) else series.iloc[:0].to_numpy()
    for name, weights in measures.items():
        # bincount sums in float64: exact for counts below 2**53
        summed = np.bincount(inverse, weights=weights, minlength=len(groups))
        out[name] = np.rint(summed).astype(np.int64)
    return pd.DataFrame(out)


def _incidents(table: pd.DataFrame, boundaries: BoundarySet) -> pd.DataFrame:
    frame = _units(table, boundaries)
    frame["month"] = _month(table["date"])
    rows, values = _distinct(table["category"], len(table))
    categories = pd.Series(values, dtype="string")
    frame["category"] = _category_column(categories, rows, table.index)
    by_code = {c: CATEGORY_BY_CODE.get(c) for c in values}
    sectors = pd.Series([v.sector if v else "" for v in by_code.values()], dtype="string")
    frame["sector"] = _category_column(sectors, rows, table.index)
    default = np.array([bool(v and v.sensitive) for v in by_code.values()], dtype=bool)[rows]
    # A row flagged sensitive by its reader stays sensitive even in a non-sensitive category.
    flagged = table["sensitive"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    frame["sensitive"] = flagged | default
    dated = frame["month"].notna().to_numpy()
    keys = [*unit_columns(boundaries), "month", "category", "sector", "sensitive"]
    measures = {
        "events": _ints(table["events"].fillna(1)),
        "victims": _ints(table["victims"]),
        "fatalities": _ints(table["fatalities"]),
    }
    if dated.all():
        return _group_sum(
            {k: frame[k] for k in keys}, {k: v.to_numpy() for k, v in measures.items()}
        )
    return _group_sum(
        {k: frame[k][dated] for k in keys}, {k: v.to_numpy()[dated] for k, v in measures.items()}
    )


def _access(table: pd.DataFrame, boundaries: BoundarySet) -> pd.DataFrame:
    frame = _units(table, boundaries)
    frame["month"] = _month(table["date"])
    frame["constraint_type"] = table["constraint_type"].astype("string").fillna("")
    frame["events"] = _ints(table["events"].fillna(1))
    frame["severity"] = pd.to_numeric(table["severity"], errors="coerce").astype("float64")
    frame = frame[frame["month"].notna()]
    keys = [*unit_columns(boundaries), "month", "constraint_type"]
    return frame.groupby(keys, as_index=False, sort=True, observed=True).agg(
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
    return frame.groupby(keys, as_index=False, sort=True, observed=True)[
        MEASURES_DISPLACEMENT
    ].sum()


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
        frame.groupby(keys, as_index=False, sort=True, observed=True)
        .size()
        .rename(columns={"size": "services"})
    )


def _services(orgs: pd.DataFrame) -> pd.DataFrame:
    units = [c for c in orgs.columns if c.startswith("unit")]
    return orgs.groupby([*units, "sector"], as_index=False, sort=True, observed=True).agg(
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
    out = frame.groupby(units, as_index=False, sort=True, observed=True)["population"].sum()
    out["population"] = out["population"].astype("int64")
    return out


def _categorical(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Key columns as Categorical (sorted categories, so row order and sorting are unchanged),
    with only the categories present (unit columns arrive Categorical from :func:`_units`)."""
    keys = [c for c in frame.columns if c.startswith("unit") or c in columns]
    if not keys:
        return frame
    frame = frame.astype({c: "category" for c in keys})
    for column in keys:
        frame[column] = frame[column].cat.remove_unused_categories()
    return frame


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
        # object values: the map reads one name per unit, and an Arrow-backed string Series
        # builds a scalar on each read (milliseconds for the 700 communes)
        names[level] = pd.Series(
            frame["name"].to_numpy(), index=units[level], name="name", dtype=object
        )
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
