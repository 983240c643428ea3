"""Start-up time of the dashboard, each measured in a fresh Python process.

Why a subprocess: ``create_app`` caches display geometry per boundary set and imports are paid
once per process, so timing it inside the harness (after other apps were built) would flatter
it. ``default`` times what a server start does: import the app module and ``create_app()`` on
the default data (demonstration data when the store is empty; the store is pointed at an empty
folder). ``tables`` times ``build_cubes`` + ``DashboardData`` + ``create_app(data)`` on
incident tables prepared beforehand (loading the pickle and the boundaries is not timed), then
serves a page load and 50 filter changes: its peak RSS is that of a dashboard process serving
those incidents, the figure the harness reports as ``peak_rss_mb``.

Run by the harness as ``python -m bench.startup default`` / ``... tables PATH [--boundaries DIR]``;
prints one JSON line ``{"seconds": ..., "maxrss_mb": ...}``.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SERVED_CHANGES = 50


def _maxrss_mb() -> float:
    """Peak RSS of this process since exec (VmHWM; ru_maxrss would include the parent's at fork)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _default() -> float:
    start = time.perf_counter()
    from app import create_app

    create_app()
    return time.perf_counter() - start


def _tables(path: str, boundaries: str | None) -> float:
    from analysis.cubes import build_cubes
    from analysis.dataset import DashboardData
    from app import create_app
    from geo.boundaries import load_boundaries
    from geo.default import default_boundaries

    with open(path, "rb") as handle:
        tables = pickle.load(handle)
    boundary_set = load_boundaries(boundaries) if boundaries else default_boundaries()
    start = time.perf_counter()
    cubes = build_cubes(tables, boundary_set)
    app = create_app(DashboardData(boundary_set, tables, cubes, is_demo=False))
    seconds = time.perf_counter() - start
    del tables, cubes  # what a server keeps is the app: the canonical rows are loaded and let go
    _serve(app, changes=SERVED_CHANGES)
    return seconds


def _serve(app, changes: int) -> None:
    """Answer a page load and ``changes`` filter changes, so the peak RSS is a serving one."""
    from bench import scenario
    from bench.client import DashClient

    client = DashClient(app, "?level=2")
    client.load()
    scenario.play(client, changes, seed=2019, level=2)


def measure(mode: str, *args: str) -> dict:
    """Run one measurement in a child process (empty store, same interpreter and repo)."""
    with tempfile.TemporaryDirectory() as store:
        env = {**os.environ, "MALI_DASHBOARD_STORE": store, "PYTHONPATH": str(REPO)}
        done = subprocess.run(
            [sys.executable, "-m", "bench.startup", mode, *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"bench.startup {mode} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def save_tables(tables: dict, folder: str) -> str:
    path = os.path.join(folder, "tables.pickle")
    with open(path, "wb") as handle:
        pickle.dump(tables, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["default", "tables"])
    parser.add_argument("path", nargs="?")
    parser.add_argument("--boundaries")
    args = parser.parse_args(argv)
    seconds = _default() if args.mode == "default" else _tables(args.path, args.boundaries)
    print(json.dumps({"seconds": round(seconds, 3), "maxrss_mb": round(_maxrss_mb(), 1)}))


if __name__ == "__main__":
    main()
