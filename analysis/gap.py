"""Gap analysis: where need is high and the protection response is thin, per sub-sector.

The strategy (OS 3, resource mobilisation) asks for a few proxy indicators of need tracked
through the year and a map of partner presence. This module turns the aggregated cubes' figures
(one value per cercle) into:

* a **need index** (0-1, then 3 classes: the terciles low/medium/high) from three proxies,
  each normalised across cercles:
  - protection incidents per 10,000 inhabitants over the period,
  - displaced people (IDPs + returnees) per 10,000 inhabitants at the end of the period,
  - access constraints recorded over the period (a count: access is about the place, not people);
  default weights 0.4 / 0.4 / 0.2, adjustable; normalisation by percentile rank (default,
  robust to one extreme cercle) or min-max;
* **coverage** per sub-sector: operational partners per 100,000 inhabitants (COD-PS) -
  the strategy has no cercle-level people-in-need figure; pass another denominator if one exists;
* **bivariate classes** need (low/medium/high, terciles of the index) x coverage (low/medium/high,
  terciles among cercles with partners; no partner is always "low"): the *same* classes in the
  map, the priority table, the panel and the briefing, so they can never disagree;
* a **priority table** ordered by one stated rule: need class (high first), then coverage class
  (low first); within the same pair of classes, the higher need index, then the lower coverage
  per 100,000 inhabitants; and **service deserts** (high need and no partner in the sub-sector).

Cercles without population have no per-capita rate: their index is missing ("no data"), never 0.
No Dash import: everything here is plain pandas and tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

DEFAULT_WEIGHTS: dict[str, float] = {"incidents": 0.4, "displacement": 0.4, "access": 0.2}
NEED_CLASSES = 3  # terciles: 1 low, 2 medium, 3 high (the bivariate map's need classes)
TERCILE_LABELS = ("low", "medium", "high")

# 3 x 3 bivariate palette (rows: need low->high, columns: coverage low->high); blue-purple scheme
# readable with the common colour-vision deficiencies (it varies in lightness as well as hue).
BIVARIATE_COLOURS: dict[tuple[int, int], str] = {
    (0, 0): "#e8e8e8",
    (0, 1): "#ace4e4",
    (0, 2): "#5ac8c8",
    (1, 0): "#dfb0d6",
    (1, 1): "#a5add3",
    (1, 2): "#5698b9",
    (2, 0): "#be64ac",
    (2, 1): "#8c62aa",
    (2, 2): "#3b4994",
}


@dataclass(frozen=True)
class NeedSettings:
    """How the need index is built; the defaults are those documented in the app."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    normalise: str = "rank"  # "rank" (percentile) or "minmax"


def average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks of ``values`` (no NaN), ties sharing their average rank, as pandas'
    ``rank(method="average")`` but without its overhead on the ~50-700 units of a map."""
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    sizes = np.diff(np.r_[first, len(values)])
    ranks = np.empty(len(values), dtype=float)
    ranks[order] = (first + (sizes - 1) / 2.0 + 1)[group]
    return ranks


def _normalise(values: np.ndarray, method: str) -> np.ndarray:
    """Values scaled to 0-1 across units (NaN stays NaN): percentile rank or min-max."""
    out = np.full(values.shape, np.nan)
    valid = ~np.isnan(values)
    present = values[valid]
    if present.size == 0:
        return out
    if method not in ("rank", "minmax"):
        raise ValueError(f"unknown normalisation {method!r} (use 'rank' or 'minmax')")
    low, high = present.min(), present.max()
    if high == low:
        out[valid] = 0.0
    elif method == "minmax":
        out[valid] = (present - low) / (high - low)
    else:
        out[valid] = (average_ranks(present) - 1) / (present.size - 1)
    return out


def per_capita(values: pd.Series, population: pd.Series, per: float) -> pd.Series:
    """``values`` per ``per`` inhabitants; missing or zero population gives a missing rate."""
    pop = population.reindex(values.index).astype(float)
    pop = pop.where(pop > 0)
    return values.astype(float) / pop * per


def need_index(
    incidents: pd.Series,
    displaced: pd.Series,
    access: pd.Series,
    population: pd.Series,
    settings: NeedSettings | None = None,
) -> pd.DataFrame:
    """Need index per unit (index = union of the inputs' and the population's units).

    Returns columns incidents_per_10k, displaced_per_10k, access_constraints, the three
    normalised components, ``score`` (0-1, weighted mean of components) and ``need_class`` (1-5,
    equal intervals of the score; missing when the unit has no population).
    """
    settings = settings or NeedSettings()
    weights = {k: float(settings.weights.get(k, 0.0)) for k in DEFAULT_WEIGHTS}
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("need index weights must add up to more than 0")
    units = _union([population.index, incidents.index, displaced.index, access.index])

    def aligned(series: pd.Series) -> np.ndarray:
        if series.index is units or series.index.equals(units):
            return series.to_numpy(dtype=float, na_value=np.nan)
        return series.reindex(units).to_numpy(dtype=float, na_value=np.nan)

    pop = aligned(population)
    pop = np.where(pop > 0, pop, np.nan)

    inc = np.nan_to_num(aligned(incidents)) / pop * 10_000
    dis = np.nan_to_num(aligned(displaced)) / pop * 10_000
    acc = np.where(np.isnan(inc), np.nan, np.nan_to_num(aligned(access)))
    parts = {
        name: _normalise(values, settings.normalise)
        for name, values in (("c_incidents", inc), ("c_displacement", dis), ("c_access", acc))
    }
    score = (
        weights["incidents"] * parts["c_incidents"]
        + weights["displacement"] * parts["c_displacement"]
        + weights["access"] * parts["c_access"]
    ) / total
    columns = {"incidents_per_10k": inc, "displaced_per_10k": dis, "access_constraints": acc}
    ranks = {
        rank: _nullable_int(_rank_highest_first(values))
        for values, rank in zip(
            columns.values(), ("rank_incidents", "rank_displacement", "rank_access"), strict=True
        )
    }
    need_class = _tercile_array(score) + 1
    return pd.DataFrame(
        {**columns, **parts, "score": score, "need_class": need_class, **ranks}, index=units
    )


def _union(indexes: list[pd.Index]) -> pd.Index:
    """``indexes[0].union(indexes[1]).union(...)``, without the unions when every index is the
    first one (the usual case: every input is indexed by the level's units)."""
    first = indexes[0]
    if all(
        i is first or (i.dtype == first.dtype and i.name == first.name and i.equals(first))
        for i in indexes[1:]
    ):
        return first
    units = first
    for index in indexes[1:]:
        units = units.union(index)
    return units


def _rank_highest_first(values: np.ndarray) -> np.ndarray:
    """1 for the highest value among those present (ties share the best rank); NaN stays."""
    present = np.sort(values[~np.isnan(values)])
    ranks = len(present) - np.searchsorted(present, values, side="right") + 1.0
    return np.where(np.isnan(values), np.nan, ranks)


def coverage(partners: pd.Series, denominator: pd.Series, per: float = 100_000) -> pd.Series:
    """Partners per ``per`` people (default per 100,000 inhabitants); missing without people."""
    units = denominator.index.union(partners.index)
    return per_capita(partners.reindex(units).fillna(0), denominator.reindex(units), per)


def terciles(values: pd.Series) -> pd.Series:
    """0/1/2 by percentile rank (ties share a class); missing stays missing."""
    return pd.Series(
        _tercile_array(values.to_numpy(dtype=float, na_value=np.nan)), index=values.index
    )


def _tercile_array(numbers: np.ndarray) -> pd.arrays.IntegerArray:
    """:func:`terciles` of an array of floats (NaN: missing), as a nullable Int64 array."""
    valid = ~np.isnan(numbers)
    classes = np.full(numbers.shape, -1)
    present = numbers[valid]
    if present.size and present.min() == present.max():
        classes[valid] = 1
    elif present.size:
        pct = average_ranks(present) / present.size
        classes[valid] = np.minimum(np.clip((pct * 3 - 1e-9).astype(int), 0, None), 2)
    return pd.arrays.IntegerArray(np.where(valid, classes, 0).astype(np.int64), ~valid)


def coverage_classes(partners: pd.Series, cover: pd.Series) -> pd.Series:
    """Coverage low/medium/high (0/1/2): no partner is always low; terciles among the rest."""
    values = cover.to_numpy(dtype=float, na_value=np.nan)
    has = ~np.isnan(values)
    present = partners.reindex(cover.index).fillna(0).to_numpy(dtype=float, na_value=0.0)
    served = has & (present > 0)
    classes = np.zeros(len(values), dtype=np.int64)
    if served.any():
        classes[served] = np.asarray(_tercile_array(values[served]), dtype=np.int64)
    return pd.Series(pd.arrays.IntegerArray(classes, ~has), index=cover.index)


NEED_DETAIL_COLUMNS = (
    "incidents_per_10k",
    "displaced_per_10k",
    "access_constraints",
    "rank_incidents",
    "rank_displacement",
    "rank_access",
)


def gap_table(
    need: pd.DataFrame,
    partners: pd.Series,
    denominator: pd.Series,
    names: pd.Series | None = None,
    coverage_known: tuple[pd.Series, pd.Series] | None = None,
    extra: dict[str, pd.Series] | None = None,
) -> pd.DataFrame:
    """One row per unit: need, partners, coverage, bivariate class, priority rank, desert flag.

    ``coverage_known``: (coverage per 100,000, coverage classes) when the caller already has
    them (they depend on the sub-sector only, not on the period or weights). ``extra``: more
    columns, each a Series on ``need.index``, added last.

    Rows are ordered by the stated priority rule: need class (high first), then coverage class
    (low first), then the higher need index, then the lower coverage per 100,000 (ties keep the
    unit order). ``priority`` is 1 for the first row; units without data come last, unranked.
    """
    units = need.index
    part = partners.reindex(units).fillna(0).astype(int)
    if coverage_known is None:
        cover = coverage(part, denominator).reindex(units)
        cover3 = coverage_classes(part, cover)
    else:
        cover, cover3 = (known.reindex(units) for known in coverage_known)
    need3 = terciles(need["score"])
    n3 = need3.to_numpy(dtype=float, na_value=np.nan)
    c3 = cover3.to_numpy(dtype=float, na_value=np.nan)
    score = need["score"].to_numpy(dtype=float, na_value=np.nan)
    cover_values = cover.to_numpy(dtype=float, na_value=np.nan)
    both = ~np.isnan(n3) & ~np.isnan(c3)
    ranked = np.flatnonzero(~np.isnan(score) & ~np.isnan(c3))
    # the stated rule; np.lexsort is stable and sorts by its last key first
    ranked = ranked[np.lexsort((cover_values[ranked], -score[ranked], c3[ranked], -n3[ranked]))]
    priority = np.full(len(units), np.nan)
    priority[ranked] = np.arange(1, len(ranked) + 1)
    columns = {
        "name": names.reindex(units) if names is not None else pd.Series(units, index=units),
        "need_score": need["score"],
        "need_class": need["need_class"],
        "need_tercile": need3,
        "partners": part,
        "coverage_per_100k": cover,
        "coverage_tercile": cover3,
        "bivariate": _nullable_int(np.where(both, n3 * 3 + c3, np.nan)),
        "desert": pd.array((n3 == 2) & (part.to_numpy() == 0), dtype="boolean"),
        "priority_gap": _nullable_bool(n3 == 2, np.isnan(n3))
        & _nullable_bool(c3 == 0, np.isnan(c3)),
        **{column: need[column] for column in NEED_DETAIL_COLUMNS},
        "priority": _nullable_int(priority),
        **(extra or {}),
    }
    # rows in priority order; every column is aligned on ``units``, so taken by position
    order = np.concatenate([ranked, np.setdiff1d(np.arange(len(units)), ranked)])
    index = units.take(order)
    index.name = "unit_id"
    return pd.DataFrame({k: _take(v, units, order) for k, v in columns.items()}, index=index)


def _take(values, units: pd.Index, order: np.ndarray):
    """``values`` (a Series, aligned on ``units`` as the frame constructor would, or an array
    in ``units`` order) at positions ``order``, keeping its dtype."""
    if isinstance(values, pd.Series):
        if not (values.index is units or values.index.equals(units)):
            values = values.reindex(units)
        if isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
            values = values.array
        else:
            values = values.to_numpy()
    return values.take(order)


def _nullable_int(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers held as floats (NaN where missing) as a nullable Int64 array."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype("int64"), missing)


def _nullable_bool(values: np.ndarray, missing: np.ndarray) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(values & ~missing, missing)


def service_deserts(table: pd.DataFrame) -> pd.DataFrame:
    """Units with high need (the top need class) and no partner present in the sub-sector."""
    return table[table["desert"]]


def bivariate_colour(code: int | None) -> str | None:
    """Colour of a bivariate class code (need_tercile * 3 + coverage_tercile)."""
    if code is None or pd.isna(code):
        return None
    return BIVARIATE_COLOURS[(int(code) // 3, int(code) % 3)]


METHOD_TEXT: dict[str, str] = {
    "fr": (
        "Indice de besoin (0-1) : moyenne pondérée de trois indicateurs indirects, chacun "
        "normalisé entre cercles par rang centile : incidents de protection pour 10 000 habitants "
        "sur la période (poids 0,4), personnes déplacées internes et retournées pour 10 000 "
        "habitants en fin de période (0,4), contraintes d'accès enregistrées sur la période (0,2). "
        "Classes de besoin : terciles de l'indice (faible, moyen, élevé). Couverture : partenaires "
        "opérationnels du sous-secteur pour 100 000 habitants (population COD-PS) ; classes : "
        "aucun partenaire = faible, sinon terciles. La carte, le tableau, la fiche du cercle et le "
        "briefing utilisent ces mêmes classes. Ordre de priorité : besoin élevé d'abord, puis "
        "couverture faible ; à classes égales, l'indice de besoin le plus élevé, puis la "
        "couverture la plus faible. « Désert de services » : besoin élevé et aucun partenaire. "
        "Cercles sans population : « pas de donnée »."
    ),
    "en": (
        "Need index (0-1): weighted mean of three proxy indicators, each normalised across "
        "cercles by percentile rank: protection incidents per 10,000 inhabitants over the period "
        "(weight 0.4), internally displaced people and returnees per 10,000 inhabitants at the "
        "end of the period (0.4), access constraints recorded over the period (0.2). Need "
        "classes: terciles of the index (low, medium, high). Coverage: operational partners of "
        "the sub-sector per 100,000 inhabitants (COD-PS population); classes: no partner = low, "
        "otherwise terciles. The map, the table, the cercle panel and the briefing use these same "
        "classes. Priority order: high need first, then low coverage; within the same classes, "
        'the higher need index, then the lower coverage. "Service desert": high need and no '
        'partner. Cercles without population: "no data".'
    ),
}
