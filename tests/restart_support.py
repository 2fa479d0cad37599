"""Clients that live through server restarts, and commands whose every outcome is kept.

A `Rejoining` client connects again by itself when the server closes its connection,
as the browser does (socket.io-client), and notes how long it was away. A `Writer`
keeps adding agenda phases with titles of its own and records what each one got: an
ack, a refusal, or no answer at all; afterwards `faults` compares that with the agenda.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import socketio

from tests.live_client import NAMESPACE, LiveClient

REPLY_SECONDS = 3.0  # a sync in a restart may be lost: the reconnect brings a snapshot
ACK_SECONDS = 10.0  # a command's ack, on a connection that stays open


class Rejoining(LiveClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.closing = False
        self.away: list[float] = []  # seconds from each drop to the snapshot after it
        super().__init__(*args, **kwargs)

    def _new_sio(self) -> socketio.Client:
        sio = super()._new_sio()
        sio.on("disconnect", lambda reason=None: self._on_drop(sio), namespace=NAMESPACE)
        return sio

    def disconnect(self) -> None:
        self.closing = True
        super().disconnect()

    def call(self, event: str, *payload: Any) -> dict[str, Any]:
        """As LiveClient's, but a command made while a rejoin is still connecting waits
        for it (up to 10 s), as a browser's queued emit does: it was never sent, so
        sending it then doubles nothing."""
        deadline = time.monotonic() + 10
        while True:
            try:
                return super().call(event, *payload)
            except socketio.exceptions.BadNamespaceError:
                if self.closing or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def _resync(self) -> None:
        """As LiveClient's, but a sync lost or refused in a restart is let go, as the
        browser does: the reconnect that follows brings a snapshot."""
        try:
            reply = self.sio.call("session:sync", namespace=NAMESPACE, timeout=REPLY_SECONDS)
        except socketio.exceptions.SocketIOError:
            return
        with self._changed:
            if reply.get("ok") and reply["snapshot"]["version"] >= self.state["version"]:
                self._on_snapshot(reply["snapshot"])

    def _on_drop(self, dropped: socketio.Client) -> None:
        if not self.closing and dropped is self.sio:
            threading.Thread(target=self._rejoin, args=(time.monotonic(),), daemon=True).start()

    def _rejoin(self, dropped: float) -> None:
        # On a client of its own, as a browser's page has: python-engineio's client winds
        # a closed connection down in threads that may linger (up to its 30 s write
        # timeout) and reset the client they belong to once they end; a connection made
        # again on that client would be cut then, or never get its namespace.
        snapshots = len(self.snapshots)
        while not self.closing:
            time.sleep(0.1)
            self.sio = self._new_sio()
            try:
                self.connect()
            except (socketio.exceptions.ConnectionError, AssertionError):
                self.sio.disconnect()  # a half-open attempt; try again
                continue
            self.wait_for(lambda: len(self.snapshots) > snapshots)
            self.away.append(time.monotonic() - dropped)
            return


class Writer:
    """Adds phases titled `<prefix> <n>` through `client` until stopped (or, for another
    `command`, until `done` says a refusal ends it)."""

    command = "agenda:add_phase"
    pause = 0.0  # seconds between two commands

    def __init__(self, client: LiveClient, prefix: str) -> None:
        self.client = client
        self.prefix = prefix
        self.acked: list[str] = []
        self.refused: dict[str, str] = {}  # title -> error code
        self.unanswered: list[str] = []
        self._stop = threading.Event()
        self.finished = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Writer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=ACK_SECONDS + 5)

    def wait_for_acks(self, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acked) < count:
            assert time.monotonic() < deadline, f"{self.prefix}: {self.outcomes()}"
            time.sleep(0.05)

    def wait_until_done(self, timeout: float) -> None:
        assert self.finished.wait(timeout), f"{self.prefix}: {self.outcomes()}"

    def payload(self, title: str) -> dict[str, Any]:
        return {"kind": "break", "title": title, "minutes": 5}

    def done(self, reply: dict[str, Any]) -> bool:
        """Whether this refusal ends the writing."""
        return False

    def _run(self) -> None:
        n = 0
        while not self._stop.wait(self.pause):
            if not self.client.sio.connected:
                time.sleep(0.05)  # nothing is sent while away: the browser queues, too
                continue
            n += 1
            title = f"{self.prefix} {n}"
            reply = self._send(self.payload(title))
            if reply is None:
                self.unanswered.append(title)
            elif reply.get("ok"):
                self.acked.append(title)
            elif self.done(reply):
                self.finished.set()
                return
            else:
                self.refused[title] = reply["error"]["code"]
                time.sleep(0.5)  # "try again in a moment", as the message says

    def _send(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        """The ack; None if the connection closed first (its ack is lost with it)."""
        answered = threading.Event()
        replies: list[dict[str, Any]] = []
        sid = self.client.sid

        def on_ack(reply: dict[str, Any]) -> None:
            replies.append(reply)
            answered.set()

        try:
            self.client.sio.emit(self.command, payload, NAMESPACE, callback=on_ack)
        except socketio.exceptions.SocketIOError:
            return None
        deadline = time.monotonic() + ACK_SECONDS
        while not answered.wait(0.05):
            if self.client.sid != sid or time.monotonic() > deadline:
                return None
        return replies[0]

    def outcomes(self, titles: list[str] | None = None) -> dict[str, int]:
        """How many of each; with the agenda's `titles`, how many unanswered were done."""
        counts = {
            "acked": len(self.acked),
            "refused": len(self.refused),
            "unanswered": len(self.unanswered),
        }
        if titles is not None:
            counts["unanswered but done"] = len(set(self.unanswered) & set(titles))
        return counts

    def faults(self, titles: list[str]) -> list[str]:
        """What went wrong, judged by the agenda's phase titles at the end: an acked
        phase missing, a refused one present, any one present twice."""
        faults = [f"acked but missing: {t}" for t in self.acked if t not in titles]
        faults += [f"refused but present: {t}" for t in self.refused if t in titles]
        mine = [t for t in titles if t.startswith(f"{self.prefix} ")]
        faults += [f"twice: {t}" for t in set(mine) if mine.count(t) > 1]
        return faults


def phase_titles(state: dict[str, Any]) -> list[str]:
    return [phase["title"] or "" for phase in state["agenda"]["phases"]]
