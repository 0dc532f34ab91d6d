"""Masking of personal data and secrets in text bound for a log.

Every process's output passes through :func:`mask` on its way to
``var/log/`` (the launcher's log pump), and our own log calls use it where
an identifier may hold a phone number (an SMS conversation id is
``sms-<E.164>``). What stays is enough to tell two lines apart, not to
reach anybody::

    >>> mask("SMS to +33612345678 from pierre.moreau@example.fr")
    'SMS to +33•••••••78 from p•••@example.fr'
    >>> mask("GET /conversations/x/tracker?token=s3cr3t&include=all")
    'GET /conversations/x/tracker?token=***&include=all'

Plain standard library: the launcher uses it too.
"""

from __future__ import annotations

import re

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
