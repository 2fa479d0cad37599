"""Babel catalogs: one loaded per language from translations/, for server and browser.

Catalogs are compiled in memory from the .po files at first use, so no generated
.mo file has to exist, or be kept in step, on any machine. Tests may add catalogs
from another directory (a pseudo locale) through `configure_extra`.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import get_decimal_symbol, get_group_symbol
from babel.support import Translations

from server.core import plurals

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"
LANGUAGES = ("da", "en")  # the project's own catalogs, kept complete by the tests
DEFAULT_LANGUAGE = "da"
SOURCE_LANGUAGE = "en"  # msgids are English
# Whose conventions dates and numbers follow: our English is British (24-hour clock).
FORMAT_LOCALES = {"en": "en_GB"}
FALLBACK_FORMAT_LOCALE = "en_GB"

_extra: dict[str, Path] = {}  # language -> translations dir of an extra (test) catalog


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated later, where it is shown."""
    return message


def configure_extra(directory: Path | None, languages: tuple[str, ...] = ()) -> None:
    """Serve more catalogs from another translations dir (HOLDSPORT_EXTRA_LANGUAGES)."""
    wanted = dict.fromkeys(languages, directory) if directory is not None else {}
    if wanted == _extra:
        return  # the same catalogs: keep what is compiled
    _extra.clear()
    _extra.update(wanted)
    for cached in (_catalog, translations, browser_catalog):
        cached.cache_clear()


def languages() -> tuple[str, ...]:
    """Every language a person can choose: the project's, then any extra ones."""
    return LANGUAGES + tuple(code for code in _extra if code not in LANGUAGES)


def is_language(value: object) -> bool:
    return value in languages()


def _po_path(language: str) -> Path:
    return _extra.get(language, TRANSLATIONS_DIR) / language / "LC_MESSAGES" / "messages.po"


@cache
def _catalog(language: str):  # type: ignore[no-untyped-def]
    with _po_path(language).open("rb") as po:
        return read_po(po, locale=language)


@cache
def translations(language: str) -> Translations:
    catalog = _catalog(language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    compiled = Translations(fp=buffer)
    # The catalog's own rule, as the browser gets it: Babel leaves it out of the compiled
    # header of a language without CLDR data (a pseudo locale).
    rule = plurals.parse(catalog.plural_expr)
    compiled.plural = lambda n: plurals.evaluate(rule, int(n))  # type: ignore[method-assign]
    return compiled


def translate(message: str, language: str) -> str:
    return translations(supported(language)).gettext(message)


def translate_plural(singular: str, plural: str, n: int, language: str) -> str:
    return translations(supported(language)).ngettext(singular, plural, n)


def supported(language: str | None) -> str:
    return language if language is not None and is_language(language) else DEFAULT_LANGUAGE


def negotiate(accept_language: Any) -> str:
    """Best of our languages for a werkzeug Accept-Language header."""
    return accept_language.best_match(languages()) or DEFAULT_LANGUAGE


def format_locale(language: str) -> Locale:
    """The CLDR locale whose conventions a language's dates and numbers follow."""
    try:
        return Locale.parse(FORMAT_LOCALES.get(language, language))
    except (UnknownLocaleError, ValueError):  # a pseudo locale has no CLDR data
        return Locale.parse(FALLBACK_FORMAT_LOCALE)


def locale_data(language: str) -> dict[str, Any]:
    """What the browser needs to format dates, times and numbers as Babel would."""
    locale = format_locale(language)
    return {
        "date": locale.date_formats["medium"].pattern,
        "time": locale.time_formats["short"].pattern,
        "datetime": locale.datetime_formats["medium"],
        "months": [locale.months["format"]["abbreviated"][m] for m in range(1, 13)],
        "am_pm": [locale.day_periods["format"]["abbreviated"][p] for p in ("am", "pm")],
        "decimal": get_decimal_symbol(locale),
        "group": get_group_symbol(locale),
    }


def _name(code: str, in_language: str) -> str:
    """A language's name in another language (in itself: its endonym, e.g. "dansk")."""
    try:
        return Locale.parse(code).get_display_name(Locale.parse(in_language)) or code
    except (UnknownLocaleError, ValueError):
        return code


@cache
def browser_catalog(language: str) -> dict[str, Any]:
    """The catalog as JSON for the browser: UI messages (msgid -> translation or plural
    forms), the plural rule as a tree, and locale data. Content (messages with a msgctxt)
    is added by the caller from server.content."""
    catalog = _catalog(language)
    messages: dict[str, Any] = {}
    for message in catalog:
        if not message.id or message.fuzzy or message.context:
            continue
        if message.pluralizable:
            messages[message.id[0]] = list(message.string)
        else:
            messages[message.id] = message.string
    return {
        "language": language,
        "languages": list(languages()),
        "endonyms": {code: _name(code, code) for code in languages()},
        "language_names": {code: _name(code, language) for code in languages()},
        "plural_forms": catalog.plural_forms,
        "plural": {"count": catalog.num_plurals, "rule": plurals.parse(catalog.plural_expr)},
        "locale": locale_data(language),
        "messages": messages,
    }
