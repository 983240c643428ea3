"""One reader per stream: ``read_<stream>(path, boundaries=None) -> ReadResult``.

:data:`READERS` maps the stream name to its reader so the ingest command and the app can
dispatch without knowing the modules.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from data.options import ReadOptions
from data.readers.access import read_access
from data.readers.base import ReadResult, Rejection, Unresolved
from data.readers.displacement import read_displacement
from data.readers.incidents import read_incidents
from data.readers.population import read_population
from data.readers.services import read_services
from geo.boundaries import BoundarySet

READERS: dict[str, Callable[..., ReadResult]] = {
    "incidents": read_incidents,
    "displacement": read_displacement,
    "services": read_services,
    "access": read_access,
    "population": read_population,
}


def read_stream(
    stream: str,
    path: str | Path,
    boundaries: BoundarySet | None = None,
    options: ReadOptions | None = None,
) -> ReadResult:
    """Read ``path`` as ``stream`` (one of :data:`data.schemas.STREAMS`)."""
    if stream not in READERS:
        raise ValueError(f"unknown stream {stream!r}; expected one of {', '.join(READERS)}")
    return READERS[stream](path, boundaries, options)


__all__ = [
    "READERS",
    "ReadResult",
    "Rejection",
    "Unresolved",
    "read_access",
    "read_displacement",
    "read_incidents",
    "read_population",
    "read_services",
    "read_stream",
]
