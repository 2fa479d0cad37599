"""Attacks on the board's anonymity, through a real server and real Socket.IO clients.

Each test plays someone trying to learn who wrote what: a facilitator steering batches
or reveals, anyone watching when things change on their screen, an author whose post
would vanish unseen without a word.
"""

from __future__ import annotations

import time

import pytest

from server.board import rules
from tests.live_board_support import room, server, write  # noqa: F401  (fixtures)

pytestmark = pytest.mark.server


def published(client) -> list[dict]:  # type: ignore[no-untyped-def]
    return [payload for name, payload in client.received if name == "board:published"]


def test_the_facilitator_alone_cannot_force_a_batch_of_one_persons_post(room):
    anne, (bo, cecilie), screen = room
    anne.call("board:open", {"prompts": ["Live"], "mode": "live", "threshold": 3})
    mine, secret = write(anne, "min egen")
    write(bo, "bo først")
    write(cecilie, "cecilie først")
    screen.wait_for(lambda: len(screen.state["board"]["posts"]) == 3, timeout=15)

    # Edit her own shown post, hide it, edit it back, restore it: twice. Each round
    # once counted her as someone with something waiting, and never stopped counting.
    for _ in range(2):
        for command, args in (
            ("board:edit", {"post_id": mine["id"], "secret": secret, "text": "ændret"}),
            ("board:hide", {"post_id": mine["id"]}),
            ("board:edit", {"post_id": mine["id"], "secret": secret, "text": "min egen"}),
            ("board:restore", {"post_id": mine["id"]}),
        ):
            assert anne.call(command, args)["ok"], command
    lone, _ = write(bo, "Bo's second post, which must not appear alone")
    time.sleep(2)  # ten sweeper rounds
    assert len(published(screen)) == 1
    assert lone["id"] not in {p["id"] for p in screen.state["board"]["posts"]}

    write(cecilie, "cecilie igen")
    write(anne, "anne igen")  # now three people have something waiting
    screen.wait_for(lambda: len(screen.state["board"]["posts"]) == 6, timeout=15)
    assert len(published(screen)) == 2


def test_a_reveal_needs_posts_of_threshold_different_people(room):
    anne, (bo, _), screen = room
    anne.call("board:open", {"prompts": ["Hvad jeg fortryder"], "threshold": 3})
    write(anne, "one")
    write(anne, "two")
    write(bo, "Bo's only post")
    refused = bo.call("board:reveal")  # a participant reveals only their breakout group's
    assert refused["error"]["code"] == "not_in_group"
    refused = anne.call("board:reveal")
    assert refused["error"]["code"] == "reveal_needs_posts"
    assert refused["error"]["params"] == {"threshold": 3}
    assert refused["error"]["message"] == (
        "The board can be revealed once at least 3 different people have written on it. "
        "With fewer, it is too easy to tell who wrote what."
    )
    time.sleep(1)
    assert published(screen) == []


def test_a_live_boards_first_batch_needs_threshold_different_people(room):
    anne, (bo, cecilie), screen = room
    anne.call("board:open", {"prompts": ["Live"], "mode": "live", "threshold": 4})
    write(anne, "a")
    write(bo, "b")
    write(cecilie, "c")
    write(anne, "d")  # four posts, three people: not four
    time.sleep(2)
    assert published(screen) == []
    assert screen.state["board"]["revealed"] is False
    assert rules.BATCH_SIZE < 4


def test_others_see_the_count_change_on_the_clock_not_when_someone_writes(room):
    anne, (bo, cecilie), screen = room
    anne.call("board:open", {"prompts": ["Hvad jeg fortryder"]})
    screen.wait_for(lambda: screen.state["board"] is not None)
    step = rules.COUNT_SECONDS
    time.sleep(step - time.time() % step + 1)  # a second into a window of the clock
    version = screen.state["version"]
    sent = time.time()
    write(bo, "skrevet lige nu")
    time.sleep(2)  # ten sweeper rounds: a count sent per post would be here by now
    assert screen.state["version"] == version
    assert [name for name, _ in screen.received if name != "board:opened"] == []
    # Asking for a fresh snapshot, or locking, does not tell a fresher count either.
    assert cecilie.call("session:sync")["snapshot"]["board"]["count"] == 0
    anne.call("board:lock")
    anne.call("board:unlock")
    screen.wait_for(lambda: screen.state["board"]["status"] == "open")
    assert screen.state["board"]["count"] == 0

    screen.wait_for(lambda: screen.state["board"]["count"] == 1, timeout=step + 5)
    arrived = time.time()
    window = (sent // step + 1) * step  # the first window after the post
    assert window <= arrived < window + 1.5, (sent % step, arrived - window)


def test_an_author_is_told_when_their_post_is_dropped_unseen(room):
    anne, (bo, cecilie), screen = room
    anne.call("board:open", {"prompts": ["Først"], "threshold": 2})
    write(anne, "a")
    write(bo, "b")
    assert anne.call("board:reveal") == {"ok": True}
    late, _ = write(bo, "written after the reveal, alone: it waits for a batch")
    assert anne.call("board:close") == {"ok": True}
    for client in (bo, cecilie, screen):
        client.wait_for(lambda c=client: c.state["board"]["status"] == "closed")
    # Everyone gets the same random id; only Bo's browser knows it is his.
    for client in (bo, cecilie, screen):
        [closed] = [p for name, p in client.received if name == "board:closed"]
        assert closed["dropped"] == [late["id"]]
    assert late["id"] not in {p["id"] for p in screen.state["board"]["posts"]}

    # A board that ends before its reveal keeps its posts, in case it is still revealed;
    # the next board deletes them, and its opening says which.
    anne.call("board:open", {"prompts": ["Anden"], "threshold": 3})
    bo.wait_for(lambda: bo.state["board"]["prompts"] == [{"text": "Anden"}])
    unseen, _ = write(cecilie, "never revealed")
    anne.call("board:close")
    anne.call("board:open", {"prompts": ["Tredje"]})
    for client in (bo, cecilie, screen):
        client.wait_for(lambda c=client: c.state["board"]["prompts"] == [{"text": "Tredje"}])
        opened = [p for name, p in client.received if name == "board:opened"][-1]
        assert opened["dropped"] == [unseen["id"]]
