"""The Babel catalogs: complete in both languages and in step with the code."""

from __future__ import annotations

import io

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from server import translate
from server.core.errors import MESSAGES
from server.core.i18n import LANGUAGES, TRANSLATIONS_DIR
from server.core.i18n import translate as gettext


def load(path):
    with open(path, "rb") as po:
        return read_po(po)


def message_ids(catalog):
    """(msgctxt, msgid) of every message: content shares English with code, not keys."""
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def test_every_message_is_translated_in_every_language():
    for language in LANGUAGES:
        catalog = load(TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po")
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(strings), f"{language}: untranslated {message.id!r}"
            assert not message.fuzzy, f"{language}: fuzzy {message.id!r}"
        write_mo(io.BytesIO(), catalog)  # compiles


def test_the_template_is_in_step_with_code(tmp_path, monkeypatch):
    committed = message_ids(load(translate.POT))
    monkeypatch.setattr(translate, "POT", tmp_path / "fresh.pot")
    translate.extract()
    fresh = message_ids(load(tmp_path / "fresh.pot"))
    assert fresh == committed, "run: python -m server i18n update"
    for language in LANGUAGES:
        catalog = load(TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po")
        assert message_ids(catalog) == committed


def test_every_error_code_has_a_danish_message():
    for code, message in MESSAGES.items():
        assert gettext(message, "da") != message, code
