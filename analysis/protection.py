"""The data-protection policy: which categories are sensitive, the protected grain, the rounding.

Why (see DATA_PROTECTION.md): per-response suppression cannot be made safe, because other
answers publish exact numbers that contain the hidden cells. Instead, for the public, sensitive
categories exist only as a fixed grid of **protected cells** (default: région x calendar
quarter x category x measure), each published once by a rule that never shows 1-4 and gives
the same value on every request, worker and restart. Every public number involving a sensitive
category is then a sum of published cells, so no combination of answers reveals more than the
cells themselves.

The rule is **deterministic keyed random rounding to base 5** (Statistics NZ, ONS): a value
``5q + r`` (0 < r < 5) is published as ``5q + 5`` with probability ``r / 5`` and ``5q``
otherwise, the "coin" being an HMAC of the cell and its value under a server secret. Zero stays
zero and 1-4 is always published as 5, so a published 0 always means "none" (a coordinator
must never read "no GBV" where there was some), and a published 5 covers 1 to 9. Values of 5
and more are unbiased: sums of many cells stay close to the truth. Keying by the cell and its
value (not by the request) is what defeats averaging: asking again, or re-slicing, returns the
same published cell, so there is no fresh noise to average away.

No Dash or Flask import: the policy is plain configuration plus numpy.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from data.vocab import SENSITIVE_CATEGORIES

ROUNDING_BASE = 5
# Display token of a number withheld from the viewer: "réservé aux membres" / "members only".
WITHHELD = "members-only"
GRAIN_MONTHS_ALLOWED = (1, 2, 3, 4, 6, 12)  # calendar-aligned buckets (divisors of 12)


@dataclass(frozen=True)
class ProtectionPolicy:
    """What the public may see of sensitive categories (configuration, not code).

    ``grain_level``: admin level of the protected cells (1 = région, 2 = cercle).
    ``grain_months``: length of their calendar-aligned period (3 = calendar quarter).
    ``key``: the secret of the keyed rounding; the same for every worker and restart.
    """

    sensitive: frozenset[str] = SENSITIVE_CATEGORIES
    grain_level: int = 1
    grain_months: int = 3
    base: int = ROUNDING_BASE
    key: bytes = b""

    def __post_init__(self) -> None:
        if self.grain_months not in GRAIN_MONTHS_ALLOWED:
            raise ValueError(
                f"protected period of {self.grain_months} months: use one of "
                f"{GRAIN_MONTHS_ALLOWED} (calendar-aligned)"
            )
        if self.grain_level < 1:
            raise ValueError("the protected grain is an admin level of 1 (région) or finer")
        if self.base < 2:
            raise ValueError("the rounding base must be at least 2")

    def is_sensitive(self, category: str) -> bool:
        return category in self.sensitive

    def split(self, categories: Iterable[str]) -> tuple[list[str], list[str]]:
        """(non-sensitive, sensitive) categories of a selection, order kept."""
        cats = list(categories)
        return (
            [c for c in cats if c not in self.sensitive],
            [c for c in cats if c in self.sensitive],
        )


def policy_from_env(key: bytes, environ: dict[str, str] | None = None) -> ProtectionPolicy:
    """The policy with the administrator's settings from the environment.

    ``MALI_DASHBOARD_EXTRA_SENSITIVE``: comma-separated category codes to flag sensitive too;
    ``MALI_DASHBOARD_PROTECTED_LEVEL`` (1 or 2) and ``MALI_DASHBOARD_PROTECTED_MONTHS``
    (1, 2, 3, 4, 6 or 12): the protected grain.
    """
    env = os.environ if environ is None else environ
    extra = {c.strip() for c in env.get("MALI_DASHBOARD_EXTRA_SENSITIVE", "").split(",")}
    return ProtectionPolicy(
        sensitive=SENSITIVE_CATEGORIES | frozenset(c for c in extra if c),
        grain_level=int(env.get("MALI_DASHBOARD_PROTECTED_LEVEL", "1")),
        grain_months=int(env.get("MALI_DASHBOARD_PROTECTED_MONTHS", "3")),
        key=key,
    )


def _coin(key: bytes, cell: str, value: int) -> float:
    """A number in [0, 1) fixed by the secret, the cell and its value."""
    digest = hmac.new(key, f"{cell}|{value}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def publish_value(value: int, cell: str, key: bytes, base: int = ROUNDING_BASE) -> int:
    """The published value of one protected cell (see the module docstring)."""
    value = int(value)
    if value <= 0:
        return 0
    if value < base:
        return base
    low, rest = divmod(value, base)
    if rest == 0:
        return value
    up = _coin(key, cell, value) < rest / base
    return (low + 1) * base if up else low * base


def publish_array(values: np.ndarray, cells: np.ndarray, key: bytes, base: int) -> np.ndarray:
    """:func:`publish_value` of each value with its cell id (same shapes)."""
    flat = values.ravel()
    out = np.zeros(flat.shape, dtype=np.int64)
    for i in np.flatnonzero(flat > 0):
        out[i] = publish_value(int(flat[i]), str(cells.ravel()[i]), key, base)
    return out.reshape(values.shape)


__all__ = [
    "GRAIN_MONTHS_ALLOWED",
    "ROUNDING_BASE",
    "WITHHELD",
    "ProtectionPolicy",
    "policy_from_env",
    "publish_array",
    "publish_value",
]
