"""The one place where readers resolve places and assemble their :class:`ReadResult`.

Every reader hands over its converted columns and the place columns; rejected rows are dropped
here, the rest are resolved with :class:`geo.resolve.PlaceResolver` (unresolved rows are kept)
and conformed to the stream's canonical schema.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from data.formulas import formula_cells
from data.options import ReadOptions
from data.readers.base import Converter, ReadResult, Rejection, Unresolved, places_frame
from data.schemas import SCHEMAS, conform
from geo.boundaries import BoundarySet
from geo.default import default_boundaries
from geo.gazetteer import load_gazetteer
from geo.learned import LearnedName
from geo.resolve import PLACE_FIELDS, PlaceResolver


@lru_cache(maxsize=1)
def _default_resolver() -> PlaceResolver:
    return PlaceResolver(load_gazetteer(), default_boundaries())


def resolver_for(
    boundaries: BoundarySet | None = None, learned: tuple[LearnedName, ...] = ()
) -> PlaceResolver:
    """The resolver on the embedded boundaries (cached) or on a user-supplied set, knowing
    the place names taught in the app."""
    if boundaries is None and not learned:
        return _default_resolver()
    return PlaceResolver(load_gazetteer(), boundaries or default_boundaries(), learned)


def _place_text(places: pd.DataFrame, row: object) -> str:
    fields = _place_fields(places, row)
    return ", ".join(f"{column}={value}" for column, value in fields.items()) or "(no place given)"


def _place_fields(places: pd.DataFrame, row: object) -> dict[str, str]:
    """The place names and codes a row gives, as written (what a person may teach)."""
    out = {}
    for column in PLACE_FIELDS:
        if column in places:
            value = places.at[row, column]
            if value is not None and not pd.isna(value) and str(value).strip():
                out[column] = str(value).strip()
    return out


def finish(
    stream: str,
    conv: Converter,
    values: pd.DataFrame,
    source_format: str,
    boundaries: BoundarySet | None = None,
    keep: pd.Series | None = None,
    options: ReadOptions | None = None,
) -> ReadResult:
    """Drop rejected rows (and rows not in ``keep``), resolve places, conform to the schema."""
    table = conv.table
    bad = {r.row for r in conv.rejected}
    mask = ~values.index.isin(list(bad))
    if keep is not None:
        mask &= keep.reindex(values.index, fill_value=False).to_numpy(dtype=bool)
    values = values[mask]
    places = places_frame(conv).loc[values.index]
    resolution = resolver_for(boundaries, options.learned if options else ()).resolve(places)
    rows = resolution.rows
    frame = values.copy()
    frame["source_row"] = values.index.astype("int64")
    for column in (
        "adm1_pcode",
        "adm2_pcode",
        "adm3_pcode",
        "commune_pcode",
        "match_method",
        "match_note",
        "precision",
        "match_conflict",
    ):
        frame[column] = rows[column]
    unresolved = [
        Unresolved(
            row=int(row),
            value=_place_text(places, row),
            reason=str(
                rows.at[row, "unresolved_reason"] or rows.at[row, "match_note"] or "no place given"
            ),
            candidates=str(rows.at[row, "candidates"]),
            adm1_pcode=str(rows.at[row, "adm1_pcode"]),
            place=_place_fields(places, row),
        )
        for row in rows.index
        if rows.at[row, "match_method"] == "unresolved" or rows.at[row, "unresolved_reason"]
    ]
    warnings = list(table.warnings)
    flagged = [
        Rejection(row, column, f"formula-like text {text[:60]!r} kept as text")
        for row, column, text in formula_cells(table.frame, sorted(set(conv.mapping.values())))
        if row not in bad
    ]
    if flagged:
        warnings.append(
            f"{len(flagged)} cell(s) look like spreadsheet formulas (first: row "
            f"{flagged[0].row}, column {flagged[0].column!r}); kept as text, neutralised in exports"
        )
    if len(frame):
        warnings.append(
            f"p-code vintage {resolution.vintage.vintage}: {resolution.vintage.explanation}"
        )
    canonical = conform(frame.reset_index(drop=True), SCHEMAS[stream])
    return ReadResult(
        stream=stream,
        path=table.path,
        frame=canonical,
        rows_read=len(table.frame),
        rejected=sorted(conv.rejected, key=lambda r: (r.row, r.column)),
        unresolved=unresolved,
        flagged=flagged,
        warnings=warnings,
        vintage=resolution.vintage.vintage,
        vintage_explanation=resolution.vintage.explanation,
        source_format=source_format,
        table_info={
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "sheet": table.sheet,
            "hxl": "yes" if table.hxl else "no",
        },
    )
