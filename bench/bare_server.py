"""The bare stack Holdsport stands on, for bench/load.py to measure beside it: Flask-SocketIO
on eventlet, no database, a room per session and one broadcast per change.

    python bench/bare_server.py --port 5001
    python bench/bare_server.py --port 5002 --message-queue redis://127.0.0.1:6379/0 --channel c

`join` puts a connection in its session's room; `change` sends `changed` to the whole room
(sender included) and acknowledges. eventlet's `max_size` is raised as Holdsport raises it,
so 2,000 connections fit. With `--message-queue`, processes sharing the Redis channel
broadcast to each other's rooms (bench/load.py --servers), as Holdsport's processes do.
"""

from __future__ import annotations

import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402  (after monkey patching, as eventlet asks)
from typing import Any  # noqa: E402

from flask import Flask  # noqa: E402
from flask_socketio import SocketIO, emit, join_room  # noqa: E402

NAMESPACE = "/session"


def create_app(queue: str | None = None, channel: str = "flask-socketio") -> tuple[Flask, SocketIO]:
    app = Flask(__name__)
    socketio = SocketIO(
        app, async_mode="eventlet", cors_allowed_origins=[], message_queue=queue, channel=channel
    )

    @app.get("/api/health")
    def health() -> dict[str, bool]:
        return {"ok": True}

    @socketio.on("join", namespace=NAMESPACE)
    def join(payload: dict[str, Any]) -> dict[str, Any]:
        join_room(str(payload["room"]))
        return {"ok": True, "snapshot": {"room": payload["room"]}}

    @socketio.on("change", namespace=NAMESPACE)
    def change(payload: dict[str, Any]) -> dict[str, bool]:
        emit("changed", {"seq": payload["seq"]}, to=str(payload["room"]), namespace=NAMESPACE)
        return {"ok": True}

    return app, socketio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--message-queue", default=None, help="a Redis URL")
    parser.add_argument("--channel", default="flask-socketio")
    args = parser.parse_args()
    app, socketio = create_app(args.message_queue, args.channel)
    print(f"bare server on http://127.0.0.1:{args.port}/", flush=True)
    socketio.run(app, host="127.0.0.1", port=args.port, max_size=10_000, log_output=False)


if __name__ == "__main__":
    main()
