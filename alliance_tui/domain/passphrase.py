"""Passphrases: so that nobody accepts or signs in the other partner's name (SPEC §2).

Only a salted scrypt hash is ever kept; the passphrase itself is never stored, exported
or logged.
"""

from __future__ import annotations

import os
from typing import NamedTuple

#: scrypt's cost: about 16 MB and a few tens of milliseconds, once per hand-over.
N, R, P = 2**14, 8, 1
MINIMUM = 4


class Sealed(NamedTuple):
    """A passphrase as kept: the salt and the scrypt hash, with the cost it was made at."""

    salt: bytes
    digest: bytes
    n: int = N
    r: int = R
    p: int = P


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    import hashlib  # here, not at start-up (SPEC §9)

    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024)


def seal(passphrase: str) -> Sealed:
    """Hash a new passphrase with a fresh salt."""
    salt = os.urandom(16)
    return Sealed(salt=salt, digest=_derive(passphrase, salt, N, R, P))


def opens(sealed: Sealed, passphrase: str) -> bool:
    """Whether `passphrase` is the one sealed (compared in constant time)."""
    try:
        candidate = _derive(passphrase, sealed.salt, sealed.n, sealed.r, sealed.p)
    except (ValueError, UnicodeEncodeError):
        return False
    import hmac

    return hmac.compare_digest(candidate, sealed.digest)
