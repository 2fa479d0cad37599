"""The Babel extractor: content texts reach the template with their key as msgctxt."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po

from server import translate
from server.content import library
from server.content.loader import CONTENT_DIR, ContentError


def load(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def run(path: Path, source: bytes | None = None):
    fileobj = io.BytesIO(path.read_bytes() if source is None else source)
    fileobj.name = str(path)
    return list(extract("holdsport_content", fileobj))  # found by its entry point


def test_a_format_file_yields_each_text_with_its_key_as_context():
    results = run(CONTENT_DIR / "formats" / "peer_sparring.toml")
    by_key = {context: message for _, message, _, context in results}
    assert by_key["format.peer_sparring.title"] == "Peer sparring in the leader group"
    assert by_key["format.peer_sparring.phase.dilemma_round.step.present.title"] == (
        "Present your dilemma"
    )
    first_line, *_ = results[0]
    assert first_line == 2  # the title's line, for catalogs that keep locations


def test_equal_english_in_two_places_stays_two_messages():
    texts = [m for _, m, _, c in run(CONTENT_DIR / "formats" / "iglo.toml") if m == "Break"]
    assert texts == ["Break"]
    template = load(translate.POT)
    contexts = {m.context for m in template if m.id == "Break"}
    assert {"format.iglo.phase.break.title", "format.peer_sparring.phase.break.title"} <= contexts


def test_a_broken_file_stops_extraction_with_the_reason():
    path = CONTENT_DIR / "banks" / "board.toml"
    with pytest.raises(ContentError, match=r"items\.0\.kind: Must be one of"):
        run(path, path.read_bytes().replace(b'kind = "column"', b'kind = "poster"', 1))


def test_pybabel_extract_puts_code_and_content_in_one_template(tmp_path, monkeypatch):
    monkeypatch.setattr(translate, "POT", tmp_path / "fresh.pot")
    translate.extract()
    fresh = load(tmp_path / "fresh.pot")
    content = {m.context: m.id for m in fresh if m.context}
    assert content == library().english
    assert fresh.get("Create session") is not None  # code, in the same template
