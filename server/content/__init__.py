"""Session formats and question banks from content/, in every catalog language.

The stable API (the agenda and the board build on it):

    library() -> Library            every format, bank and model; loaded and checked once
    get_format(key) -> Format       raises DomainError("unknown_format") for an unknown key
    content_text(key, language)     the text of a content key in a language (English fallback)
    browser_texts(language)         {content key: text} for the browser catalog

    Format: key, model, title_key, summary_key, audience_key, phases, total_minutes
    Phase:  key, kind (round | dilemma_round | discussion | board | break | pulse | breakout),
            minutes (planned total, int), advance ("manual" | "auto"), title_key,
            intro_key (or None), prompt_keys, board_prompt_keys (board phases),
            presenters and steps (dilemma rounds: minutes == presenters x sum of steps)
    Step:   key, title_key, minutes (per presenter)
    Library: formats, banks, models (dicts in display order), items (every bank item by
            content key: a facilitator may add any of them to any phase's prompt_keys),
            english (content key -> English source text)

Keys follow server.content.keys: "format.peer_sparring.title",
"format.peer_sparring.phase.check_in.title", "bank.dialogue_upward.focus_areas", ...
English lives in content/*.toml; every language, English included, is read from the
Babel catalogs, where the content key is the msgctxt and the English text the msgid.
"""

from __future__ import annotations

from functools import cache

from server.content.library import Bank, Format, Item, Library, Phase, Step
from server.content.loader import load_library
from server.core.errors import DomainError
from server.core.i18n import supported, translations

__all__ = [
    "Bank",
    "Format",
    "Item",
    "Library",
    "Phase",
    "Step",
    "browser_texts",
    "content_text",
    "get_format",
    "library",
]


@cache
def library() -> Library:
    return load_library()


def get_format(key: str) -> Format:
    found = library().formats.get(key)
    if found is None:
        raise DomainError("unknown_format", format_key=key)
    return found


def content_text(key: str, language: str) -> str:
    """The text of a content key in a language; a KeyError for a key no file has."""
    english = library().english[key]
    return str(translations(supported(language)).pgettext(key, english))


def browser_texts(language: str) -> dict[str, str]:
    return {key: content_text(key, language) for key in library().english}
