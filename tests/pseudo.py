"""A pseudo locale made at test time: every string of the English catalog, accented and
wrapped in ⟦…⟧, so text on a page that did not come through a catalog stands out.

It has three plural forms (one, two, many), unlike Danish and English, so a client
that does not follow the catalog's plural rule shows the wrong one: the form for two
ends in "₂"."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from server.core.i18n import SOURCE_LANGUAGE, TRANSLATIONS_DIR

PSEUDO_LANGUAGE = "xx"
ACCENTS = str.maketrans("aeiouyAEIOUYcnCN", "áéíóúýÁÉÍÓÚÝçñÇÑ")
PLACEHOLDER = re.compile(r"(%\(\w+\)[sd])")
BRACKETED = re.compile(r"⟦[^⟦⟧]*⟧")
PLURAL_FORMS = "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"
DUAL = "₂"


def pseudo(text: str) -> str:
    """Accent the words, keep the placeholders, and wrap the whole."""
    parts = PLACEHOLDER.split(text)
    accented = (p if PLACEHOLDER.fullmatch(p) else p.translate(ACCENTS) for p in parts)
    return "⟦" + "".join(accented) + "⟧"


def write_pseudo_catalog(directory: Path) -> Path:
    """translations-like tree under directory holding the pseudo catalog; returns directory."""
    source = TRANSLATIONS_DIR / SOURCE_LANGUAGE / "LC_MESSAGES" / "messages.po"
    with source.open("rb") as file:
        catalog = read_po(file, locale=SOURCE_LANGUAGE)
    catalog.locale = None  # a made-up language: no CLDR data, plural rule from the header
    catalog.mime_headers = [*catalog.mime_headers, ("Plural-Forms", PLURAL_FORMS)]
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            one, many = (pseudo(form) for form in message.string)
            message.string = (one, many[:-1] + DUAL + "⟧", many)
        else:
            message.string = pseudo(message.string)
    target = directory / PSEUDO_LANGUAGE / "LC_MESSAGES" / "messages.po"
    target.parent.mkdir(parents=True)
    with target.open("wb") as file:
        write_po(file, catalog)
    # Babel writes no Plural-Forms header for a catalog without a locale: add it.
    header = '"Content-Transfer-Encoding: 8bit\\n"\n'
    text = target.read_text()
    target.write_text(text.replace(header, header + f'"Plural-Forms: {PLURAL_FORMS}\\n"\n', 1))
    return directory


def outside_brackets(text: str) -> str:
    """What is left of a text once every (nested) ⟦…⟧ is taken out."""
    while True:
        stripped = BRACKETED.sub("", text)
        if stripped == text:
            return text
        text = stripped
