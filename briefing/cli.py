"""``python -m briefing``: write a briefing pack from the command line (for a scheduled job).

    python -m briefing --scope ML05 --from 2019-10 --to 2019-12 --lang fr \\
        --format pdf,pptx --out DIR

Data: the stored active versions, else the demo data (:func:`analysis.dataset.load_data`),
with the deployment's data-protection policy and publishing key, so a public pack shows the
same published values as the web page. ``--role`` is ``public`` unless ``member`` is asked for
explicitly. Bad arguments exit with status 2 and one line on stderr; the paths written are
printed one a line.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from briefing.pack import FORMATS

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class UsageError(Exception):
    """A bad argument: reported on one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, status 2, no usage block
        raise UsageError(message)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m briefing", description="Write a briefing pack (PDF, PPTX, HTML).")
    p.add_argument(
        "--scope", default="ML", help="ML (or empty) for Mali, or a région p-code (ML05)"
    )
    p.add_argument("--from", dest="start", required=True, help="first month, YYYY-MM")
    p.add_argument("--to", dest="end", required=True, help="last month, YYYY-MM")
    p.add_argument("--lang", default="fr", choices=("fr", "en"))
    p.add_argument("--format", default="pdf,pptx", help=f"comma-separated: {','.join(FORMATS)}")
    p.add_argument("--role", default="public", choices=("public", "member"))
    p.add_argument("--out", default=".", help="folder to write into (created if needed)")
    return p


def _formats(text: str) -> list[str]:
    chosen = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(
            f"--format: {unknown[0] if unknown else text!r} is not one of {', '.join(FORMATS)}"
        )
    return list(dict.fromkeys(chosen))


def _load():
    """The deployment's data and protection policy (the same published values as the page)."""
    from accounts.db import database_from_env
    from accounts.settings import publishing_key
    from analysis.dataset import load_data
    from analysis.protection import policy_from_env
    from data.stores import open_store

    database = database_from_env()
    try:
        key = publishing_key(database)
        return load_data(policy=policy_from_env(key), store=open_store(database))
    finally:
        database.dispose()


def _state(data, scope: str, start: str, end: str, lang: str) -> dict:
    from briefing.content import briefing_state

    scope = scope.strip().upper()
    regions = sorted(data.cubes.units[1])
    if scope not in ("", "ML") and scope not in regions:
        raise UsageError(
            f"--scope {scope!r}: use ML for Mali or a région p-code ({', '.join(regions)})"
        )
    months = data.months
    for flag, month in (("--from", start), ("--to", end)):
        if not MONTH.match(month):
            raise UsageError(f"{flag} {month!r}: a month is written YYYY-MM")
        if month not in months:
            raise UsageError(f"{flag} {month}: the data cover {months[0]} to {months[-1]}")
    if start > end:
        raise UsageError(f"--from {start} is after --to {end}")
    return briefing_state(data, scope, start, end, lang)


def main(argv: Sequence[str] | None = None, data=None) -> int:
    """Run the command; ``data`` may be given by a caller that has it loaded already."""
    try:
        args = parser().parse_args(argv)
        formats = _formats(args.format)
        if args.start and not MONTH.match(args.start):
            raise UsageError(f"--from {args.start!r}: a month is written YYYY-MM")
        if args.end and not MONTH.match(args.end):
            raise UsageError(f"--to {args.end!r}: a month is written YYYY-MM")
        data = data if data is not None else _load()
        state = _state(data, args.scope, args.start, args.end, args.lang)
        try:
            Path(args.out).mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"--out {args.out}: {error.strerror or error}") from error
    except UsageError as error:
        print(f"briefing: {error}", file=sys.stderr)
        return 2
    from briefing.pack import build_pack

    for path in build_pack(data, state, args.role, formats, args.out):
        print(path)
    return 0
