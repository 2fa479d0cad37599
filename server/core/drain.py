"""Whether this process is on its way out (core.shutdown), and the work it still runs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from server.core.errors import DomainError


class Drain:
    """Whether this process is on its way out, and how much work it still runs."""

    def __init__(self) -> None:
        self.draining = False
        self._running = 0
        self._lock = threading.Lock()

    @contextmanager
    def work(self) -> Iterator[None]:
        """Run a command (or a sweep) to its end; refused with `server_restarting` once
        the process is draining. Counted first, so the drain never misses one."""
        with self._lock:
            self._running += 1
        try:
            if self.draining:
                raise DomainError("server_restarting")
            yield
        finally:
            with self._lock:
                self._running -= 1

    @property
    def running(self) -> int:
        with self._lock:
            return self._running
