"""Where a login may send the browser next: only a path on this site (no open redirect)."""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_NEXT = "/"


def safe_next(value: str | None) -> str:
    """``value`` if it is a same-site relative path (``/...`` but not ``//...``), else ``/``.

    Backslashes and control characters are refused too: browsers read ``/\\evil.example`` and
    ``/\\t/evil.example`` as another host.
    """
    if not value or not value.startswith("/") or value.startswith("//"):
        return DEFAULT_NEXT
    if "\\" in value or any(ord(char) < 32 or ord(char) == 127 for char in value):
        return DEFAULT_NEXT
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return DEFAULT_NEXT
    return value
