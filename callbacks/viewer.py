"""Who is asking: the viewer's role, read on the server for every callback and download.

The role never comes from the request body: only from the signed session cookie, through the
accounts extension installed on the Flask server (:mod:`accounts.web`). Without it (tools,
tests of the public view) every viewer is the public.
"""

from __future__ import annotations

from flask import current_app, has_request_context

PUBLIC = "public"


def viewer_role() -> str:
    """The role of the viewer of the current request ("public" outside a request)."""
    if not has_request_context():
        return PUBLIC
    accounts = current_app.extensions.get("mali_accounts")
    if accounts is None:
        return PUBLIC
    return str(accounts.current_role().value)


def audit(action: str, detail: dict) -> None:
    """Write an audit event (exports) when accounts are installed."""
    if not has_request_context():
        return
    accounts = current_app.extensions.get("mali_accounts")
    if accounts is not None:
        accounts.audit(action, detail)


def viewer_name() -> str:
    """The signed-in user's name ("" for the public)."""
    if not has_request_context():
        return ""
    accounts = current_app.extensions.get("mali_accounts")
    return (accounts.current_username() or "") if accounts is not None else ""


def csrf_token() -> str:
    """A CSRF token for the page's logout form ("" when accounts are not installed)."""
    if not has_request_context() or "mali_accounts" not in current_app.extensions:
        return ""
    from flask_wtf.csrf import generate_csrf

    return str(generate_csrf())
