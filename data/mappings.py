"""Learned place names in the accounts database: taught once, used by every later import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from accounts.db import Database
from accounts.models import utcnow
from data.stores.models import PlaceMappingRow, create_tables
from geo.gazetteer import load_gazetteer
from geo.learned import LEVELS, LearnedName
from geo.names import normalise_name, normalise_pcode

MAX_NAME = 200


class MappingError(ValueError):
    """A mapping that cannot be taught (empty name, unknown p-code, wrong level)."""


@dataclass(frozen=True)
class PlaceMapping:
    """A name taught by ``created_by`` at ``created_at``: at ``level`` it means ``pcode``."""

    id: int
    name: str
    level: int
    pcode: str
    scope: str | None
    created_by: str
    created_at: datetime


def _mapping(row: PlaceMappingRow) -> PlaceMapping:
    return PlaceMapping(
        id=row.id,
        name=row.name,
        level=row.level,
        pcode=row.pcode,
        scope=row.scope or None,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def checked(
    name: str, pcode: str, level: int | None, scope: str | None
) -> tuple[str, str, str, int, str]:
    """``(name, key, pcode, level, scope)`` cleaned, or MappingError saying what is wrong."""
    places = load_gazetteer().places
    name = " ".join(str(name or "").split())
    key = normalise_name(name)
    if not key or len(name) > MAX_NAME:
        raise MappingError(f"a place name of 1 to {MAX_NAME} characters is needed")
    code = normalise_pcode(pcode)
    if code not in places:
        raise MappingError(f"{pcode!r} is not a région or cercle p-code (2021 COD)")
    level = places[code].level if level is None else level
    if level not in LEVELS:
        raise MappingError("the level must be 1 (région) or 2 (cercle)")
    if level == 1 and places[code].level != 1:
        raise MappingError(f"a name in the région column cannot mean the cercle {code}")
    parent = normalise_pcode(scope) if scope else ""
    if scope and (parent not in places or places[parent].level != 1):
        raise MappingError(f"the scope {scope!r} is not a région p-code")
    if parent and level == 1:
        raise MappingError("a région name has no région scope")
    if parent and places[code].level == 2 and places[code].parent != parent:
        raise MappingError(f"{code} is not in the région {parent}")
    return name, key, code, level, parent


def learn(
    database: Database,
    name: str,
    pcode: str,
    user: str,
    *,
    level: int | None = None,
    scope: str | None = None,
) -> tuple[PlaceMapping, str | None]:
    """Store (or replace) the mapping; returns it and the p-code it replaced, if any."""
    name, key, code, level, parent = checked(name, pcode, level, scope)
    create_tables(database)
    with database.session() as session:
        row = session.scalar(
            select(PlaceMappingRow).where(
                PlaceMappingRow.name_key == key,
                PlaceMappingRow.level == level,
                PlaceMappingRow.scope == parent,
            )
        )
        replaced = None
        if row is None:
            row = PlaceMappingRow(name_key=key, level=level, scope=parent)
            session.add(row)
        else:
            replaced = row.pcode
        row.name, row.pcode, row.created_by, row.created_at = name, code, user or "", utcnow()
        session.flush()
        return _mapping(row), replaced


def mappings(database: Database) -> list[PlaceMapping]:
    """Every learned name, newest first."""
    create_tables(database)
    with database.session() as session:
        rows = session.scalars(
            select(PlaceMappingRow).order_by(
                PlaceMappingRow.created_at.desc(), PlaceMappingRow.id.desc()
            )
        )
        return [_mapping(row) for row in rows]


def forget(database: Database, mapping_id: int) -> PlaceMapping | None:
    """Remove one mapping; returns what it was (None when there was none)."""
    try:
        key = int(mapping_id)
    except (TypeError, ValueError):
        return None
    create_tables(database)
    with database.session() as session:
        row = session.get(PlaceMappingRow, key)
        if row is None:
            return None
        gone = _mapping(row)
        session.execute(delete(PlaceMappingRow).where(PlaceMappingRow.id == row.id))
        return gone


def learned_names(database: Database) -> tuple[LearnedName, ...]:
    """What the resolver needs from the stored mappings."""
    return tuple(LearnedName(m.name, m.level, m.pcode, m.scope or "") for m in mappings(database))
