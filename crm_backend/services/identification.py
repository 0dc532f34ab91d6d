"""Identification, the second fact: does what the caller says match what the account holds?

Before the bot trusts that the person is the account's customer, it asks
for one more fact: the postcode, an e-mail address, a phone number or the
customer number. Answers are compared in normalised form, so "06 12 34 56
78" matches "+33612345678" and "c100001" matches "C-100001".
"""

from __future__ import annotations

import contextlib
import hmac
import re

from ..errors import InvalidContactData
from ..models import Account
from ..text import normalize, normalize_email, normalize_phone


def verify_identity(account: Account, *, answer: str) -> bool:
    """Whether ``answer`` is the account's "second fact".

    The second fact is its postcode, one of its e-mails or phones, or its
    customer number, compared in normalised form ("06 12 34 56 78",
    "c100001"). Every fact is compared in full, whatever matches, so the time
    taken says nothing about which one did.
    """
    given = _answer_forms(answer)
    facts = _identity_facts(account)
    matched = False
    for fact in facts:
        for form in given:
            matched |= hmac.compare_digest(fact.encode(), form.encode())
    return matched


def _identity_facts(account: Account) -> list[str]:
    facts = [f"number:{customer_number_key(account.customer_number)}"]
    if account.postcode:
        facts.append(f"postcode:{postcode_key(account.postcode)}")
    facts += [f"email:{e.address}" for e in account.emails]
    facts += [f"phone:{p.number}" for p in account.phones]
    return facts


def _answer_forms(answer: str) -> list[str]:
    text = answer.strip()
    if not text:
        return []
    forms = [f"number:{customer_number_key(text)}", f"postcode:{postcode_key(text)}"]
    with contextlib.suppress(InvalidContactData):
        forms.append(f"email:{normalize_email(text)}")
    with contextlib.suppress(InvalidContactData):
        forms.append(f"phone:{normalize_phone(text)}")
    return forms


def customer_number_key(text: str) -> str:
    """The canonical customer number: "c-100001", "C100001" and "100001" all give "C-100001"."""
    digits = re.sub(r"[^0-9A-Z]", "", text.upper())
    digits = digits.removeprefix("C")
    return f"C-{digits}"


def postcode_key(text: str) -> str:
    """A postcode without case, accents, spaces or dashes, for comparison."""
    return re.sub(r"[\s-]", "", normalize(text))
