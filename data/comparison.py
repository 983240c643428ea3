"""What a draft import changes: its totals by région against the active version's, and its
unresolved places grouped by the name a person could teach the resolver."""

from __future__ import annotations

import re
from collections import Counter

from data.ingest import MEASURES, UNPLACED
from data.stores.base import VersionRecord
from geo.gazetteer import load_gazetteer

_CANDIDATE = re.compile(r"^(ML\d+)\s+(.*?)(?:\s+\((\d+(?:\.\d+)?)\))?$")


def compare(stream: str, report: dict, active: VersionRecord | None) -> dict:
    """Rows and totals by région of ``report`` (a draft) vs ``active``; ``loss_share`` is the
    share of the active rows the draft would lose (0 when it has as many or more)."""
    names = load_gazetteer().places
    draft_totals = report.get("totals_by_adm1") or {}
    active_totals = (active.report.get("totals_by_adm1") or {}) if active else {}
    active_rows = active.rows if active else 0
    draft_rows = int(report.get("rows_accepted", 0))
    regions = []
    for pcode in sorted(set(draft_totals) | set(active_totals), key=lambda p: (p == UNPLACED, p)):
        before, after = active_totals.get(pcode, {}), draft_totals.get(pcode, {})
        row = {
            "pcode": pcode,
            "name": names[pcode].name if pcode in names else "",
            "active": int(before.get("rows", 0)),
            "draft": int(after.get("rows", 0)),
        }
        row["change"] = row["draft"] - row["active"]
        row["measures"] = {
            m: {"active": before.get(m, 0), "draft": after.get(m, 0)} for m in MEASURES[stream]
        }
        regions.append(row)
    rows_read = int(report.get("rows_read", 0))
    return {
        "active_version": active.id if active else None,
        "rows": {"active": active_rows, "draft": draft_rows},
        "regions": regions,
        "loss_share": max(0.0, (active_rows - draft_rows) / active_rows) if active_rows else 0.0,
        "rejected_share": int(report.get("rows_rejected", 0)) / rows_read if rows_read else 0.0,
    }


def _candidates(text: str) -> list[dict]:
    out = []
    for part in str(text or "").split(";"):
        match = _CANDIDATE.match(part.strip())
        if match:
            score = match.group(3)
            out.append(
                {
                    "pcode": match.group(1),
                    "name": match.group(2),
                    "score": float(score) if score is not None else None,
                }
            )
    return out


def _teachable(entry: dict) -> tuple[str, int, str]:
    """The name that failed, its level and the région it was looked for in ("" anywhere):
    the cercle name when one is given (the most precise thing to teach), else the région's."""
    place = entry.get("place") or {}
    region = entry.get("adm1_pcode") or ""
    if place.get("adm2_name"):
        return place["adm2_name"], 2, region
    if place.get("adm1_name") and not region:
        return place["adm1_name"], 1, ""
    return entry.get("value", ""), 0, region


def unresolved_places(report: dict) -> list[dict]:
    """``report["unresolved"]`` grouped by name, level and parent, most rows first. Level 0:
    a place given only by code or point, which a name mapping cannot fix."""
    counts: Counter = Counter()
    candidates: dict[tuple, list[dict]] = {}
    for entry in report.get("unresolved") or []:
        key = _teachable(entry)
        counts[key] += 1
        candidates.setdefault(key, _candidates(entry.get("candidates", "")))
    return [
        {"name": name, "level": level, "parent": parent, "count": n, "candidates": candidates[k]}
        for k, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        for name, level, parent in [k]
    ]
