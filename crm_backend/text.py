"""Text helpers shared by the repositories and services."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from .errors import InvalidContactData

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lower-case, accent-free, single-spaced text, for search keys.

    >>> normalize("  Éclipse   3000 ")
    'eclipse 3000'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip().casefold()


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_phone(raw: str, *, default_region: str = "FR") -> str:
    """The E.164 form of a phone number ("06 12 34 56 78" → "+33612345678").

    Raises:
        InvalidContactData: the text is not a possible phone number.
    """
    try:
        parsed = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidContactData(field="phone", value=raw) from exc
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidContactData(field="phone", value=raw)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    """A trimmed, lower-case e-mail address.

    Raises:
        InvalidContactData: the text is not an e-mail address.
    """
    address = raw.strip().lower()
    if not _EMAIL.match(address):
        raise InvalidContactData(field="email", value=raw)
    return address
