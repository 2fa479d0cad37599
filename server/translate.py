"""Keeping the Babel catalogs in step with code and content (a thin pybabel wrapper)."""

from __future__ import annotations

import os

from babel.messages.frontend import CommandLineInterface

from server.core.i18n import LANGUAGES, TRANSLATIONS_DIR

POT = TRANSLATIONS_DIR / "messages.pot"
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
        _pybabel(action, "-i", str(POT), "-d", str(TRANSLATIONS_DIR), "-l", language, *extra)


def run(action: str) -> int:
    if action in ("extract", "update"):
        extract()
    if action == "update":
        update()
    return 0
