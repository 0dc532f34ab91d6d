"""Suppressions: a do-not-contact or an opt-out that outlives the person's data.

Erasure removes the phone number and the e-mail address, but "never call me
again" must hold after it, also for an account created later with the same
number. So the refusal is kept as an HMAC-SHA256 of the normalised number or
address, under a secret key of this installation: the outbound checks can
test a number against it, nobody can read a number back from it, and without
the key nobody can test a guess either.

The key is made once into ``<ICBOT_VAR_DIR>/suppression_key`` (mode 0600) by
:func:`crm_backend.auth.stored_secret`. Losing it makes every suppression
unmatched: back it up with the database.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from pathlib import Path

from ..auth import stored_secret
from ..models import Suppression
from ..settings import CrmSettings
from ..text import normalize_email, normalize_phone
from ..uow import UnitOfWork

KEY_FILE = "suppression_key"
PHONE, EMAIL = "phone", "email"
# A suppression on "all" closes every channel (a do-not-contact).
ALL = "all"


@functools.cache
def _key_in(var_dir: Path) -> bytes:
    return stored_secret(var_dir / KEY_FILE, make=lambda: secrets.token_hex(32)).encode("utf-8")


def suppression_key() -> bytes:
    """This installation's key, from ``ICBOT_VAR_DIR`` (made on first use).

    Raises:
        TokenFileError: the key file exists but is unreadable or empty.
    """
    return _key_in(CrmSettings.from_env().var_dir)


def digest(*, kind: str, value: str) -> str:
    """The HMAC of a phone number (``kind`` "phone") or e-mail address, normalised first.

    Raises:
        InvalidContactData: the value does not parse as that kind.
    """
    normal = normalize_phone(value) if kind == PHONE else normalize_email(value)
    return hmac.new(suppression_key(), f"{kind}:{normal}".encode(), hashlib.sha256).hexdigest()


def suppress(uow: UnitOfWork, *, kind: str, value: str, channel: str) -> Suppression:
    """Keep that ``value`` must not be contacted on ``channel`` ("all": on none).

    Raises:
        InvalidContactData: the value does not parse as ``kind``.
    """
    key = digest(kind=kind, value=value)
    existing = uow.suppressions.get_by(digest=key, channel=channel)
    if existing is not None:
        return existing
    return uow.suppressions.add(Suppression(digest=key, kind=kind, channel=channel))


def suppressed(uow: UnitOfWork, *, kind: str, value: str, channel: str) -> str | None:
    """The channel of the suppression that refuses ``value`` on ``channel`` ("all" first), or None.

    Raises:
        InvalidContactData: the value does not parse as ``kind``.
    """
    if uow.suppressions.count() == 0:
        return None  # the common case costs no key and no hash
    key = digest(kind=kind, value=value)
    for wanted in (ALL, channel):
        if uow.suppressions.get_by(digest=key, channel=wanted) is not None:
            return wanted
    return None
