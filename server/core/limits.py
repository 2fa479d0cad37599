"""Rate limits per client address on the HTTP endpoints that can be abused.

Join codes are short (31^6), so guessing them is what these limits are for: every
preview or join counts against a generous budget, and every one that names no open
session (an unknown code, an ended session) against a strict one. Creating sessions has
its own budget. Signing in and up share one; a sign-up answered `email_taken` (which
tells its sender that the address has an account) also counts against a strict one.
The counts live in Redis when `REDIS_URL` is set, so every server process shares them;
otherwise in this process's memory, under the address's keyed hash (`address_tag`),
never the address as written. The arithmetic is in docs/anonymity.md.

A view opts in with `@limited("join")`; `install` applies the limits of each kind.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, jsonify, request
from flask_limiter import Limiter, RouteLimit
from flask_limiter.errors import RateLimitExceeded

from server.config import Settings
from server.core.errors import error_body
from server.core.http import request_language

View = TypeVar("View", bound=Callable[..., Any])
KINDS = ("join", "create", "sign_in", "sign_up")
# A preview or join that found no open session: the answer a guess gets.
FAILED_STATUSES = frozenset({404, 409})


def client_address() -> str:
    """Who is asking, for counting: an IPv4 address, or an IPv6 address's /64 network,
    which one household or server usually holds whole (so it counts as one)."""
    raw = request.remote_addr or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def address_tag(secret_key: str, address: str) -> str:
    """An address as the counters keep it: a keyed hash (HMAC with SECRET_KEY), so what
    Redis or the database holds names no address."""
    return hmac.new(secret_key.encode(), address.encode(), hashlib.sha256).hexdigest()


def limited(kind: str) -> Callable[[View], View]:
    """Mark a view as counted under `kind` (one of KINDS); `install` does the counting."""
    if kind not in KINDS:
        raise ValueError(f"unknown limit kind {kind!r}")

    def mark(view: View) -> View:
        view.holdsport_limit = kind  # type: ignore[attr-defined]
        return view

    return mark


def _failed(response: Response) -> bool:
    return response.status_code in FAILED_STATUSES


def _revealed(response: Response) -> bool:
    """A sign-up that told its sender the e-mail address has an account."""
    return response.status_code == 409


def install(app: Flask, settings: Settings) -> Limiter:
    """Count requests to every marked view; refusals answer 429 `rate_limited`."""
    limiter = Limiter(
        lambda: address_tag(settings.secret_key, client_address()),
        app=app,
        storage_uri=settings.redis_url or "memory://",
        key_prefix=f"{settings.redis_channel}:limits",
        strategy="fixed-window",
        # If Redis goes away, count in memory rather than fail every request.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )
    sign_in = limiter.shared_limit(settings.rate_limit_sign_in, scope="sign-in")
    rules: dict[str, list[RouteLimit]] = {
        "join": [
            limiter.shared_limit(settings.rate_limit_join, scope="join"),
            limiter.shared_limit(
                settings.rate_limit_join_failures, scope="join-failures", deduct_when=_failed
            ),
        ],
        "create": [limiter.limit(settings.rate_limit_create)],
        # Signing in and up, per address: password guessing is slow and counted.
        "sign_in": [sign_in],
        # Testing which e-mail addresses have accounts: a handful an hour (docs/privacy.md).
        "sign_up": [
            sign_in,
            limiter.shared_limit(
                settings.rate_limit_email_taken, scope="email-taken", deduct_when=_revealed
            ),
        ],
    }
    for endpoint, view in list(app.view_functions.items()):
        counted: Callable[..., Any] = view
        for rule in rules.get(getattr(view, "holdsport_limit", ""), []):
            counted = rule(counted)
        app.view_functions[endpoint] = counted

    @app.errorhandler(RateLimitExceeded)
    def _refused(err: RateLimitExceeded) -> tuple[Response, int, dict[str, str]]:
        seconds = _seconds_left(limiter)
        body = error_body("rate_limited", request_language(), seconds=seconds)
        return jsonify(body), 429, {"Retry-After": str(seconds)}

    app.extensions["holdsport_limiter"] = limiter
    return limiter


def _seconds_left(limiter: Limiter) -> int:
    breached = limiter.current_limit
    if breached is None:
        return 1
    resets_at, _ = breached.window
    return max(1, math.ceil(resets_at - time.time()))
