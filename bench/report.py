"""The printed table: each measure, its value, the issue's target and whether it is met.

Why separate from the measuring: the table is for people (units, context, which phase holds
the memory); the JSON is for machines and keeps exactly the issue's shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.run import Notes, percentiles

Row = tuple[str, str, str, str]


def _ok(flag: bool | None) -> str:
    return "n/a" if flag is None else ("yes" if flag else "NO")


def _kb(n: int) -> str:
    return f"{n / 1024:,.1f} KB"


def _targets() -> dict[str, tuple[str, Callable[[float], bool]]]:
    return {
        "callback cercle": ("p95 ≤ 25 ms", lambda v: v <= 25),
        "callback commune": ("p95 ≤ 40 ms", lambda v: v <= 40),
        "update cercle": ("≤ 5 KB gzip", lambda v: v <= 5 * 1024),
        "update commune": ("≤ 15 KB gzip", lambda v: v <= 15 * 1024),
        "first cercle": ("≤ 80 KB gzip", lambda v: v <= 80 * 1024),
    }


def rows(result: dict, notes: Notes) -> list[Row]:
    """(measure, value, target, met?) rows, in the order of the issue."""
    targets = _targets()
    out: list[Row] = []
    ingest = result["ingest_points_per_s"]
    extra = notes.extra.get("ingest", {})
    out.append(
        (
            f"ingest: locate() {extra.get('points', 0):,} points to cercles (full geometry)",
            f"{ingest:,.0f} pts/s",
            "≥ 1,000,000 pts/s",
            _ok(ingest >= 1_000_000),
        )
    )
    if extra:
        out.append(
            (
                "ingest: PlaceResolver.resolve() same points",
                f"{extra['resolve_rows_per_s']:,.0f} rows/s",
                "",
                "",
            )
        )
    for key, value in notes.extra.get("resolve_rows_per_s", {}).items():
        out.append((f"  resolve() synthetic set, {key}", f"{value:,.0f} rows/s", "", ""))
    startup = result["startup_s"]
    if "default" in startup:
        out.append(
            (
                "startup: import app + create_app() on default data (fresh process)",
                f"{startup['default']:.2f} s",
                "≤ 3 s",
                _ok(startup["default"] <= 3),
            )
        )
    if "1M" in startup:
        out.append(
            (
                "startup: build_cubes + create_app, 1M incidents (cubes INCLUDED)",
                f"{startup['1M']:.2f} s",
                "",
                "",
            )
        )
    for name in ("cercle", "commune"):
        levels = result["callback_ms"].get(name)
        if not levels:
            out.append((f"callback {name}", "skipped", "", ""))
            continue
        target, met = targets[f"callback {name}"]
        for size, pct in levels.items():
            base = result["baseline"]["callback_ms"][name][size]
            out.append(
                (
                    f"callback {name} {size}: p50 / p95 (all callbacks of one change)",
                    f"{pct['p50']:.1f} / {pct['p95']:.1f} ms",
                    target,
                    _ok(met(pct["p95"])),
                )
            )
            out.append(
                (
                    f"  baseline {name} {size}: p50 / p95",
                    f"{base['p50']:.1f} / {base['p95']:.1f} ms",
                    "",
                    "",
                )
            )
        speedup = result["speedup_p95"].get(name)
        if speedup is not None:
            out.append(
                (
                    f"speedup p95 {name} (largest size)",
                    f"{speedup:.1f}x",
                    "≥ 20x" if name == "cercle" else "",
                    _ok(speedup >= 20) if name == "cercle" else "",
                )
            )
        first = result["first_map_bytes"][name]
        key = f"first {name}"
        target, met = targets.get(key, ("", None))  # type: ignore[assignment]
        out.append(
            (
                f"first map {name}: raw / gzip (map response + geometry)",
                f"{_kb(first['raw'])} / {_kb(first['gzip'])}",
                target,
                _ok(met(first["gzip"])) if met else "",
            )
        )
        base = result["baseline"]["first_map_bytes"][name]
        out.append(
            (
                f"  baseline {name} first map: raw / gzip",
                f"{_kb(base['raw'])} / {_kb(base['gzip'])}",
                "",
                "",
            )
        )
        update = result["update_bytes"][name]
        target, met = targets[f"update {name}"]
        out.append(
            (
                f"update {name}: indicator change, ALL responses raw / gzip",
                f"{_kb(update['raw'])} / {_kb(update['gzip'])}",
                target,
                _ok(met(update["gzip"])),
            )
        )
        details = notes.extra.get("updates", {}).get(name, {})
        for kind in ("indicator", "period"):
            exchange = details.get(kind)
            if exchange is None:
                continue
            parts = sorted(exchange.requests, key=lambda r: -r.gzip_bytes)[:4]
            text = ", ".join(
                f"{r.output.strip('.').split('.')[0]} {_kb(r.gzip_bytes)}" for r in parts
            )
            out.append((f"  {kind} change: largest responses (gzip)", text, "", ""))
            if kind == "period":
                out.append(
                    (
                        "  period change: ALL responses raw / gzip",
                        f"{_kb(exchange.raw_bytes)} / {_kb(exchange.gzip_bytes)}",
                        "",
                        "",
                    )
                )
        base = result["baseline"]["update_bytes"][name]
        out.append(
            (
                f"  baseline {name} update: raw / gzip",
                f"{_kb(base['raw'])} / {_kb(base['gzip'])}",
                "",
                "",
            )
        )
    peak = result["peak_rss_mb"]
    served = "1M" in notes.extra.get("startup_rss", {})
    out.append(
        (
            "peak RSS, dashboard process serving 1M incidents"
            if served
            else "peak RSS of this run (harness included)",
            f"{peak:,.0f} MB",
            "≤ 600 MB",
            _ok(peak <= 600),
        )
    )
    harness = notes.extra.get("harness_maxrss_mb")
    if harness is not None and served:
        out.append(("  peak RSS of the harness process (all phases)", f"{harness:,.0f} MB", "", ""))
    for name, value in notes.extra.get("startup_rss", {}).items():
        out.append((f"  peak RSS of the startup child ({name})", f"{value:,.0f} MB", "", ""))
    return out


def render(result: dict, notes: Notes) -> str:
    """The whole printed report: the table, per-control times, phases, notes."""
    table = rows(result, notes)
    widths = [max(len(r[i]) for r in table) for i in range(4)]
    header = ("measure", "value", "target", "met?")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in table]
    lines.append("")
    lines.append(
        "CPU time of the same changes (p50 / p95 ms; robust when other jobs share the cores):"
    )
    for key, pct in notes.extra.get("cpu_ms", {}).items():
        lines.append(f"  {key}: {pct['p50']:.1f} / {pct['p95']:.1f}")
    lines.append("")
    lines.append("first visits only (a revisited state may come from the app's aggregate cache):")
    for key, (pct, fresh, total) in notes.extra.get("first_visit_ms", {}).items():
        text = "none" if pct is None else f"{pct['p50']:.1f} / {pct['p95']:.1f} ms"
        lines.append(f"  {key}: {text} over {fresh} of {total} changes")
    lines.append("")
    lines.append("callback time by changed control (p50 / p95 ms, n):")
    for key, controls in notes.extra.get("by_control", {}).items():
        parts = []
        for control, values in sorted(controls.items()):
            pct = percentiles(values)
            parts.append(f"{control} {pct['p50']:.0f}/{pct['p95']:.0f} ({len(values)})")
        lines.append(f"  {key}: " + "; ".join(parts))
    lines.append("")
    lines.append("phases (wall time, peak RSS after the phase):")
    for name, seconds, rss in notes.phases:
        lines.append(f"  {name:<44} {seconds:8.1f} s {rss:8.0f} MB")
    lines.append(
        f"HTTP statuses of all callback requests: {notes.statuses} "
        "(204/empty 200 = every output no_update, by design)"
    )
    lines += notes.lines
    return "\n".join(lines)


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """The JSON document: exactly the issue's keys."""
    keys = (
        "ingest_points_per_s",
        "startup_s",
        "callback_ms",
        "first_map_bytes",
        "update_bytes",
        "peak_rss_mb",
        "baseline",
        "speedup_p95",
    )
    return {k: result[k] for k in keys}
