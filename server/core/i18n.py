"""Babel catalogs: one loaded per language from translations/, for server and browser.

Catalogs are compiled in memory from the .po files at first use, so no generated
.mo file has to exist, or be kept in step, on any machine.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"
LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated later, where it is shown."""
    return message


def _po_path(language: str) -> Path:
    return TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"


@cache
def _catalog(language: str):  # type: ignore[no-untyped-def]
    with _po_path(language).open("rb") as po:
        return read_po(po, locale=language)


@cache
def translations(language: str) -> Translations:
    buffer = io.BytesIO()
    write_mo(buffer, _catalog(language))
    buffer.seek(0)
    return Translations(fp=buffer)


def translate(message: str, language: str) -> str:
    return translations(supported(language)).gettext(message)


def translate_plural(singular: str, plural: str, n: int, language: str) -> str:
    return translations(supported(language)).ngettext(singular, plural, n)


def supported(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def negotiate(accept_language: Any) -> str:
    """Best of our languages for a werkzeug Accept-Language header."""
    return accept_language.best_match(LANGUAGES) or DEFAULT_LANGUAGE


@cache
def browser_catalog(language: str) -> dict[str, Any]:
    """The catalog as JSON for the browser client: msgid -> translation (or plural forms)."""
    catalog = _catalog(language)
    messages: dict[str, Any] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if message.pluralizable:
            messages[message.id[0]] = list(message.string)
        else:
            messages[message.id] = message.string
    locale = Locale.parse(language)
    return {
        "language": language,
        "endonyms": {code: Locale.parse(code).get_display_name(code) for code in LANGUAGES},
        "language_names": {code: locale.languages[code] for code in LANGUAGES},
        "plural_forms": catalog.plural_forms,
        "messages": messages,
    }
