"""The integrators' API keys as strings: making one, and reading one back.

A key is ``ntm_<prefix>_<secret>``: an 8-character prefix, stored as it is and shown in lists and logs to tell
keys apart, and a 40-character random secret (240 bits). Only the SHA-256 of the whole key is stored. A slow,
salted password hash (Django's ``make_password``) would cost tens of milliseconds on every API call and buys
nothing here: the secret is random and long, so nobody can guess it from its hash; a plain SHA-256, compared in
constant time, is the usual way API keys are kept.
"""

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass

KEY_START = "ntm_"
PREFIX_LENGTH = 8
SECRET_BYTES = 30  # 40 characters of URL-safe base64
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class NewKey:
    """A key just made: ``key`` is given to the integrator once; ``prefix`` and ``key_hash`` are stored."""

    key: str
    prefix: str
    key_hash: str


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> NewKey:
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    key = f"{KEY_START}{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    return NewKey(key=key, prefix=prefix, key_hash=key_hash(key))


def prefix_of(key: str) -> str | None:
    """The prefix of a well-formed key (``None`` for anything else, e.g. a DRF token of the past)."""
    if not key.startswith(KEY_START):
        return None
    prefix, separator, secret = key[len(KEY_START) :].partition("_")
    if not separator or len(prefix) != PREFIX_LENGTH or not secret:
        return None
    return prefix


def matches(key: str, stored_hash: str) -> bool:
    """Whether ``key`` is the key whose hash is ``stored_hash`` (in constant time)."""
    return hmac.compare_digest(key_hash(key), stored_hash)
