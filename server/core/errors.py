"""Domain errors: a code and parameters on the wire, a message in the reader's language."""

from __future__ import annotations

from typing import Any

from babel.lists import format_list
from sqlalchemy.exc import InterfaceError, OperationalError

from server.core.i18n import N_, format_locale, translate

# Every error code the server can answer with; docs/protocol.md lists the same table.
MESSAGES: dict[str, str] = {
    # Said when none of the fields is one a person fills in (see FIELD_LABELS).
    "invalid_payload": N_(
        "The page sent something the server cannot use. Reload the page and try again."
    ),
    "unknown_join_code": N_("No session has that join code. Check the code and try again."),
    "session_ended": N_("This session has ended."),
    "not_authenticated": N_(
        "Your link or sign-in is not valid for this session. Join again with the join code."
    ),
    "forbidden": N_(
        "Your role in this session does not allow that. Ask the facilitator if it needs doing."
    ),
    "waiting_at_the_door": N_(
        "You are waiting to be let in. The facilitator will let you in in a moment."
    ),
    "removed_from_session": N_(
        "The facilitator has removed you from this session. Ask them if you think it was a mistake."
    ),
    # Never an answer: what a client shows when it hears `session:deleted`.
    "session_deleted": N_("The facilitator has deleted this session and everything in it."),
    "name_taken": N_(
        "Someone in this session already goes by that name. Add an initial or your surname."
    ),
    "agreement_needed": N_(
        "This network session asks everyone to accept its confidentiality agreement. "
        "Read it and tick that you agree to join."
    ),
    "already_started": N_("The session has already started."),
    "unknown_group": N_("That peer group does not exist, or you are not one of its facilitators."),
    "sign_in_needed": N_("Sign in as a facilitator to do that."),
    "wrong_credentials": N_(
        "That e-mail address and password do not match an account. Check both and try again."
    ),
    "wrong_password": N_("Your current password is not right. Type it again."),
    "email_taken": N_(
        "An account already uses that e-mail address. Sign in instead, or use another address."
    ),
    "sign_up_closed": N_(
        "This server does not take new accounts. Ask the people who run it to make one for you."
    ),
    "csrf_failed": N_(
        "This request did not come from this site's own pages. Reload the page and try again."
    ),
    "unknown_invitation": N_(
        "This invitation is not valid any more. Ask a facilitator of the group for a new one."
    ),
    "move_code_unknown": N_(
        "This link to move to another device is not valid. "
        'On your other device, choose "Use on another device" again for a new one.'
    ),
    "move_code_used": N_(
        "This link to move to another device has already been used. "
        'On your other device, choose "Use on another device" again for a new one.'
    ),
    "move_code_expired": N_(
        "This link to move to another device has expired: it works for a few minutes. "
        'On your other device, choose "Use on another device" again for a new one.'
    ),
    "move_signed_in": N_(
        "As a facilitator, sign in on the other device to continue there; no link is needed."
    ),
    "unknown_account": N_(
        "That account is not a facilitator of this group. Choose one of the group's facilitators."
    ),
    "agenda_from_other_group": N_(
        "The agenda can only be copied from an earlier session of the same group. "
        "Choose one of the group's own sessions."
    ),
    "unknown_format": N_("That session format does not exist. Choose one from the list."),
    "not_found": N_("There is nothing at this address. Check the link, or go to the front page."),
    "bad_request": N_(
        "The page sent something the server could not read. Reload the page and try again."
    ),
    "internal_error": N_(
        "Something went wrong on the server. Nothing was changed. Try again in a moment."
    ),
    "pulse_not_open": N_("The pulse is not open. You can answer only while its phase runs."),
    "pulse_already_answered": N_(
        "You have already answered this pulse. Answers cannot be changed: nobody keeps yours."
    ),
    "stale_segment": N_("The agenda has already moved on. Look again and try once more."),
    "agenda_not_running": N_("The agenda is not running right now."),
    "no_previous_segment": N_("This is the start of the agenda: there is nothing to go back to."),
    "timer_not_running": N_("The timer is not running."),
    "timer_not_paused": N_("The timer is not paused."),
    "unknown_turn": N_("That turn is not in the current speaking order."),
    "turn_over": N_("That turn is already over."),
    "not_your_turn": N_("Only the presenter can do that, during their own turn."),
    "session_not_ended": N_("The summary is ready once the session has ended."),
    "no_one_waiting": N_("Nobody else is waiting to speak."),
    "invalid_order": N_(
        "The new order must list every waiting turn exactly once. Reload the page and try again."
    ),
    "not_a_dilemma_round": N_("Presenters are chosen in a dilemma round."),
    "invalid_presenters": N_(
        "Choose at least one presenter among those who have not presented yet. "
        "Reload the page and try again."
    ),
    "unknown_phase": N_("That phase is not on this session's agenda."),
    "phase_not_pending": N_("Only phases that have not started yet can be moved or removed."),
    "hand_already_raised": N_("Your hand is already raised."),
    "unknown_hand": N_("That hand is no longer raised."),
    "unknown_participant": N_("That person is not in this session."),
    "board_not_open": N_("No board is open. Wait for the facilitator to open one."),
    "board_already_open": N_("A board is already open. Close it before opening a new one."),
    "board_locked": N_("The board is locked: no new posts for now."),
    "already_revealed": N_("The board has already been revealed."),
    "reveal_needs_posts": N_(
        "The board can be revealed once at least %(threshold)s different people have "
        "written on it. With fewer, it is too easy to tell who wrote what."
    ),
    "post_not_found": N_("That post is not on the board (any more)."),
    "not_your_post": N_("Only the browser that wrote this post can change or delete it."),
    "post_too_long": N_("A post can be at most %(max)s characters long. Shorten it and try again."),
    "post_limit_reached": N_("You have written as many posts as this board allows (%(max)s)."),
    "vote_limit_reached": N_(
        "You have used all your votes (%(max)s). Take one back to vote for something else."
    ),
    "rate_limited": N_("You are sending too fast. Try again in a moment (%(seconds)s s)."),
    "cluster_not_found": N_("That group of posts does not exist (any more)."),
    "note_not_found": N_("That note is not in your notebook (any more)."),
    "notebook_full": N_(
        "Your notebook for this session is full (%(max)s notes). Delete one first."
    ),
    "action_not_found": N_("That action is not in this session (any more)."),
    "action_limit_reached": N_("This session has as many actions as it can hold (%(max)s)."),
    "not_in_follow_up": N_(
        "What became of an action is decided in the follow-up phase, at the start of the "
        "group's next session."
    ),
    "action_level_needed": N_(
        "Choose the level for these actions: this board's columns are not the four IGLO levels."
    ),
    "breakout_started": N_(
        "This breakout phase has started: move people by hand instead of planning again."
    ),
    "breakout_not_running": N_("That can be done only while this breakout phase is running."),
    "breakout_over": N_("This breakout phase is over: its groups can no longer change."),
    "no_breakout_plan": N_(
        "This breakout phase has no groups yet. Make the plan first, or start the phase."
    ),
    "unknown_breakout_group": N_("There is no group with that number in this breakout phase."),
    "already_in_group": N_("That person is already in that group."),
    "not_in_group": N_("Only the people of that group (or a facilitator) can do that."),
    "group_too_small": N_(
        "Your group has no anonymous board: it has fewer than %(threshold)s people, and "
        "with so few it is too easy to tell who wrote what."
    ),
    "group_finished": N_(
        "Your group has been through all its presenters. Write your synthesis for the "
        "plenary while you wait for the others."
    ),
    "payload_too_large": N_(
        "What you sent is too large (at most %(max)s bytes). Make it shorter and try again."
    ),
    "database_unavailable": N_(
        "The server cannot reach its database just now. Try again in a moment."
    ),
    "server_restarting": N_(
        "The server is restarting. You will be reconnected in a moment; then try again."
    ),
    "too_many_connections": N_(
        "There are too many connections from your network address (at most %(max)s). "
        "Close a tab or a screen you no longer use, and try again."
    ),
}


# `invalid_payload` names the protocol's fields in `params`; a person reads what the form
# calls them. Fields nobody types (ids, secrets, tokens) are left out of the message: when
# they are wrong, the page itself is out of date.
FIELD_LABELS: dict[str, str] = {
    "text": N_("the text"),
    "title": N_("the title"),
    "name": N_("the name"),
    "display_name": N_("your name"),
    "facilitator_name": N_("your name"),
    "group_name": N_("the group's name"),
    "organisation": N_("the organisation"),
    "email": N_("the e-mail address"),
    "password": N_("the password"),
    "current": N_("your current password"),
    "new": N_("the new password"),
    "join_code": N_("the join code"),
    "minutes": N_("the number of minutes"),
    "seconds": N_("the number of minutes"),
    "prompt": N_("the column"),
    "prompts": N_("the questions"),
    "prompt_keys": N_("the questions"),
    "due": N_("the due date"),
    "owner": N_("the person responsible"),
    "planned_for": N_("the date and time"),
    "threshold": N_("the anonymity threshold"),
    "board_threshold": N_("the anonymity threshold"),
    "answers": N_("your answers"),
    "size": N_("the group size"),
}
INVALID_FIELDS = N_("Something is missing or not valid. Check %(fields)s and try again.")


# What the database driver raises when the database cannot be reached (stopped,
# restarting, the network between): answered `database_unavailable`, not `internal_error`.
DATABASE_OUTAGE = (OperationalError, InterfaceError)


class DomainError(Exception):
    """A rule said no. Nothing was changed; the caller is told why by `code`."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"undeclared error code {code!r}")
        super().__init__(code)
        self.code = code
        self.params = params

    def to_wire(self, language: str) -> dict[str, Any]:
        return error_body(self.code, language, **self.params)


def error_body(code: str, language: str, **params: Any) -> dict[str, Any]:
    template = MESSAGES[code]
    shown = {key: _as_text(value) for key, value in params.items()}
    if code == "invalid_payload":
        labels = field_labels(params.get("fields", ()), language)
        template = INVALID_FIELDS if labels else template
        shown["fields"] = format_list(labels, locale=format_locale(language)) if labels else ""
    message = translate(template, language)
    if params:
        message = message % shown
    return {"ok": False, "error": {"code": code, "message": message, "params": params}}


def field_labels(fields: Any, language: str) -> list[str]:
    """What a person calls the named fields, in their language, each once, in order."""
    labels = [translate(FIELD_LABELS[name], language) for name in fields if name in FIELD_LABELS]
    return list(dict.fromkeys(labels))


def _as_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)
