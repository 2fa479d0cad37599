"""Board domain tests: no sockets, a frozen clock, the services called directly."""

from __future__ import annotations

import copy
import hashlib
import hmac
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import Boolean, Integer, String, select, text

from server.board import counting, curation, reactions, rules, service, tags, writing
from server.board.models import Board, Post, PostAuthor, Reaction, Vote
from server.board.schemas import AddClusterArgs, OpenBoardArgs
from server.board.writing import Writer
from server.core.errors import DomainError
from server.core.validation import load_args
from tests.board_support import PROMPTS, code_of, new_secret, refused, replay


def test_opening_shows_the_prompts_as_columns_to_everyone(room):
    [opened] = room.open(threshold=4)
    assert opened.name == "board:opened"
    board = opened.payload["board"]
    assert board["prompts"] == [{"text": text} for text in PROMPTS]
    assert (board["mode"], board["named"], board["threshold"]) == ("reveal", False, 4)
    assert (board["status"], board["revealed"], board["count"]) == ("open", False, 0)
    assert board["posts"] == [] and board["clusters"] == []
    assert room.snapshot(room.people[0].actor)["board"] == board


def test_one_board_at_a_time_and_only_the_facilitator_opens_one(room):
    room.open()
    assert code_of(room.open) == "board_already_open"
    participant = room.people[0].actor
    assert (
        code_of(service.open_board, room.db, participant, prompts=[{"text": "x"}], now=room.now)
        == "forbidden"
    )


def test_before_the_reveal_others_learn_only_the_count_and_not_as_it_is_written(room):
    room.open()
    bo, cecilie = room.people[:2]
    before = len(room.events)
    own, _ = room.post(bo, "Jeg glemte at sige det til teamet")
    assert own["text"] == "Jeg glemte at sige det til teamet" and own["shown"] is False
    assert len(room.events) == before  # writing tells nobody anything, not even the count
    assert room.snapshot(cecilie.actor)["board"]["count"] == 0
    start = counting.window_start(room.now)
    room.clock.advance((start - room.now).total_seconds() + rules.COUNT_SECONDS - 0.5)
    assert counting.tell_counts(room.db, room.now) == []  # the window it was written in: nothing
    room.clock.advance(1)  # the first round of the next window tells the count
    [counted] = room.record(counting.tell_counts(room.db, room.now))
    assert counted.name == "board:count_changed"
    assert set(counted.payload) == {"version", "count"}
    assert counted.payload["count"] == 1
    assert counting.tell_counts(room.db, room.now) == []  # once per window, and only a change
    room.post(cecilie, "to")
    room.clock.advance(0.5)
    assert counting.tell_counts(room.db, room.now) == []  # not again in this window
    for actor in (room.host, cecilie.actor, bo.actor):
        board = room.snapshot(actor)["board"]
        assert board["count"] == 1 and board["posts"] == []
    room.clock.advance(rules.COUNT_SECONDS)
    assert [e.payload["count"] for e in counting.tell_counts(room.db, room.now)] == [2]


def test_a_reveal_needs_threshold_posts_and_shows_all_at_once(room):
    room.open(threshold=3)
    room.post(room.people[0], "en")
    room.post(room.people[1], "to", prompt=1)
    err = refused(service.reveal_board, room.db, room.host, room.now)
    assert err.code == "reveal_needs_posts"
    assert err.params == {"threshold": 3}
    room.post(room.people[2], "tre")
    [published] = room.record(service.reveal_board(room.db, room.host, room.now))
    assert published.name == "board:published"
    assert published.payload["revealed"] is True
    assert sorted(p["text"] for p in published.payload["posts"]) == ["en", "to", "tre"]
    assert all(p["author_id"] is None for p in published.payload["posts"])
    assert code_of(service.reveal_board, room.db, room.host, room.now) == "already_revealed"
    seen = room.snapshot(room.people[0].actor)["board"]["posts"]
    assert [p["id"] for p in seen] == [p["id"] for p in published.payload["posts"]]


def test_events_applied_to_a_snapshot_give_a_fresh_snapshot(room):
    viewer = room.people[2].actor
    before = room.snapshot(viewer)
    room.open()
    bo = room.people[0]
    room.post(bo, "a")
    room.post(room.people[1], "b")
    room.post(room.host_writer, "c")
    room.record(service.reveal_board(room.db, room.host, room.now))
    shown = room.snapshot(viewer)["board"]["posts"]
    room.record(reactions.react(room.db, bo, post_id=shown[0]["id"], kind="me_too", now=room.now))
    room.record(curation.hide_post(room.db, room.host, post_id=shown[1]["id"], now=room.now))
    [added] = room.record(curation.add_cluster(room.db, room.host, name="Tid", now=room.now))
    cluster_id = added.payload["cluster"]["id"]
    room.record(
        curation.move_post(
            room.db, room.host, post_id=shown[2]["id"], cluster_id=cluster_id, now=room.now
        )
    )
    room.record(reactions.vote(room.db, bo, target_id=cluster_id, vote=True, now=room.now).events)
    room.record(service.lock_board(room.db, room.host, room.now))
    versions = [e.payload["version"] for e in room.events]
    assert versions == list(range(versions[0], versions[0] + len(versions)))
    for actor in (viewer, room.host):
        start = copy.deepcopy(before)
        start["you"] = room.snapshot(actor)["you"]
        start.pop("server_time")
        fresh = room.snapshot(actor)
        fresh.pop("server_time")
        assert replay(start, room.events) == fresh


def test_a_named_board_shows_authors_and_an_anonymous_one_stores_none(room, db):
    room.open(named=True, threshold=2)
    room.post(room.people[0], "navngivet")
    room.post(room.people[1], "også")
    [published] = service.reveal_board(db, room.host, room.now)
    authors = {p["text"]: p["author_id"] for p in published.payload["posts"]}
    assert authors == {
        "navngivet": room.people[0].actor.participant_id,
        "også": room.people[1].actor.participant_id,
    }
    service.close_board(db, room.host.session_id, room.now)
    room.open(threshold=2)  # anonymous, as boards are unless named when opened
    room.post(room.people[0], "anonym")
    board_id = db.scalar(select(Board.id).order_by(Board.id.desc()))
    post_ids = select(Post.id).where(Post.board_id == board_id)
    assert db.scalars(select(PostAuthor).where(PostAuthor.post_id.in_(post_ids))).all() == []
    assert room.snapshot(room.host)["board"]["named"] is False


def test_an_anonymous_board_never_becomes_a_named_one(room, db):
    room.open(threshold=2)
    room.post(room.people[0], "anonym")
    room.post(room.people[1], "også anonym")
    # Nothing changes `named` on an open board: no command, no service.
    assert code_of(room.open, named=True) == "board_already_open"
    service.reveal_board(db, room.host, room.now)
    service.close_board(db, room.host.session_id, room.now)
    [opened] = room.open(named=True, threshold=2)  # a new board, with none of the old posts
    assert opened.payload["board"]["named"] is True and opened.payload["board"]["posts"] == []
    room.post(room.people[0], "med navn")
    assert [p.post_id for p in db.scalars(select(PostAuthor))] == [
        p.id for p in db.scalars(select(Post).where(Post.text == "med navn"))
    ]


def test_only_the_secret_or_the_authors_key_edits_or_deletes_and_others_see_nothing(room, db):
    room.open()
    bo, cecilie = room.people[:2]
    post, secret = room.post(bo, "først")
    before = len(room.events)
    edit = writing.edit_post(db, bo, post_id=post["id"], secret=secret, text="rettet", now=room.now)
    assert edit.post["text"] == "rettet" and edit.events == []
    assert len(room.events) == before  # no version, no event: nobody else sees a thing
    wrong = new_secret()
    for secret_sent in (wrong, None):
        assert (
            code_of(
                writing.delete_post,
                db,
                cecilie,
                post_id=post["id"],
                secret=secret_sent,
                now=room.now,
            )
            == "not_your_post"
        )
    # The author's key (any device of theirs) needs no secret; another's key gets nowhere.
    mine = writing.edit_post(db, bo, post_id=post["id"], secret=None, text="igen", now=room.now)
    assert mine.post["text"] == "igen"
    deleted = writing.delete_post(db, bo, post_id=post["id"], secret=secret, now=room.now)
    assert deleted.events == []  # the count drops with the next round, not now
    assert db.get(Post, post["id"]) is None
    assert (
        code_of(writing.delete_post, db, bo, post_id=post["id"], secret=secret, now=room.now)
        == "post_not_found"
    )


def test_changes_to_a_shown_post_wait_for_a_batch_of_several_people(room, db):
    room.open(threshold=2)
    bo, cecilie, dan = room.people
    post, secret = room.post(bo, "original")
    gone, gone_secret = room.post(cecilie, "fortrudt")
    room.post(dan, "tredje")
    service.reveal_board(db, room.host, room.now)
    writing.edit_post(db, bo, post_id=post["id"], secret=secret, text="ny tekst", now=room.now)
    writing.edit_post(db, bo, post_id=post["id"], secret=secret, text="ny tekst!", now=room.now)
    writing.delete_post(db, cecilie, post_id=gone["id"], secret=gone_secret, now=room.now)
    assert db.get(Post, gone["id"]).text == ""  # the words are gone at once
    texts = {p["id"]: p["text"] for p in room.snapshot(bo.actor)["board"]["posts"]}
    assert texts[post["id"]] == "original" and texts[gone["id"]] == "fortrudt"
    room.clock.advance(3600)
    assert service.publish_due(db, room.now) == []  # two people waiting: not enough
    room.post(dan, "a new one")
    [published] = service.publish_due(db, room.now)
    assert [p["text"] for p in published.payload["posts"]] == ["ny tekst!", "a new one"]
    assert published.payload["removed"] == [gone["id"]]
    assert published.payload["count"] == 3
    assert service.publish_due(db, room.now) == []  # idempotent


def test_text_rules_and_limits_store_nothing_when_broken(room, db):
    room.open()
    bo = room.people[0]
    emoji = "Æblegrød og åbenhed 😅 <script>alert(1)</script>"
    post, _ = room.post(bo, f"  {emoji}\r\n")
    assert post["text"] == emoji
    too_long = "å" * (rules.MAX_LENGTH + 1)
    err = refused(room.post, bo, too_long)
    assert (err.code, err.params) == ("post_too_long", {"max": rules.MAX_LENGTH})
    assert code_of(room.post, bo, " \n\t ") == "invalid_payload"
    assert code_of(room.post, bo, "x", prompt=len(PROMPTS)) == "invalid_payload"
    assert db.scalar(text("SELECT count(*) FROM board_posts")) == 1


def test_posts_per_person_are_limited_across_tabs_but_not_across_people(room, db):
    room.open()
    bo = room.people[0]
    second_tab = Writer(bo.actor, bo.key, "sid-second-tab")
    for index in range(rules.MAX_POSTS):
        room.clock.advance(rules.RATE_WINDOW_SECONDS)
        room.post(bo if index % 2 else second_tab, f"post {index}")
    err = refused(room.post, bo, "one too many")
    assert (err.code, err.params) == ("post_limit_reached", {"max": rules.MAX_POSTS})
    room.post(room.people[1], "someone else may")
    counting.tell_counts(db, room.now + timedelta(seconds=rules.COUNT_SECONDS))
    assert room.snapshot(room.host)["board"]["count"] == rules.MAX_POSTS + 1


def test_a_connection_is_rate_limited_and_recovers(room, db):
    room.open()
    bo = room.people[0]
    post, secret = room.post(bo, "x")
    for _ in range(rules.RATE_LIMIT - 1):
        writing.edit_post(db, bo, post_id=post["id"], secret=secret, text="y", now=room.now)
    err = refused(room.post, bo, "z")
    assert err.code == "rate_limited"
    assert 1 <= err.params["seconds"] <= rules.RATE_WINDOW_SECONDS
    other_tab = Writer(bo.actor, bo.key, "sid-other")
    room.post(other_tab, "another connection has its own window")
    room.clock.advance(rules.RATE_WINDOW_SECONDS)
    room.post(bo, "a new window")
    assert db.scalar(text("SELECT count(*) FROM board_rate_windows")) == 3
    service.sweep(db, room.now)  # the windows that ended go
    assert db.scalar(text("SELECT count(*) FROM board_rate_windows")) == 1


def test_locking_stops_new_posts_and_pushes_nothing_out(room, db):
    room.open(threshold=2)
    post, secret = room.post(room.people[0], "a")
    room.post(room.people[1], "b")
    service.reveal_board(db, room.host, room.now)
    late, _ = room.post(room.people[2], "written just before the lock")
    # A lock must not publish a lone post: the facilitator could time it to one writer.
    [locked] = service.lock_board(db, room.host, room.now)
    # It tells the count last told, not a fresh one: a lock timed to a writer tells nothing.
    assert locked.payload == {"version": locked.payload["version"], "status": "locked", "count": 2}
    assert code_of(room.post, room.people[0], "c") == "board_locked"
    assert service.lock_board(db, room.host, room.now) == []
    writing.delete_post(db, room.people[0], post_id=post["id"], secret=secret, now=room.now)
    [unlocked] = service.unlock_board(db, room.host, room.now)
    assert unlocked.payload["status"] == "open"
    room.post(room.people[0], "c")

    # The phase ends before a batch came, with two people waiting: nothing of theirs
    # shows, since a change at the close would point at whoever made it since the last
    # batch. The lone posts are deleted unseen; the delete is dropped.
    [closed] = service.close_board(db, room.host.session_id, room.now)
    assert closed.payload["count"] == 2
    assert db.get(Post, late["id"]) is None
    kept = db.get(Post, post["id"])
    assert (kept.text, kept.shown_text, kept.deleted) == ("a", "a", False)


def test_closing_wipes_every_tag_and_ends_editing(room, db):
    room.open(threshold=2)
    post, secret = room.post(room.people[0], "a")
    room.post(room.people[1], "b")
    service.reveal_board(db, room.host, room.now)
    reactions.react(db, room.people[1], post_id=post["id"], kind="me_too", now=room.now)
    reactions.vote(db, room.people[1], target_id=post["id"], vote=True, now=room.now)
    [closed] = service.close_board(db, room.host.session_id, room.now)
    assert closed.name == "board:closed" and closed.payload["status"] == "closed"
    assert service.close_board(db, room.host.session_id, room.now) == []
    for table in ("board_reactions", "board_votes"):
        assert db.scalar(text(f"SELECT count(*) FROM {table}")) == 0
    assert db.scalar(text("SELECT count(*) FROM boards WHERE salt IS NOT NULL")) == 0
    assert db.scalars(select(Post.secret_hash).where(Post.owner_tag.is_not(None))).all() == []
    assert db.scalars(select(Post.secret_hash).where(Post.secret_hash.is_not(None))).all() == []
    shown = room.snapshot(room.people[2].actor)["board"]["posts"]
    assert {p["id"]: p["reactions"]["me_too"] for p in shown}[post["id"]] == 1  # counts stay
    edit = writing.edit_post
    assert code_of(
        edit, db, room.people[0], post_id=post["id"], secret=secret, text="x", now=room.now
    ) == ("board_not_open")
    assert code_of(room.post, room.people[0], "x") == "board_not_open"
    assert code_of(
        reactions.react, db, room.people[2], post_id=post["id"], kind="thanks", now=room.now
    ) == ("board_not_open")


def test_a_board_closed_before_its_reveal_can_still_be_revealed_until_the_next_opens(room, db):
    room.open(threshold=2)
    room.post(room.people[0], "a")
    room.post(room.people[1], "b")
    service.close_board(db, room.host.session_id, room.now)
    assert room.snapshot(room.people[0].actor)["board"]["posts"] == []
    [published] = service.reveal_board(db, room.host, room.now)
    assert len(published.payload["posts"]) == 2
    room.open()
    service.close_board(db, room.host.session_id, room.now)
    room.open()
    assert db.scalar(text("SELECT count(*) FROM board_posts")) == 2  # the revealed ones stay


def test_live_mode_publishes_shuffled_batches_never_one_post_alone(room, db):
    room.open(mode="live", threshold=4)
    writers = [room.host_writer, *room.people]
    for index in range(3):
        room.post(writers[index], f"live {index}")
        assert service.publish_due(db, room.now) == []  # below the threshold of 4
    room.post(writers[3], "live 3")
    [first] = service.publish_due(db, room.now)
    assert first.payload["revealed"] is True and len(first.payload["posts"]) == 4
    for index in range(3):  # one person's posts are no batch, however many, however long
        room.clock.advance(600)
        room.post(writers[0], f"mine {index}")
        assert service.publish_due(db, room.now) == []
    room.post(writers[1], "another person")
    assert service.publish_due(db, room.now) == []
    room.post(writers[2], "a third person")
    [batch] = service.publish_due(db, room.now)
    assert len(batch.payload["posts"]) == 5
    positions = [p["id"] for p in room.snapshot(room.host)["board"]["posts"]]
    assert positions[:4] == [p["id"] for p in first.payload["posts"]]


def test_a_closed_session_takes_no_board_commands(room, db):
    from server.sessions import service as sessions

    room.open()
    sessions.end_session(db, room.host, room.now)
    assert code_of(room.post, room.people[0], "x") == "session_ended"


def test_no_board_no_commands(room, db):
    assert room.snapshot(room.people[0].actor)["board"] is None
    assert code_of(room.post, room.people[0], "x") == "board_not_open"
    assert code_of(service.reveal_board, db, room.host, room.now) == "board_not_open"
    assert db.scalars(select(Reaction)).all() == [] and db.scalars(select(Vote)).all() == []


def test_prompts_and_cluster_names_are_checked_like_any_input():
    for bad in (
        {"prompts": []},
        {"prompts": ["   "]},
        {"prompts": ["x" * 121]},
        {"prompts": ["a"] * 7},
        {"prompts": ["a"], "threshold": 1},
        {"prompts": ["a"], "mode": "fast"},
        {"prompts": ["a"], "author": "Bo"},
    ):
        with pytest.raises(DomainError) as err:
            load_args(OpenBoardArgs(), bad)
        assert err.value.code == "invalid_payload", bad
    assert load_args(OpenBoardArgs(), {"prompts": ["Åbenhed 🙂"]}).threshold is None
    with pytest.raises(DomainError):
        load_args(AddClusterArgs(), {"name": " "})


def test_a_tag_is_the_hmac_the_anonymity_design_names():
    """HMAC-SHA256(personal key, purpose | salt | item) (docs/anonymity.md, mechanism 2),
    however it is computed: tags.Tags hashes the common start once per command."""
    key, salt = secrets.token_bytes(32), tags.new_salt()
    own = tags.Tags(key, "post", salt)
    for item in ("a", "Æble-ø", tags.new_id()):
        named = hmac.new(key, f"post|{salt}|{item}".encode(), hashlib.sha256).hexdigest()
        assert own.of(item) == tags.tag(key, "post", salt, item) == named
        assert own.made(item, named) and not own.made(item, None)
    assert not tags.Tags(key, "react", salt).made("a", own.of("a"))
    assert not tags.Tags(secrets.token_bytes(32), "post", salt).made("a", own.of("a"))


def test_a_post_has_only_columns_the_driver_takes_as_they_were_read():
    """The scatter puts unseen posts back through the database driver, without SQLAlchemy
    converting their values (scatter._put_back): a column of a converted type (a date, an
    enum) would be written wrong there, so a post has none."""
    for column in Post.__table__.columns:
        assert type(column.type) in (String, Integer, Boolean), column.name
