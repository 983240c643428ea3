"""Command line import of one file into one stream.

    python -m data.ingest STREAM FILE [--boundaries DIR] [--dry-run] [--json] [--output OUT.csv]
        [--map "Source column=field" ...] [--profile NAME|FILE.toml] [--confirm-loss]
        [--max-bytes N] [--max-rows N] [--max-columns N] [--max-field-chars N]

The import goes through :class:`data.publishing.Publisher`, like the upload screens: the
place names taught in the app (database from ``DATABASE_URL``, else the app's SQLite file)
resolve here too, the stream's lock is held, the import is audited, and a file that would
replace the active version by nothing, lose more than ``MALI_DASHBOARD_MAX_LOSS`` (default 20 %)
of its rows or was mostly rejected is refused unless ``--confirm-loss`` is given.

Exit 0 when the file was read (unresolved places and rejected rows included, they are
reported), 2 when the file is rejected as a whole (unreadable, empty, binary, encrypted, over a
limit, wrong stream, required column missing, not one row readable, a loss not confirmed) or
the boundaries, mapping or profile cannot be used, 1 for an unexpected failure. A rejected
file prints one line on stderr (file, line or row, column, why) and leaves the store
untouched; no traceback ever.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from data.formulas import neutralise
from data.options import ReadOptions, build_options
from data.profiles import ProfileError
from data.readers import READERS, ReadResult
from data.schemas import STREAMS
from data.tabular import TabularError, display_name

MEASURES: dict[str, tuple[str, ...]] = {
    "incidents": ("events", "fatalities", "victims"),
    "displacement": ("idps", "returnees", "repatriated"),
    "services": (),
    "access": ("events",),
    "population": ("population",),
}
UNPLACED = "unresolved"
CLI_USER = "cli"  # who the audit log names for command-line imports


def totals_by_adm1(result: ReadResult) -> dict[str, dict[str, float | int]]:
    """Région p-code -> summed measures (services: distinct partners; access: max severity)."""
    frame = result.frame
    out: dict[str, dict[str, float | int]] = {}
    if frame.empty:
        return out
    keys = frame["adm1_pcode"].replace("", UNPLACED)
    for adm1, group in frame.groupby(keys, sort=True):
        row: dict[str, float | int] = {"rows": len(group)}
        for measure in MEASURES[result.stream]:
            row[measure] = int(group[measure].sum(skipna=True))
        if result.stream == "services":
            row["partners"] = int(group["org_name"].str.casefold().nunique())
        if result.stream == "access" and group["severity"].notna().any():
            row["severity_max"] = float(group["severity"].max())
        out[str(adm1)] = row
    return out


def date_range(result: ReadResult) -> dict[str, str] | None:
    """First and last date of the accepted rows (``YYYY-MM-DD``), None when they have none."""
    columns = [c for c in ("date", "start_date", "end_date") if c in result.frame.columns]
    dates = pd.concat([result.frame[c] for c in columns]).dropna() if columns else None
    if dates is None or dates.empty:
        return None
    return {"first": dates.min().strftime("%Y-%m-%d"), "last": dates.max().strftime("%Y-%m-%d")}


def build_report(result: ReadResult) -> dict:
    """The JSON-able account of one import (also stored next to the version)."""
    return {
        "stream": result.stream,
        "file": display_name(result.path),
        "source_format": result.source_format,
        "rows_read": result.rows_read,
        "rows_accepted": result.rows_accepted,
        "rows_rejected": result.rows_rejected,
        "rejected": [
            {"row": r.row, "column": r.column, "reason": r.reason} for r in result.rejected
        ],
        "unresolved": [
            {
                "row": u.row,
                "value": u.value,
                "reason": u.reason,
                "candidates": u.candidates,
                "adm1_pcode": u.adm1_pcode,
                "place": u.place,
            }
            for u in result.unresolved
        ],
        "flagged": [{"row": r.row, "column": r.column, "reason": r.reason} for r in result.flagged],
        "conflicts": [
            {"row": int(row), "conflict": str(text)}
            for row, text in zip(
                result.frame["source_row"], result.frame["match_conflict"], strict=True
            )
            if text
        ],
        "resolved_by": result.resolved_by(),
        "totals_by_adm1": totals_by_adm1(result),
        "date_range": date_range(result),
        "vintage": result.vintage,
        "vintage_explanation": result.vintage_explanation,
        "warnings": result.warnings,
        "table": result.table_info,
    }


def summary(report: dict, stored: str | None) -> str:
    """A few lines a person can read at the end of an import."""
    lines = [
        f"{report['stream']}: {report['file']} ({report['source_format']}): "
        f"{report['rows_read']} rows read, "
        f"{report['rows_accepted']} accepted, {report['rows_rejected']} rejected, "
        f"{len(report['unresolved'])} with an unresolved place",
        "places resolved by: "
        + ", ".join(f"{k} {v}" for k, v in sorted(report["resolved_by"].items())),
        f"p-code vintage: {report['vintage']} ({report['vintage_explanation']})",
    ]
    for r in report["rejected"][:10]:
        lines.append(f"  rejected row {r['row']} [{r['column']}]: {r['reason']}")
    if len(report["rejected"]) > 10:
        lines.append(f"  ... and {len(report['rejected']) - 10} more rejections (use --json)")
    for u in report["unresolved"][:10]:
        lines.append(f"  unresolved row {u['row']} ({u['value']}): {u['reason']}")
    for c in report["conflicts"][:10]:
        lines.append(f"  point vs names, row {c['row']}: {c['conflict']}")
    for w in report["warnings"]:
        if not w.startswith("p-code vintage"):
            lines.append(f"note: {w}")
    lines.append(f"stored as active version {stored}" if stored else "dry run: nothing stored")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data.ingest", description=__doc__.splitlines()[0]
    )
    parser.add_argument("stream", choices=STREAMS)
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "--boundaries", type=Path, help="COD-AB boundary folder or file for point resolution"
    )
    parser.add_argument("--dry-run", action="store_true", help="read and report, store nothing")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument("--output", type=Path, help="write the canonical rows to this CSV")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar='"Source column=field"',
        help="read a field from a column whose header is not recognised (repeatable)",
    )
    parser.add_argument("--profile", help="a saved column-mapping profile (name or .toml file)")
    parser.add_argument(
        "--confirm-loss",
        action="store_true",
        help="publish even if the file loses many active rows or was mostly rejected",
    )
    for name in ("bytes", "rows", "columns", "field-chars"):
        parser.add_argument(f"--max-{name}", type=int, metavar="N", help=f"limit on {name}")
    return parser


def _options(args: argparse.Namespace) -> ReadOptions:
    """Limits and column overrides from the command line (ValueError on a malformed one)."""
    return build_options(
        args.stream,
        args.map,
        args.profile,
        max_bytes=args.max_bytes,
        max_rows=args.max_rows,
        max_columns=args.max_columns,
        max_field_chars=args.max_field_chars,
    )


def _nothing_readable(result: ReadResult) -> str | None:
    """Why a file none of whose rows could be read is rejected (storing it would empty the
    stream), or None."""
    if result.rows_accepted or not result.rejected:
        return None
    first = result.rejected[0]
    return (
        f"{display_name(result.path)}: none of the {result.rows_read} rows could be read; "
        f"row {first.row}, column {first.column!r}: {first.reason}"
        + (f" (and {len(result.rejected) - 1} more)" if len(result.rejected) > 1 else "")
    )


def _fail(message: str, code: int) -> int:
    print(" ".join(str(message).split()), file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    assert set(READERS) == set(STREAMS)
    boundaries = None
    try:
        if args.boundaries is not None:
            from geo.boundaries import load_boundaries

            boundaries = load_boundaries(args.boundaries)
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        return _fail(f"boundaries {args.boundaries}: {exc}", 2)
    try:
        options = _options(args)
    except (ValueError, ProfileError) as exc:
        return _fail(f"rejected: {exc}", 2)
    name = display_name(args.file)
    try:
        from accounts.db import database_from_env
        from data.publishing import Publisher, PublishRefused

        publisher = Publisher(database_from_env())
        result = publisher.read(args.stream, args.file, options=options, boundaries=boundaries)
    except TabularError as exc:
        return _fail(f"rejected: {exc}", 2)
    except MemoryError:
        return _fail(f"rejected: {name}: not enough memory; lower --max-bytes or split it", 2)
    except Exception as exc:  # noqa: BLE001
        return _fail(f"error: {name}: unexpected {exc.__class__.__name__}: {exc}", 1)
    if (reason := _nothing_readable(result)) is not None:
        return _fail(f"rejected: {reason}", 2)
    report = build_report(result)
    report["file"] = name
    stored = None
    try:
        if args.output is not None:
            neutralise(result.frame).to_csv(args.output, index=False, date_format="%Y-%m-%d")
        if not args.dry_run:
            publisher.check(args.stream, report, confirm=args.confirm_loss)
            draft = publisher.store_draft(result, name, CLI_USER)
            try:
                stored = publisher.publish(draft.id, CLI_USER, confirm=args.confirm_loss).id
            except PublishRefused:
                publisher.discard(draft.id, CLI_USER)  # another import changed the active one
                raise
    except PublishRefused as exc:
        hint = " (--confirm-loss to publish anyway)" if exc.code == "loss" else ""
        return _fail(f"rejected: {name}: {exc}{hint}", 2)
    except Exception as exc:  # noqa: BLE001
        return _fail(f"error: could not write: {exc.__class__.__name__}: {exc}", 1)
    if args.json:
        print(json.dumps({**report, "stored_version": stored}, ensure_ascii=False, default=str))
    else:
        print(summary(report, stored))
    return 0


if __name__ == "__main__":
    sys.exit(main())
