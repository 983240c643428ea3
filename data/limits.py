"""How much of a file the readers accept, checked before the whole file is read.

A bad file must be rejected in bounded time and memory, so every reader works within these
limits. The defaults follow what a spreadsheet can hold (Excel: 1,048,576 rows, 16,384 columns,
32,767 characters per cell), so no genuine export is refused, and a byte limit sized for the
largest real exports (an ACLED Africa-wide CSV is ~300 MB). Each limit can be changed with an
environment variable or, for one import, with the ingest command's ``--max-*`` options.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from datetime import date

ENV_PREFIX = "MALI_INGEST_"


@dataclass(frozen=True)
class Limits:
    """Upper bounds on one input file, and the window of plausible dates."""

    max_bytes: int = 512 * 1024 * 1024  # file size; for XLSX also the unpacked sheet XML
    max_rows: int = 1_048_576
    max_columns: int = 16_384
    max_field_chars: int = 32_767
    min_year: int = 1950  # earliest plausible date year (ACLED starts in 1997)
    max_year: int = 2100  # latest (project end dates lie in the future)

    @classmethod
    def from_env(cls, **overrides: int | None) -> Limits:
        """Defaults, then ``MALI_INGEST_MAX_BYTES``-style variables, then ``overrides``."""
        values: dict[str, int] = {}
        for f in fields(cls):
            raw = os.environ.get(ENV_PREFIX + f.name.upper())
            if raw:
                values[f.name] = int(raw)
            if overrides.get(f.name) is not None:
                values[f.name] = int(overrides[f.name])  # type: ignore[arg-type]
        return cls(**values)

    def date_window(self) -> tuple[date, date]:
        return date(self.min_year, 1, 1), date(self.max_year, 12, 31)
