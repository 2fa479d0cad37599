"""A summary the group keeps: written out in every language when a host keeps it, read
from the group's page by its facilitators, gone only with the session or the group."""

from __future__ import annotations

from sqlalchemy import select

from server.core.domain import Actor, Role
from server.sessions import service as sessions
from server.sessions.models import PeerSession
from server.summary import service
from server.summary.models import KeptSummary
from tests.accounts_support import signed_in_client
from tests.board_support import code_of
from tests.summary_support import run_full_session


def test_a_host_keeps_the_summary_written_out_in_every_language(db, clock):
    ended = run_full_session(db, clock)
    bodil = ended.people["Bodil"]
    assert service.build_summary(db, bodil)["kept_at"] is None
    kept_at = service.keep_summary(db, ended.host, True, clock.now())
    assert kept_at == clock.now()
    rows = db.scalars(select(KeptSummary).where(KeptSummary.session_id == bodil.session_id))
    by_language = {row.language: row.markdown for row in rows}
    assert set(by_language) == {"da", "en"}
    assert "The agenda as run" in by_language["en"]
    assert "Dagsordenen" in by_language["da"]
    assert "We listen \\<b\\>well" in by_language["en"]  # as written, escaped
    assert service.build_summary(db, bodil)["kept_at"] is not None

    clock.advance(60)  # kept again: replaced, not added
    service.keep_summary(db, ended.host, True, clock.now())
    assert len(db.scalars(select(KeptSummary.language)).all()) == 2
    service.keep_summary(db, ended.host, False, clock.now())
    assert db.scalars(select(KeptSummary)).all() == []


def test_only_a_host_keeps_it_and_only_once_the_session_has_ended(db, clock):
    ended = run_full_session(db, clock)
    bodil = ended.people["Bodil"]
    assert code_of(service.keep_summary, db, bodil, True, clock.now()) == "forbidden"
    assert db.scalars(select(KeptSummary)).all() == []


def test_the_groups_facilitators_read_it_from_the_groups_page(app):
    lead = signed_in_client(app)
    made = lead.post("/api/sessions", json={"title": "Juni", "language": "da"}).get_json()
    code = made["join_code"]
    url = f"/api/sessions/{code}/kept-summary"
    runtime = app.extensions["holdsport"]
    with runtime.db.transaction() as db:
        host = Actor(db.scalar(_session_id(code)), Role.FACILITATOR, None, "da")
        assert code_of(service.keep_summary, db, host, True, runtime.clock.now()) == (
            "session_not_ended"
        )
        sessions.start_session(db, host, runtime.clock.now())
        sessions.end_session(db, host, runtime.clock.now())
    assert lead.get(f"{url}?language=da").get_json()["error"]["code"] == "not_found"
    with runtime.db.transaction() as db:
        service.keep_summary(db, host, True, runtime.clock.now())

    page = lead.get(f"/api/groups/{made['group_id']}").get_json()
    assert [s["summary_kept"] for s in page["sessions"]] == [True]
    danish = lead.get(f"{url}?language=da").get_json()
    assert danish["title"] == "Juni" and danish["language"] == "da"
    assert danish["markdown"].startswith("# Juni")
    assert danish["filename"] == f"holdsport-{code}-summary.md"
    english = lead.get(f"{url}?language=en").get_json()
    assert english["markdown"] != danish["markdown"]
    wrong = lead.get(f"{url}?language=xx")
    assert wrong.status_code == 400
    assert wrong.get_json()["error"]["code"] == "invalid_payload"
    stranger = signed_in_client(app, name="Bo")
    assert stranger.get(f"{url}?language=da").get_json()["error"]["code"] == "unknown_join_code"


def _session_id(code: str):  # type: ignore[no-untyped-def]
    return select(PeerSession.id).where(PeerSession.join_code == code)
