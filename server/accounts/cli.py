"""`python -m server create-account`: the first facilitator of a self-hosted install
(or any, when sign-up is closed). The password comes from a prompt, or from standard
input when that is not a terminal (scripts), never from the command line."""

from __future__ import annotations

import getpass
import sys

from server.accounts import service
from server.accounts.passwords import passwords
from server.accounts.schemas import SignUpArgs
from server.config import load_settings
from server.core.clock import SystemClock
from server.core.db import Database
from server.core.errors import DomainError
from server.core.i18n import N_, translate
from server.core.validation import load_args


def create_account(email: str, name: str, language: str) -> int:
    settings = load_settings()
    password = _read_password(language)
    try:
        args = load_args(
            SignUpArgs(),
            {"email": email, "display_name": name, "password": password, "language": language},
        )
        with Database(settings.database_url).transaction() as db:
            account = service.create_account(
                db,
                passwords(settings.argon2_memory_kib, settings.argon2_time_cost),
                email=args.email,
                display_name=args.display_name,
                password=args.password,
                language=args.language,
                now=SystemClock().now(),
            )
    except DomainError as err:
        print(err.to_wire(language)["error"]["message"], file=sys.stderr)
        return 1
    print(translate(N_("Account created for %(email)s."), language) % {"email": account.email})
    return 0


def _read_password(language: str) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(translate(N_("Password: "), language))
    if getpass.getpass(translate(N_("The password again: "), language)) != first:
        print(translate(N_("The two passwords differ."), language), file=sys.stderr)
        raise SystemExit(1)
    return first
