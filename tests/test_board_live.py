"""The board through a real server process and real python-socketio clients."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import create_engine, text

from server.board import rules
from tests.live_board_support import fresh, room, server, write  # noqa: F401  (fixtures)

pytestmark = pytest.mark.server
COUNTED = rules.COUNT_SECONDS + 5  # seconds until a new count has surely been told


def test_write_then_reveal_with_real_clients(room):
    anne, (bo, cecilie), screen = room
    everyone = [anne, bo, cecilie, screen]
    opened = anne.call("board:open", {"prompts": ["A mistake I learned from"], "threshold": 3})
    assert opened == {"ok": True}
    for client in everyone:
        client.wait_for(lambda c=client: c.state["board"] is not None)

    bo_post, _ = write(bo, "Jeg sagde ja til alt <script>alert('x')</script> 😅")
    write(cecilie, "I never asked for help")
    assert bo_post["shown"] is False and bo_post["text"].startswith("Jeg sagde ja")
    for client in everyone:
        # The count is told once per window of the server's clock, not as people write.
        client.wait_for(lambda c=client: c.state["board"]["count"] == 2, timeout=COUNTED)
        assert client.state["board"]["posts"] == []
    early = anne.call("board:reveal")
    assert early["error"]["code"] == "reveal_needs_posts"
    assert early["error"]["message"] == (
        "The board can be revealed once at least 3 different people have written on it. "
        "With fewer, it is too easy to tell who wrote what."
    )
    write(anne, "I hid a mistake for a week")
    assert anne.call("board:reveal") == {"ok": True}
    for client in everyone:
        client.wait_for(lambda c=client: len(c.state["board"]["posts"]) == 3)
        assert client.comparable_state() == fresh(client)
    texts = {p["text"] for p in screen.state["board"]["posts"]}
    assert "Jeg sagde ja til alt <script>alert('x')</script> 😅" in texts

    # Hide and restore: the text leaves everyone's state but the facilitator's.
    target = bo.state["board"]["posts"][0]["id"]
    assert anne.call("board:hide", {"post_id": target}) == {"ok": True}
    for client in everyone:
        client.wait_for(lambda c=client: c.state["board"]["posts"][0]["hidden"])
    assert screen.state["board"]["posts"][0]["text"] is None
    assert anne.state["board"]["posts"][0]["text"] is not None
    assert anne.call("board:restore", {"post_id": target}) == {"ok": True}
    screen.wait_for(lambda: screen.state["board"]["posts"][0]["text"] is not None)

    reacted = bo.call("board:react", {"post_id": target, "kind": "me_too"})
    assert reacted == {"ok": True, "kind": "me_too"}
    voted = cecilie.call("board:vote", {"target_id": target, "vote": True})
    assert voted == {"ok": True, "votes_left": 2}
    cluster = anne.call("board:add_cluster", {"name": "Ja-hatten"})["cluster_id"]
    assert anne.call("board:move_post", {"post_id": target, "cluster_id": cluster})["ok"]
    for client in everyone:
        client.wait_for(lambda c=client: c.state["board"]["posts"][0]["cluster_id"] == cluster)
        assert client.comparable_state() == fresh(client)
    assert screen.state["board"]["posts"][0]["reactions"] == {"me_too": 1, "thanks": 0}

    export = anne.call("board:export")["export"]
    assert export["media_type"] == "text/plain"
    assert "<script>alert('x')</script>" in export["content"]
    assert anne.call("board:close") == {"ok": True}
    for client in everyone:
        client.wait_for(lambda c=client: c.state["board"]["status"] == "closed")
        assert client.gaps == 0


def test_errors_are_localized_and_store_nothing(room, database_url):
    anne, (bo, cecilie), _ = room
    assert bo.call("board:post", {"prompt": 0, "text": "x", "secret": "s" * 32})["error"][
        "message"
    ] == ("Der er ingen åben tavle. Vent, til facilitatoren åbner en.")
    anne.call("board:open", {"prompts": ["Usikkerhed"]})
    too_long = bo.call("board:post", {"prompt": 0, "text": "æ" * 281, "secret": "s" * 32})
    assert too_long["error"]["code"] == "post_too_long"
    assert (
        too_long["error"]["message"]
        == "Et opslag må højst være på 280 tegn. Gør det kortere, og prøv igen."
    )
    bad = cecilie.call("board:post", {"prompt": 0, "text": "hi", "secret": "short"})
    assert bad["error"] == {
        "code": "invalid_payload",
        "message": "The page sent something the server cannot use. Reload the page and try again.",
        "params": {"fields": ["secret"]},
    }
    forbidden = cecilie.call("board:reveal")  # only a breakout group's own, in a group
    assert forbidden["error"]["code"] == "not_in_group"
    post, secret = write(bo, "mit opslag")
    stolen = cecilie.call(
        "board:delete", {"post_id": post["id"], "secret": secrets.token_urlsafe(32)}
    )
    assert stolen["error"]["code"] == "not_your_post"

    # The rate limit: the window is fixed, so a burst may straddle two of them.
    accepted, refusal = 0, None
    for index in range(45):
        wrong = {"post_id": post["id"], "secret": secrets.token_urlsafe(32), "text": "x"}
        assert cecilie.call("board:edit", wrong)["error"]["code"] == "not_your_post"
        reply = bo.call(
            "board:edit", {"post_id": post["id"], "secret": secret, "text": f"version {index}"}
        )
        if not reply["ok"]:
            refusal = reply["error"]
            break
        accepted += 1
    assert refusal is not None and refusal["code"] == "rate_limited"
    assert refusal["message"].startswith("Du sender for hurtigt.")
    assert 19 <= accepted <= 39
    engine = create_engine(database_url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT text FROM board_posts")).scalars().all()
    engine.dispose()
    assert stored == [f"version {accepted - 1}"]


def test_live_mode_publishes_batches_by_itself(room):
    anne, (bo, cecilie), screen = room
    anne.call("board:open", {"prompts": ["Live"], "mode": "live", "threshold": 3})
    write(bo, "første")
    write(cecilie, "second")
    screen.wait_for(
        lambda: screen.state["board"] and screen.state["board"]["count"] == 2, timeout=COUNTED
    )
    write(anne, "third")
    # No command reveals it: the sweeper publishes the first batch (0.2 s rounds here).
    screen.wait_for(lambda: len(screen.state["board"]["posts"]) == 3)
    assert screen.state["board"]["revealed"] is True
    names = [name for name, _ in screen.received if name == "board:published"]
    assert names == ["board:published"]
