"""Session cookie settings: HttpOnly, SameSite=Lax, Secure over HTTPS, 12 hours at most."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

SESSION_LIFETIME = timedelta(hours=12)


def _flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in ("1", "true", "yes", "on")


class SecureWhenHttpsSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, marked ``Secure`` whenever the request came over HTTPS.

    Flask's own setting is fixed per app; a deployment reachable over both HTTP (health checks,
    a local test) and HTTPS needs the flag per request.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or (
            has_request_context() and request.is_secure
        )


def configure(server: Flask, environ: Mapping[str, str] | None = None) -> None:
    """Apply the cookie settings to ``server``; behind a reverse proxy (``MALI_DASHBOARD_BEHIND_
    PROXY=1``) trust one proxy's ``X-Forwarded-For/-Proto/-Host``, never a client's."""
    env = os.environ if environ is None else environ
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=_flag(env, "MALI_DASHBOARD_SECURE_COOKIES"),
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    server.session_interface = SecureWhenHttpsSessionInterface()
    if _flag(env, "MALI_DASHBOARD_BEHIND_PROXY"):
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=1, x_proto=1, x_host=1
        )
