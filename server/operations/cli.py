"""`python -m server check-config`: the settings this environment gives, as the server
would use them, with every secret left out (an operator may paste this in a ticket)."""

from __future__ import annotations

from dataclasses import fields

from sqlalchemy.engine import make_url

from server.config import DEV_SECRET, Settings, load_settings

# Shown only as whether they are set: their values are secrets.
SECRETS = {"secret_key", "metrics_token"}
# URLs: shown with their password masked.
URLS = {"database_url", "redis_url"}


def check_config() -> int:
    for name, value in describe(load_settings()):
        print(f"{name} = {value}")
    return 0


def describe(settings: Settings) -> list[tuple[str, str]]:
    """Every setting and what it is, secrets as `set` or `not set`."""
    shown = []
    for field in fields(settings):
        value = getattr(settings, field.name)
        if field.name == "secret_key":
            text = (
                "development default" if value == DEV_SECRET else f"set ({len(value)} characters)"
            )
        elif field.name in SECRETS:
            text = "not set" if value is None else "set"
        elif field.name in URLS and value is not None:
            text = make_url(value).render_as_string(hide_password=True)
        else:
            text = str(value)
        shown.append((field.name, text))
    return shown
