"""A protocol client for tests, written against docs/protocol.md like any other client.

It keeps a session state the way the protocol says: take the snapshot, apply events
of the next version, ignore older ones, and fetch a snapshot on a gap.
"""

from __future__ import annotations

import copy
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

import requests
import socketio

NAMESPACE = "/session"


def _upsert_participant(state: dict[str, Any], payload: dict[str, Any]) -> None:
    if "participant" not in payload:  # a room display's copy: someone it may not show
        _drop_participant(state, payload)
        return
    person = payload["participant"]
    people = state["participants"]
    for index, known in enumerate(people):
        if known["id"] == person["id"]:
            people[index] = person
            return
    if state["you"]["role"] != "display":
        people.append(person)
        return
    # A display's list is in the order people joined (docs/protocol.md §3).
    place = (person["joined_at"], person["id"])
    later = [i for i, p in enumerate(people) if (p["joined_at"], p["id"]) > place]
    people.insert(later[0] if later else len(people), person)


def _set_session(state: dict[str, Any], payload: dict[str, Any]) -> None:
    state["session"].update({k: v for k, v in payload.items() if k != "version"})


def _set_agenda(state: dict[str, Any], payload: dict[str, Any]) -> None:
    # "Ready" belongs to a phase: in the next one, nobody has said it yet.
    moved = payload["agenda"]["current"]["phase_id"] != state["agenda"]["current"]["phase_id"]
    if moved and "my_agenda" in state:
        state["my_agenda"]["ready"] = False
    state["agenda"] = payload["agenda"]


def _set_hands(state: dict[str, Any], payload: dict[str, Any]) -> None:
    if payload["phase_id"] == state["agenda"]["current"]["phase_id"]:
        state["agenda"]["hands"] = payload["hands"]


def _find(items: list[dict[str, Any]], item_id: str) -> dict[str, Any] | None:
    return next((item for item in items if item["id"] == item_id), None)


def _upsert(items: list[dict[str, Any]], item: dict[str, Any]) -> None:
    for index, known in enumerate(items):
        if known["id"] == item["id"]:
            items[index] = item
            return
    items.append(item)


def _board_opened(state: dict[str, Any], payload: dict[str, Any]) -> None:
    state["board"] = payload["board"]


def _board_counted(state: dict[str, Any], payload: dict[str, Any]) -> None:
    state["board"]["count"] = payload["count"]


def _board_published(state: dict[str, Any], payload: dict[str, Any]) -> None:
    board = state["board"]
    board.update(revealed=payload["revealed"], count=payload["count"])
    board["posts"] = [p for p in board["posts"] if p["id"] not in payload["removed"]]
    for post in payload["posts"]:
        _upsert(board["posts"], post)


def _post_hidden(state: dict[str, Any], payload: dict[str, Any]) -> None:
    post = _find(state["board"]["posts"], payload["post_id"])
    if post is not None:
        post["hidden"] = True
        if state["you"]["role"] not in ("facilitator", "cofacilitator"):
            post["text"] = None


def _post_restored(state: dict[str, Any], payload: dict[str, Any]) -> None:
    _upsert(state["board"]["posts"], payload["post"])


def _reacted(state: dict[str, Any], payload: dict[str, Any]) -> None:
    post = _find(state["board"]["posts"], payload["post_id"])
    if post is not None:
        post["reactions"] = payload["reactions"]


def _voted(state: dict[str, Any], payload: dict[str, Any]) -> None:
    board = state["board"]
    target = _find(board["posts"], payload["target_id"]) or _find(
        board["clusters"], payload["target_id"]
    )
    if target is not None:
        target["votes"] = payload["votes"]


def _cluster_saved(state: dict[str, Any], payload: dict[str, Any]) -> None:
    _upsert(state["board"]["clusters"], payload["cluster"])


def _cluster_removed(state: dict[str, Any], payload: dict[str, Any]) -> None:
    board = state["board"]
    board["clusters"] = [c for c in board["clusters"] if c["id"] != payload["cluster_id"]]
    for post in board["posts"]:
        if post["cluster_id"] == payload["cluster_id"]:
            post["cluster_id"] = None


def _post_moved(state: dict[str, Any], payload: dict[str, Any]) -> None:
    post = _find(state["board"]["posts"], payload["post_id"])
    if post is not None:
        post["cluster_id"] = payload["cluster_id"]


def _board_status(state: dict[str, Any], payload: dict[str, Any]) -> None:
    state["board"].update(status=payload["status"], count=payload["count"])


def _set_actions(state: dict[str, Any], payload: dict[str, Any]) -> None:
    state["actions"] = payload["actions"]


# How each versioned event changes the state, as docs/protocol.md says.
def _drop_participant(state: dict[str, Any], payload: dict[str, Any]) -> None:
    state["participants"] = [
        p for p in state["participants"] if p["id"] != payload["participant_id"]
    ]


def _pulse_updated(state: dict[str, Any], payload: dict[str, Any]) -> None:
    state["pulse"] = payload["pulse"]


def _breakouts_updated(state: dict[str, Any], payload: dict[str, Any]) -> None:
    state["breakouts"] = payload["breakouts"]  # this connection's own view (§11)


def _group_board(state: dict[str, Any], payload: dict[str, Any]) -> None:
    """One group's board anew; a payload with only a version was another group's."""
    if "group" not in payload or not state.get("group_boards"):
        return
    boards = state["group_boards"]["boards"]
    entry = {"group": payload["group"], "board": payload["board"]}
    found = [i for i, b in enumerate(boards) if b["group"] == payload["group"]]
    if found:
        boards[found[0]] = entry
    else:
        boards.append(entry)


def _group_boards(state: dict[str, Any], payload: dict[str, Any]) -> None:
    state["group_boards"] = payload["group_boards"]  # this connection's own view (§11)


APPLIERS: dict[str, Callable[[dict[str, Any], dict[str, Any]], None]] = {
    "participant:joined": _upsert_participant,
    "participant:returned": _upsert_participant,
    "participant:left": _upsert_participant,
    "participant:updated": _upsert_participant,
    "participant:waiting": _upsert_participant,
    "participant:admitted": _upsert_participant,
    "participant:removed": _drop_participant,
    "agenda:updated": _set_agenda,
    "hands:updated": _set_hands,
    "session:started": _set_session,
    "session:ended": _set_session,
    "session:updated": _set_session,
    "board:opened": _board_opened,
    "board:count_changed": _board_counted,
    "board:published": _board_published,
    "board:post_hidden": _post_hidden,
    "board:post_restored": _post_restored,
    "board:reacted": _reacted,
    "board:voted": _voted,
    "board:cluster_added": _cluster_saved,
    "board:cluster_renamed": _cluster_saved,
    "board:cluster_removed": _cluster_removed,
    "board:post_moved": _post_moved,
    "board:locked": _board_status,
    "board:unlocked": _board_status,
    "board:closed": _board_status,
    "actions:updated": _set_actions,
    "pulse:updated": _pulse_updated,
    "breakout:updated": _breakouts_updated,
    "board:group_updated": _group_board,
    "board:groups_updated": _group_boards,
}


_emails = itertools.count(1)


def facilitator(base_url: str, name: str = "Anne", language: str = "da") -> requests.Session:
    """A new facilitator account, signed in: its cookie and CSRF header go with every
    request made through the returned session."""
    http = requests.Session()
    body = {
        "email": f"anne{next(_emails)}.{time.monotonic_ns()}@example.org",
        "display_name": name,
        "password": "a long enough password",
        "language": language,
    }
    reply = http.post(f"{base_url}/api/account/sign-up", json=body, timeout=10)
    assert reply.status_code == 201, reply.text
    http.headers["X-CSRF-Token"] = reply.json()["csrf_token"]
    http.email = body["email"]  # type: ignore[attr-defined]
    return http


def sign_in(base_url: str, email: str) -> requests.Session:
    """Another login of a facilitator made by `facilitator` (another device)."""
    http = requests.Session()
    body = {"email": email, "password": "a long enough password"}
    reply = http.post(f"{base_url}/api/account/sign-in", json=body, timeout=10)
    assert reply.status_code == 200, reply.text
    http.headers["X-CSRF-Token"] = reply.json()["csrf_token"]
    return http


def create_session(
    base_url: str, host: requests.Session | None = None, **overrides: Any
) -> dict[str, Any]:
    """A session open to anyone with its code, unless `admission="host"` (the door's
    tests); made by `host` (a signed-in facilitator), or by a new facilitator."""
    body = {
        "title": "Ledergruppen",
        "language": "da",
        "facilitator_name": "Anne",
        "admission": "code",
        **overrides,
    }
    http = host or facilitator(base_url)
    reply = http.post(f"{base_url}/api/sessions", json=body, timeout=10)
    assert reply.status_code == 201, reply.text
    return reply.json()


def join(
    base_url: str, join_code: str, name: str, language: str = "en", **extra: Any
) -> dict[str, Any]:
    """`extra`: more of the join's fields (`organisation`, `agree`, ...)."""
    body = {"join_code": join_code, "display_name": name, "language": language, **extra}
    reply = requests.post(f"{base_url}/api/join", json=body, timeout=10)
    assert reply.status_code == 201, reply.text
    return reply.json()


def _my_role_changes(state: dict[str, Any], payload: dict[str, Any]) -> bool:
    person, you = payload.get("participant"), state["you"]
    return bool(person and person["id"] == you["participant_id"] and person["role"] != you["role"])


# Notices to one person's connections: no version, no state (docs/protocol.md §4).
NOTICES = ("session:admitted", "session:removed", "session:deleted")
# To one person's other connections, of what only they may know: no version, no state (§4).
PRIVATE_EVENTS = (
    "notebook:entry_saved",
    "notebook:entry_deleted",
    "board:own_post_saved",
    "board:own_post_deleted",
)


def _my_agenda(state: dict[str, Any], payload: dict[str, Any]) -> None:
    """A person's own part anew, from another connection of theirs, for the phase it
    names; one of an ended phase changes nothing (that phase's "ready" ended with it)."""
    if state["agenda"]["current"]["phase_id"] == payload["phase_id"]:
        state["my_agenda"] = payload["my_agenda"]


# To one person's other connections, of their own part of the state: no version (§4).
OWN_PARTS = {"agenda:my_agenda": _my_agenda}


def apply_event(state: dict[str, Any], name: str, payload: dict[str, Any]) -> None:
    APPLIERS[name](state, payload)
    state["version"] = payload["version"]


class LiveClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        language: str | None = None,
        transports: list[str] | None = None,
        http: requests.Session | None = None,
    ) -> None:
        """`transports`: ["polling"] or ["websocket"] only (default: polling, then an
        upgrade); `http`: the requests session to use (cookies, certificates)."""
        self.base_url = base_url
        self.token = token
        self.language = language
        self.transports = transports
        self.http = http
        self.state: dict[str, Any] | None = None
        self.received: list[tuple[str, dict[str, Any]]] = []  # versioned events
        self.snapshots: list[dict[str, Any]] = []
        self.acks: list[tuple[str, dict[str, Any]]] = []
        self.gaps = 0
        self.announced: list[int] = []  # session:version, the catch-up after missed events
        self.refusal: Any = None
        self.notices: list[str] = []
        self.own_parts: list[tuple[str, dict[str, Any]]] = []  # agenda:my_agenda
        self._changed = threading.Condition()
        self.sio = self._new_sio()

    def _new_sio(self) -> socketio.Client:
        sio = socketio.Client(reconnection=False, http_session=self.http)
        sio.on("session:snapshot", self._on_snapshot, namespace=NAMESPACE)
        sio.on("session:version", self._on_version, namespace=NAMESPACE)
        for name in APPLIERS:
            sio.on(name, self._handler(name), namespace=NAMESPACE)
        for name in NOTICES:
            sio.on(name, self._notice(name), namespace=NAMESPACE)
        for name in OWN_PARTS:
            sio.on(name, self._own_part(name), namespace=NAMESPACE)
        sio.on("connect_error", self._on_refused, namespace=NAMESPACE)
        return sio

    def connect(self) -> LiveClient:
        auth = {"token": self.token}
        if self.language:
            auth["language"] = self.language
        self.sio.connect(
            self.base_url,
            namespaces=[NAMESPACE],
            auth=auth,
            wait_timeout=10,
            transports=self.transports,
        )
        self.wait_for(lambda: self.state is not None)
        return self

    def disconnect(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()

    def call(self, event: str, *payload: Any) -> dict[str, Any]:
        reply = self.sio.call(event, *payload, namespace=NAMESPACE, timeout=10)
        self.acks.append((event, reply))
        return reply

    @property
    def sid(self) -> str | None:
        return self.sio.get_sid(NAMESPACE)

    def wait_for(self, condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; state={self.state} received={self.received}")
                self._changed.wait(left)

    def people(self) -> list[tuple[str, bool]]:
        assert self.state is not None
        return [(p["display_name"], p["present"]) for p in self.state["participants"]]

    def _on_snapshot(self, snapshot: dict[str, Any]) -> None:
        with self._changed:
            self.snapshots.append(copy.deepcopy(snapshot))
            self.state = snapshot
            self._changed.notify_all()

    def _on_version(self, payload: dict[str, Any]) -> None:
        with self._changed:
            self.announced.append(payload["version"])
            if self.state is not None and payload["version"] > self.state["version"]:
                self.sio.start_background_task(self._resync)

    def _on_refused(self, data: Any) -> None:
        with self._changed:
            self.refusal = data
            self._changed.notify_all()

    def _handler(self, name: str):  # type: ignore[no-untyped-def]
        def handle(payload: dict[str, Any]) -> None:
            with self._changed:
                self.received.append((name, copy.deepcopy(payload)))
                if self.state is None or payload["version"] <= self.state["version"]:
                    return
                if self.state["you"]["role"] == "waiting":
                    return  # let in a moment ago: the snapshot after session:admitted counts
                if name == "participant:updated" and _my_role_changes(self.state, payload):
                    self.sio.start_background_task(self._resync)  # what I may see changes
                    return
                if payload["version"] != self.state["version"] + 1:
                    self.gaps += 1
                    self.sio.start_background_task(self._resync)
                    return
                apply_event(self.state, name, payload)
                self._changed.notify_all()

        return handle

    def _own_part(self, name: str):  # type: ignore[no-untyped-def]
        def handle(payload: dict[str, Any]) -> None:
            with self._changed:
                self.own_parts.append((name, copy.deepcopy(payload)))
                if self.state is not None and self.state["you"]["role"] != "waiting":
                    OWN_PARTS[name](self.state, payload)
                self._changed.notify_all()

        return handle

    def _notice(self, name: str):  # type: ignore[no-untyped-def]
        def handle(payload: dict[str, Any]) -> None:
            with self._changed:
                self.notices.append(name)
                self._changed.notify_all()
            if name == "session:admitted":  # let in: fetch what is inside
                self.sio.start_background_task(self._resync)

        return handle

    def _resync(self) -> None:
        try:
            snapshot = self.call("session:sync")["snapshot"]
        except socketio.exceptions.SocketIOError:
            if self.sio.connected:
                raise
            return  # the test disconnected meanwhile: nothing to catch up on
        with self._changed:
            # Syncs may answer out of order: an older snapshot than the state adds nothing.
            if self.state is None or snapshot["version"] >= self.state["version"]:
                self._on_snapshot(snapshot)

    def comparable_state(self) -> dict[str, Any]:
        """The shared part of the state: the same on every screen of the session."""
        return comparable(self.state)


def comparable(state: dict[str, Any] | None) -> dict[str, Any]:
    """A state's shared part, the same on every screen of the session (snapshots too)."""
    state = copy.deepcopy(state) or {}
    for personal in ("server_time", "you", "my_agenda"):
        state.pop(personal, None)
    if "agenda" in state:
        state["agenda"]["timer"].pop("remaining_seconds")  # computed at send time
    for person in state.get("participants", []):
        person.pop("organisation", None)  # never sent to a room display (§3)
    return state


class Ears:
    """Everything a client hears that LiveClient does not apply: the private events to one
    person's connections (the notebook's, `board:own_*`), and any other (the catch-all)."""

    def __init__(self, client: LiveClient, names: tuple[str, ...] = ()) -> None:
        self.heard: list[tuple[str, Any]] = []
        self._changed = threading.Condition()
        for name in names:
            client.sio.on(name, self._hear(name), namespace=NAMESPACE)
        client.sio.on("*", lambda name, data: self._hear(name)(data), namespace=NAMESPACE)

    def _hear(self, name: str):  # type: ignore[no-untyped-def]
        def hear(data: Any) -> None:
            with self._changed:
                self.heard.append((name, data))
                self._changed.notify_all()

        return hear

    def wait_for(self, name: str, count: int = 1) -> list[Any]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.of(name)) >= count, timeout=10)
        found = self.of(name)
        assert len(found) >= count, self.heard
        return found

    def of(self, name: str) -> list[Any]:
        return [data for heard, data in self.heard if heard == name]


def all_current(clients: list[LiveClient], timeout: float) -> None:
    """Every client's shared state equals a fresh snapshot, within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    fresh = comparable(clients[0].call("session:sync")["snapshot"])
    for client in clients:
        client.wait_for(
            lambda c=client: comparable(c.state) == fresh,
            timeout=max(0.1, deadline - time.monotonic()),
        )
