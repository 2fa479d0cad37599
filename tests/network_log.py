"""What a page load cost, from Chromium's own network log (the DevTools protocol).

Used by the browser test of caching and by bench/pageweight.py. Per request it notes the
address, whether the browser's cache answered it (then nothing reached a server), the
status the server sent (a revalidation shows the page a 200, the wire a 304), and the
bytes: on the network (headers and compressed bodies) and decoded. WebSocket frames
received count as data of their connection.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

QUIET_SECONDS = 0.6  # a load is over when the network has been quiet this long


@dataclass
class Load:
    urls: dict[str, str] = field(default_factory=dict)  # request id -> address
    cached: set[str] = field(default_factory=set)  # answered from the browser's cache
    wire_status: dict[str, int] = field(default_factory=dict)  # what the server answered
    transferred: int = 0
    decoded: int = 0

    @property
    def requests(self) -> int:
        """Requests that reached a server (WebSocket connections included)."""
        return len(self.urls.keys() - self.cached)

    @property
    def not_modified(self) -> int:
        return sum(1 for status in self.wire_status.values() if status == 304)

    @property
    def hosts(self) -> set[str]:
        return {urlsplit(url).hostname or "" for url in self.urls.values()}

    def to_server(self, path_prefix: str) -> dict[str, int | None]:
        """The requests for paths under path_prefix that reached a server: their status."""
        return {
            url: self.wire_status.get(request_id)
            for request_id, url in self.urls.items()
            if urlsplit(url).path.startswith(path_prefix) and request_id not in self.cached
        }


class NetworkLog:
    """Listens to one page's network events; `measure` gives one navigation's Load."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.load = Load()
        self.last_event = time.monotonic()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.webSocketCreated", self._sent)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.responseReceivedExtraInfo", self._wire_response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def _touch(self) -> None:
        self.last_event = time.monotonic()

    def _sent(self, event: dict[str, Any]) -> None:
        self._touch()
        url = event["request"]["url"] if "request" in event else event["url"]
        if not url.startswith("data:"):
            self.load.urls[event["requestId"]] = url

    def _from_cache(self, event: dict[str, Any]) -> None:
        self._touch()
        self.load.cached.add(event["requestId"])

    def _response(self, event: dict[str, Any]) -> None:
        self._touch()
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromMemoryCache"):
            self.load.cached.add(event["requestId"])

    def _wire_response(self, event: dict[str, Any]) -> None:
        self._touch()
        self.load.wire_status[event["requestId"]] = event["statusCode"]

    def _data(self, event: dict[str, Any]) -> None:
        self._touch()
        self.load.decoded += event["dataLength"]

    def _finished(self, event: dict[str, Any]) -> None:
        self._touch()
        self.load.transferred += int(event["encodedDataLength"])

    def _frame(self, event: dict[str, Any]) -> None:
        self._touch()
        size = len(event["response"]["payloadData"].encode())
        self.load.transferred += size
        self.load.decoded += size

    def measure(self, url: str, ready: str) -> Load:
        """Navigates to url (from a blank page: the same address with another fragment
        would not load again), waits for the selector `ready`, then for a quiet network."""
        self.page.goto("about:blank")
        self.load = Load()
        self.page.goto(url)
        self.page.locator(ready).first.wait_for()
        self._touch()
        while time.monotonic() - self.last_event < QUIET_SECONDS:
            self.page.wait_for_timeout(100)
        return self.load
