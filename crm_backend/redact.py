"""Masking of personal data and secrets in text bound for a log, or for training data.

Every process's output passes through :func:`mask` on its way to
``var/log/`` (the launcher's log pump), and our own log calls use it where
an identifier may hold a phone number (an SMS conversation id is
``sms-<E.164>``). What stays is enough to tell two lines apart, not to
reach anybody::

    >>> mask("SMS to +33612345678 from pierre.moreau@example.fr")
    'SMS to +33•••••••78 from p•••@example.fr'
    >>> mask("GET /conversations/x/tracker?token=s3cr3t&include=all")
    'GET /conversations/x/tracker?token=***&include=all'

For text that leaves as training data or a test story (the review's
exports, :mod:`crm_backend.services.review_export`), :func:`placeholders`
replaces each e-mail address, phone number, customer number, postcode and
known name by a placeholder of the same kind, so the sentence still reads as
a customer would write it::

    >>> placeholders("I'm Pierre Moreau, pierre.moreau@example.fr, 06 12 34 56 78",
    ...              names=["Pierre Moreau"])
    "I'm Alex Martin, jane.doe@example.com, 06 00 00 00 00"

Plain standard library: the launcher uses it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DOT = "•"

# +33612345678, and its URL-encoded form in a logged query string (%2B33612345678).
_E164 = re.compile(r"(?P<lead>\+|%2[Bb])(?P<digits>\d{8,15})(?!\d)")
# French national forms: 0612345678, 06 12 34 56 78, 06.12.34.56.78, 06-12-34-56-78.
_NATIONAL = re.compile(r"(?<![\d.+])0[1-9](?:[ .-]?\d{2}){4}(?![\d])")
# International without the plus: 0033612345678, 33612345678.
_INTERNATIONAL = re.compile(r"(?<![\d.+])(?:00|)33[1-9]\d{8}(?!\d)")
_EMAIL = re.compile(
    r"(?P<first>[A-Za-z0-9_%+-])[A-Za-z0-9._%+-]*(?P<at>@|%40)(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)
# token=..., auth_token=..., access_token: ... in URLs, forms and dict reprs.
_TOKEN = re.compile(
    r"(?P<key>\b[\w-]*(?:token|secret|password)['\"]?\s*[=:]\s*['\"]?)(?P<value>[^\s&'\",;}]+)",
    re.IGNORECASE,
)
# Authorization: Bearer xyz / 'authorization': 'Basic xyz' / X-Twilio-Signature: ...
_AUTHORIZATION = re.compile(
    r"(?P<key>\b(?:authorization|x-twilio-signature)['\"]?\s*[=:]\s*['\"]?(?:(?:bearer|basic)\s+)?)"
    r"(?P<value>[^\s'\",;}]+)",
    re.IGNORECASE,
)


EMAIL_PLACEHOLDER = "jane.doe@example.com"
CUSTOMER_NUMBER_PLACEHOLDER = "C-000000"
POSTCODE_PLACEHOLDER = "00000"
# A known name's first word, and every later one.
NAME_PLACEHOLDERS = ("Alex", "Martin")
_CUSTOMER_NUMBER = re.compile(r"(?<![\w-])[Cc][- ]?\d{6}(?!\d)")
# Five digits alone: a French postcode (a five-digit amount goes too; better too much).
_POSTCODE = re.compile(r"(?<![\d.,+-])\d{5}(?![\d])")
# A name's words: its runs of letters ("Marie-Claire" is "Marie" and "Claire").
_WORD = re.compile(r"[^\W\d_]+")


def placeholders(text: str, *, names: Iterable[str] = ()) -> str:
    """``text`` with personal data replaced by placeholders of the same kind.

    E-mail addresses become :data:`EMAIL_PLACEHOLDER`; phone numbers keep
    their form and their first digits, the rest zeros (``+33612345678`` →
    ``+33600000000``); customer numbers become ``C-000000``; five-digit
    postcodes ``00000``; each of ``names`` (whole, or any word of it) becomes
    ``Alex`` for its first word and ``Martin`` for the others.
    """
    if not text:
        return text
    text = _names(text, names)
    text = _EMAIL.sub(EMAIL_PLACEHOLDER, text)
    text = _CUSTOMER_NUMBER.sub(CUSTOMER_NUMBER_PLACEHOLDER, text)
    text = _E164.sub(lambda m: m["lead"] + _zeroed(m["digits"], keep=3), text)
    text = _INTERNATIONAL.sub(lambda m: _zeroed(m.group(0), keep=len(m.group(0)) - 8), text)
    text = _NATIONAL.sub(lambda m: _zeroed(m.group(0), keep=2), text)
    return _POSTCODE.sub(POSTCODE_PLACEHOLDER, text)


def _zeroed(number: str, *, keep: int) -> str:
    """The number's first ``keep`` digits, then zeros; separators stay where they were."""
    seen = 0
    out = []
    for char in number:
        if char.isdigit():
            seen += 1
            out.append(char if seen <= keep else "0")
        else:
            out.append(char)
    return "".join(out)


def _names(text: str, names: Iterable[str]) -> str:
    words: dict[str, str] = {}
    for name in names:
        for position, word in enumerate(_WORD.findall(name or "")):
            if len(word) > 1:
                words.setdefault(word.lower(), NAME_PLACEHOLDERS[min(position, 1)])
    if not words:
        return text
    # Longest first, so "Moreau" goes before a "More" of another name.
    pattern = re.compile(
        r"(?<![\w@.])(?:"
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?![\w@])",
        re.IGNORECASE,
    )
    return pattern.sub(lambda m: words[m.group(0).lower()], text)


def mask(text: str) -> str:
    """``text`` with phone numbers, e-mail addresses and secrets masked."""
    if not text:
        return text
    text = _AUTHORIZATION.sub(lambda m: m["key"] + "***", text)
    text = _TOKEN.sub(lambda m: m["key"] + "***", text)
    text = _EMAIL.sub(lambda m: f"{m['first']}{DOT * 3}{m['at']}{m['domain']}", text)
    text = _E164.sub(_masked_e164, text)
    text = _INTERNATIONAL.sub(lambda m: _masked_digits(m.group(0), keep=2), text)
    return _NATIONAL.sub(lambda m: _masked_digits(m.group(0), keep=2), text)


def _masked_e164(match: re.Match[str]) -> str:
    digits = match["digits"]
    # The country code (up to two digits here) and the last two digits stay.
    return f"{match['lead']}{digits[:2]}{DOT * (len(digits) - 4)}{digits[-2:]}"


def _masked_digits(number: str, *, keep: int) -> str:
    digits = re.sub(r"\D", "", number)
    return f"{digits[:keep]}{DOT * (len(digits) - keep - 2)}{digits[-2:]}"
