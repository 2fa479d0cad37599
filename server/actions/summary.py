"""The actions' parts of an ended session's summary (server.core.summary): the follow-up
of the actions carried in (order 20), and the actions recorded here by level (order 40).
Everything in the reader's language; owners are named, as actions name them."""

from __future__ import annotations

from typing import Any

from babel.dates import format_date
from sqlalchemy import Row
from sqlalchemy.orm import Session

from server.actions.models import Action, Level, OwnerKind
from server.actions.state import carried_into, recorded_in
from server.core.i18n import N_, format_locale, translate
from server.core.summary import Reader, Section, escape_markdown

LEVEL_NAMES = {
    Level.INDIVIDUAL: N_("Individual"),
    Level.GROUP: N_("Group"),
    Level.LEADER: N_("Leader"),
    Level.ORGANISATION: N_("Organisation"),
}
OUTCOME_NAMES = {
    "done": N_("Done"),
    "continue": N_("Continue"),
    "drop": N_("Dropped"),
    None: N_("Not followed up: still open"),
}
STATUS_NAMES = {"open": N_("Open"), "done": N_("Done"), "dropped": N_("Dropped")}


def follow_up_section(db: Session, reader: Reader) -> Section | None:
    carried = carried_into(db, reader.session_id)
    if not carried:
        return None
    language = reader.language
    items, markdown, rows = [], [], []
    for action in carried:
        outcome = action.outcome.value if action.outcome else None
        item = {**_item(action, language), "outcome": outcome}
        item["outcome_name"] = translate(OUTCOME_NAMES[outcome], language)
        items.append(item)
        markdown.append(f"- {item['level_name']}: {_line(item)}: **{item['outcome_name']}**")
        rows.append([*_row(item), item["outcome_name"]])
    heading = translate(N_("Follow-up on actions"), language)
    return Section("follow_up", heading, {"actions": items}, markdown, rows)


def actions_section(db: Session, reader: Reader) -> Section | None:
    recorded = recorded_in(db, reader.session_id)
    if not recorded:
        return None
    language = reader.language
    levels, markdown, rows = [], [], []
    for level in Level:
        items = [_item(a, language) for a in recorded if a.level is level]
        if not items:
            continue
        name = translate(LEVEL_NAMES[level], language)
        levels.append({"level": level.value, "name": name, "actions": items})
        markdown += [f"### {name}", ""] + [f"- {_line(item)}" for item in items] + [""]
        rows += [_row(item) for item in items]
    heading = translate(N_("Actions"), language)
    return Section("actions", heading, {"levels": levels}, markdown[:-1], rows)


def _item(action: Action | Row[Any], language: str) -> dict[str, Any]:
    return {
        "level": action.level.value,
        "level_name": translate(LEVEL_NAMES[action.level], language),
        "text": action.text,
        "owner": _owner(action, language),
        "due": action.due_on.isoformat() if action.due_on else None,
        "due_text": (
            format_date(action.due_on, "medium", locale=format_locale(language))
            if action.due_on
            else ""
        ),
        "status": action.status.value,
        "status_name": translate(STATUS_NAMES[action.status.value], language),
    }


def _owner(action: Action | Row[Any], language: str) -> str:
    if action.owner_kind is OwnerKind.GROUP:
        return translate(N_("The group"), language)
    return action.owner_name or ""


def _line(item: dict[str, Any]) -> str:
    """`text (owner, due date)` for Markdown; the level is the heading or said first."""
    # What people wrote (the text, an owner's name) stays literal text.
    owner = escape_markdown(item["owner"])
    details = ", ".join(part for part in (owner, item["due_text"]) if part)
    return escape_markdown(item["text"]) + (f" ({details})" if details else "")


def _row(item: dict[str, Any]) -> list[str]:
    return [item["level_name"], item["text"], item["owner"], item["due"] or "", item["status_name"]]
