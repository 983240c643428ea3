"""Saved column-mapping profiles: one small TOML file per source format.

A profile names its stream and maps source headers to canonical fields::

    stream = "incidents"
    description = "KoBo protection monitoring form, XML names"
    [columns]
    "date_incident" = "date"

Profiles shipped with the project live in this folder; users add their own in
``$MALI_DASHBOARD_PROFILES`` (default ``var/profiles``) without touching code. A profile's
columns that a file lacks are skipped (a format's optional columns); a ``--map`` option, by
contrast, must name a column of the file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from data.schemas import STREAMS

SHIPPED = Path(__file__).resolve().parent
ENV = "MALI_DASHBOARD_PROFILES"


class ProfileError(ValueError):
    """A profile that cannot be found or read."""


@dataclass(frozen=True)
class Profile:
    name: str
    stream: str
    columns: dict[str, str] = field(default_factory=dict)
    description: str = ""
    path: Path | None = None


def folders() -> list[Path]:
    """Where profiles are looked up, the user's folder first."""
    user = Path(os.environ.get(ENV) or Path("var") / "profiles")
    return [user, SHIPPED]


def read_profile(path: Path) -> Profile:
    """Parse one profile file, checking its shape (not yet against a stream's fields)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"profile {path.name}: cannot be read ({exc})") from None
    stream = data.get("stream")
    columns = data.get("columns", {})
    if stream not in STREAMS:
        raise ProfileError(f"profile {path.name}: stream must be one of {', '.join(STREAMS)}")
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        raise ProfileError(f'profile {path.name}: [columns] must map "Header" = "field"')
    return Profile(path.stem, stream, dict(columns), str(data.get("description", "")), path)


def load_profile(name: str) -> Profile:
    """A profile by name (user folder first, then shipped) or by path to a ``.toml`` file."""
    candidate = Path(name)
    if candidate.suffix == ".toml" and candidate.is_file():
        return read_profile(candidate)
    for folder in folders():
        path = folder / f"{name}.toml"
        if path.is_file():
            return read_profile(path)
    known = ", ".join(p.name for p in available()) or "none"
    raise ProfileError(f"no mapping profile {name!r}; available: {known}")


def available() -> list[Profile]:
    """Every readable profile, user profiles shadowing shipped ones of the same name."""
    found: dict[str, Profile] = {}
    for folder in reversed(folders()):
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            try:
                found[path.stem] = read_profile(path)
            except ProfileError:
                continue
    return sorted(found.values(), key=lambda p: p.name)
