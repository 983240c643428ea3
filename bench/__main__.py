"""``python -m bench [--quick | --tiny] [--json PATH]``: the dashboard's performance harness.

Full run: 10k, 100k and 1M incidents at cercle and commune level (a few minutes).
``--quick``: 10k and 100k only (no "1M" in the JSON). ``--tiny``: 1k incidents, few changes,
small ingest; what ``tests/test_bench.py`` runs so the harness cannot rot.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.run import Options, run


def options_for(quick: bool = False, tiny: bool = False) -> Options:
    if tiny:
        return Options(sizes=[1000], changes=6, ingest_points=20_000)
    if quick:
        return Options(sizes=[10_000, 100_000])
    return Options()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="10k and 100k incidents only")
    mode.add_argument("--tiny", action="store_true", help="1k incidents, a handful of changes")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--changes", type=int, help="filter changes per level and size")
    parser.add_argument("--no-commune", action="store_true", help="cercle level only")
    args = parser.parse_args(argv)
    options = options_for(args.quick, args.tiny)
    options.log = lambda text: print(text, file=sys.stderr, flush=True)
    if args.changes:
        options.changes = args.changes
    if args.no_commune:
        options.commune_dir = None
    from bench.report import render, summary

    result, notes = run(options)
    print(render(result, notes))
    document = summary(result)
    if args.json:
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    print(json.dumps(document))
    return 0


if __name__ == "__main__":
    sys.exit(main())
