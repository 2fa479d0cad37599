"""A long mixed session for replay tests, and how to compare a replayed state with a
fresh snapshot (docs/protocol.md §3: snapshot + events = the state now)."""

from __future__ import annotations

import copy
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

from server.board.rules import COUNT_SECONDS
from tests.live_client import LiveClient, join

# HOLDSPORT_SWEEP_SECONDS for these tests: live batches are published by the sweeper.
SWEEP_SECONDS = "0.2"


def differences(observed: Any, fresh: Any, path: str = "") -> Iterator[str]:
    """Every place where two JSON values differ, as `path: observed != fresh`."""
    if isinstance(observed, dict) and isinstance(fresh, dict):
        for key in sorted(observed.keys() | fresh.keys()):
            if key not in fresh:
                yield f"{path}.{key}: only in the replayed state"
            elif key not in observed:
                yield f"{path}.{key}: only in the fresh snapshot"
            else:
                yield from differences(observed[key], fresh[key], f"{path}.{key}")
    elif isinstance(observed, list) and isinstance(fresh, list) and len(observed) == len(fresh):
        for index, (mine, theirs) in enumerate(zip(observed, fresh, strict=True)):
            yield from differences(mine, theirs, f"{path}[{index}]")
    elif observed != fresh or isinstance(observed, bool) is not isinstance(fresh, bool):
        # JSON numbers compare by value: 75 and 75.0 are one number to JSON and to the
        # browser. (Events do send some whole-second floats as integers, e.g. a turn's
        # `duration_seconds`, where a snapshot read back from the database has 75.0.)
        yield f"{path}: {observed!r} != {fresh!r}"


def state_differences(observed: dict[str, Any], fresh: dict[str, Any], span: float) -> list[str]:
    """How a state built from a snapshot and events differs from a fresh snapshot.

    Everything is compared, the connection's own `you` and `my_agenda` too, except two
    fields that legitimately differ: `server_time` (when each was sent), and a running
    countdown's `remaining_seconds`, which the server computes when it sends a state
    (docs/protocol.md §4a), so the replayed one, from the last agenda event, is larger by
    the time between that event and the sync: at least 0 and at most `span` seconds (how
    long the observer has been watching). `ends_at` is compared exactly. A paused,
    expired or idle countdown does not move, so its `remaining_seconds` must be equal.
    """
    observed, fresh = copy.deepcopy(observed), copy.deepcopy(fresh)
    observed.pop("server_time", None)
    fresh.pop("server_time", None)
    timers = [(".agenda.timer", observed["agenda"]["timer"], fresh["agenda"]["timer"])]
    timers += list(_group_timers(observed, fresh))
    found: list[str] = []
    for path, then_timer, now_timer in timers:
        if now_timer["status"] == "running" and then_timer["status"] == "running":
            then = then_timer.pop("remaining_seconds")
            now = now_timer.pop("remaining_seconds")
            if not 0 <= then - now <= span + 0.5:
                found.append(f"{path}.remaining_seconds: {then} then, {now} now, {span:.1f} s")
    return found + list(differences(observed, fresh))


def _group_timers(
    observed: dict[str, Any], fresh: dict[str, Any]
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The breakout groups' countdowns both states show (§11: each reads as the
    agenda's), paired by phase and group number."""

    def timers(state: dict[str, Any]) -> dict[tuple[int, str, int], dict[str, Any]]:
        found = {}
        for breakout in (state.get("breakouts") or {}).get("rounds", []):
            mine = [breakout["my_group"]] if breakout["my_group"] else []
            for kind, groups in (("my_group", mine), ("groups", breakout["groups"])):
                for group in groups:
                    found[breakout["phase_id"], kind, group["number"]] = group["timer"]
        return found

    then, now = timers(observed), timers(fresh)
    for key in sorted(then.keys() & now.keys()):
        phase_id, kind, number = key
        yield f".breakouts[phase {phase_id}].{kind}[{number}].timer", then[key], now[key]


# The comparison after `quiet` must be over before the board's count can next be told.
COMPARING_SECONDS = 2.0


def quiet(client: LiveClient, observers: list[LiveClient]) -> int:
    """Wait until nothing changes any more (the sweeper may still publish a batch), and
    until every observer has caught up; return that version.

    A post still waiting for its batch changes the count, which the sweeper tells at
    the start of the next window of the clock (board/counting.py), however quiet the
    session has been. So this returns only early enough in a window that the caller's
    comparison ends before it."""
    version = -1
    while True:
        now = int(client.call("session:sync")["snapshot"]["version"])
        if now == version and _count_told_after(COMPARING_SECONDS):
            return version
        version = now
        for observer in observers:
            observer.wait_for(lambda o=observer, v=version: o.state["version"] >= v)
        time.sleep(0.6)  # three sweeps


def _count_told_after(seconds: float) -> bool:
    """Whether the board's next count window starts more than `seconds` from now; if
    not, wait until a moment into it (the sweeper's round there tells the count)."""
    left = COUNT_SECONDS - time.time() % COUNT_SECONDS
    if left > seconds:
        return True
    time.sleep(left + 0.5)
    return False


def write(client: LiveClient, text: str, prompt: int = 0) -> tuple[str, str]:
    secret = secrets.token_urlsafe(32)
    reply = client.call("board:post", {"prompt": prompt, "text": text, "secret": secret})
    assert reply["ok"], reply
    return reply["post"]["id"], secret


class MixedSession:
    """Anne (the facilitator) and Bo, Cecilie and Erik drive a session through presence,
    agenda and board changes of every kind; observers only watch and apply events.

    `arrive()` connects them; `stages()` are the rest. Whoever the caller connected before
    (its observers) is in the session from the start, and in the speaking order.
    """

    def __init__(self, base_url: str, host: dict[str, Any]) -> None:
        self.base_url = base_url
        self.host = host
        self.opened: list[LiveClient] = []
        self.tokens: dict[str, str] = {"Anne": host["facilitator_token"]}
        for name in ("Bo", "Cecilie", "Erik"):
            self.tokens[name] = join(base_url, host["join_code"], name)["token"]
        # Frida and Gustav knock once the host lets people in (`door`).
        self.people: dict[str, LiveClient] = {}

    def connect(self, name: str) -> LiveClient:
        client = LiveClient(self.base_url, self.tokens[name]).connect()
        self.opened.append(client)
        self.people[name] = client
        return client

    def close(self) -> None:
        for client in self.opened:
            client.disconnect()

    def do(self, who: str, command: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        reply = self.people[who].call(command, payload or {})
        assert reply["ok"], (who, command, payload, reply)
        return reply

    def settled(self) -> dict[str, Any]:
        """Anne's state once it has every change made so far (her events all applied)."""
        anne = self.people["Anne"]
        version = anne.call("session:sync")["snapshot"]["version"]
        anne.wait_for(lambda: anne.state["version"] >= version)
        assert anne.state is not None
        return anne.state

    def wait(self, condition: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        anne = self.people["Anne"]
        anne.wait_for(lambda: condition(anne.state))
        return self.settled()

    def segment(self) -> int:
        return int(self.settled()["agenda"]["segment"])

    def next(self, who: str = "Anne") -> dict[str, Any]:
        self.do(who, "agenda:next", {"segment": self.segment()})
        return self.settled()

    def speaker_id(self) -> int | None:
        agenda = self.settled()["agenda"]
        turn = next((t for t in agenda["turns"] if t["id"] == agenda["current"]["turn_id"]), None)
        return turn["participant_id"] if turn else None

    def id_of(self, name: str) -> int:
        return int(self.people[name].state["you"]["participant_id"])

    def posts(self) -> list[dict[str, Any]]:
        return list(self.settled()["board"]["posts"])

    def arrive(self) -> None:
        """Presence: people join, a second tab comes and goes, someone drops and returns."""
        for name in ("Anne", "Bo", "Cecilie", "Erik"):
            self.connect(name)
        second_tab = LiveClient(self.base_url, self.tokens["Cecilie"]).connect()
        second_tab.disconnect()  # Cecilie is still present on her first tab: no event
        self.people["Erik"].disconnect()  # participant:left
        self.wait(lambda s: not self.present(s, "Erik"))
        self.connect("Erik")  # participant:returned
        self.do("Bo", "participant:set_location", {"location": "remote"})
        self.do("Cecilie", "participant:set_location", {"location": "room"})
        cecilie = self.id_of("Cecilie")
        self.do(
            "Anne", "participant:set_role", {"participant_id": cecilie, "role": "cofacilitator"}
        )
        self.settled()

    def present(self, state: dict[str, Any], name: str) -> bool:
        return any(p["display_name"] == name and p["present"] for p in state["participants"])

    def stages(self) -> list[Callable[[], None]]:
        """What happens after `arrive()`, in steps after each of which states may be compared."""
        return [
            self.door,
            self.plan_agenda,
            self.run_round,
            self.run_live_board,
            self.run_discussion_with_a_board,
            self.leave,
            self.end,
        ]

    def door(self) -> None:
        """The host lets people in from now: Frida waits at the door and is let in,
        Gustav is turned away; then the code lets people in again."""
        self.do("Anne", "session:set_admission", {"admission": "host"})  # session:updated
        for name in ("Frida", "Gustav"):
            self.tokens[name] = join(self.base_url, self.host["join_code"], name)["token"]
            self.connect(name)  # participant:waiting
        frida, gustav = (self.waiting_id(name) for name in ("Frida", "Gustav"))
        self.do("Anne", "participant:admit", {"participant_id": frida})  # participant:admitted
        self.do("Cecilie", "participant:remove", {"participant_id": gustav})  # ...:removed
        self.do("Anne", "session:set_admission", {"admission": "code"})
        self.people["Frida"].wait_for(lambda: self.people["Frida"].state["agenda"] is not None)

    def waiting_id(self, name: str) -> int:
        state = self.wait(lambda s: any(p["display_name"] == name for p in s["participants"]))
        return next(p["id"] for p in state["participants"] if p["display_name"] == name)

    def leave(self) -> None:
        """Erik leaves: participant:left, then the server disconnects him."""
        self.do("Erik", "participant:leave")
        self.wait(lambda s: not self.present(s, "Erik"))

    def end(self) -> None:
        """session:ended; the board opened by hand closes with it (the two posts still
        waiting for a batch are deleted unseen), and the countdown stops."""
        self.do("Anne", "session:end")
        self.wait(lambda s: s["agenda"]["finished"] and s["board"]["status"] == "closed")

    def plan_agenda(self) -> None:
        self.do(
            "Anne",
            "agenda:add_phase",
            {"kind": "round", "title": "Check-in", "minutes": 5, "position": 0},
        )
        self.do(
            "Cecilie",
            "agenda:add_phase",
            {"kind": "board", "title": "Board", "minutes": 10, "position": 1},
        )
        self.do("Anne", "agenda:add_phase", {"kind": "break", "title": "Coffee", "minutes": 5})
        phases = self.settled()["agenda"]["phases"]
        board, coffee = phases[1], phases[3]
        self.do(
            "Anne",
            "agenda:update_phase",
            {
                "phase_id": board["id"],
                "prompts": ["What went wrong", "What helped"],
                "board_mode": "live",
                "board_threshold": 3,
            },
        )
        self.do("Anne", "agenda:move_phase", {"phase_id": coffee["id"], "position": 1})
        self.do("Anne", "agenda:remove_phase", {"phase_id": coffee["id"]})
        self.do("Anne", "session:start")  # session:started, then agenda:updated

    def run_round(self) -> None:
        segment = self.segment()
        self.do("Anne", "timer:pause", {"segment": segment})
        self.do("Anne", "timer:extend", {"segment": segment, "seconds": 30})
        self.do("Anne", "timer:resume", {"segment": segment})
        self.do("Cecilie", "turn:pass")  # before her turn comes
        self.do("Bo", "hand:raise")
        self.do("Erik", "hand:raise")
        self.do("Bo", "hand:lower")
        erik_hand = self.settled()["agenda"]["hands"][0]  # Bo's is down
        self.do("Anne", "hand:dismiss", {"hand_id": erik_hand["id"]})
        self.do("Bo", "ready:set", {"ready": True})
        self.do("Erik", "ready:set", {"ready": True})
        self.do("Erik", "ready:set", {"ready": False})
        # Frida, with her hand up and her turn to come, is removed: both go with her.
        self.do("Frida", "hand:raise")
        self.do("Anne", "participant:remove", {"participant_id": self.id_of("Frida")})
        # On to Bo's turn; Bo's connection drops while he speaks, then he is back.
        bo = self.id_of("Bo")
        for _ in range(8):
            if self.speaker_id() == bo:
                break
            self.next()
        assert self.speaker_id() == bo
        self.people["Bo"].disconnect()  # participant:left, and the countdown waits for him
        self.wait(lambda s: s["agenda"]["timer"]["speaker_away"])
        self.connect("Bo")  # participant:returned
        self.do("Anne", "timer:resume", {"segment": self.segment()})
        waiting = [
            t
            for t in self.settled()["agenda"]["turns"]
            if t["started_at"] is None and t["left_out"] is None
        ]
        if waiting:
            self.do("Anne", "turn:skip", {"turn_id": waiting[-1]["id"]})
        for _ in range(8):  # Cecilie, co-facilitator, moves on to the board phase
            state = self.next("Cecilie")
            if state["board"] is not None:
                break

    def run_live_board(self) -> None:
        """A live board: batches published by the sweeper, then curation."""
        # Batches need three different people with something waiting: each batch here
        # has exactly three, so it does not matter when the sweeper comes by.
        first = {
            name: write(self.people[name], text)
            for name, text in [
                ("Anne", "I hid a mistake for a week"),
                ("Bo", "Jeg sagde ja til alt <b>igen</b>"),
                ("Cecilie", "I never asked for help 😅"),
            ]
        }
        self.wait(lambda s: len(s["board"]["posts"]) == 3)  # the sweeper's first batch
        ids = [p["id"] for p in self.posts()]
        self.do("Bo", "board:react", {"post_id": ids[0], "kind": "me_too"})
        self.do("Erik", "board:react", {"post_id": ids[0], "kind": "thanks"})
        self.do("Erik", "board:react", {"post_id": ids[0], "kind": "me_too"})
        self.do("Cecilie", "board:react", {"post_id": ids[1], "kind": "thanks"})
        self.do("Cecilie", "board:react", {"post_id": ids[1], "kind": None})
        self.do("Bo", "board:vote", {"target_id": ids[1], "vote": True})
        self.do("Erik", "board:vote", {"target_id": ids[1], "vote": True})
        self.do("Bo", "board:vote", {"target_id": ids[1], "vote": False})
        # A batch of an edit and two new posts; then one of a delete and two new posts.
        post_id, secret = first["Bo"]
        self.do("Bo", "board:edit", {"post_id": post_id, "secret": secret, "text": "Jeg sagde ja"})
        erik_id, erik_secret = write(self.people["Erik"], "Jeg glemte mødet med Åse", prompt=1)
        write(self.people["Cecilie"], "I ask now", prompt=1)
        self.wait(lambda s: len(s["board"]["posts"]) == 5)
        self.do("Erik", "board:delete", {"post_id": erik_id, "secret": erik_secret})
        write(self.people["Anne"], "I said nothing", prompt=1)
        write(self.people["Bo"], "Jeg spurgte", prompt=1)
        self.wait(lambda s: len(s["board"]["posts"]) == 6 and erik_post_gone(s, erik_id))
        ids = [p["id"] for p in self.posts()]
        self.do("Anne", "board:hide", {"post_id": ids[0]})
        self.do("Anne", "board:restore", {"post_id": ids[0]})
        self.do("Anne", "board:hide", {"post_id": ids[2]})  # stays hidden
        workload = self.do("Anne", "board:add_cluster", {"name": "Workload"})["cluster_id"]
        trust = self.do("Cecilie", "board:add_cluster", {"name": "Trust"})["cluster_id"]
        self.do("Anne", "board:rename_cluster", {"cluster_id": trust, "name": "Safety"})
        self.do("Anne", "board:move_post", {"post_id": ids[0], "cluster_id": workload})
        self.do("Anne", "board:move_post", {"post_id": ids[1], "cluster_id": trust})
        self.do("Anne", "board:move_post", {"post_id": ids[3], "cluster_id": workload})
        self.do("Anne", "board:move_post", {"post_id": ids[3], "cluster_id": None})
        self.do("Bo", "board:vote", {"target_id": trust, "vote": True})
        self.do("Erik", "board:vote", {"target_id": workload, "vote": True})
        self.do("Anne", "board:remove_cluster", {"cluster_id": workload})
        self.do("Anne", "board:lock")
        self.do("Anne", "board:unlock")
        self.actions()
        self.next()  # the phase ends: board:closed, then the open discussion

    def actions(self) -> None:
        """Actions: from the board's posts, added, edited and deleted (actions:updated)."""
        self.do(
            "Anne", "action:from_posts", {"post_ids": [self.posts()[1]["id"]], "level": "group"}
        )
        bo = {"owner": "person", "owner_id": self.id_of("Bo"), "due": "2027-01-15"}
        self.do("Bo", "action:add", {"text": "Talk to HR", "level": "organisation", **bo})
        added = self.settled()["actions"]["recorded"][-1]["id"]
        edit = {"action_id": added, "text": "Talk to HR first", "level": "leader", "owner": "group"}
        self.do("Erik", "action:edit", edit)
        self.do("Cecilie", "action:add", {"text": "Say no", "level": "individual"})
        self.do(
            "Anne", "action:delete", {"action_id": self.settled()["actions"]["recorded"][0]["id"]}
        )

    def run_discussion_with_a_board(self) -> None:
        """An open floor with hands and ready signals, and a board opened by hand."""
        self.do("Bo", "hand:raise")
        self.do("Cecilie", "hand:raise")
        self.do("Erik", "hand:raise")
        hands = self.settled()["agenda"]["hands"]
        self.do("Anne", "hand:give_word", {"hand_id": hands[0]["id"]})
        self.do("Anne", "hand:give_word", {"hand_id": hands[1]["id"]})
        self.do("Erik", "hand:lower")
        self.do("Erik", "ready:set", {"ready": True})
        self.do("Bo", "ready:set", {"ready": True})
        self.do("Anne", "board:open", {"prompts": ["An uncertainty I carry"], "threshold": 3})
        for name in ("Bo", "Cecilie", "Erik", "Anne"):
            write(self.people[name], f"{name} is unsure about the budget")
        self.do("Anne", "board:reveal")
        self.wait(lambda s: len(s["board"]["posts"]) == 4)
        ids = [p["id"] for p in self.posts()]
        self.do("Erik", "board:react", {"post_id": ids[2], "kind": "thanks"})
        self.do("Bo", "board:vote", {"target_id": ids[3], "vote": True})
        self.do("Anne", "board:hide", {"post_id": ids[1]})
        cluster = self.do("Anne", "board:add_cluster", {"name": "Money"})["cluster_id"]
        self.do("Anne", "board:move_post", {"post_id": ids[2], "cluster_id": cluster})
        # After the reveal, new posts wait for a batch of three people: two is not enough.
        write(self.people["Bo"], "Waiting for a batch")
        write(self.people["Cecilie"], "Me too")
        time.sleep(0.5)  # a few sweeps: nothing may be published


def erik_post_gone(state: dict[str, Any], post_id: str) -> bool:
    return all(p["id"] != post_id for p in state["board"]["posts"])
