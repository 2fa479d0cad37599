"""SIGTERM on a server process: what was sent just before is done and acknowledged, or
refused with an error; never half done, never lost after its ack (core.shutdown)."""

from __future__ import annotations

import pytest

from tests.live_client import create_session
from tests.restart_support import Rejoining, Writer, phase_titles
from tests.support import ServerProcess

pytestmark = pytest.mark.server


def test_commands_around_a_sigterm_are_acked_and_kept_or_refused(database_url):
    server = ServerProcess(database_url, HOLDSPORT_SWEEP_SECONDS="0.2").start()
    host = create_session(server.url)
    # Two tabs of the facilitator's, each adding phases as fast as acks come back.
    tabs = [Rejoining(server.url, host["facilitator_token"]).connect() for _ in range(2)]
    writers = [Writer(tab, f"Tab {n}").start() for n, tab in enumerate(tabs)]
    try:
        for writer in writers:
            writer.wait_for_acks(5)
        server.stop()  # SIGTERM, while both tabs have a command on its way
        assert server.process is not None and server.process.returncode == 0, server.log()
        assert "connections handed on" in server.log()
        server.start()
        for writer in writers:  # both tabs are back, and their commands go through again
            writer.wait_for_acks(len(writer.acked) + 3)
    finally:
        for writer in writers:
            writer.stop()
    try:
        titles = phase_titles(tabs[0].call("session:sync")["snapshot"])
        for writer in writers:
            print(f"\n{writer.prefix}: {writer.outcomes(titles)}")
            assert writer.faults(titles) == []
        assert all(tab.away for tab in tabs)  # each was closed by the server, and came back
        print(f"back after (s): {[round(t, 2) for tab in tabs for t in tab.away]}")
    finally:
        for tab in tabs:
            tab.disconnect()
        server.stop()
