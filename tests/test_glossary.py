"""The glossary (translations/glossary.toml) holds both catalogs to one term per concept."""

from __future__ import annotations

import io
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from server.core.i18n import TRANSLATIONS_DIR

GLOSSARY = Path(TRANSLATIONS_DIR) / "glossary.toml"
SCOPES = {"all", "content", "interface"}


@dataclass(frozen=True)
class Entry:
    context: str | None
    english: str  # every msgid of the message, joined
    danish: str  # every msgstr, joined

    @property
    def scope(self) -> str:
        return "interface" if self.context is None else "content"


@dataclass(frozen=True)
class Finding:
    concept: str
    language: str
    term: str
    entry: Entry

    def __str__(self) -> str:
        where = f"[{self.entry.context}] " if self.entry.context else ""
        return f"{self.concept} ({self.language}): {self.term!r} in {where}{self.entry.english!r}"


@cache
def glossary() -> dict:
    with open(GLOSSARY, "rb") as file:
        return tomllib.load(file)


def catalog_entries(po_text: str) -> list[Entry]:
    """Every message of a catalog, its English msgid beside its translation."""
    entries = []
    for message in read_po(io.BytesIO(po_text.encode())):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        entries.append(Entry(message.context, "\n".join(ids), "\n".join(strings)))
    return entries


def danish_entries() -> list[Entry]:
    return catalog_entries((TRANSLATIONS_DIR / "da" / "LC_MESSAGES" / "messages.po").read_text())


def english_entries() -> list[Entry]:
    return catalog_entries((TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.po").read_text())


def uses(text: str, term: str) -> bool:
    """Whether `term` occurs as whole words, in any case."""
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None


def in_scope(concept: dict, entry: Entry) -> bool:
    scope = concept.get("scope", "all")
    return scope == "all" or scope == entry.scope


def findings(entries: list[Entry], language: str) -> list[Finding]:
    """Every use of a variant to avoid, and (Danish) every paired concept left unsaid."""
    found = []
    for name, concept in glossary()["concepts"].items():
        avoid = concept[language].get("avoid", [])
        pair = concept.get("pair")
        for entry in entries:
            if not in_scope(concept, entry):
                continue
            text = entry.danish if language == "da" else entry.english
            found += [Finding(name, language, term, entry) for term in avoid if uses(text, term)]
            if language != "da" or pair is None:
                continue
            if any(uses(entry.english, term) for term in pair["en"]) and not any(
                uses(entry.danish, term) for term in pair["da"]
            ):
                found.append(Finding(name, language, f"not {concept['da']['preferred']}", entry))
    return found


def excepted(finding: Finding) -> bool:
    return any(exception_matches(exception, finding) for exception in exceptions())


def exceptions() -> list[dict]:
    return list(glossary().get("exceptions", []))


def exception_matches(exception: dict, finding: Finding) -> bool:
    return (
        exception["concept"] == finding.concept
        and exception["language"] == finding.language
        and exception["msgid"] == finding.entry.english
        and exception.get("msgctxt") == finding.entry.context
    )


def test_the_glossary_is_well_formed():
    concepts = glossary()["concepts"]
    for name, concept in concepts.items():
        assert concept.get("meaning"), name
        assert concept["en"]["preferred"] and concept["da"]["preferred"], name
        assert concept.get("scope", "all") in SCOPES, name
        for language in ("en", "da"):
            preferred = concept[language]["preferred"]
            assert not any(uses(preferred, t) for t in concept[language].get("avoid", [])), name
    for exception in exceptions():
        assert exception["concept"] in concepts, exception
        assert exception["language"] in {"en", "da"}, exception
        assert exception.get("reason"), f"an exception says why: {exception}"


def test_the_danish_catalog_uses_the_preferred_terms():
    wrong = [f for f in findings(danish_entries(), "da") if not excepted(f)]
    assert not wrong, "\n".join(map(str, wrong))


def test_the_english_catalog_uses_the_preferred_terms():
    wrong = [f for f in findings(english_entries(), "en") if not excepted(f)]
    assert not wrong, "\n".join(map(str, wrong))


def test_every_exception_is_still_needed():
    found = findings(danish_entries(), "da") + findings(english_entries(), "en")
    for exception in exceptions():
        assert any(exception_matches(exception, f) for f in found), f"stale: {exception}"


PLANTED = """
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

msgctxt "bank.test.item"
msgid "Psychological safety in the group, as noted on the board"
msgstr "Psykologisk Sikkerhed i gruppen, som sedlerne viser"

msgid "The presenter explains"
msgstr "Dilemmaejeren fortæller"

msgid "%(n)s post waits for the next batch."
msgid_plural "%(n)s posts wait for the next batch."
msgstr[0] "%(n)s opslag venter på næste runde."
msgstr[1] "%(n)s opslag venter på næste runde."

msgid "Delete note"
msgstr "Slet noten"
"""


def test_the_check_finds_variants_and_unpaired_terms():
    found = {(f.concept, f.term) for f in findings(catalog_entries(PLANTED), "da")}
    assert ("psychological_safety", "psykologisk sikkerhed") in found  # any case
    assert ("psychological_safety", "not psykologisk tryghed") in found
    assert ("post", "sedlerne") in found
    assert ("presenter", "dilemmaejeren") in found
    assert ("batch", "not pulje") in found
    # "noted" is not the word "note", and the notebook's "Delete note" is interface text.
    assert findings(catalog_entries(PLANTED), "en") == []
