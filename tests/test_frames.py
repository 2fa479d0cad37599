"""WebSocket frames as the serving process packs them: small ones plain, larger ones
deflated once for every screen and readable by a client's one ongoing decompressor."""

from __future__ import annotations

import json
import warnings
import zlib

import pytest

from server.core import frames

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # eventlet announces its maintenance mode on import
    from eventlet import websocket

DEFLATE = {"permessage-deflate": {"server_max_window_bits": 15}}


@pytest.fixture
def socket_class(monkeypatch):
    monkeypatch.setattr(websocket, "RFC6455WebSocket", websocket.RFC6455WebSocket)
    frames.install()
    return websocket.RFC6455WebSocket


def unpack(frame: bytes) -> tuple[bool, bytes]:
    """A server's frame (not masked): whether it is compressed, and its payload."""
    compressed = bool(frame[0] & 0x40)
    size, start = frame[1] & 0x7F, 2
    if size == 126:
        size, start = int.from_bytes(frame[2:4], "big"), 4
    elif size == 127:
        size, start = int.from_bytes(frame[2:10], "big"), 10
    return compressed, frame[start : start + size]


def test_small_frames_go_plain_and_larger_ones_deflated_once_for_all(socket_class):
    screens = [socket_class(None, {}, extensions=DEFLATE) for _ in range(3)]
    small = '42/session,["hands:updated",{"version":7,"hands":[]}]'
    large = "42/session," + json.dumps(["session:snapshot", {"people": ["Bo"] * 400}])
    assert len(small) < frames.MIN_BYTES < len(large)
    readers = [zlib.decompressobj(-zlib.MAX_WBITS) for _ in screens]  # one per client
    for message in (large, small, large, small):
        packed = {screen._pack_message(message) for screen in screens}
        assert len(packed) == 1  # the same bytes for every screen
        compressed, payload = unpack(packed.pop())
        assert compressed == (message is large)
        for reader in readers:
            if compressed:
                payload_read = reader.decompress(payload + b"\x00\x00\xff\xff")
                assert payload_read.decode() == message
            else:
                assert payload.decode() == message
    assert all(screen._deflate_enc is None for screen in screens)  # none kept per screen


def test_without_deflate_negotiated_nothing_is_compressed(socket_class):
    screen = socket_class(None, {}, extensions={})
    compressed, payload = unpack(screen._pack_message("x" * 5000))
    assert not compressed and payload == b"x" * 5000
