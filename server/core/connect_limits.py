"""Socket.IO connection attempts per client address, counted before any database work.

Every attempt to connect authenticates a credential in the database (presence.events),
so a client opening connections as fast as it can is either guessing credentials or
wearing the server down. Per client address (`core.limits.client_address`, behind the
trusted proxies), all processes together: every attempt counts against a generous budget
(a room of 60 phones behind one Wi-Fi all reconnecting after a drop, twice in a minute,
fits it; docs/anonymity.md), and every one whose credential is refused against a strict
one. Past either, every attempt from the address is refused with `rate_limited`, before
its credential is looked at, so a refusal says nothing about the credential tried.

The counts are in the storage of the command budget (core.throttle): Redis when
`REDIS_URL` is set, else this process's memory. The address is counted under a keyed
hash (core.limits.address_tag), never as written.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager

from limits import RateLimitItem, parse_many
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter

from server.config import Settings
from server.core.errors import DomainError

log = logging.getLogger(__name__)
# A credential the database refused: what a guess gets.
REFUSED_CREDENTIAL = frozenset({"not_authenticated", "removed_from_session"})
_WARN_EVERY_SECONDS = 60.0


class ConnectLimits:
    """The two budgets of connection attempts, per address tag."""

    def __init__(self, settings: Settings, storage: Storage) -> None:
        self.limiter = FixedWindowRateLimiter(storage)
        self.attempts = parse_many(settings.rate_limit_connect)
        self.refusals = parse_many(settings.rate_limit_connect_refused)
        self._warned_at = -math.inf

    @contextmanager
    def counted(self, tag: str) -> Iterator[None]:
        """Admit one attempt from the address `tag` (or refuse it, `rate_limited`), then
        count it as refused if its credential is."""
        self._admit(tag)
        try:
            yield
        except DomainError as err:
            if err.code in REFUSED_CREDENTIAL:
                self._spend_refusal(tag)
            raise

    def _admit(self, tag: str) -> None:
        try:
            for item in self.refusals:
                if not self.limiter.test(item, "connect-refused", tag):
                    raise self._refusal(item, "connect-refused", tag)
            for item in self.attempts:
                if not self.limiter.hit(item, "connect", tag):
                    raise self._refusal(item, "connect", tag)
        except DomainError:
            raise
        except Exception:
            self._warn()  # without its counter the server still lets people in

    def _spend_refusal(self, tag: str) -> None:
        try:
            for item in self.refusals:
                self.limiter.hit(item, "connect-refused", tag)
        except Exception:
            self._warn()

    def _refusal(self, item: RateLimitItem, *keys: str) -> DomainError:
        resets_at = self.limiter.get_window_stats(item, *keys).reset_time
        return DomainError("rate_limited", seconds=max(1, math.ceil(resets_at - time.time())))

    def _warn(self) -> None:
        if time.monotonic() - self._warned_at >= _WARN_EVERY_SECONDS:
            self._warned_at = time.monotonic()
            log.warning("connection attempts are not counted: the rate limit storage failed")
