"""The four roles, ordered, so permission checks are one comparison (``role.at_least(...)``)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who is looking: the public, a cluster member, an information manager or an administrator.

    Ordered public < member < imo < admin; each role can do everything the ones below it can.
    """

    public = "public"
    member = "member"
    imo = "imo"
    admin = "admin"

    @property
    def rank(self) -> int:
        """Position in the order public < member < imo < admin."""
        return _ORDER.index(self)

    def at_least(self, other: Role) -> bool:
        """Whether this role has every permission of ``other``."""
        return self.rank >= Role(other).rank

    @property
    def sees_exact_figures(self) -> bool:
        """Every logged-in role sees exact figures; only the public sees protected ones."""
        return self.at_least(Role.member)

    @classmethod
    def parse(cls, value: str) -> Role:
        """The role named ``value`` (case-insensitive); ``ValueError`` naming the valid ones."""
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(role.value for role in cls)
            raise ValueError(f"unknown role {value!r} (one of: {names})") from None


_ORDER: tuple[Role, ...] = (Role.public, Role.member, Role.imo, Role.admin)
