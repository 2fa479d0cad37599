"""The library over HTTP, format_key on session creation, and the browser catalog."""

from __future__ import annotations

import pytest

from server.config import ConfigError, load_settings
from server.content import get_format, library
from server.core.i18n import LANGUAGES, configure_extra, languages
from tests.accounts_support import signed_in_client

SECRET = {"SECRET_KEY": "test-secret-key-not-for-production"}


def test_the_library_lists_models_formats_and_banks_by_key(app):
    body = app.test_client().get("/api/library").get_json()
    assert body["ok"] is True
    lib = body["library"]
    assert [f["key"] for f in lib["formats"]] == list(library().formats)
    assert {m["key"] for m in lib["models"]} == set(library().models)
    sparring = lib["formats"][0]
    assert sparring["title_key"] == "format.peer_sparring.title"
    assert sparring["total_minutes"] == sum(p["minutes"] for p in sparring["phases"]) == 110
    dilemma = sparring["phases"][1]
    assert dilemma["presenters"] == 2 and dilemma["minutes"] == 2 * 20
    iglo = next(b for b in lib["banks"] if b["key"] == "iglo")
    assert {"key": "individual", "title_key": "bank.iglo.group.individual"} in iglo["groups"]


def test_one_format_or_a_localized_unknown_format(app):
    http = app.test_client()
    assert http.get("/api/library/formats/iglo").get_json()["format"]["key"] == "iglo"
    reply = http.get("/api/library/formats/tarot", headers={"Accept-Language": "da"})
    assert reply.status_code == 404
    error = reply.get_json()["error"]
    assert error["code"] == "unknown_format"
    assert error["params"] == {"format_key": "tarot"}
    assert error["message"] == "Det sessionsformat findes ikke. Vælg et fra listen."


def create(app, **fields):
    body = {"title": "Netværket", "language": "en", "facilitator_name": "Anne", **fields}
    return signed_in_client(app).post("/api/sessions", json=body)


def test_a_session_takes_any_format_of_the_library(app):
    for key in library().formats:
        code = create(app, format_key=key).get_json()["join_code"]
        preview = app.test_client().get(f"/api/sessions/{code}").get_json()
        assert preview["session"]["format_key"] == key
    code = create(app).get_json()["join_code"]
    assert app.test_client().get(f"/api/sessions/{code}").get_json()["session"]["format_key"] == (
        "free"
    )


def test_an_unknown_format_key_is_an_invalid_payload(app):
    reply = create(app, format_key="tarot")
    assert reply.status_code == 400
    assert reply.get_json()["error"]["params"]["fields"] == ["format_key"]


def test_the_browser_catalog_carries_content_plural_rule_and_locale(app):
    http = app.test_client()
    english = library().english
    for language in LANGUAGES:
        body = http.get(f"/i18n/{language}.json").get_json()
        assert body["content"].keys() == english.keys()
        assert body["plural"] == {"count": 2, "rule": ["!=", "n", 1]}
        assert body["locale"]["time_zone"] == "Europe/Copenhagen"
        assert body["languages"] == ["da", "en"]
        # Content has a msgctxt: it never mixes with interface text of the same English.
        assert body["content"]["format.iglo.phase.break.title"] == body["messages"]["Break"]
    da = http.get("/i18n/da.json").get_json()
    assert da["content"][get_format("iglo").title_key] == "Fælles ansvar på fire niveauer (IGLO)"
    assert da["locale"]["time"] == "HH.mm" and da["locale"]["decimal"] == ","
    en = http.get("/i18n/en.json").get_json()
    assert en["locale"]["time"] == "HH:mm" and en["locale"]["months"][8] == "Sept"
    assert http.get("/i18n/xx.json").status_code == 404


def test_time_zone_is_configurable_and_checked():
    settings = load_settings({**SECRET, "HOLDSPORT_TIME_ZONE": "America/Nuuk"})
    assert settings.time_zone == "America/Nuuk"
    assert load_settings(SECRET).time_zone == "Europe/Copenhagen"
    with pytest.raises(ConfigError, match="HOLDSPORT_TIME_ZONE"):
        load_settings({**SECRET, "HOLDSPORT_TIME_ZONE": "Europe/Atlantis"})


def test_extra_languages_only_in_tests_and_only_with_a_catalog(tmp_path):
    po = tmp_path / "xx" / "LC_MESSAGES" / "messages.po"
    extra = {"HOLDSPORT_EXTRA_LANGUAGES": "xx", "HOLDSPORT_EXTRA_TRANSLATIONS_DIR": str(tmp_path)}
    with pytest.raises(ConfigError, match="HOLDSPORT_EXTRA_LANGUAGES"):
        load_settings({**SECRET, **extra})
    with pytest.raises(ConfigError, match="no catalog"):
        load_settings({**SECRET, **extra, "HOLDSPORT_ENV": "test"})
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Language: xx\\n"\n')
    settings = load_settings({**SECRET, **extra, "HOLDSPORT_ENV": "test"})
    assert settings.extra_languages == ("xx",)
    try:
        configure_extra(settings.extra_translations_dir, settings.extra_languages)
        assert languages() == ("da", "en", "xx")
    finally:
        configure_extra(None)
    assert languages() == LANGUAGES
