"""Shared fixtures: the canonical gazetteer, the embedded boundaries, the shared test material."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.default import default_boundaries
from geo.gazetteer import load_gazetteer
from geo.resolve import PlaceResolver

# A real PostgreSQL server for the whole session (started on first use; tests/postgres.py).
from tests.postgres import postgres_server, postgres_url  # noqa: F401

# A real redis-server a test can stop, pause and restart (tests/redis_server.py).
from tests.redis_server import redis_server  # noqa: F401

REPO = Path(__file__).resolve().parent.parent
SHARED_BOUNDARIES = REPO.parent / "shared" / "data" / "boundaries"

requires_shared_boundaries = pytest.mark.skipif(
    not (SHARED_BOUNDARIES / "mli_adm2.geojson").exists(),
    reason=f"2015 COD-AB test material not found at {SHARED_BOUNDARIES} (it is never committed)",
)


@pytest.fixture(scope="session")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="session")
def boundaries():
    return default_boundaries()


@pytest.fixture(scope="session")
def resolver(gazetteer, boundaries):
    return PlaceResolver(gazetteer, boundaries)


@pytest.fixture(scope="session")
def cod2015_boundaries(gazetteer):
    if not (SHARED_BOUNDARIES / "mli_adm2.geojson").exists():
        pytest.skip(f"2015 COD-AB test material not found at {SHARED_BOUNDARIES}")
    from geo.boundaries import load_boundaries

    return load_boundaries(SHARED_BOUNDARIES, gazetteer)


@pytest.fixture(scope="module")
def data():
    """The dashboard's data on the demo streams (never the store), fresh for each test module
    since tests count cache hits and computations on it."""
    from analysis.dataset import load_data

    return load_data(use_store=False)


@pytest.fixture(scope="module")
def domain(data):
    return data.domain()


def pytest_configure(config):
    """Apps built by the tests keep their accounts in a throw-away SQLite file, never in the
    repository's ``var/`` (a test that needs another database passes its own)."""
    import os
    import tempfile

    if "MALI_DASHBOARD_DB_PATH" not in os.environ and "DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="mali-accounts-")
        os.environ["MALI_DASHBOARD_DB_PATH"] = os.path.join(folder, "accounts.sqlite3")
