"""``compose.yaml`` checked for structure, since no Docker daemon runs where the tests run: the
services, what the app is told (database, Redis, store on a volume), that every volume is
declared, that healthchecks exist and the app's targets the real ``/healthz`` on the port
gunicorn binds, and that the Dockerfile still runs on its own with the embedded default."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((REPO / "compose.yaml").read_text())
DOCKERFILE = (REPO / "Dockerfile").read_text()
SERVICES = COMPOSE["services"]
APP = SERVICES["app"]


def option(command: list[str], name: str) -> str | None:
    """The value of ``--name=value`` or ``--name value`` in a command list."""
    for index, part in enumerate(command):
        if part.startswith(f"--{name}="):
            return part.split("=", 1)[1]
        if part == f"--{name}" and index + 1 < len(command):
            return command[index + 1]
    return None


def test_compose_has_the_app_postgresql_and_redis():
    assert set(SERVICES) == {"app", "postgres", "redis"}
    assert SERVICES["postgres"]["image"].startswith("postgres:15")
    assert SERVICES["redis"]["image"].startswith("redis:")
    assert APP["build"] == "."


def test_app_runs_gunicorn_with_several_workers_sharing_preloaded_data():
    command = APP["command"]
    assert command[0] == "gunicorn" and command[-1] == "app:server"
    assert int(option(command, "workers")) >= 2
    assert "--preload" in command


def test_app_is_told_where_postgresql_redis_and_the_store_are():
    env = APP["environment"]
    database = urlsplit(
        env["DATABASE_URL"].replace("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}", "pw")
    )
    assert database.scheme == "postgresql" and database.hostname == "postgres"
    assert database.path.lstrip("/") == SERVICES["postgres"]["environment"]["POSTGRES_DB"]
    assert database.username == SERVICES["postgres"]["environment"]["POSTGRES_USER"]
    # one password variable, required (no default password shipped)
    assert "POSTGRES_PASSWORD:?" in env["DATABASE_URL"]
    assert SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )
    assert urlsplit(env["REDIS_URL"]).hostname == "redis"
    mounts = dict(v.split(":", 1) for v in APP["volumes"])
    assert env["MALI_DASHBOARD_STORE"] in mounts.values()  # the store lives on a volume
    assert env["MALI_DASHBOARD_BEHIND_PROXY"] == "1"


def test_every_named_volume_is_declared_and_postgresql_keeps_its_data():
    declared = set(COMPOSE["volumes"])
    used = {v.split(":", 1)[0] for s in SERVICES.values() for v in s.get("volumes", [])}
    assert used == declared
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]


def test_every_service_has_a_healthcheck_and_the_app_waits_for_healthy_dependencies():
    for name, service in SERVICES.items():
        assert service["healthcheck"]["test"], name
    assert APP["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }


def test_app_healthcheck_targets_the_real_health_route_on_the_bound_port(monkeypatch, tmp_path):
    test = " ".join(APP["healthcheck"]["test"])
    url = urlsplit(re.search(r"http://[^'\" ]+", test).group(0))
    bind_port = option(APP["command"], "bind").rsplit(":", 1)[1]
    assert str(url.port) == bind_port
    assert f"127.0.0.1:{bind_port}:{bind_port}" in APP["ports"]  # published on loopback only
    from analysis import dataset
    from app import create_app

    monkeypatch.setenv("MALI_DASHBOARD_STORE", str(tmp_path / "store"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = create_app(dataset.load_data(use_store=False))
    assert app.server.test_client().get(url.path).status_code == 200


def test_dockerfile_still_stands_alone_with_the_embedded_default():
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M).group(1)
    command = yaml.safe_load(cmd)
    assert command[:1] == ["gunicorn"] and command[-1] == "app:server"
    assert "DATABASE_URL" not in DOCKERFILE and "REDIS_URL" not in DOCKERFILE
    assert re.search(r"^USER dashboard$", DOCKERFILE, re.M)
    # every folder a compose volume mounts on exists and belongs to the app's user
    made = re.search(
        r"^RUN mkdir -p (.*?) && chown -R dashboard:dashboard /app/var$", DOCKERFILE, re.M
    )
    assert made, "the Dockerfile creates the app's data folders"
    mounts = [v.split(":")[1] for v in SERVICES["app"]["volumes"]]
    assert mounts and set(mounts) <= set(made.group(1).split())
    assert "MALI_DASHBOARD_STORE=/app/var/store" in DOCKERFILE
    healthcheck = re.search(r"^HEALTHCHECK (.*)$", DOCKERFILE, re.M).group(1)
    assert "http://127.0.0.1:8050/healthz" in healthcheck


@pytest.mark.skipif(
    shutil.which("docker") is None
    or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0,
    reason="docker compose is not available here: compose.yaml checked structurally only",
)
def test_docker_compose_accepts_the_file():
    done = subprocess.run(
        ["docker", "compose", "-f", str(REPO / "compose.yaml"), "config", "--quiet"],
        env={"POSTGRES_PASSWORD": "check", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
