"""The command budget per person (server/core/throttle.py), without sockets."""

from __future__ import annotations

import logging
import threading
import uuid

import pytest
import redis

from server.config import ConfigError, load_settings
from server.core import personal
from server.core.throttle import Decision, SweptMemoryStorage, Throttle, Verdict, storage_for
from tests.support import require

REDIS_URL = "redis://127.0.0.1:6379/15"
WINDOW_START = 1_800_000_000.0  # a multiple of 10: the start of a window


def make_settings(**overrides):
    environ = {"HOLDSPORT_ENV": "test", "HOLDSPORT_COMMAND_LIMIT": "5", "HOLDSPORT_SYNC_LIMIT": "2"}
    return load_settings({**environ, **{k: str(v) for k, v in overrides.items()}})


def verdicts(throttle: Throttle, key: bytes, times: int, now: float, expensive=False) -> list:
    return [throttle.spend(key, expensive=expensive, now=now).verdict for _ in range(times)]


def test_a_person_gets_the_budget_then_is_refused_until_the_window_ends():
    throttle = Throttle(make_settings())
    bo, cecilie = personal.derive("bo-token-" + "x" * 16), personal.derive("ce-token-" + "x" * 16)

    assert verdicts(throttle, bo, 5, WINDOW_START + 1) == [Verdict.GO] * 5
    refused = throttle.spend(bo, expensive=False, now=WINDOW_START + 2.5)
    assert refused.verdict is Verdict.REFUSE and refused.seconds == 8  # 7.5 s, rounded up
    assert throttle.spend(cecilie, expensive=False, now=WINDOW_START + 3).verdict is Verdict.GO
    # The next window is a new budget.
    assert throttle.spend(bo, expensive=False, now=WINDOW_START + 10).verdict is Verdict.GO


def test_refused_commands_count_and_a_flood_is_dropped():
    throttle = Throttle(make_settings(HOLDSPORT_FLOOD_FACTOR=3))
    key = personal.derive("flooding-token-" + "x" * 16)
    seen = verdicts(throttle, key, 20, WINDOW_START)
    assert seen == [Verdict.GO] * 5 + [Verdict.REFUSE] * 10 + [Verdict.DROP] * 5


def test_a_dropped_person_may_not_connect_for_a_minute_or_two():
    throttle = Throttle(make_settings(HOLDSPORT_FLOOD_FACTOR=2))
    flooder, other = personal.derive("f" * 32), personal.derive("o" * 32)
    drop_at = WINDOW_START + 55  # 5 s before a penalty period of 60 s ends
    assert verdicts(throttle, flooder, 11, drop_at)[-1] is Verdict.DROP
    assert throttle.admit(flooder, now=drop_at + 1) == Decision(Verdict.REFUSE, 64)
    assert throttle.admit(flooder, now=drop_at + 64.5).verdict is Verdict.REFUSE
    assert throttle.admit(other, now=drop_at + 1).verdict is Verdict.GO
    assert throttle.admit(flooder, now=drop_at + 65).verdict is Verdict.GO


def test_at_most_a_burst_in_any_one_second():
    throttle = Throttle(make_settings(HOLDSPORT_COMMAND_LIMIT=60, HOLDSPORT_COMMAND_BURST=10))
    key = personal.derive("quick-clicker-token-" + "x" * 16)
    assert verdicts(throttle, key, 10, WINDOW_START + 0.2) == [Verdict.GO] * 10
    refused = throttle.spend(key, expensive=False, now=WINDOW_START + 0.9)
    assert refused == Decision(Verdict.REFUSE, 1)
    assert verdicts(throttle, key, 10, WINDOW_START + 1.0) == [Verdict.GO] * 10


def test_sync_has_a_smaller_budget_within_the_commands():
    throttle = Throttle(make_settings())
    key = personal.derive("syncing-token-" + "x" * 16)
    assert verdicts(throttle, key, 3, WINDOW_START, expensive=True) == [
        Verdict.GO,
        Verdict.GO,
        Verdict.REFUSE,
    ]
    # Other commands still have what is left of the budget (5 − 3).
    assert verdicts(throttle, key, 3, WINDOW_START) == [Verdict.GO, Verdict.GO, Verdict.REFUSE]


def test_counters_name_nobody_and_change_every_window():
    storage = SweptMemoryStorage()
    throttle = Throttle(make_settings(), storage)
    token = "a-participants-token-" + "x" * 16
    key = personal.derive(token)
    throttle.spend(key, expensive=True, now=WINDOW_START)
    first = set(storage.storage)
    throttle.spend(key, expensive=False, now=WINDOW_START + 10)
    second = set(storage.storage) - first
    assert len(first) == 3 and len(second) == 2  # commands, burst, sync; a new window
    for name in first | second:
        assert token not in name and key.hex() not in name
    people = {name.split("/")[1] for name in first | second}
    assert len(people) == 5  # no two counters share a value that could link them


def test_a_failing_storage_lets_commands_through_and_says_so(caplog):
    class Broken(SweptMemoryStorage):
        def incr(self, key, expiry, amount=1):
            raise redis.ConnectionError("down")

    throttle = Throttle(make_settings(), Broken())
    with caplog.at_level(logging.WARNING, logger="server.core.throttle"):
        seen = verdicts(throttle, personal.derive("t" * 32), 10, WINDOW_START)
    assert seen == [Verdict.GO] * 10
    assert len(caplog.records) == 1  # one warning, not one per command


def test_memory_counters_start_no_thread_per_command_and_expire():
    storage = SweptMemoryStorage()
    threads = threading.active_count()
    for index in range(200):
        storage.incr(f"k{index}", 1)
    assert threading.active_count() <= threads
    storage._swept_at -= storage.SWEEP_EVERY_SECONDS  # as if a second had passed
    storage.expirations = dict.fromkeys(storage.expirations, 0.0)  # ... and they expired
    storage.incr("fresh", 1)
    assert set(storage.storage) == {"fresh"}


def test_processes_sharing_redis_share_one_budget():
    try:
        reachable = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        reachable = False
    require(bool(reachable), f"Redis is not reachable at {REDIS_URL}")
    # Its own prefix: other test runs may share this Redis.
    settings = make_settings(REDIS_URL=REDIS_URL, HOLDSPORT_REDIS_CHANNEL=uuid.uuid4().hex)
    one, two = Throttle(settings), Throttle(settings)
    key = personal.derive("two-tabs-token-" + "x" * 16)
    now = WINDOW_START + 3
    seen = [(one if i % 2 else two).spend(key, expensive=False, now=now).verdict for i in range(6)]
    assert seen == [Verdict.GO] * 5 + [Verdict.REFUSE]


def test_the_storage_follows_redis_url():
    assert isinstance(storage_for(make_settings()), SweptMemoryStorage)
    shared = storage_for(make_settings(REDIS_URL=REDIS_URL, HOLDSPORT_REDIS_CHANNEL="deploy-a"))
    assert shared.key_prefix == "deploy-a:limits"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "environ",
    [
        {"HOLDSPORT_COMMAND_LIMIT": "0"},
        {"HOLDSPORT_COMMAND_LIMIT": "many"},
        {"HOLDSPORT_COMMAND_BURST": "-1"},
        {"HOLDSPORT_COMMAND_WINDOW_SECONDS": "0"},
        {"HOLDSPORT_FLOOD_FACTOR": "1"},
    ],
)
def test_bad_limits_are_named(environ):
    with pytest.raises(ConfigError, match="invalid environment"):
        load_settings({"HOLDSPORT_ENV": "test", **environ})


def test_default_limits():
    settings = load_settings({"HOLDSPORT_ENV": "test"})
    assert (settings.command_limit, settings.command_burst, settings.sync_limit) == (60, 10, 20)
    assert (settings.command_window_seconds, settings.flood_factor) == (10, 5)
