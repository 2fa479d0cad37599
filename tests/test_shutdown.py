"""A process on its way out (core.shutdown): what it still takes and what it refuses.
The whole drain, with real clients and SIGTERM: tests/test_graceful_shutdown.py."""

from __future__ import annotations

import pytest

from server.core.drain import Drain
from server.core.errors import DomainError

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def test_work_under_way_is_counted_and_new_work_refused_once_draining():
    drain = Drain()
    with drain.work():
        assert drain.running == 1
        drain.draining = True  # SIGTERM while a command runs: it goes on to its end
    assert drain.running == 0
    with pytest.raises(DomainError) as refused, drain.work():
        pass
    assert refused.value.code == "server_restarting"
    assert drain.running == 0


def test_socket_requests_this_process_should_not_take_are_sent_elsewhere(app):
    """503: nginx tries the next process (deploy/nginx.conf)."""
    http = app.test_client()
    assert http.get(HANDSHAKE).status_code == 200
    # A long-poll of a connection another process holds.
    assert http.get(f"{HANDSHAKE}&sid=held-elsewhere").status_code == 503
    app.extensions["holdsport"].drain.draining = True
    assert http.get(HANDSHAKE).status_code == 503  # no new connections while draining
    assert http.get("/api/health").status_code == 200
