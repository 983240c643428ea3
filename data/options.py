"""What a caller may tell a reader besides the file: limits and columns mapped by hand.

The ingest command fills it from ``--max-*``, ``--map`` and ``--profile``; the upload screens
build it from a saved mapping profile. Readers never need to be changed for a new header.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from data.limits import Limits


@dataclass(frozen=True)
class ReadOptions:
    """Limits on the input, and source column -> canonical field overrides."""

    limits: Limits = field(default_factory=Limits.from_env)
    columns: dict[str, str] = field(default_factory=dict)  # --map: the column must exist
    profile_columns: dict[str, str] = field(default_factory=dict)  # applied where present
    profile: str = ""  # name of the mapping profile, for messages and the report
