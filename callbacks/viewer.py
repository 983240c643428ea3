"""Who is asking: the viewer's role, read on the server for every callback and download.

The role never comes from the request body: only from the signed session cookie, checked
against the accounts database (:mod:`accounts.web`). Without accounts installed (tools) and
outside a request, every viewer is the public.
"""

from __future__ import annotations

from accounts.web import current_role, current_username
from accounts.web.identity import extension


def viewer_role() -> str:
    """The role of the viewer of the current request ("public" when not logged in)."""
    return str(current_role().value)


def viewer_name() -> str:
    """The signed-in user's name ("" for the public)."""
    return current_username() or ""


def csrf_token() -> str:
    """A CSRF token for the page's logout form ("" when accounts are not installed)."""
    accounts = extension()
    return accounts.csrf_token() if accounts is not None else ""


def audit(action: str, detail: dict) -> None:
    """Write an audit event (who, when, what: exports) when accounts are installed."""
    accounts = extension()
    if accounts is not None:
        accounts.audit(action, detail)
