"""What a caller may tell a reader besides the file: limits and columns mapped by hand.

The ingest command fills it from ``--max-*``, ``--map`` and ``--profile``; the upload screens
build it from a saved mapping profile. Readers never need to be changed for a new header.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from data.limits import Limits
from data.profiles import load_profile
from data.tabular import clean_header
from geo.learned import LearnedName


@dataclass(frozen=True)
class ReadOptions:
    """Limits on the input, and source column -> canonical field overrides."""

    limits: Limits = field(default_factory=Limits.from_env)
    columns: dict[str, str] = field(default_factory=dict)  # --map: the column must exist
    profile_columns: dict[str, str] = field(default_factory=dict)  # applied where present
    profile: str = ""  # name of the mapping profile, for messages and the report
    learned: tuple[LearnedName, ...] = ()  # place names taught in the app (geo.learned)


def build_options(
    stream: str, maps: Iterable[str] = (), profile: str | None = None, **limits: int | None
) -> ReadOptions:
    """Options from ``"Source column=field"`` items, a profile name or file, and limit
    overrides (``max_rows=…``); ValueError or :class:`data.profiles.ProfileError` when one
    is malformed or the profile belongs to another stream."""
    columns: dict[str, str] = {}
    for item in maps:
        column, sep, name = item.rpartition("=")
        if not sep or not column.strip() or not name.strip():
            raise ValueError(f'--map {item!r}: expected "Source column=field"')
        columns[clean_header(column)] = name.strip()
    profile_columns, profile_name = {}, ""
    if profile:
        loaded = load_profile(profile)
        if loaded.stream != stream:
            raise ValueError(f"profile {loaded.name} is for {loaded.stream}, not {stream}")
        profile_columns = {clean_header(c): n for c, n in loaded.columns.items()}
        profile_name = loaded.name
    return ReadOptions(Limits.from_env(**limits), columns, profile_columns, profile_name)
