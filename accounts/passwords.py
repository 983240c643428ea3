"""Password hashing with argon2, and a check that takes as long for unknown users."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 10


class PasswordPolicyError(ValueError):
    """The password is not acceptable (too short)."""


def check_policy(password: str) -> None:
    """Raise :class:`PasswordPolicyError` unless ``password`` has at least 10 characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordPolicyError(
            f"password too short: at least {MIN_PASSWORD_LENGTH} characters are required"
        )


@dataclass
class Passwords:
    """Hashes and verifies passwords; says when a stored hash should be upgraded."""

    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    _dummy_hash: str | None = field(default=None, init=False, repr=False)

    def hash(self, password: str) -> str:
        """An argon2id hash of ``password`` (salted; the password itself is never stored)."""
        return self.hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """Whether ``password`` matches ``stored_hash``.

        With ``stored_hash=None`` (unknown user) a dummy hash made with the same parameters is
        checked instead, so the answer takes as long whether the user exists or not.
        """
        target = stored_hash if stored_hash is not None else self.dummy_hash()
        ok: bool
        try:
            ok = self.hasher.verify(target, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        return ok and stored_hash is not None

    def needs_rehash(self, stored_hash: str) -> bool:
        """Whether the hash was made with other parameters than the current ones."""
        try:
            return self.hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True

    def dummy_hash(self) -> str:
        """A hash of a random password, made once with the current parameters."""
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(24))
        return self._dummy_hash
