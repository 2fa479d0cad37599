"""One person on several devices: move codes, without sockets (domain and HTTP), with a
frozen clock. The live and browser tests are in test_devices_live.py and
test_devices_browser.py."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.board import reactions, writing
from server.board import service as service_board
from server.board.mine import own_on_board
from server.board.writing import Writer
from server.core import personal, tokens
from server.core.errors import DomainError
from server.core.validation import load_args
from server.sessions import devices, door, retention, service
from server.sessions.models import DeviceMove
from server.sessions.schemas import MoveArgs
from tests.accounts_support import signed_in_client
from tests.factories import actor_of, create_session, join


def refused(action) -> str:
    with pytest.raises(DomainError) as err:
        action()
    return err.value.code


class Room:
    def __init__(self, db, clock):
        self.db, self.clock = db, clock
        self.created = create_session(db, clock, admission="code")
        self.host = actor_of(service.authenticate(db, self.created.facilitator_token))
        self.bo = join(db, clock, self.created.session.join_code, display_name="Bo")
        self.bo_actor = actor_of(service.authenticate(db, self.bo.token))

    def link(self) -> str:
        return devices.device_link(self.db, self.bo_actor, self.bo.token, self.clock.now()).code

    def take(self, code: str) -> devices.Moved:
        return devices.take_move_code(self.db, code, self.clock.now())


def test_a_move_code_gives_the_same_person_once(db, clock):
    room = Room(db, clock)
    code = room.link()
    moved = room.take(code)
    assert moved.token == room.bo.token  # the same token: the same personal key, too
    assert moved.credential.participant.id == room.bo.participant.id
    assert refused(lambda: room.take(code)) == "move_code_used"
    # The old device's token still works.
    assert service.authenticate(db, room.bo.token).participant.id == room.bo.participant.id


def test_the_database_holds_neither_the_code_nor_the_token(db, clock):
    room = Room(db, clock)
    code = room.link()
    row = db.scalars(select(DeviceMove)).one()
    assert row.code_hash == tokens.token_hash(code)
    assert row.sealed_token is not None
    assert room.bo.token.encode() not in row.sealed_token
    assert code.encode() not in row.sealed_token


def test_a_move_code_expires_after_a_few_minutes(db, clock):
    room = Room(db, clock)
    code = room.link()
    clock.advance(devices.MOVE_LIFETIME.total_seconds() - 1)
    later = room.link()
    clock.advance(1)
    assert refused(lambda: room.take(code)) == "move_code_expired"
    assert room.take(later).token == room.bo.token
    clock.advance(devices.MOVE_LIFETIME.total_seconds())
    devices.forget_expired_moves(db, clock.now())
    assert db.scalar(select(func.count()).select_from(DeviceMove)) == 0


def test_a_wrong_code_is_refused(db, clock):
    room = Room(db, clock)
    room.link()
    assert refused(lambda: room.take(tokens.new_token())) == "move_code_unknown"


@pytest.mark.parametrize("code", ["short", "has spaces in it here", "x" * 65, 42, None])
def test_a_malformed_code_is_refused_before_any_lookup(code):
    assert refused(lambda: load_args(MoveArgs(), {"code": code})) == "invalid_payload"


def test_a_removed_person_cannot_move_nor_ask_for_a_code(db, clock):
    room = Room(db, clock)
    code = room.link()
    door.remove(db, room.host, room.bo.participant.id, clock.now())
    assert refused(lambda: room.take(code)) == "removed_from_session"
    assert refused(room.link) == "removed_from_session"


def test_only_ones_own_token_makes_a_code_and_a_facilitators_pass_makes_none(db, clock):
    room = Room(db, clock)
    other = join(db, clock, room.created.session.join_code, display_name="Cecilie")
    now = clock.now()
    assert refused(lambda: devices.device_link(db, room.bo_actor, other.token, now)) == "forbidden"
    token = room.created.facilitator_token
    assert refused(lambda: devices.device_link(db, room.host, token, now)) == "move_signed_in"


def test_deleting_the_session_deletes_its_move_codes(db, clock):
    room = Room(db, clock)
    room.link()
    retention.delete_session(db, room.created.session.id, clock.now())
    assert db.scalar(select(func.count()).select_from(DeviceMove)) == 0


def test_the_other_device_finds_its_persons_own_posts_reactions_and_votes(room, db, clock):
    room.open(threshold=2)
    bo, cecilie = room.people[:2]
    mine, _ = room.post(bo, "min")
    theirs, _ = room.post(cecilie, "deres")
    service_board.reveal_board(db, room.host, room.now)
    reactions.react(db, bo, post_id=theirs["id"], kind="me_too", now=room.now)
    reactions.vote(db, bo, target_id=theirs["id"], vote=True, now=room.now)
    reactions.react(db, cecilie, post_id=mine["id"], kind="thanks", now=room.now)
    # Bo's second device: the token from a move code, a connection of its own.
    code = devices.device_link(db, bo.actor, room.tokens[1], room.now).code
    token = devices.take_move_code(db, code, room.now).token
    phone = Writer(bo.actor, personal.derive(token), "sid-phone")
    found = own_on_board(db, phone)
    assert [p["id"] for p in found["posts"]] == [mine["id"]]
    assert found["posts"][0]["text"] == "min"
    assert found["reactions"] == {theirs["id"]: "me_too"}
    assert found["votes"] == [theirs["id"]]
    theirs_found = own_on_board(db, cecilie)
    assert [p["id"] for p in theirs_found["posts"]] == [theirs["id"]]
    assert theirs_found["reactions"] == {mine["id"]: "thanks"} and theirs_found["votes"] == []
    # Once the board has closed, no tag can be recomputed: nothing is found.
    service_board.close_board(db, room.host.session_id, room.now)
    assert own_on_board(db, phone)["posts"] == []


class OverHttp:
    """A session made and joined over HTTP; move codes made in the app's database."""

    def __init__(self, app, clock):
        self.app, self.clock = app, clock
        created = (
            signed_in_client(app)
            .post("/api/sessions", json={"title": "T", "language": "da", "admission": "code"})
            .get_json()
        )
        body = {"join_code": created["join_code"], "display_name": "Bo", "language": "da"}
        self.bo = app.test_client().post("/api/join", json=body).get_json()
        self.host_token = created["facilitator_token"]

    def code(self) -> str:
        with self.app.extensions["holdsport"].db.transaction() as db:
            bo = actor_of(service.authenticate(db, self.bo["token"]))
            return devices.device_link(db, bo, self.bo["token"], self.clock.now()).code

    def move(self, code, **headers):
        return self.app.test_client().post(
            "/api/move", json={"code": code}, headers={"Accept-Language": "da", **headers}
        )


def test_over_http_a_code_moves_once_and_each_refusal_is_said_in_words(app, clock):
    room = OverHttp(app, clock)
    code = room.code()
    moved = room.move(code)
    assert moved.status_code == 200
    assert moved.get_json() == {
        "ok": True,
        "token": room.bo["token"],
        "participant_id": room.bo["participant_id"],
        "join_code": room.bo["join_code"],
    }
    used = room.move(code)
    assert (used.status_code, used.get_json()["error"]["code"]) == (409, "move_code_used")
    assert used.get_json()["error"]["message"].startswith("Linket til at skifte enhed er allerede")
    wrong = room.move(tokens.new_token())
    assert (wrong.status_code, wrong.get_json()["error"]["code"]) == (404, "move_code_unknown")
    late = room.code()
    clock.advance(devices.MOVE_LIFETIME.total_seconds())
    expired = room.move(late)
    assert (expired.status_code, expired.get_json()["error"]["code"]) == (410, "move_code_expired")
    malformed = room.move("not a code")
    assert (malformed.status_code, malformed.get_json()["error"]["code"]) == (
        400,
        "invalid_payload",
    )


def test_guessing_move_codes_runs_into_the_join_limit(app, clock):
    room = OverHttp(app, clock)
    code = room.code()
    answers = [room.move(tokens.new_token()).status_code for _ in range(11)]
    assert answers == [404] * 10 + [429]
    assert room.move(code).status_code == 429  # a real code is no way round it


def test_the_other_device_edits_and_deletes_its_persons_posts_without_their_secret(room, db, clock):
    """The secret stays in the browser that wrote the post; the person's key, the same on
    every device of theirs, edits and deletes it too. Nobody else's key does."""
    room.open(threshold=2)
    bo, cecilie = room.people[:2]
    first, _ = room.post(bo, "først")
    second, _ = room.post(bo, "anden")
    code = devices.device_link(db, bo.actor, room.tokens[1], room.now).code
    phone = Writer(bo.actor, personal.derive(devices.take_move_code(db, code, room.now).token), "p")
    edited = writing.edit_post(db, phone, post_id=first["id"], secret=None, text="ny", now=room.now)
    assert edited.post == {**first, "text": "ny"}
    assert [p["text"] for p in own_on_board(db, bo)["posts"] if p["id"] == first["id"]] == ["ny"]
    deleted = writing.delete_post(db, phone, post_id=second["id"], secret=None, now=room.now)
    assert deleted.post == {"id": second["id"], "shown": False}
    assert [p["id"] for p in own_on_board(db, bo)["posts"]] == [first["id"]]
    # Someone else, with no secret or a wrong one, may not.
    edit = writing.edit_post
    assert (
        refused(lambda: edit(db, cecilie, post_id=first["id"], secret=None, text="x", now=room.now))
        == "not_your_post"
    )
    wrong = "w" * 43
    assert (
        refused(
            lambda: writing.delete_post(
                db, cecilie, post_id=first["id"], secret=wrong, now=room.now
            )
        )
        == "not_your_post"
    )
