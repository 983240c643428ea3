"""Rate limits on login attempts: per client address and per attempted username.

Per address stops one machine guessing many passwords; per username stops many machines
(a botnet) guessing one account's. Counters live in memory, or in Redis (``REDIS_URL``) so
that all workers and replicas share them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from flask import Flask, Response, current_app, g, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from limits import parse

from analysis.resilient_cache import redis_client_options

# Defaults; a deployment may override them in ``server.config`` before ``install()``.
PER_ADDRESS = "5 per minute;20 per hour"
PER_USERNAME = "10 per hour"
# At most one audit row per client, limit and minute, however hard a client keeps hammering.
_AUDIT_BREACH = parse("1 per minute")


def make_limiter(server: Flask, environ: Mapping[str, str] | None = None) -> Limiter:
    """A limiter with no default limits (the Dash routes stay unlimited), storage in memory or
    in Redis; if Redis is down or hung it falls back to memory within a second rather than
    failing logins (and returns to Redis when it answers again)."""
    env = os.environ if environ is None else environ
    server.config.setdefault("ACCOUNTS_LOGIN_LIMIT_PER_ADDRESS", PER_ADDRESS)
    server.config.setdefault("ACCOUNTS_LOGIN_LIMIT_PER_USERNAME", PER_USERNAME)
    redis_url = env.get("REDIS_URL", "").strip()
    return Limiter(
        get_remote_address,
        app=server,
        storage_uri=redis_url or "memory://",
        storage_options=redis_client_options() if redis_url else {},
        strategy="moving-window",
        key_prefix="mali-accounts",
        default_limits=[],
        application_limits=[],
        headers_enabled=True,
        in_memory_fallback_enabled=bool(redis_url),
        swallow_errors=bool(redis_url),
    )


def per_address_limit() -> str:
    return str(current_app.config["ACCOUNTS_LOGIN_LIMIT_PER_ADDRESS"])


def per_username_limit() -> str:
    return str(current_app.config["ACCOUNTS_LOGIN_LIMIT_PER_USERNAME"])


def attempted_username() -> str:
    """The username a login form names, normalised ("" skips the per-username limit)."""
    return request.form.get("username", "").strip().lower()[:64]


_FAILED_CHECK = "_mali_accounts_password_check_failed"


def mark_failed_check() -> None:
    """Note that this request checked a password and it did not match (or the user is disabled)."""
    setattr(g, _FAILED_CHECK, True)


def login_failed(_response: Response) -> bool:
    """Whether this request counts against the username: only a password check that failed,
    not a request refused before any check (missing form field, bad CSRF token, rate limit)."""
    return bool(g.get(_FAILED_CHECK, False))


def should_audit_breach(limiter: Limiter, breach: RequestLimit) -> bool:
    """Whether this breach is the first for this client and limit in the last minute."""
    return limiter.limiter.hit(_AUDIT_BREACH, "mali-accounts", "audit-breach", breach.key)


def on_breach_handler(
    limiter: Limiter, respond: Callable[[RequestLimit, bool], Response]
) -> Callable[[RequestLimit], Response]:
    """The breach callback: ``respond(breach, audit_it)`` builds the 429 page."""

    def handle(breach: RequestLimit) -> Response:
        return respond(breach, should_audit_breach(limiter, breach))

    return handle
