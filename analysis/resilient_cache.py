"""A cache of aggregates that never fails a request: while its back end (Redis) is down,
the dashboard computes without it and tries the back end again every few seconds.

Why a pause between attempts: a stopped Redis refuses at once, but a hung one (full network
queue, a paused process) answers nothing until the client's timeout; without the pause every
callback would wait that timeout. The state changes are logged once each ("computing without
the cache", "available again"), not once per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

LOG = logging.getLogger(__name__)
RETRY_SECONDS = 5.0
REDIS_TIMEOUT_SECONDS = 0.5


def redis_client_options() -> dict[str, Any]:
    """Options of every Redis client of the app (cache, login limits, health check): connect
    and read within half a second, and one attempt only (redis-py retries three times by
    default), so a request never waits long for a Redis that is down or hung."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
        "socket_timeout": REDIS_TIMEOUT_SECONDS,
        "retry": Retry(NoBackoff(), 0),
    }


class ResilientCache:
    """``get``/``set`` of a flask-caching ``Cache`` that answer ``None``/nothing while it fails."""

    def __init__(
        self,
        cache: Any,
        retry_seconds: float = RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cache = cache
        self.retry_seconds = retry_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._down_until: float | None = None  # None: the back end is believed up

    @property
    def available(self) -> bool:
        """Whether calls currently go to the back end (False while it is skipped)."""
        return self._down_until is None

    def _skipping(self) -> bool:
        with self._lock:
            if self._down_until is None:
                return False
            if self._clock() < self._down_until:
                return True
            self._down_until = self._clock() + self.retry_seconds  # one caller tries again
            return False

    def _failed(self, error: Exception) -> None:
        with self._lock:
            first = self._down_until is None
            self._down_until = self._clock() + self.retry_seconds
        if first:
            LOG.warning(
                "aggregate cache unavailable (%s: %s): computing without it, retrying every %g s",
                type(error).__name__,
                str(error)[:200],
                self.retry_seconds,
            )

    def _worked(self) -> None:
        with self._lock:
            recovered = self._down_until is not None
            self._down_until = None
        if recovered:
            LOG.warning("aggregate cache available again: using it")

    def get(self, key: str) -> Any:
        """The cached value, or None (a miss, or the back end is down)."""
        if self._skipping():
            return None
        try:
            value = self.cache.get(key)
        except Exception as error:  # noqa: BLE001 - any back-end failure degrades to a miss
            self._failed(error)
            return None
        self._worked()
        return value

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` if the back end is up; otherwise drop it silently (already logged)."""
        if self._skipping():
            return
        try:
            self.cache.set(key, value)
        except Exception as error:  # noqa: BLE001
            self._failed(error)
            return
        self._worked()
