"""Keeping the Babel catalogs in step with code and content (a thin pybabel wrapper)."""

from __future__ import annotations

import os

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from server.core.i18n import LANGUAGES, SOURCE_LANGUAGE, TRANSLATIONS_DIR

POT = TRANSLATIONS_DIR / "messages.pot"
# The catalogs' line width: translators' long lines stay whole, and diffs stay small.
WIDTH = "100"
ROOT = TRANSLATIONS_DIR.parent


def _pybabel(*args: str) -> None:
    previous = os.getcwd()
    os.chdir(ROOT)  # babel.cfg's patterns are relative to the project root
    try:
        CommandLineInterface().run(["pybabel", "-q", *args])
    finally:
        os.chdir(previous)


def extract() -> None:
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "t",
        "-k",
        "tn:1,2",
        "-k",
        "N_",
        "--no-location",
        "--sort-output",
        "--omit-header",
        "-o",
        str(POT),
        ".",
    )


def update() -> None:
    for language in LANGUAGES:
        po = TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"
        action = "update" if po.exists() else "init"
        extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if action == "update" else []
        _pybabel(
            action, "-i", str(POT), "-d", str(TRANSLATIONS_DIR), "-l", language, "-w", WIDTH, *extra
        )
    fill_source_catalog()


def fill_source_catalog() -> None:
    """The msgids are English: new entries of the English catalog get them as their text.

    Only empty entries are filled, so an English wording that differs from the msgid
    (a catalog correction without a code change) stays as it is."""
    po = TRANSLATIONS_DIR / SOURCE_LANGUAGE / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as file:
        catalog = read_po(file, locale=SOURCE_LANGUAGE)
    for message in catalog:
        filled = message.string if isinstance(message.string, tuple) else (message.string,)
        if not message.id or any(filled):
            continue
        message.string = tuple(message.id) if message.pluralizable else message.id
    with po.open("wb") as file:
        write_po(file, catalog, ignore_obsolete=True, width=int(WIDTH))


def run(action: str) -> int:
    if action in ("extract", "update"):
        extract()
    if action == "update":
        update()
    return 0
