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

# "What would you like me to do with that?": the deed the customer came for, by goal.
DEED_ANSWERS: dict[str, tuple[str, ...]] = {
    "reject_quote": ("I want to reject my quote", "decline my quote please", "turn my quote down"),
    "accept_quote": ("I want to accept my quote", "order my quote please", "accept the quote"),
    "cancel": ("cancel my order please", "I want to cancel my order", "cancel it"),
    "order": ("I'd like to order that", "place an order please", "order it please"),
    "quote": ("I'd like a quote for that", "prepare a quote please", "a quote please"),
    "contact": ("update my contact details", "change my details please", "change my details"),
    "preference": ("change how you contact me", "note how to contact me", "my contact preferences"),
    "do_not_contact": ("stop contacting me", "take me off your lists", "no more messages please"),
    "complaint": ("I want to make a complaint", "it's a complaint", "I'm complaining"),
    "handoff": ("I want to talk to a person", "put me through to someone", "a human please"),
    "account": ("open an account for me", "I want to open an account", "new account please"),
}
# Its wish in plain words, said once when the bot missed it. Never the products by their
# catalog names: "the cheaper one" restated as "1 Nova 14" would do the bot's work for it
# (what a reference, an accessory "for my printer" or "one of each" means is what those
# scenarios test), so a customer misunderstood about products says its own line again.
PLAIN_WISHES: dict[str, tuple[str, ...]] = {
    "reject_quote": (
        "I want to reject my quote {open_quote}.",
        "i decline quote {open_quote}",
        "Please reject quote {open_quote}.",
    ),
    "accept_quote": (
        "I want to accept my quote {open_quote}.",
        "i accept quote {open_quote}",
        "Please turn quote {open_quote} into an order.",
    ),
    "cancel": (
        "I want to cancel my order {open_order}.",
        "cancel order {open_order} pls",
        "Please cancel my order {open_order}.",
    ),
    "handoff": (
        "I want to talk to a person, please.",
        "can i speak to a human",
        "Please put me through to an adviser.",
    ),
    "complaint": ("I want to make a complaint.", "i want to complain", "This is a complaint."),
}
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
_RANGE = re.compile(
    r"\b(?P<below>under|below|less than|up to) (?P<a>\d+)"
    r"|\b(?P<above>over|above|more than) (?P<b>\d+)"
    r"|\b(?:between )?(?P<lo>\d+) ?(?:to|-|and) ?(?P<hi>\d+)"
)


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


def range_button(text: str, buttons: Sequence[Button]) -> Button | None:
    """The button whose range holds the amount ``text`` names ("around 1000 euros")."""
    amount = re.search(r"\d+", fold(text).replace(" 000", "000"))
    if amount is None:
        return None
    value = int(amount.group())
    for button in buttons:
        found = _RANGE.search(fold(button.title).replace(" 000", "000"))
        if found is None:
            continue
        if found["below"] and value < int(found["a"]):
            return button
        if found["above"] and value > int(found["b"]):
            return button
        if found["lo"] and int(found["lo"]) <= value <= int(found["hi"]):
            return button
    return None


def count(quantity: int, name: str) -> str:
    """ "2", or "two" before a name that starts with a number ("one 2-Year Extended Warranty")."""
    words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[quantity] if name[:1].isdigit() and quantity < len(words) else str(quantity)
