"""The data-quality panel: per-stream summary, unresolved places and their reasons.

:func:`quality_summary` is computed once from the canonical tables when the data are loaded
(see :class:`analysis.dataset.DashboardData`); the other public functions read it back.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import pandas as pd

from data.schemas import STREAMS

if TYPE_CHECKING:
    from analysis.dataset import DashboardData


RESOLUTION_METHODS = ("pcode", "name", "learned", "fuzzy_name", "point", "unresolved")
UNRESOLVED_SAMPLE = 50


def _report_body(report: dict | None) -> dict:
    """The ingest report inside a stored version's metadata (or the report itself)."""
    report = report or {}
    inner = report.get("report")
    return inner if isinstance(inner, dict) else report


def stream_dates(table: pd.DataFrame) -> tuple[str, str]:
    """First and last date of a stream ('' when it has no date column or no date)."""
    column = next((c for c in ("date", "start_date") if c in table), None)
    if column is None and "year" in table:  # population: the census / projection year
        years = pd.to_numeric(table["year"], errors="coerce").dropna()
        return ("", "") if years.empty else (str(int(years.min())), str(int(years.max())))
    if column is None:
        return "", ""
    dates = pd.to_datetime(table[column], errors="coerce").dropna()
    if dates.empty:
        return "", ""
    return dates.min().strftime("%Y-%m-%d"), dates.max().strftime("%Y-%m-%d")


def quality_summary(
    tables: dict[str, pd.DataFrame],
    reports: dict[str, dict],
    origins: dict[str, str],
    is_demo: bool,
) -> dict[str, list[dict]]:
    """What the quality panel shows, computed once from the canonical tables at load."""
    return {
        "rows": _quality_rows(tables, reports, origins, is_demo),
        "reasons": _unresolved_reasons(tables),
        "unresolved": _unresolved_rows(tables, reports),
        "conflicts": _conflict_rows(tables),
    }


def quality_rows(data: DashboardData) -> list[dict]:
    """Per stream: origin, rows read, places resolved by each method, unresolved, date coverage."""
    return [dict(row) for row in data.quality["rows"]]


def unresolved_reasons(data: DashboardData) -> list[dict]:
    """Unresolved rows grouped by stream and reason (the canonical tables' match_note)."""
    return [dict(row) for row in data.quality["reasons"]]


def unresolved_rows(data: DashboardData, limit: int = UNRESOLVED_SAMPLE) -> list[dict]:
    """The first unresolved rows of each stream (at most ``limit`` per stream)."""
    out, per_stream = [], Counter()
    for row in data.quality["unresolved"]:
        per_stream[row["stream"]] += 1
        if per_stream[row["stream"]] <= limit:
            out.append(dict(row))
    return out


def conflict_rows(data: DashboardData, limit: int = UNRESOLVED_SAMPLE) -> list[dict]:
    """Rows whose point and names/codes disagree (``match_conflict``), at most ``limit`` per
    stream: row, where it was placed, and both versions with which one decided."""
    out, per_stream = [], Counter()
    for row in data.quality.get("conflicts", []):
        per_stream[row["stream"]] += 1
        if per_stream[row["stream"]] <= limit:
            out.append(dict(row))
    return out


def _conflict_rows(tables: dict[str, pd.DataFrame]) -> list[dict]:
    out = []
    for stream in STREAMS:
        table = tables.get(stream)
        if table is None or "match_conflict" not in table:
            continue
        conflicts = table[table["match_conflict"].astype("string").fillna("") != ""]
        for _, row in conflicts.iterrows():
            source_row = row.get("source_row")
            out.append(
                {
                    "stream": stream,
                    "row": None if pd.isna(source_row) else int(source_row),
                    "placed": str(row.get("adm2_pcode") or row.get("adm1_pcode") or ""),
                    "conflict": str(row["match_conflict"]),
                }
            )
    return out


def _quality_rows(
    tables: dict[str, pd.DataFrame],
    reports: dict[str, dict],
    origins: dict[str, str],
    is_demo: bool,
) -> list[dict]:
    out = []
    for stream in STREAMS:
        table = tables.get(stream)
        if table is None:
            out.append({"stream": stream, "origin": "missing", "rows": 0, "first": "", "last": ""})
            continue
        methods = table["match_method"].astype("string").fillna("").replace("", "unresolved")
        counts = methods.value_counts()
        report = _report_body(reports.get(stream))
        first, last = stream_dates(table)
        row = {
            "stream": stream,
            "origin": origins.get(stream, "demo" if is_demo else "store"),
            "rows": int(report.get("rows_read", len(table))),
            "accepted": len(table),
            "first": first,
            "last": last,
            "version": str((reports.get(stream) or {}).get("version", "")),
            "file": str(report.get("file", "")),
        }
        for method in RESOLUTION_METHODS:
            row[method] = int(counts.get(method, 0))
        conflicts = table.get("match_conflict", pd.Series(dtype="string"))
        row["conflicts"] = int((conflicts.astype("string").fillna("") != "").sum())
        out.append(row)
    return out


def _unresolved_reasons(tables: dict[str, pd.DataFrame]) -> list[dict]:
    out = []
    for stream in STREAMS:
        table = tables.get(stream)
        if table is None or not len(table):
            continue
        method = table["match_method"].astype("string").fillna("")
        unresolved = table[(method == "unresolved") | (method == "")]
        if unresolved.empty:
            continue
        notes = unresolved["match_note"].astype("string").fillna("").replace("", "?")
        for reason, count in notes.value_counts().items():
            out.append({"stream": stream, "reason": str(reason), "count": int(count)})
    return out


def _unresolved_rows(
    tables: dict[str, pd.DataFrame], reports: dict[str, dict], limit: int = UNRESOLVED_SAMPLE
) -> list[dict]:
    """The first unresolved rows of each stream: row, value, reason and candidate places.

    Taken from the stored ingest report when it lists them (it keeps the value as read and
    the candidates), else from the canonical table (row number and reason only).
    """
    out = []
    for stream in STREAMS:
        table = tables.get(stream)
        listed = _report_body(reports.get(stream)).get("unresolved") or []
        if listed:
            for item in listed[:limit]:
                candidates = item.get("candidates") or []
                if not isinstance(candidates, list):
                    candidates = [candidates]
                out.append(
                    {
                        "stream": stream,
                        "row": item.get("row"),
                        "value": str(item.get("value") or ""),
                        "reason": str(item.get("reason") or ""),
                        "candidates": ", ".join(str(c) for c in candidates),
                    }
                )
            continue
        if table is None or not len(table):
            continue
        method = table["match_method"].astype("string").fillna("")
        unresolved = table[(method == "unresolved") | (method == "")].head(limit)
        for _, row in unresolved.iterrows():
            source_row = row.get("source_row")
            out.append(
                {
                    "stream": stream,
                    "row": None if pd.isna(source_row) else int(source_row),
                    "value": "",
                    "reason": str(row.get("match_note") or ""),
                    "candidates": "",
                }
            )
    return out
