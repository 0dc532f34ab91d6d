"""What a customer came for: the deeds of its goal, and how it says them.

A scenario's expectations are the customer's goal as the company will see it
in the CRM; :func:`goals_of` reads them as the deeds the customer would name
("order", "reject_quote", "preference"...), the words
:func:`converse.questions.proposed_deed` reads in the bot's yes-or-no
questions. The customer (:mod:`converse.answers`) checks a yes against them,
names them when asked what to do, and says them in plain words when it was
misunderstood.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .questions import Button, fold
from .speech import DEFAULT, speech
from .speech_en import DEED_ANSWERS, PLAIN_WISHES

__all__ = ["DEED_ANSWERS", "GOAL_ORDER", "PLAIN_WISHES", "count", "goals_of", "range_button"]

# The order in which a customer with several goals names them ("open an account, then order").
GOAL_ORDER = (
    "reject_quote", "accept_quote", "cancel", "order", "quote", "contact", "preference",
    "do_not_contact", "complaint", "feedback", "handoff", "order_status", "quote_status",
    "product_info", "account", "lead",
)  # fmt: skip
# What the customer's goal expectations are, as deeds ("order" from quote: accepting it).
_GOAL_OF_EXPECTATION = {
    "quote": ("quote",),
    "contact": ("contact",),
    "preference": ("preference",),
    "consent": ("preference",),
    "do_not_contact": ("do_not_contact",),
    "account": ("account",),
    "lead": ("lead",),
    "complaint": ("complaint",),
    "feedback": ("feedback",),
}


def goals_of(
    expectations: Sequence[tuple[str, Mapping[str, object]]], process: str
) -> frozenset[str]:
    """The deeds a customer with these expectations (kind, fields) came for, and its process's."""
    goals = set[str]()
    for kind, fields in expectations:
        if kind == "order":
            goals |= {"order", "accept_quote"} if fields.get("from_quote") else {"order"}
        elif kind == "quote_status":
            accepted = fields.get("status") == "accepted"
            goals |= {"accept_quote", "order"} if accepted else {"reject_quote"}
        elif kind == "handoff":
            reasons = fields.get("reason")
            reasons = reasons if isinstance(reasons, list | tuple) else ()
            goals |= {"handoff", "cancel"} if "cancellation" in reasons else {"handoff"}
            goals |= {"complaint"} if "complaint" in reasons else set()
        else:
            goals |= set(_GOAL_OF_EXPECTATION.get(kind, ()))
    if process in ("order_status", "product_info", "complaint", "feedback"):
        goals.add(process)
    if process == "quote_status" and not goals:
        goals.add(process)  # only to know where its quote stands: asking is the goal
    return frozenset(goals)


def range_button(text: str, buttons: Sequence[Button], *, language: str = DEFAULT) -> Button | None:
    """The button whose range holds the amount ``text`` names ("around 1000 euros"), the
    ranges read in the words of ``language`` ("Moins de 1000 €")."""
    amount = re.search(r"\d+", _grouped(fold(text)))
    if amount is None:
        return None
    value = int(amount.group())
    for button in buttons:
        found = speech(language).range.search(_grouped(fold(button.title)))
        if found is None:
            continue
        if found["below"] and value < int(found["a"]):
            return button
        if found["above"] and value > int(found["b"]):
            return button
        if found["lo"] and int(found["lo"]) <= value <= int(found["hi"]):
            return button
    return None


def _grouped(text: str) -> str:
    """Thousands written whole: "1 500 €" and "1 000" are 1500 and 1000."""
    return re.sub(r"(?<=\d)[ ,.](?=\d{3}\b)", "", text)


def count(quantity: int, name: str) -> str:
    """ "2", or "two" before a name that starts with a number ("one 2-Year Extended Warranty")."""
    words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[quantity] if name[:1].isdigit() and quantity < len(words) else str(quantity)
