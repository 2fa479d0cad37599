"""Board domain tests of what follows a reveal: hiding, reactions, votes, clusters."""

from __future__ import annotations

from sqlalchemy import text

from server.board import curation, reactions, rules, service
from server.board.writing import Writer
from tests.board_support import code_of, refused


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
