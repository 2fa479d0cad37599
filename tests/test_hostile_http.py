"""Hostile input over HTTP, in-process on the test database (PostgreSQL when asked):
never a 500 or `internal_error`, never a change to the database on an error, always an
error code docs/protocol.md documents for that endpoint, with its status.

First the hostile values one by one in every field, then Hypothesis over every endpoint.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import fields
from sqlalchemy import inspect, text

from server.app import create_app
from server.core.http import STATUS_FOR_CODE
from server.core.validation import Args, Int, Text
from server.sessions.schemas import CreateSessionArgs, JoinArgs
from tests.accounts_support import signed_in_client
from tests.hostile import (
    HOSTILE_INTS,
    field_values,
    fuzz_settings,
    hostile_text,
    junk,
    payloads,
    refused_texts,
)

STATUS = {code: {status} for code, status in STATUS_FOR_CODE.items()}
STATUS.update(rate_limited={429}, payload_too_large={413}, bad_request={400, 405})
# The error codes docs/protocol.md §1 gives each endpoint (and every /api/ path).
ANY_PATH = {"not_found", "bad_request", "payload_too_large"}
CREATE = {"invalid_payload", "unknown_group", "rate_limited"} | ANY_PATH
JOIN = {"invalid_payload", "unknown_join_code", "session_ended", "rate_limited"} | ANY_PATH
PREVIEW = {"unknown_join_code", "rate_limited"} | ANY_PATH
FORMAT = {"unknown_format"} | ANY_PATH
FUZZ = fuzz_settings(150)


@pytest.fixture
def api(settings, clock):
    """The app with its limits lifted (they have their own tests), and a real join code."""
    unlimited = "100000 per minute"
    app = create_app(
        dataclasses.replace(
            settings,
            rate_limit_join=unlimited,
            rate_limit_join_failures=unlimited,
            rate_limit_create=unlimited,
        ),
        clock=clock,
    )
    http = signed_in_client(app)
    created = http.post("/api/sessions", json=create_body()).get_json()
    yield Api(app, http, created["join_code"], created["group_id"])
    app.extensions["holdsport"].db.dispose()


@dataclasses.dataclass
class Api:
    app: object
    http: object
    join_code: str
    group_id: int
    tables: list[str] | None = None  # the schema's, read once

    def dump(self) -> dict[str, list]:
        """Every row of every table (but the workers' beats), as text, table by table."""
        engine = self.app.extensions["holdsport"].db.engine  # type: ignore[attr-defined]
        with engine.connect() as connection:
            if self.tables is None:
                names = inspect(connection).get_table_names()
                self.tables = sorted(t for t in names if t != "workers")
            if connection.dialect.name == "postgresql":
                # One round trip, not one per table: twice per request, it is most of the
                # test's time on PostgreSQL.
                rows = connection.execute(
                    text(
                        " UNION ALL ".join(
                            f"SELECT '{t}' AS t, row_to_json(x)::text AS r FROM {t} x"
                            for t in self.tables
                        )
                    )
                )
                found: dict[str, list] = {t: [] for t in self.tables}
                for table, row in rows:
                    found[table].append(row)
                return {t: sorted(found[t]) for t in self.tables}
            return {
                t: sorted(map(repr, connection.execute(text(f"SELECT * FROM {t}"))))
                for t in self.tables
            }

    def send(self, method: str, path: str, allowed: set[str], **request) -> dict:
        """Send; check the answer keeps the contract; return its body."""
        before = self.dump()
        reply = self.http.open(path, method=method, **request)  # type: ignore[attr-defined]
        assert reply.status_code != 500, reply.get_data(as_text=True)
        if reply.status_code in (301, 308):  # Werkzeug's redirect of "//" in a path
            assert self.dump() == before
            return {}
        body = reply.get_json()
        assert isinstance(body, dict) and isinstance(body.get("ok"), bool), reply.data[:200]
        if not body["ok"]:
            code = body["error"]["code"]
            assert code in allowed, (path, code)
            assert reply.status_code in STATUS[code], (path, code, reply.status_code)
            assert self.dump() == before, f"{path} answered {code} but changed the database"
        return body

    def network_counts(self, join_code: str) -> tuple[int, int]:
        """A network session's participants and its count of agreements."""
        engine = self.app.extensions["holdsport"].db.engine  # type: ignore[attr-defined]
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM participants p WHERE p.session_id = s.id),"
                    " s.agreements FROM peer_sessions s WHERE s.join_code = :code"
                ),
                {"code": join_code},
            ).one()
        return found[0], found[1]


def create_body(**values):
    return {"title": "Ledergruppen", "language": "da", "facilitator_name": "Anne", **values}


def join_body(code, **values):
    return {"join_code": code, "display_name": "Bo", "language": "en", **values}


def text_and_int_fields(schema):
    for name, field in schema.fields.items():
        if isinstance(field, Text):
            yield name, refused_texts(field)
        elif isinstance(field, Int):
            yield name, HOSTILE_INTS


@pytest.mark.parametrize(
    "path, schema", [("/api/sessions", CreateSessionArgs()), ("/api/join", JoinArgs())]
)
def test_each_hostile_value_in_each_field_is_invalid_payload(api, path, schema):
    for name, values in text_and_int_fields(schema):
        for value in values:
            valid = create_body() if path == "/api/sessions" else join_body(api.join_code)
            body = api.send("POST", path, CREATE | JOIN, json={**valid, name: value})
            assert not body["ok"], (name, value)
            assert body["error"]["code"] == "invalid_payload"
            assert name in body["error"]["params"]["fields"]


def test_text_is_trimmed_and_blank_text_is_missing(api):
    made = api.send("POST", "/api/sessions", CREATE, json=create_body(title="  Netværket \n"))
    preview = api.send("GET", f"/api/sessions/{made['join_code']}", PREVIEW)
    assert preview["session"]["title"] == "Netværket"
    blank = api.send("POST", "/api/join", JOIN, json=join_body(api.join_code, display_name=" "))
    assert blank["error"]["params"]["fields"] == ["display_name"]
    # An optional field may be blank: it is simply not given.
    joined = api.send("POST", "/api/join", JOIN, json=join_body(api.join_code, organisation=" "))
    assert joined["ok"]


def test_hostile_bodies_that_are_not_json_objects(api):
    for raw in [b"[" * 60_000, b"\xff\xfe\x00", b'"\\ud800"', b"1e999999", b"9" * 5000, b""]:
        for path, allowed in (("/api/sessions", CREATE), ("/api/join", JOIN)):
            body = api.send("POST", path, allowed, data=raw, content_type="application/json")
            assert body["error"]["code"] == "invalid_payload"


def test_hostile_join_codes_in_the_path(api):
    for code in ["%00", "%ED%A0%80", "A" * 5000, "ZZ%00ZZZZ", "%F0%9F%98%85", "..%2F..", "é" * 9]:
        body = api.send("GET", f"/api/sessions/{code}", PREVIEW)
        assert body["error"]["code"] in ("unknown_join_code", "not_found")


HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60)


@FUZZ
@given(body=payloads(CreateSessionArgs()), language=HEADER_TEXT | st.just("da;q=2,*;q=x"))
def test_fuzz_create_session(api, body, language):
    api.send("POST", "/api/sessions", CREATE, json=body, headers={"Accept-Language": language})


@FUZZ
@given(data=st.data())
def test_fuzz_join(api, data):
    code = st.sampled_from([api.join_code, api.join_code.lower(), f"{api.join_code[:3]}-x"])
    body = data.draw(payloads(JoinArgs(), {"join_code": data.draw(code)}))
    api.send("POST", "/api/join", JOIN, json=body)


# A network session: joining needs "agree": true (docs/protocol.md §1, network sessions).
NETWORK_JOIN = JOIN | {"agreement_needed", "name_taken"}
# What a lax parser might read as "yes": only JSON true agrees.
ALMOST_TRUE = [1, 1.0, "true", "True", "yes", "1", "on", [True], {"agree": True}, None, False, 0]
_guest_numbers = itertools.count(1)


@pytest.fixture
def network_codes(api):
    """Two network sessions: one whose host lets people in, one open to the code."""
    codes = []
    for admission in ("host", "code"):
        body = create_body(network=True, admission=admission)
        codes.append(api.send("POST", "/api/sessions", CREATE, json=body)["join_code"])
    return codes


def test_a_network_session_takes_only_json_true_as_agreement(api, network_codes):
    for code in network_codes:
        valid = join_body(code, display_name="Bo")
        for value in ALMOST_TRUE:
            before = api.network_counts(code)
            refused = api.send("POST", "/api/join", NETWORK_JOIN, json={**valid, "agree": value})
            if isinstance(value, bool):  # false: a boolean, but no agreement
                assert refused["error"]["code"] == "agreement_needed"
            else:
                assert refused["error"]["code"] == "invalid_payload", value
                assert refused["error"]["params"]["fields"] == ["agree"]
            assert api.network_counts(code) == before
        before = api.network_counts(code)
        refused = api.send("POST", "/api/join", NETWORK_JOIN, json=valid)  # not said at all
        assert refused["error"]["code"] == "agreement_needed"
        assert api.send("POST", "/api/join", NETWORK_JOIN, json={**valid, "agree": True})["ok"]
        assert api.network_counts(code) == (before[0] + 1, before[1] + 1)


@st.composite
def network_join_bodies(draw, code: str):  # type: ignore[no-untyped-def]
    """A sound join with up to two fields spoiled and `agree` anything (JSON true more
    often than not), or a body drawn wholly at random as test_fuzz_join does."""
    schema = JoinArgs()
    sensible = {
        "join_code": code,
        "display_name": f"Gæst {next(_guest_numbers)}",
        "language": draw(st.sampled_from(["da", "en"])),
    }
    if draw(st.integers(0, 3)) == 0:
        return draw(payloads(schema, {**sensible, "agree": True}))
    body = dict(sensible)
    spoilable = sorted(name for name in schema.fields if name != "agree")
    for name in draw(st.lists(st.sampled_from(spoilable), max_size=2, unique=True)):
        body[name] = draw(field_values(schema.fields[name], {}))
    agree = draw(st.sampled_from([True, True, True, "unsaid", *ALMOST_TRUE]) | junk)
    if agree != "unsaid":
        body["agree"] = agree
    return body


@FUZZ
@given(data=st.data())
def test_fuzz_join_a_network_session(api, network_codes, data):
    code = data.draw(st.sampled_from(network_codes))
    body = data.draw(network_join_bodies(code))
    before = api.network_counts(code)
    # A refused join leaves every table as it was (send checks): no participant, no count.
    reply = api.send("POST", "/api/join", NETWORK_JOIN, json=body)
    if reply["ok"]:
        assert body["agree"] is True and body["join_code"] == code
        assert api.network_counts(code) == (before[0] + 1, before[1] + 1)
        return
    assert api.network_counts(code) == before
    agree = body.get("agree", False) if isinstance(body, dict) else False
    if not isinstance(agree, bool):
        assert reply["error"]["code"] == "invalid_payload"
        assert "agree" in reply["error"]["params"]["fields"]


@FUZZ
@given(raw=st.one_of(st.binary(max_size=300), junk.map(lambda j: json.dumps(j).encode())))
def test_fuzz_raw_bodies(api, raw):
    for path, allowed in (("/api/sessions", CREATE), ("/api/join", JOIN)):
        api.send("POST", path, allowed, data=raw, content_type="application/json")


@FUZZ
@given(segment=hostile_text)
def test_fuzz_paths(api, segment):
    quoted = quote(segment.encode("utf-8", "surrogatepass"), safe="")
    api.send("GET", f"/api/sessions/{quoted}", PREVIEW)
    api.send("GET", f"/api/library/formats/{quoted}", FORMAT)
    api.send("GET", f"/api/{quoted}", ANY_PATH)
    api.send("DELETE", f"/api/sessions/{quoted}", ANY_PATH | {"unknown_join_code"})
    api.send("GET", "/api/library", set())
    api.send("GET", "/api/health", set())
    for path in (f"/i18n/{quoted}.json", f"/static/{quoted}"):
        reply = api.http.get(path)
        assert reply.status_code in (200, 308, 404)  # 308: "//" in a path, made one
        reply.close()


def input_schemas():
    """Every input schema of the server, whatever module declares it."""
    import server.app  # noqa: F401  (imports every feature, so every schema)

    found, todo = [], list(Args.__subclasses__())
    while todo:
        schema = todo.pop()
        todo += schema.__subclasses__()
        if not schema.__module__.startswith("server.content."):  # files in the repo
            found.append(schema)
    return found


def test_every_input_schema_takes_text_and_numbers_through_the_safe_fields():
    """So no schema, now or later, lets NUL, lone surrogates or 65-bit numbers through."""
    checked = 0
    for schema in input_schemas():
        for name, field in schema().fields.items():
            inner = field.inner if isinstance(field, fields.List) else field
            where = f"{schema.__module__}.{schema.__name__}.{name}"
            assert not isinstance(inner, fields.Integer) or isinstance(inner, Int), where
            if isinstance(inner, fields.String) and not isinstance(inner, Text):
                # A bare string must be one of a few choices or match a pattern.
                assert inner.validators, where
            checked += 1
    assert checked > 50
