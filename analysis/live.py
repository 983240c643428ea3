"""The data every request is served from, rebuilt in each worker when a version is published.

:class:`LiveData` holds the :class:`~analysis.dataset.DashboardData` in use. In every process
(gunicorn workers forked after ``--preload`` included) a daemon thread, started by the first
:meth:`LiveData.current` call there, polls the store's generation every :data:`POLL_SECONDS`;
when it changes, the new data is built beside the old one (loaded, cubes built, gate warmed,
same aggregate cache, new fingerprint) and the reference is swapped in one assignment, so a
request uses either the old data or the new, never a mixture. A failed build keeps the old
data and is logged; it is tried again at the next poll.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from analysis.dataset import DashboardData

LOG = logging.getLogger(__name__)
POLL_SECONDS = 1.0


class LiveData:
    """``current()``: the data to serve now. Without ``generation``/``rebuild`` it never
    changes (tests and tools that pass their own data)."""

    def __init__(
        self,
        data: DashboardData,
        generation: Callable[[], str] | None = None,
        rebuild: Callable[[DashboardData], DashboardData] | None = None,
        *,
        seen: str | None = None,
        interval: float = POLL_SECONDS,
    ) -> None:
        self._data = data
        self._generation = generation
        self._rebuild = rebuild
        self._seen = seen
        self.interval = interval
        self._poller_pid: int | None = None
        self._start_lock = threading.Lock()
        self._build_lock = threading.Lock()

    @property
    def live(self) -> bool:
        return self._generation is not None and self._rebuild is not None

    @property
    def loaded(self) -> DashboardData:
        """The data in use, without starting a poller (for the process that forks workers)."""
        return self._data

    def current(self) -> DashboardData:
        """The data to serve (starts this process's poller on first use)."""
        if self.live and self._poller_pid != os.getpid():
            self._start()
        return self._data

    def _start(self) -> None:
        with self._start_lock:
            if self._poller_pid == os.getpid():
                return
            self._poller_pid = os.getpid()
            threading.Thread(target=self._poll, name="live-data", daemon=True).start()

    def _poll(self) -> None:
        while True:
            time.sleep(self.interval)
            self.refresh()

    def refresh(self) -> bool:
        """Rebuild and swap if the published data changed; True when swapped."""
        read, rebuild = self._generation, self._rebuild
        if read is None or rebuild is None:
            return False
        with self._build_lock:
            try:
                generation = read()
            except Exception as error:  # noqa: BLE001 - the store may be restarting
                LOG.warning("live data: store unavailable (%s); serving the data in use", error)
                return False
            if generation == self._seen:
                return False
            started = time.monotonic()
            try:
                fresh = rebuild(self._data)
            except Exception:  # noqa: BLE001
                LOG.exception("live data: rebuilding failed; serving the data in use")
                return False
            self._data, self._seen = fresh, generation
        LOG.info(
            "live data: now serving %s (built in %.1f s)",
            fresh.fingerprint,
            time.monotonic() - started,
        )
        return True
