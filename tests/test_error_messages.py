"""Error messages read as a person writes them: no protocol field names, a next step."""

from __future__ import annotations

import re

from server.core.errors import FIELD_LABELS, MESSAGES, error_body


def message(language: str, **params: object) -> str:
    return str(error_body("invalid_payload", language, **params)["error"]["message"])


def test_a_field_someone_fills_in_is_named_as_the_form_calls_it():
    assert message("da", fields=["text"]) == (
        "Noget mangler eller er ikke udfyldt rigtigt. Tjek teksten, og prøv igen."
    )
    assert message("en", fields=["title", "text"]) == (
        "Something is missing or not valid. Check the title and the text and try again."
    )
    # Two fields a person knows by one name are named once.
    assert message("da", fields=["display_name", "facilitator_name", "title"]) == (
        "Noget mangler eller er ikke udfyldt rigtigt. Tjek dit navn og titlen, og prøv igen."
    )


def test_fields_nobody_types_are_left_out_and_the_page_is_reloaded():
    for fields in (["secret"], ["_schema"], ["post_id", "secret"], []):
        assert message("da", fields=fields) == (
            "Siden sendte noget, der ikke kan bruges. Genindlæs siden, og prøv igen."
        )
    mixed = message("da", fields=["secret", "text"])
    assert "secret" not in mixed and "teksten" in mixed


def test_the_wire_keeps_the_protocol_names():
    body = error_body("invalid_payload", "da", fields=["secret", "text"])
    assert body["error"]["params"] == {"fields": ["secret", "text"]}


def test_no_raw_field_name_reaches_a_danish_message():
    generic = message("da", fields=[])
    for name in FIELD_LABELS:
        text = message("da", fields=[name])
        assert text != generic and not re.search(rf"\b{name}\b", text), (name, text)


def test_the_invalid_payload_message_no_longer_lists_fields():
    assert "%(fields)s" not in MESSAGES["invalid_payload"]


def test_a_blank_name_on_joining_is_named_in_danish(app):
    reply = app.test_client().post(
        "/api/join",
        json={"join_code": "ABCDEF", "display_name": "", "language": "da"},
        headers={"Accept-Language": "da"},
    )
    assert reply.status_code == 400
    error = reply.get_json()["error"]
    assert error["params"]["fields"] == ["display_name"]
    assert error["message"] == (
        "Noget mangler eller er ikke udfyldt rigtigt. Tjek dit navn, og prøv igen."
    )
