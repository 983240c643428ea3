"""Flask side of the import screens: ``install(server, accounts, publisher)`` adds the routes
under ``/imports`` (information managers and administrators only). No Dash import here."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from accounts.web.extension import Accounts
from data.publishing import Publisher
from imports.web.jobs import Jobs
from imports.web.uploads import Uploads
from imports.web.views import make_blueprint

ENV = "MALI_DASHBOARD_UPLOADS"


def uploads_folder() -> Path:
    """Where uploads and job states are kept: ``$MALI_DASHBOARD_UPLOADS`` or ``./var/uploads``
    (one folder shared by the workers; on several hosts, a shared volume)."""
    return Path(os.environ.get(ENV) or Path("var") / "uploads")


def install(
    server: Flask, accounts: Accounts, publisher: Publisher, folder: Path | None = None
) -> None:
    """Register the import screens on ``server`` (after accounts were installed on it)."""
    root = Path(folder) if folder is not None else uploads_folder()
    blueprint = make_blueprint(accounts, publisher, Jobs(root / "jobs"), Uploads(root / "files"))
    server.register_blueprint(blueprint)


__all__ = ["install", "uploads_folder"]
