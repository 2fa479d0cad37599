"""Metrics and logs of a real server process, with real clients: the counters move with
the traffic, and neither the metrics nor the log hold a name or a word anyone wrote."""

from __future__ import annotations

import json
import re

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from server.core.errors import MESSAGES
from tests.live_board_support import write
from tests.live_client import LiveClient, create_session, join
from tests.log_audit import full_log, per_request_messages, spellings
from tests.support import free_port, running_server

pytestmark = pytest.mark.server

TOKEN = "a-metrics-token-for-tests"
# What people typed, each distinctive enough that finding it anywhere means a leak.
HOST_NAME = "Zephyrina Quillfeather"
GUEST_NAME = "Bartholomew Xylophant"
TITLE = "Marmeladeudvalgets hemmelige møde"
PROMPT = "Where did the pelican fund wander"
POST = "I secretly rewrote the gazebo policy ✨"
WRITTEN = (HOST_NAME, GUEST_NAME, TITLE, PROMPT, POST)

# A command's name, a route's pattern, a bucket's bound; anything else a word (an error
# code, an exception's class, the platform's own).
LABEL_PATTERNS = {
    "command": r"[a-z_]+:[a-z_]+",
    "route": r"/[\w/<>:.-]*|-",
    "le": r"[\d.]+|\+Inf",
}

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(url: str) -> str:
    reply = requests.get(f"{url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.text


def samples(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def test_metrics_move_with_real_traffic_and_no_label_or_log_line_holds_what_people_wrote(
    database_url,
):
    with running_server(
        database_url,
        HOLDSPORT_METRICS_TOKEN=TOKEN,
        HOLDSPORT_LOG_FORMAT="json",
        HOLDSPORT_SWEEP_SECONDS="0.2",
    ) as server:
        before = samples(scrape(server.url))
        host = create_session(server.url, title=TITLE, facilitator_name=HOST_NAME)
        anne = LiveClient(server.url, host["facilitator_token"], "en").connect()
        guest = join(server.url, host["join_code"], GUEST_NAME)
        bo = LiveClient(server.url, guest["token"], "da").connect()
        assert anne.call("session:start")["ok"]
        assert anne.call("board:open", {"prompts": [PROMPT], "threshold": 3}) == {"ok": True}
        bo.wait_for(lambda: bo.state["board"] is not None)
        write(bo, POST)
        early = anne.call("board:reveal")
        assert early["error"]["code"] == "reveal_needs_posts"
        text = scrape(server.url)
        after = samples(text)
        anne.disconnect()
        bo.disconnect()

        def moved(name: str, **labels: str) -> float:
            return value(after, name, **labels) - value(before, name, **labels)

        assert moved("holdsport_commands_total", command="board:post", outcome="ok") == 1
        assert moved("holdsport_commands_total", command="session:start", outcome="ok") == 1
        refused = {"command": "board:reveal", "outcome": "reveal_needs_posts"}
        assert moved("holdsport_commands_total", **refused) == 1
        assert moved("holdsport_command_seconds_count", command="board:post") == 1
        assert moved("holdsport_http_requests_total", route="/api/join", status="201") == 1
        assert value(after, "holdsport_connections") == 2
        assert value(after, "holdsport_sessions_running") == 1
        assert moved("holdsport_publish_delay_seconds_count") >= 3  # start, open, post
        assert moved("holdsport_sweep_lateness_seconds_count") >= 1

        # Every label value comes from a fixed table; none is anything a person typed.
        for (_name, labels), _ in after.items():
            for key, label in labels:
                assert re.fullmatch(LABEL_PATTERNS.get(key, r"[\w.]+"), label), (key, label)
                if key == "outcome":
                    assert label == "ok" or label in MESSAGES
    log = full_log(server)
    for written in WRITTEN:
        # Whole, or any longer word of it: a log that cut a text short still holds those.
        for spelling in spellings(written) | {w for w in written.split() if len(w) >= 6}:
            assert spelling not in text and spelling not in log, spelling
    # Sign-up, create, join and four commands; /metrics is polled: not logged at INFO.
    assert len(per_request_messages(log)) == 7
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    posted = [line for line in lines if line.get("command") == "board:post"]
    assert [(p["outcome"], len(p["request_id"])) for p in posted] == [("ok", 16)]
    joins = [line for line in lines if line.get("route") == "/api/join"]
    assert [(j["method"], j["status"]) for j in joins] == [("POST", 201)]


def test_not_ready_while_redis_is_down_though_alive(database_url):
    down = f"redis://127.0.0.1:{free_port()}/0"
    with running_server(database_url, REDIS_URL=down) as server:
        assert requests.get(f"{server.url}/api/health", timeout=10).status_code == 200
        ready = requests.get(f"{server.url}/api/ready", timeout=10)
        assert (ready.status_code, ready.json()) == (503, {"ok": False, "failed": ["redis"]})
