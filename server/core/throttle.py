"""A budget of commands per person, counted before any database work.

Every command a connection sends is counted here first (core.realtime), under a key
that stands for the person, not the connection: all their tabs, on every server
process, spend one budget. Counting is all a refused command costs (an HMAC and one
counter: process memory, or Redis when `REDIS_URL` is set), so one person sending
thousands of commands a second cannot hold up anyone else's session.

The key is `HMAC-SHA256(personal key, "holdsport throttle v1|<budget>|<window>")`. The
personal key comes from the raw token, which is never stored (core.personal), so an
operator with Redis, the database and the logs cannot tell whose counter a key is;
and the window number is in the key, so one person's counters in two windows share
nothing either. A counter expires with its window.

Windows are fixed, 10 seconds by default, aligned to the clock. Every command counts,
refused ones too: a person gets `command_limit` commands per window, at most
`command_burst` of them in one second, and of them at most `sync_limit` expensive ones
(`session:sync`, connecting); a connection that sends a command after its person's
count has passed `flood_factor` × the limit is dropped, and the person may not connect
again for a minute or two. The numbers and why are in README.md (Configuration) and
docs/protocol.md §5a.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from dataclasses import dataclass
from enum import Enum

import redis
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import MemoryStorage, RedisStorage, Storage

from server.config import Settings

log = logging.getLogger(__name__)
_PURPOSE = "holdsport throttle v1"
# Concurrent Redis round trips per process: a flood waits for these, it does not
# open a connection per command.
_REDIS_CONNECTIONS = 32
# A connection dropped for flooding: its person may not connect again for this many
# windows at least (one minute by default), at most twice that.
PENALTY_WINDOWS = 6
# At most one warning per this many seconds while the counter's storage fails.
_WARN_EVERY_SECONDS = 60.0


def _item(amount: int, seconds: int) -> RateLimitItem:
    return RateLimitItemPerSecond(amount, seconds, namespace="holdsport")


class Verdict(Enum):
    GO = "go"  # within the budget
    REFUSE = "refuse"  # over it: answer `rate_limited`, do nothing
    DROP = "drop"  # far over it: refuse, and close the connection


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    seconds: int = 0  # until a command may go again: `rate_limited`'s params


GO = Decision(Verdict.GO)


class Throttle:
    """Counts commands per person and window in one `limits` storage."""

    def __init__(self, settings: Settings, storage: Storage | None = None) -> None:
        self.window = settings.command_window_seconds
        self.flood_factor = settings.flood_factor
        # One item per budget: `limits` builds the storage key and its expiry from it.
        self.commands = _item(settings.command_limit, self.window)
        self.burst = _item(settings.command_burst, 1)
        self.syncs = _item(settings.sync_limit, self.window)
        # A person dropped for flooding may not connect again before the end of the
        # next period: their flood then costs one drop a minute or more, not one a window.
        self.penalty = self.window * PENALTY_WINDOWS
        self.dropped = _item(1, 2 * self.penalty)
        self.storage = storage or storage_for(settings)
        self._warned_at = -math.inf

    def spend(self, personal_key: bytes, *, expensive: bool, now: float | None = None) -> Decision:
        """Count one command of this person; say whether it may run."""
        now = time.time() if now is None else now
        window = math.floor(now / self.window)
        seconds = max(1, math.ceil((window + 1) * self.window - now))
        try:
            count = self._count(self.commands, personal_key, "commands", window)
            if count > self.commands.amount * self.flood_factor:
                penalty = math.floor(now / self.penalty)
                self._count(self.dropped, personal_key, "dropped", penalty)
                return Decision(Verdict.DROP, seconds)
            if count > self.commands.amount:
                return Decision(Verdict.REFUSE, seconds)
            # Within the window's budget, at most `burst` in any one second: what one
            # person gets done at once is what they make everyone else wait for.
            if self._count(self.burst, personal_key, "burst", math.floor(now)) > self.burst.amount:
                return Decision(Verdict.REFUSE, 1)
            if expensive and self._count(self.syncs, personal_key, "sync", window) > (
                self.syncs.amount
            ):
                return Decision(Verdict.REFUSE, seconds)
        except Exception:
            # Without its counter the server still serves: a limit is no reason to stop.
            self._warn()
        return GO

    def admit(self, personal_key: bytes, now: float | None = None) -> Decision:
        """A new connection: refused while its person is banned for flooding (from the
        drop until the end of the next penalty period), else spent like a `session:sync`."""
        now = time.time() if now is None else now
        period = math.floor(now / self.penalty)
        try:
            for banned_in in (period, period - 1):
                if self._get(self.dropped, personal_key, "dropped", banned_in):
                    seconds = math.ceil((banned_in + 2) * self.penalty - now)
                    return Decision(Verdict.REFUSE, max(1, seconds))
        except Exception:
            self._warn()
        return self.spend(personal_key, expensive=True, now=now)

    def _key(self, item: RateLimitItem, key: bytes, budget: str, window: int) -> str:
        message = f"{_PURPOSE}|{budget}|{window}".encode()
        return item.key_for(hmac.new(key, message, hashlib.sha256).hexdigest())

    def _get(self, item: RateLimitItem, key: bytes, budget: str, window: int) -> int:
        return self.storage.get(self._key(item, key, budget, window))

    def _count(self, item: RateLimitItem, key: bytes, budget: str, window: int) -> int:
        """The fixed-window count after this hit. `FixedWindowRateLimiter.hit` makes the
        same call but keeps only whether the count is within the limit; the count itself
        tells an overrun from a flood, in one round trip."""
        return self.storage.incr(self._key(item, key, budget, window), item.get_expiry())

    def _warn(self) -> None:
        if time.monotonic() - self._warned_at >= _WARN_EVERY_SECONDS:
            self._warned_at = time.monotonic()
            log.warning("command limits are not counted: the rate limit storage failed")


class SweptMemoryStorage(MemoryStorage):
    """`limits`' memory storage, with expired counters swept inline about once a second.

    Its own sweep runs on a `threading.Timer` restarted every 10 ms while counters
    change: a new thread that often, and under eventlet each start scans every green
    thread, which made counting a command cost 0.4 ms. (`incr` and `get` already ignore
    an expired counter; the sweep only frees memory.)
    """

    SWEEP_EVERY_SECONDS = 1.0

    def __init__(self) -> None:
        super().__init__()
        self._swept_at = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the timer (name-mangled)
        if time.monotonic() - self._swept_at >= self.SWEEP_EVERY_SECONDS:
            self._swept_at = time.monotonic()
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


def storage_for(settings: Settings) -> Storage:
    """Redis when the processes share one (every process spends one budget), else memory."""
    if not settings.redis_url:
        return SweptMemoryStorage()
    pool = redis.BlockingConnectionPool.from_url(
        settings.redis_url, max_connections=_REDIS_CONNECTIONS, timeout=5
    )
    return RedisStorage(
        settings.redis_url,
        connection_pool=pool,
        # The deployment's channel: deployments (and test runs) sharing a Redis stay apart.
        key_prefix=f"{settings.redis_channel}:limits",
        wrap_exceptions=True,
    )
