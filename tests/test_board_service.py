"""Board domain tests: no sockets, a frozen clock, the services called directly."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from server.board import curation, reactions, rules, service, writing
from server.board.models import Board, Post, PostAuthor, Reaction, Vote
from server.board.writing import Writer
from server.core.errors import DomainError
from tests.board_support import PROMPTS, make_room, new_secret, replay


@pytest.fixture
def db(database):
    with database.transaction() as session:
        yield session


@pytest.fixture
def room(db, clock):
    return make_room(db, clock, people=3)


def refused(call, *args, **kwargs) -> DomainError:
    """The error a call fails with; like a failed command, it leaves nothing behind."""
    db = args[0] if args and isinstance(args[0], Session) else call.__self__.db
    with pytest.raises(DomainError) as err, db.begin_nested():
        call(*args, **kwargs)
    return err.value


def code_of(call, *args, **kwargs) -> str:
    return refused(call, *args, **kwargs).code


def test_opening_shows_the_prompts_as_columns_to_everyone(room):
    [opened] = room.open(threshold=4)
    assert opened.name == "board:opened"
    board = opened.payload["board"]
    assert board["prompts"] == PROMPTS
    assert (board["mode"], board["named"], board["threshold"]) == ("reveal", False, 4)
    assert (board["status"], board["revealed"], board["count"]) == ("open", False, 0)
    assert board["posts"] == [] and board["clusters"] == []
    assert room.snapshot(room.people[0].actor)["board"] == board


def test_one_board_at_a_time_and_only_the_facilitator_opens_one(room):
    room.open()
    assert code_of(room.open) == "board_already_open"
    participant = room.people[0].actor
    assert (
        code_of(service.open_board, room.db, participant, prompts=["x"], now=room.now)
        == "forbidden"
    )


def test_before_the_reveal_others_learn_only_the_count(room):
    room.open()
    bo, cecilie = room.people[:2]
    own, _ = room.post(bo, "Jeg glemte at sige det til teamet")
    assert own["text"] == "Jeg glemte at sige det til teamet" and own["shown"] is False
    [counted] = room.events[-1:]
    assert counted.name == "board:count_changed"
    assert set(counted.payload) == {"version", "count"}
    assert counted.payload["count"] == 1
    for actor in (room.host, cecilie.actor, bo.actor):
        board = room.snapshot(actor)["board"]
        assert board["count"] == 1 and board["posts"] == []


def test_a_reveal_needs_threshold_posts_and_shows_all_at_once(room):
    room.open(threshold=3)
    room.post(room.people[0], "en")
    room.post(room.people[1], "to", prompt=1)
    err = refused(service.reveal_board, room.db, room.host, room.now)
    assert err.code == "reveal_needs_posts"
    assert err.params == {"threshold": 3, "count": 2}
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


def test_only_the_secret_edits_or_deletes_and_others_see_nothing_before_the_reveal(room, db):
    room.open()
    bo, cecilie = room.people[:2]
    post, secret = room.post(bo, "først")
    before = len(room.events)
    edit = writing.edit_post(db, bo, post_id=post["id"], secret=secret, text="rettet", now=room.now)
    assert edit.post["text"] == "rettet" and edit.events == []
    assert len(room.events) == before  # no version, no event: nobody else sees a thing
    wrong = new_secret()
    for who in (bo, cecilie):
        assert (
            code_of(writing.delete_post, db, who, post_id=post["id"], secret=wrong, now=room.now)
            == "not_your_post"
        )
    # The secret is what counts, not the person: it lives in the author's browser.
    deleted = writing.delete_post(db, bo, post_id=post["id"], secret=secret, now=room.now)
    assert [e.payload["count"] for e in deleted.events] == [0]
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


def test_hide_and_restore(room, db):
    room.open(threshold=2)
    post, _ = room.post(room.people[0], "<b>skjul mig</b>")
    room.post(room.people[1], "bliv")
    service.reveal_board(db, room.host, room.now)
    assert (
        code_of(curation.hide_post, db, room.people[1].actor, post_id=post["id"], now=room.now)
        == "forbidden"
    )
    [hidden] = curation.hide_post(db, room.host, post_id=post["id"], now=room.now)
    assert hidden.payload == {"version": hidden.payload["version"], "post_id": post["id"]}
    seen = {p["id"]: p for p in room.snapshot(room.people[1].actor)["board"]["posts"]}
    assert seen[post["id"]]["hidden"] is True and seen[post["id"]]["text"] is None
    host_view = {p["id"]: p for p in room.snapshot(room.host)["board"]["posts"]}
    assert host_view[post["id"]]["text"] == "<b>skjul mig</b>"
    who = room.people[1]
    assert (
        code_of(reactions.react, db, who, post_id=post["id"], kind="thanks", now=room.now)
        == "post_not_found"
    )
    [restored] = curation.restore_post(db, room.host, post_id=post["id"], now=room.now)
    assert restored.payload["post"]["text"] == "<b>skjul mig</b>"
    assert restored.payload["post"]["hidden"] is False


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


def test_one_reaction_per_person_per_post_counts_only(room, db):
    room.open(threshold=2)
    post, _ = room.post(room.people[0], "tak")
    room.post(room.people[1], "to")
    bo, cecilie = room.people[1:3]
    assert code_of(reactions.react, db, bo, post_id=post["id"], kind="me_too", now=room.now) == (
        "post_not_found"
    )  # nobody can see it yet
    service.reveal_board(db, room.host, room.now)
    react = reactions.react
    [first] = react(db, bo, post_id=post["id"], kind="me_too", now=room.now)
    assert first.payload["reactions"] == {"me_too": 1, "thanks": 0}
    assert set(first.payload) == {"version", "post_id", "reactions"}
    assert react(db, bo, post_id=post["id"], kind="me_too", now=room.now) == []
    bo_tab = Writer(bo.actor, bo.key, "sid-tab")
    [switched] = react(db, bo_tab, post_id=post["id"], kind="thanks", now=room.now)
    assert switched.payload["reactions"] == {"me_too": 0, "thanks": 1}
    [third] = react(db, cecilie, post_id=post["id"], kind="thanks", now=room.now)
    assert third.payload["reactions"] == {"me_too": 0, "thanks": 2}
    [back] = react(db, cecilie, post_id=post["id"], kind=None, now=room.now)
    assert back.payload["reactions"] == {"me_too": 0, "thanks": 1}
    assert db.scalar(text("SELECT count(*) FROM board_reactions")) == 1


def test_votes_are_limited_and_given_back(room, db):
    room.open(threshold=2)
    ids = [room.post(room.people[i % 3], f"p{i}")[0]["id"] for i in range(5)]
    service.reveal_board(db, room.host, room.now)
    [added] = curation.add_cluster(db, room.host, name="Arbejdspres", now=room.now)
    cluster = added.payload["cluster"]["id"]
    bo = room.people[0]
    left = [
        reactions.vote(db, bo, target_id=t, vote=True, now=room.now).votes_left for t in ids[:2]
    ]
    assert left == [2, 1]
    voted = reactions.vote(db, bo, target_id=cluster, vote=True, now=room.now)
    assert voted.votes_left == 0
    assert voted.events[0].payload == {
        "version": voted.events[0].payload["version"],
        "target_id": cluster,
        "votes": 1,
    }
    err = refused(reactions.vote, db, bo, target_id=ids[3], vote=True, now=room.now)
    assert (err.code, err.params) == ("vote_limit_reached", {"max": rules.VOTES})
    assert reactions.vote(db, bo, target_id=ids[0], vote=False, now=room.now).votes_left == 1
    curation.remove_cluster(db, room.host, cluster_id=cluster, now=room.now)
    assert reactions.vote(db, bo, target_id=ids[3], vote=True, now=room.now).votes_left == 1


def test_clusters_group_shown_posts(room, db):
    room.open(threshold=2)
    post, _ = room.post(room.people[0], "a")
    room.post(room.people[1], "b")
    service.reveal_board(db, room.host, room.now)
    [added] = curation.add_cluster(db, room.host, name="Tid ", now=room.now)
    cluster = added.payload["cluster"]
    assert cluster == {"id": cluster["id"], "name": "Tid", "votes": 0}
    curation.move_post(db, room.host, post_id=post["id"], cluster_id=cluster["id"], now=room.now)
    curation.rename_cluster(db, room.host, cluster_id=cluster["id"], name="Travlhed", now=room.now)
    board = room.snapshot(room.people[2].actor)["board"]
    assert board["clusters"] == [{"id": cluster["id"], "name": "Travlhed", "votes": 0}]
    assert {p["id"]: p["cluster_id"] for p in board["posts"]}[post["id"]] == cluster["id"]
    assert (
        code_of(
            curation.move_post, db, room.host, post_id=post["id"], cluster_id="nope", now=room.now
        )
        == "cluster_not_found"
    )
    [removed] = curation.remove_cluster(db, room.host, cluster_id=cluster["id"], now=room.now)
    assert removed.payload["cluster_id"] == cluster["id"]
    board = room.snapshot(room.people[2].actor)["board"]
    assert board["clusters"] == [] and all(p["cluster_id"] is None for p in board["posts"])


def test_locking_stops_new_posts_and_pushes_nothing_out(room, db):
    room.open(threshold=2)
    post, secret = room.post(room.people[0], "a")
    room.post(room.people[1], "b")
    service.reveal_board(db, room.host, room.now)
    late, _ = room.post(room.people[2], "written just before the lock")
    # A lock must not publish a lone post: the facilitator could time it to one writer.
    [locked] = service.lock_board(db, room.host, room.now)
    assert locked.payload == {"version": locked.payload["version"], "status": "locked", "count": 3}
    assert code_of(room.post, room.people[0], "c") == "board_locked"
    assert service.lock_board(db, room.host, room.now) == []
    writing.delete_post(db, room.people[0], post_id=post["id"], secret=secret, now=room.now)
    [unlocked] = service.unlock_board(db, room.host, room.now)
    assert unlocked.payload["status"] == "open"
    room.post(room.people[0], "c")

    # The phase ends before a batch came: the delete is applied; the lone posts that
    # waited are deleted unseen; nothing new appears.
    published, closed = service.close_board(db, room.host.session_id, room.now)
    assert published.payload["posts"] == [] and published.payload["removed"] == [post["id"]]
    assert closed.payload["count"] == 1
    assert db.get(Post, late["id"]) is None


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
