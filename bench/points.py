"""Point-in-polygon throughput: resolve N random points over Mali to cercles.

Run ``python -m bench.points [N] [--boundaries DIR]``. Points are drawn uniformly in Mali's
bounding box, so about 45 % fall outside the country (the worst case: every polygon's box
is checked before a point is declared outside).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from geo.boundaries import load_boundaries
from geo.default import default_boundaries
from geo.gazetteer import load_gazetteer
from geo.points import locate
from geo.resolve import PlaceResolver

MALI_BOX = (-12.24, 10.14, 4.25, 25.0)


def random_points(count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lon = rng.uniform(MALI_BOX[0], MALI_BOX[2], count)
    lat = rng.uniform(MALI_BOX[1], MALI_BOX[3], count)
    return lon, lat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--boundaries", help="a COD-AB style folder or file instead of the default")
    args = parser.parse_args()

    boundary_set = load_boundaries(args.boundaries) if args.boundaries else default_boundaries()
    level = boundary_set.level(boundary_set.finest_level)
    lon, lat = random_points(args.count)

    start = time.perf_counter()
    found = locate(lon, lat, level.geometry.values)
    locate_s = time.perf_counter() - start

    resolver = PlaceResolver(load_gazetteer(), boundary_set)
    frame = pd.DataFrame({"latitude": lat, "longitude": lon})
    start = time.perf_counter()
    rows = resolver.resolve(frame).rows
    resolve_s = time.perf_counter() - start

    print(
        f"boundary set      {boundary_set.source} "
        f"(level {boundary_set.finest_level}, {len(level)} polygons)"
    )
    print(f"points            {args.count:,}")
    print(f"inside a polygon  {(found >= 0).sum():,}")
    print(f"locate()          {locate_s:.3f} s  = {args.count / locate_s:,.0f} points/s")
    print(
        f"resolve() rows    {resolve_s:.3f} s  = {args.count / resolve_s:,.0f} rows/s "
        f"({(rows.match_method == 'point').sum():,} by point)"
    )


if __name__ == "__main__":
    main()
