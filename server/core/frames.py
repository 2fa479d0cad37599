"""WebSocket compression (permessage-deflate) that costs a broadcast once, not per screen.

Browsers offer permessage-deflate, and eventlet, as it comes, compresses every frame to
every connection with that connection's own compressor: a broadcast to 60 screens is
deflated 60 times, and each connection keeps a compressor (a quarter of a megabyte
reserved, about 90 KB touched, shared/NOTES.md) for as long as it lives. Here, as
RFC 7692 allows a sender:

- a message under `MIN_BYTES` goes uncompressed (the compressed-bit unset): most events
  are a few hundred bytes, where deflate saves little and costs the most per byte;
- a larger one (a snapshot) is compressed on its own, with no context from earlier
  messages, so the same bytes fit every connection that negotiated the same window:
  compressed once for all of them, and no compressor outlives the message.

eventlet only: the entry point installs it (server/__main__.py) before serving.
"""

from __future__ import annotations

import zlib
from typing import Any

MIN_BYTES = 1024
_KEPT = 16  # compressed messages remembered: the broadcasts going out right now
_compressed: dict[tuple[int, bytes], bytes] = {}


def deflate(message: bytes, window_bits: int) -> bytes:
    """The message as one self-contained permessage-deflate payload, flushed to a byte
    boundary (the 00 00 ff ff tail included, as a compressor's own flush leaves it)."""
    key = (window_bits, message)
    found = _compressed.get(key)
    if found is None:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -window_bits)
        found = compressor.compress(message) + compressor.flush(zlib.Z_SYNC_FLUSH)
        if len(_compressed) >= _KEPT:
            _compressed.clear()
        _compressed[key] = found
    return found


class _OneMessage:
    """What eventlet's frame packing asks of a compressor, for one message."""

    def __init__(self, window_bits: int) -> None:
        self.window_bits = window_bits

    def compress(self, message: bytes) -> bytes:
        return deflate(message, self.window_bits)

    def flush(self, mode: int) -> bytes:
        return b""  # compress() gave the whole payload, flushed


def install() -> None:
    from eventlet import websocket

    base = websocket.RFC6455WebSocket

    class SharedDeflateWebSocket(base):  # type: ignore[misc, valid-type]
        _plain = True

        def _pack_message(self, message: Any, *args: Any, **kwargs: Any) -> Any:
            self._plain = len(message) < MIN_BYTES
            return super()._pack_message(message, *args, **kwargs)

        def _get_permessage_deflate_enc(self) -> Any:
            if self.client:
                return super()._get_permessage_deflate_enc()
            options = self.extensions.get("permessage-deflate")
            if options is None or self._plain:
                return None
            return _OneMessage(int(options.get("server_max_window_bits", zlib.MAX_WBITS)))

    websocket.RFC6455WebSocket = SharedDeflateWebSocket  # type: ignore[misc]
