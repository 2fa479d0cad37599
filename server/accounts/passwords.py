"""Password hashing with Argon2id (argon2-cffi), tuned by settings.

An unknown account is checked against a stand-in hash with the same parameters, so it
takes as long to refuse as a wrong password (nobody learns which e-mails have accounts
from the time an answer takes).
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Passwords:
    def __init__(self, memory_kib: int, time_cost: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self._stand_in = self._hasher.hash("no account has this password")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """Whether `password` matches `stored`; with no stored hash, as slow and False."""
        try:
            return self._hasher.verify(stored or self._stand_in, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def outdated(self, stored: str) -> bool:
        return self._hasher.check_needs_rehash(stored)


@lru_cache(maxsize=4)
def passwords(memory_kib: int, time_cost: int) -> Passwords:
    return Passwords(memory_kib, time_cost)
