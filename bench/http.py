"""Real HTTP for the harness: a session that looks like Flask's test client to
:class:`bench.client.DashClient`, and the loopback-only rule of the load tools.

One TCP connection per request (``Connection: close``): a worker killed under load then fails
only the requests it was answering, never a later one that happened to reuse its socket.
Cookies set by the server (a login) are kept and sent back, as a browser does.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from email.message import Message
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 30.0


class NotLoopback(ValueError):
    """A URL that does not point at this machine: the load tools refuse it."""


def loopback_base(url: str) -> tuple[str, int]:
    """(host, port) of an ``http://`` URL on a loopback address; :class:`NotLoopback` otherwise.

    Only literal loopback addresses and ``localhost`` are accepted (no name resolution), so a
    load run can never be pointed at someone else's server.
    """
    parts = urlsplit(url)
    if parts.scheme != "http":
        raise NotLoopback(f"{url!r}: only http:// URLs on this machine are accepted")
    host = parts.hostname or ""
    if host != "localhost":
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            raise NotLoopback(f"{url!r}: give a loopback address (127.0.0.1, ::1)") from None
        if not address.is_loopback:
            raise NotLoopback(f"{url!r} is not a loopback address: refused")
    return host, parts.port or 80


@dataclass
class HttpResponse:
    """The parts of a Flask test response that the harness reads."""

    status_code: int
    headers: Message
    body: bytes

    def get_data(self) -> bytes:
        return self.body


@dataclass
class Timing:
    """One request: when it started (monotonic), how long it took, and how it ended."""

    start: float
    ms: float
    status: int  # 0: no HTTP answer (connection refused or reset)
    path: str


@dataclass
class HttpSession:
    """A browser-like session against ``http://host:port``; every request is timed."""

    host: str
    port: int
    timings: list[Timing] = field(default_factory=list)
    cookies: SimpleCookie = field(default_factory=SimpleCookie)

    def _request(self, method: str, url: str, body: bytes | None, headers: dict) -> HttpResponse:
        host = f"[{self.host}]" if ":" in self.host else self.host
        headers = {**headers, "Connection": "close", "Host": f"{host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        start = time.monotonic()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_SECONDS)
        try:
            connection.request(method, url, body=body, headers=headers)
            raw = connection.getresponse()
            response = HttpResponse(raw.status, raw.msg, raw.read())
        except (OSError, http.client.HTTPException):
            self.timings.append(Timing(start, (time.monotonic() - start) * 1000, 0, url))
            raise
        finally:
            connection.close()
        self.timings.append(
            Timing(start, (time.monotonic() - start) * 1000, response.status_code, url)
        )
        for cookie in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(cookie)
        return response

    def get(self, url: str, headers: dict | None = None) -> HttpResponse:
        return self._request("GET", url, None, headers or {})

    def post(self, url: str, data: str | bytes = b"", headers: dict | None = None) -> HttpResponse:
        body = data.encode() if isinstance(data, str) else data
        return self._request("POST", url, body, headers or {})


def wait_until_up(host: str, port: int, path: str = "/healthz", timeout: float = 60.0) -> None:
    """Wait until ``path`` answers 200 (a server starting up), or raise after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if HttpSession(host, port).get(path).status_code == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"http://{host}:{port}{path} did not answer 200 within {timeout:g} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
